"""Sign-in, sign-out, password change, the audit of sign-ins, and the admin site."""

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.audit.models import AuditAction, AuditLog


def test_login_page_shows_site_title_and_django_labels(client, db):
    response = client.get(reverse("accounts:login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "双招双引工作平台" in html
    assert ">用户名" in html and ">密码" in html
    assert '<button type="submit" class="btn btn-primary w-100">登录</button>' in html
    assert "demo-password" not in html


def test_login_page_lists_demo_accounts_in_demo(client, db, settings):
    settings.DEMO = True

    html = client.get(reverse("accounts:login")).content.decode()

    for username in ["demo_office", "demo_district", "demo_district_admin", "demo_district2", "demo_specialist", "demo_leader",
                     "demo_admin"]:
        assert username in html
    assert "demo-password" in html


def test_login_signs_in_and_is_audited(client, make_user):
    user = make_user("demo_district", "district_staff", "九龙坡区")

    response = client.post(reverse("accounts:login"), {"username": "demo_district", "password": "pw-for-tests-1"})

    assert response.status_code == 302 and response.url == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200
    row = AuditLog.objects.get(action=AuditAction.LOGIN)
    assert row.actor == user and row.model == "accounts.user" and row.object_id == str(user.pk)


def test_login_follows_next(client, make_user):
    make_user("someone", "office_staff", "驻京办")
    url = reverse("organisations:list")

    response = client.post(f"{reverse('accounts:login')}?next={url}",
                           {"username": "someone", "password": "pw-for-tests-1", "next": url})

    assert response.status_code == 302 and response.url == url


def test_wrong_password_is_refused_in_chinese_and_audited(client, make_user):
    make_user("demo_district", "district_staff", "九龙坡区")

    response = client.post(reverse("accounts:login"), {"username": "demo_district", "password": "wrong"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in html
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:home")).status_code == 302
    row = AuditLog.objects.get(action=AuditAction.LOGIN_FAILED)
    assert row.actor is None and "demo_district" in row.note
    assert "wrong" not in row.note
    assert not AuditLog.objects.filter(action=AuditAction.LOGIN).exists()


def test_empty_login_names_the_fields(client, db):
    html = client.post(reverse("accounts:login"), {"username": "", "password": ""}).content.decode()

    assert "请填写用户名。" in html and "请填写密码。" in html
    assert not AuditLog.objects.exists()


def test_logout_is_post_only(client, users):
    client.force_login(users["district"])

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("core:home")).status_code == 200

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert "您已退出登录。" in client.get(response.url).content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_password_change_requires_login(client, db):
    response = client.get(reverse("accounts:password_change"))

    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_password_change_works(client, users):
    client.force_login(users["district"])
    assert "旧密码" in client.get(reverse("accounts:password_change")).content.decode()

    response = client.post(reverse("accounts:password_change"), {
        "old_password": "pw-for-tests-1", "new_password1": "Chongqing-2025-new", "new_password2": "Chongqing-2025-new",
    })

    assert response.status_code == 302 and response.url == reverse("accounts:password_change_done")
    assert "密码已修改" in client.get(response.url).content.decode()
    user = User.objects.get(pk=users["district"].pk)
    assert user.check_password("Chongqing-2025-new")
    assert not user.check_password("pw-for-tests-1")


def test_password_change_with_wrong_old_password_changes_nothing(client, users):
    client.force_login(users["leader"])  # every role, the leader too, may change their own password

    response = client.post(reverse("accounts:password_change"), {
        "old_password": "not-it", "new_password1": "Chongqing-2025-new", "new_password2": "Chongqing-2025-new",
    })

    assert response.status_code == 200
    assert "你的旧密码不正确" in response.content.decode()
    assert User.objects.get(pk=users["leader"].pk).check_password("pw-for-tests-1")


@pytest.mark.parametrize("model", [
    "accounts/user", "accounts/apitoken", "units/unit", "organisations/organisation", "organisations/person",
    "projects/project", "projects/stagechange", "activities/activity",
])
def test_admin_pages_open_for_staff(client, db, model, make_project, users):
    project = make_project()
    admin = User.objects.create_superuser("t_admin", password="pw-for-tests-1")
    client.force_login(admin)

    assert client.get(f"/admin/{model}/").status_code == 200
    if model == "projects/project":
        html = client.get(f"/admin/projects/project/{project.pk}/change/").content.decode()
        assert 'name="stage"' not in html  # stage moves only through the app


def test_admin_is_closed_to_non_staff(client, users):
    client.force_login(users["office"])

    response = client.get("/admin/units/unit/")

    assert response.status_code == 302 and "/admin/login/" in response.url
