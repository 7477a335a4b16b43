"""我的工作 (core:home)."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from apps.activities.models import Activity
from apps.activities.services import activity_create


def _due_activity(actor, project, *, due_in_days: int, step: str):
    today = timezone.localdate()
    return activity_create(
        actor=actor, project=project, date=today - datetime.timedelta(days=20), summary="首次拜访，介绍重庆政策。",
        next_step=step, next_step_due=today + datetime.timedelta(days=due_in_days),
    )


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_district_sees_own_projects_due_steps_counts_and_shortcuts(client, users, make_project):
    project = make_project(actor=users["district"], name="骅远人工智能数据安全中心",
                           planned_investment=Decimal("500000000"))
    overdue = _due_activity(users["district"], project, due_in_days=-2, step="寄送园区资料")
    soon = _due_activity(users["district"], project, due_in_days=3, step="约定实地考察时间")
    client.force_login(users["district"])

    response = client.get(reverse("core:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "我的工作" in html
    assert "骅远人工智能数据安全中心" in html and "5亿元" in html
    assert "寄送园区资料" in html and "已逾期" in html
    assert html.index("寄送园区资料") < html.index("约定实地考察时间")  # overdue first
    assert reverse("activities:done", args=[overdue.pk]) in html
    assert reverse("activities:done", args=[soon.pk]) in html
    assert ">完成<" in html
    assert f'{reverse("projects:list")}?stage=lead' in html
    for shortcut in ["登记项目", "登记企业", "记录走访"]:
        assert shortcut in html


def test_done_button_completes_the_step_and_returns_home(client, users, make_project):
    project = make_project(actor=users["district"])
    activity = _due_activity(users["district"], project, due_in_days=1, step="回复投资意向")
    client.force_login(users["district"])

    response = client.post(reverse("activities:done", args=[activity.pk]), {"next": reverse("core:home")})

    assert response.status_code == 302 and response.url == reverse("core:home")
    assert Activity.objects.get(pk=activity.pk).next_step_done is True
    home = client.get(reverse("core:home")).content.decode()
    assert "已将“回复投资意向”标记为完成。" in home
    assert f'id="next-step-{activity.pk}"' not in home


def test_other_districts_projects_and_steps_do_not_appear(client, users, make_project):
    project = make_project(actor=users["district"], name="九龙坡区的保密项目")
    _due_activity(users["district"], project, due_in_days=1, step="九龙坡区的下一步")
    client.force_login(users["district2"])

    html = client.get(reverse("core:home")).content.decode()

    assert "九龙坡区的保密项目" not in html
    assert "九龙坡区的下一步" not in html


def test_leader_sees_counts_and_projects_read_only(client, users, make_project):
    make_project(actor=users["district"], name="领导可见的项目")
    make_project(actor=users["district2"], unit_name="长寿区", name="另一区县项目")
    client.force_login(users["leader"])

    response = client.get(reverse("core:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "各阶段项目（共2个）" in html
    assert "领导可见的项目" in html and "另一区县项目" in html
    assert "只读" in html
    assert ">完成<" not in html
    assert reverse("projects:create") not in html
    assert reverse("organisations:create") not in html
    assert reverse("activities:create") not in html
