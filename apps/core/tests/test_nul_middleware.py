"""A NUL character in an API request's text is refused with a 400 before it can reach PostgreSQL (which
cannot store it); the same bytes inside an uploaded file, or the six characters \\u0000 typed as text, pass."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.testing import bearer

pytestmark = pytest.mark.django_db
CHECK = "/api/v1/fairness/check"


def test_nul_in_json_form_fields_and_the_query_is_refused(client, users):
    headers = bearer(client, users["office"])
    as_json = client.post(CHECK, json.dumps({"text": "甲方\u0000乙方"}), content_type="application/json", headers=headers)
    assert as_json.status_code == 400 and as_json.json()["code"] == "nul_character"
    as_form = client.post(CHECK, "text=%E7%94%B2%00", content_type="application/x-www-form-urlencoded",
                          headers=headers)
    assert as_form.status_code == 400 and "空字符" in as_form.json()["detail"]
    assert client.get("/api/v1/organisations?q=%E9%AA%85%00", headers=headers).status_code == 400


def test_the_escape_typed_as_text_and_nul_bytes_in_a_file_pass(client, users):
    headers = bearer(client, users["office"])
    typed = client.post(CHECK, json.dumps({"text": "字面上的 \\u0000 不是空字符"}), content_type="application/json",
                        headers=headers)
    assert typed.status_code == 200
    upload = SimpleUploadedFile("纪要.docx", b"PK\x03\x04\x00\x00binary", content_type="application/octet-stream")
    passed = client.post(CHECK, {"file": upload}, headers=headers)
    assert passed.status_code != 400 or passed.json().get("code") != "nul_character"


def test_a_nul_in_a_multipart_text_field_is_never_a_500(client, users, make_project):
    from django.db import connection

    from apps.servicedesk.models import ServiceRequestReply
    from apps.servicedesk.services import request_create

    request = request_create(actor=users["office"], project=make_project(), category="land", title="用地指标")
    response = client.post(f"/api/v1/service-requests/{request.pk}/replies", {"body": "已受理\x00"},
                           headers=bearer(client, users["office"]))
    if connection.vendor == "postgresql":
        # PostgreSQL refuses the text; the reply is not stored and the caller is told why.
        assert response.status_code == 400 and response.json()["code"] == "nul_character"
        assert not ServiceRequestReply.objects.exists()
    else:
        assert response.status_code == 201  # SQLite stores it as typed
