"""The enterprise contact's link: no account, a signed token that reaches one project's requests only.
A changed, expired or revoked token — or another project's request through a good one — gets the same
plain 404 page, and nothing is written."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditLog
from apps.notifications.models import Notification
from apps.servicedesk import links
from apps.servicedesk.models import ContactLink, ServiceRequest, ServiceRequestReply
from apps.servicedesk.services import (
    contact_link_create,
    contact_link_open,
    contact_link_revoke,
    request_change_status,
)

from .factories import pdf_file

INVALID = "该链接无法打开。请联系为您服务的工作人员获取新的链接。"


def home(token):
    return reverse("servicedesk:contact_home", args=[token])


def detail(token, pk):
    return reverse("servicedesk:contact_detail", args=[token, pk])


def raise_data(**overrides):
    return {"category": "utilities", "title": "天然气管道接入", "description": "食堂用气，希望月底前通气。",
            "contact_name": "王经理", "contact_phone": "13800138000"} | overrides


def assert_invalid(response, *leaks):
    assert response.status_code == 404
    body = response.content.decode()
    assert INVALID in body
    for leak in leaks:
        assert leak not in body


def test_the_link_is_a_url_with_a_qr_code_and_only_a_hash_is_stored(issued_link, project):
    assert issued_link.url.startswith("https://zsj.example.cn/requests/c/")
    assert issued_link.url.endswith("/") and issued_link.token in issued_link.url
    assert issued_link.qr_svg.startswith("<svg") and "</svg>" in issued_link.qr_svg
    link = ContactLink.objects.get()
    assert link.project == project and link.contact_name == "王经理"
    _, secret = links.parse_token(issued_link.token)
    assert secret not in link.token_hash and link.token_hash == links.secret_hash(secret)
    assert (link.expires_at - link.created_at).days == 180
    assert AuditLog.objects.filter(model="servicedesk.contactlink", action="create").exists()


def test_link_validity_comes_from_settings(settings, users, project):
    settings.CONTACT_LINK_DAYS = 30
    issued = contact_link_create(actor=users["district"], project=project)
    assert (issued.link.expires_at - issued.link.created_at).days == 30


def test_contact_sees_only_their_projects_requests_and_no_way_into_the_platform(
        client, issued_link, make_request, other_project, users):
    own = make_request(title="用电增容报装")
    make_request(project=other_project, actor=users["district2"], title="长寿区的诉求")
    response = client.get(home(issued_link.token))
    assert response.status_code == 200
    body = response.content.decode()
    assert "用电增容报装" in body and "长寿区的诉求" not in body
    assert project_link_absent(body)
    assert response["Referrer-Policy"] == "same-origin" and "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    page = client.get(detail(issued_link.token, own.pk))
    assert page.status_code == 200 and "企业新建厂房需增容" in page.content.decode()


def project_link_absent(body: str) -> bool:
    # No navbar, no link to any internal page (projects, library, my work, login).
    return all(f'href="{path}' not in body for path in ["/projects/", "/organisations/", "/accounts/", '/"'])


def test_contact_raises_a_request_on_their_project(client, issued_link, project, users):
    response = client.post(home(issued_link.token), raise_data())
    request = ServiceRequest.objects.get()
    assert response.status_code == 302 and response.url == detail(issued_link.token, request.pk)
    assert request.project == project and request.channel == "contact" and request.raised_by is None
    assert (request.contact_name, request.contact_phone) == ("王经理", "13800138000")
    assert request.owner == users["specialist"] and request.owner_unit.name == "九龙坡区"
    assert request.due_date == timezone.localdate() + datetime.timedelta(days=7)
    assert set(Notification.objects.filter(kind="service_request.created")
               .values_list("recipient__username", flat=True)) == {"t_specialist"}
    page = client.get(response.url).content.decode()
    assert "已收到您的诉求“天然气管道接入”" in page


def test_contact_form_errors_are_chinese_and_save_nothing(client, issued_link):
    response = client.post(home(issued_link.token), raise_data(contact_phone="打电话给我", title=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["title"] == ["请填写诉求标题。"]
    response = client.post(home(issued_link.token), raise_data(contact_phone="打电话给我"))
    assert "联系电话：请填写手机或座机号码" in response.context["form"].errors["contact_phone"][0]
    assert ServiceRequest.objects.count() == 0


def test_contact_replies_with_an_attachment_and_the_owner_hears_of_it(client, issued_link, service_request):
    response = client.post(detail(issued_link.token, service_request.pk),
                           {"body": "补充：用电负荷清单见附件", "contact_name": "王经理", "attachment": pdf_file()})
    assert response.status_code == 302
    reply = ServiceRequestReply.objects.get()
    assert reply.is_from_contact and reply.author is None and reply.contact_name == "王经理"
    assert reply.attachment_name == "批复.pdf"
    assert Notification.objects.filter(kind="service_request.replied", recipient__username="t_specialist").exists()
    download = client.get(reverse("servicedesk:contact_attachment", args=[issued_link.token, service_request.pk,
                                                                           reply.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]


def test_a_finished_request_takes_no_more_messages_from_the_contact(client, users, issued_link, service_request):
    request_change_status(actor=users["district"], request=service_request, to_status="resolved", note="已送电")
    page = client.get(detail(issued_link.token, service_request.pk)).content.decode()
    assert "该诉求已办结" in page and 'name="body"' not in page
    client.post(detail(issued_link.token, service_request.pk), {"body": "还有问题", "contact_name": "王经理"})
    assert service_request.replies.filter(is_from_contact=True).count() == 0


def test_a_tampered_token_gets_nothing(client, issued_link, service_request):
    token = issued_link.token
    for bad in [token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
                token.replace(token.split(".", 1)[0], str(int(token.split(".", 1)[0]) + 1), 1),  # other link id
                "x", links.make_token(issued_link.link.pk, "guessed-secret")]:  # well signed, wrong secret
        assert_invalid(client.get(home(bad)), "骅远", "厂房用电增容报装")
        assert_invalid(client.post(home(bad), raise_data()))
        assert_invalid(client.get(detail(bad, service_request.pk)), "厂房用电增容报装")
    assert ServiceRequest.objects.count() == 1


def test_an_expired_token_gets_nothing(client, users, project, service_request):
    past = timezone.now() - datetime.timedelta(days=10)
    issued = contact_link_create(actor=users["district"], project=project, valid_days=5, now=past)
    assert contact_link_open(issued.token, now=past + datetime.timedelta(days=4)) is not None
    assert_invalid(client.get(home(issued.token)), "骅远")
    assert_invalid(client.post(home(issued.token), raise_data()))
    assert_invalid(client.post(detail(issued.token, service_request.pk), {"body": "x", "contact_name": "王"}))
    assert ServiceRequest.objects.count() == 1 and ServiceRequestReply.objects.count() == 0


def test_a_revoked_token_gets_nothing(client, users, issued_link, service_request):
    assert client.get(home(issued_link.token)).status_code == 200
    contact_link_revoke(actor=users["district"], link=issued_link.link)
    assert_invalid(client.get(home(issued_link.token)), "骅远")
    assert_invalid(client.get(detail(issued_link.token, service_request.pk)), "厂房用电增容报装")
    assert_invalid(client.post(home(issued_link.token), raise_data()))
    assert ServiceRequest.objects.count() == 1


def test_another_projects_request_through_a_good_link_is_not_found(client, users, issued_link, other_project,
                                                                     make_request):
    theirs = make_request(project=other_project, actor=users["district2"], title="长寿区的诉求")
    from apps.servicedesk.services import request_reply
    staff_reply = request_reply(actor=users["district2"], request=theirs, body="内部答复", attachment=pdf_file())
    assert_invalid(client.get(detail(issued_link.token, theirs.pk)), "长寿区的诉求")
    assert_invalid(client.post(detail(issued_link.token, theirs.pk), {"body": "x", "contact_name": "王"}))
    assert_invalid(client.get(reverse("servicedesk:contact_attachment",
                                      args=[issued_link.token, theirs.pk, staff_reply.pk])))
    assert theirs.replies.count() == 1


def test_a_link_stops_working_when_the_revoke_and_the_post_race(users, issued_link, service_request):
    # The service re-reads the link: a form opened before the revoke cannot post after it.
    from apps.core.errors import DomainError
    from apps.servicedesk.services import request_create_by_contact

    link = issued_link.link
    contact_link_revoke(actor=users["district"], link=link)
    with pytest.raises(DomainError, match="链接已失效"):
        request_create_by_contact(link=link, category="land", title="用地", contact_name="王", contact_phone="13800138000")


def test_the_contact_pages_need_csrf(issued_link):
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(home(issued_link.token)).status_code == 200
    assert strict.post(home(issued_link.token), raise_data()).status_code == 403
    assert ServiceRequest.objects.count() == 0


@pytest.mark.parametrize("role", ["district", "district_admin", "office", "office_admin"])
def test_who_may_change_the_project_makes_and_revokes_links(client, users, project, role):
    client.force_login(users[role])
    response = client.post(reverse("servicedesk:link_create", args=[project.pk]),
                           {"contact_name": "王经理", "valid_days": "90"})
    assert response.status_code == 200
    issued = response.context["issued"]
    body = response.content.decode()
    assert issued.url in body and "<svg" in body and "链接只显示这一次" in body
    assert issued.url.startswith("http://testserver/requests/c/")
    # The URL is shown once: the project page afterwards lists the link but not its token.
    page = client.get(reverse("servicedesk:project", args=[project.pk])).content.decode()
    assert "王经理" in page and issued.token not in page
    revoke = client.post(reverse("servicedesk:link_revoke", args=[issued.link.pk]))
    assert revoke.status_code == 302
    assert client.get(home(issued.token)).status_code == 404


@pytest.mark.parametrize(("role", "status"), [("leader", 403), ("district2", 404), ("liangjiang", 404)])
def test_who_may_not_change_the_project_makes_and_revokes_no_links(client, users, project, issued_link, role, status):
    client.force_login(users[role])
    assert client.post(reverse("servicedesk:link_create", args=[project.pk]),
                       {"valid_days": "90"}).status_code == status
    assert client.post(reverse("servicedesk:link_revoke", args=[issued_link.link.pk])).status_code == status
    assert ContactLink.objects.count() == 1 and ContactLink.objects.get().revoked_at is None
