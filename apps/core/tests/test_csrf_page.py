"""A form sent without its CSRF token (left open across a new sign-in, kept from yesterday, or forged by another
site) is refused before anything is saved, with a page that says so in the reader's language — not Django's English
technical page. The access matrix (tests/test_access_matrix.py) checks the refusal on every write route."""

from django.test import Client

from apps.organisations.models import Organisation

NAME = "过期表单测试科技(北京)有限公司"


def _strict(user, language="zh-hans"):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies["django_language"] = language  # the footer's language switch
    return client


def test_a_form_without_its_token_is_told_in_chinese_and_nothing_is_saved(users):
    response = _strict(users["office"]).post("/organisations/new/", {"name": NAME, "kind": "enterprise"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "页面已过期，刚才的提交没有保存" in text and "刷新后重新填写提交" in text
    assert 'lang="zh-hans"' in text
    assert not Organisation.objects.filter(name=NAME).exists()


def test_in_english_the_page_is_english(users):
    response = _strict(users["office"], "en").post("/organisations/new/", {"name": NAME, "kind": "enterprise"})
    assert response.status_code == 403
    text = response.content.decode()
    assert 'lang="en"' in text and "页面已过期" not in text
    assert not Organisation.objects.filter(name=NAME).exists()


def test_with_its_token_the_same_form_goes_through(users):
    client = _strict(users["office"])
    page = client.get("/organisations/new/")
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
    response = client.post("/organisations/new/", {"name": NAME, "kind": "enterprise", "csrfmiddlewaretoken": token})
    assert response.status_code != 403
