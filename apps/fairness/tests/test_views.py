import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.fairness import services
from apps.fairness.models import FairnessFlag, FlagStatus

pytestmark = pytest.mark.django_db

TERMS = "甲方协助乙方办理项目立项手续。甲方对乙方实行企业所得税先征后返。甲方以零地价向乙方供应项目用地。"


def login(client, user):
    # force_login: the sign-in form and its lockout (django-axes) are apps.accounts' tests, not these.
    client.force_login(user)
    return client


@pytest.fixture
def flags(make_project):
    project = make_project(unit_name="九龙坡区")
    return services.flags_refresh(obj=project, texts={"terms": TERMS})


def docx_bytes(*paragraphs, table=None) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=1, cols=len(table))
        for cell, text in zip(grid.rows[0].cells, table, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_anonymous_is_sent_to_login(client):
    for name in ("fairness:queue", "fairness:check"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_office_queue_shows_highlighted_sentence_article_and_form(client, users, flags):
    response = login(client, users["office"]).get(reverse("fairness:queue"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "甲方对乙方实行企业所得税<mark class=\"px-0\">先征后返</mark>。" in html
    assert "第十条第（一）项" in html and "第十条第（三）项" in html
    assert html.count('name="note"') == 2
    assert "共 2 条" in html


def test_queue_is_one_query_plus_a_bounded_number(client, users, make_project, django_assert_max_num_queries):
    for _ in range(5):
        services.flags_refresh(obj=make_project(), texts={"terms": TERMS})
    login(client, users["office"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("fairness:queue"))
    assert response.content.decode().count("fairness-flag\"") == 10


def test_leader_and_district_see_but_cannot_review(client, users, flags):
    for role in ("leader", "district"):
        html = login(client, users[role]).get(reverse("fairness:queue")).content.decode()
        assert '<mark class="px-0">先征后返</mark>' in html and 'name="note"' not in html
        response = client.post(reverse("fairness:flag", args=[flags[0].pk]),
                               {"status": FlagStatus.CLEARED, "note": "无问题"})
        assert response.status_code == 403
        client.logout()
    assert FairnessFlag.objects.get(pk=flags[0].pk).status == FlagStatus.OPEN


def test_another_district_gets_404_and_an_empty_queue(client, users, flags):
    login(client, users["district2"])
    assert client.get(reverse("fairness:flag", args=[flags[0].pk])).status_code == 404
    assert client.post(reverse("fairness:flag", args=[flags[0].pk]),
                       {"status": FlagStatus.CLEARED, "note": "x"}).status_code == 404
    assert "实行企业所得税" not in client.get(reverse("fairness:queue")).content.decode()


def test_office_reviews_a_flag_and_it_leaves_the_queue(client, users, flags):
    login(client, users["office"])
    url = reverse("fairness:flag", args=[flags[0].pk])
    response = client.post(url, {"status": FlagStatus.CLEARED, "note": ""})
    assert response.status_code == 200
    assert "请填写审查意见" in response.content.decode()
    response = client.post(url, {"status": FlagStatus.CLEARED, "note": "经核实依据国务院批准的专项政策。"},
                           follow=True)
    assert "已记录审查结论" in response.content.decode()
    assert "实行企业所得税" not in response.content.decode()
    assert FairnessFlag.objects.get(pk=flags[0].pk).status == FlagStatus.CLEARED
    html = client.get(reverse("fairness:queue") + "?status=cleared").content.decode()
    assert "经核实依据国务院批准的专项政策。" in html


def test_check_page_highlights_pasted_terms_and_stores_nothing(client, users):
    login(client, users["district"])
    response = client.post(reverse("fairness:check"), {"text": TERMS})
    html = response.content.decode()
    assert response.status_code == 200
    assert "发现 2 处需要注意的表述" in html
    assert "<mark title=\"第十条第（一）项：税收返还\">先征后返</mark>" in html
    assert FairnessFlag.objects.count() == 0


def test_check_page_reads_a_docx_upload_including_tables(client, users):
    login(client, users["leader"])
    data = docx_bytes("第三条 甲方给予乙方的支持", "甲方以零地价向乙方供应项目用地。",
                      table=["优惠事项", "免收乙方城市基础设施配套费"])
    upload = SimpleUploadedFile("协议草案.docx", data)
    html = client.post(reverse("fairness:check"), {"file": upload}).content.decode()
    assert "零地价" in html and "第十条第（三）项" in html
    assert "免收乙方城市基础设施配套费" in html
    assert "发现 2 处需要注意的表述" in html


def test_check_page_refuses_a_file_that_is_not_really_docx(client, users):
    login(client, users["office"])
    fake = SimpleUploadedFile("协议草案.docx", "甲方对乙方实行税收返还。".encode())
    html = client.post(reverse("fairness:check"), {"file": fake}).content.decode()
    assert "不是有效的 .docx 文件" in html
    doc = SimpleUploadedFile("协议草案.doc", b"\xd0\xcf\x11\xe0old word")
    assert "仅支持 .docx" in client.post(reverse("fairness:check"), {"file": doc}).content.decode()
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not word")
    zipped = SimpleUploadedFile("协议草案.docx", buffer.getvalue())
    assert "没有 Word 正文" in client.post(reverse("fairness:check"), {"file": zipped}).content.decode()


def test_check_page_refuses_an_oversized_upload_and_empty_input(client, users, monkeypatch):
    from apps.fairness import forms

    login(client, users["office"])
    monkeypatch.setattr(forms, "MAX_UPLOAD", 1000)
    big = SimpleUploadedFile("协议草案.docx", docx_bytes("甲方对乙方实行税收返还。" * 200))
    assert "文件超过 5MB" in client.post(reverse("fairness:check"), {"file": big}).content.decode()
    assert "请粘贴条款文字，或上传 .docx 文件" in client.post(reverse("fairness:check"), {"text": " "}).content.decode()


def test_flags_partial_renders_an_objects_flags(users, flags):
    from django.template.loader import render_to_string

    html = render_to_string("fairness/partials/flags.html", {"flags": flags})
    assert "公平竞争审查提示" in html and "不影响保存" in html
    assert "<mark class=\"px-0\">零地价</mark>" in html
    assert reverse("fairness:flag", args=[flags[1].pk]) in html
    assert render_to_string("fairness/partials/flags.html", {"flags": []}).strip() == ""


def test_flag_page_shows_the_review_form_to_the_office_only(client, users, flags):
    url = reverse("fairness:flag", args=[flags[1].pk])
    html = login(client, users["office_admin"]).get(url).content.decode()
    assert "《公平竞争审查条例》第十条第（三）项" in html and 'name="note"' in html
    client.logout()
    html = login(client, users["district"]).get(url).content.decode()
    assert "您可以查看，不能审查" in html and 'name="note"' not in html


def test_check_page_says_so_when_nothing_is_found(client, users):
    login(client, users["district"])
    assert "国务院令第783号" in client.get(reverse("fairness:check")).content.decode()
    html = client.post(reverse("fairness:check"), {"text": "乙方依法享受国家统一的税收优惠政策。"}).content.decode()
    assert "发现 0 处" in html and "这不代表条款一定合规" in html
