"""Attachments on replies: at most 10 MB, documents and images only, checked before anything is stored —
on the staff page, the contact's page and the API alike. Downloads follow the request's visibility."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.errors import DomainError
from apps.servicedesk.attachments import MAX_ATTACHMENT_BYTES
from apps.servicedesk.models import ServiceRequestReply
from apps.servicedesk.services import request_reply

from .factories import pdf_file

TOO_LARGE = "附件：文件过大（10.0 MB），不能超过 10 MB，请压缩或拆分后再上传。"


def stored_files() -> list[str]:
    try:
        _, files = default_storage.listdir("requests")
    except FileNotFoundError:
        return []
    return files


def assert_nothing_saved(service_request):
    service_request.refresh_from_db()
    assert ServiceRequestReply.objects.count() == 0 and service_request.status == "new"
    assert service_request.version == 1


def test_a_file_over_10_mb_is_refused_naming_the_field_and_nothing_is_saved(users, service_request):
    with pytest.raises(DomainError) as error:
        request_reply(actor=users["district"], request=service_request, body="见附件",
                      attachment=pdf_file(size=MAX_ATTACHMENT_BYTES + 1))
    assert error.value.message == TOO_LARGE and error.value.field == "attachment"
    assert_nothing_saved(service_request)


def test_exactly_10_mb_is_accepted(users, service_request):
    reply = request_reply(actor=users["district"], request=service_request, body="见附件",
                          attachment=pdf_file(size=MAX_ATTACHMENT_BYTES))
    assert reply.attachment.name.startswith("requests/") and reply.attachment.size == MAX_ATTACHMENT_BYTES


@pytest.mark.parametrize(("name", "content", "message"), [
    ("setup.exe", b"MZ\x90\x00", "附件：不支持“.exe”文件，请上传 PDF、Word（doc/docx）、Excel（xls/xlsx）、图片（jpg/png）或 txt 文件。"),
    ("page.html", b"<script>alert(1)</script>", "附件：不支持“.html”文件"),
    ("noextension", b"%PDF-1.4", "附件：不支持无扩展名的文件"),
    ("批复.pdf", b"MZ\x90\x00 renamed program", "附件：文件内容与扩展名“.pdf”不符，请上传原始的 PDF 文件。"),
    ("photo.png", b"GIF89a", "附件：文件内容与扩展名“.png”不符"),
])
def test_a_wrong_type_is_refused_and_nothing_is_saved(users, service_request, name, content, message):
    with pytest.raises(DomainError, match=message) as error:
        request_reply(actor=users["district"], request=service_request, body="见附件",
                      attachment=SimpleUploadedFile(name, content))
    assert error.value.field == "attachment"
    assert_nothing_saved(service_request)


def test_the_staff_page_shows_the_refusal_next_to_the_field(client, users, service_request):
    client.force_login(users["district"])
    before = stored_files()
    response = client.post(reverse("servicedesk:reply", args=[service_request.pk]),
                           {"body": "见附件", "attachment": pdf_file(size=MAX_ATTACHMENT_BYTES + 1)})
    assert response.status_code == 200
    assert response.context["reply_form"].errors["attachment"] == [TOO_LARGE]
    assert TOO_LARGE in response.content.decode()
    assert_nothing_saved(service_request)
    assert stored_files() == before


def test_the_contact_page_shows_the_refusal_too(client, issued_link, service_request):
    response = client.post(reverse("servicedesk:contact_detail", args=[issued_link.token, service_request.pk]),
                           {"body": "见附件", "contact_name": "王经理",
                            "attachment": SimpleUploadedFile("x.exe", b"MZ")})
    assert response.status_code == 200
    assert "附件：不支持“.exe”文件" in response.context["form"].errors["attachment"][0]
    assert_nothing_saved(service_request)


def test_downloads_follow_the_requests_visibility(client, users, service_request):
    reply = request_reply(actor=users["district"], request=service_request, body="批复件", attachment=pdf_file())
    url = reverse("servicedesk:attachment", args=[service_request.pk, reply.pk])
    for role, status in [("district", 200), ("leader", 200), ("office", 200), ("district2", 404),
                         ("liangjiang", 404)]:
        client.force_login(users[role])
        response = client.get(url)
        assert response.status_code == status, role
        if status == 200:
            assert response["Content-Type"] == "application/octet-stream"
            assert "批复.pdf" in response["Content-Disposition"] or "%E6%89%B9" in response["Content-Disposition"]
    client.logout()
    assert client.get(url).status_code == 302
