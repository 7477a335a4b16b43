def test_pages_are_chinese_even_for_an_english_browser(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


def test_english_when_chosen(client):
    client.cookies["django_language"] = "en"
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "en"


def test_denied_page_says_why_in_chinese(client, users, make_project):
    project = make_project(actor=users["district"])
    client.force_login(users["leader"])
    response = client.get(f"/projects/{project.pk}/edit/")
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


def test_hidden_record_page_is_a_chinese_404(client, users, make_project):
    project = make_project(actor=users["district"], name="机密的九龙坡项目")
    client.force_login(users["district2"])
    response = client.get(f"/projects/{project.pk}/")
    body = response.content.decode()
    assert response.status_code == 404 and "找不到该记录" in body and "机密的九龙坡项目" not in body
