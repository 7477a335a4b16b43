"""The inbox and the robot settings pages: the permission matrix over every role, and what a person
sees and can do on each page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditLog
from apps.notifications.models import DeliveryStatus, Notification, WebhookDelivery, WebhookEndpoint
from apps.notifications.services import notify

pytestmark = pytest.mark.django_db

ROLES = ["office_admin", "office", "leader", "district", "district_admin", "district2", "specialist"]


@pytest.fixture
def world(users, units, make_user, make_endpoint, receiver):
    """A 九龙坡区 robot with one failed message; one inbox message per person; a 长寿区 admin."""
    users["district2_admin"] = make_user("t_district2_admin", "district_admin", "长寿区")
    endpoint = make_endpoint("wecom", name="九龙坡区招商工作群")
    notify(kind="x.y", title="群消息", units=[units["九龙坡区"]])
    failed = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=failed.pk).update(status=DeliveryStatus.FAILED, attempts=5,
                                                        last_error="平台返回错误 93000：invalid webhook url",
                                                        last_attempt_at=timezone.now())
    for who, user in users.items():
        notify(kind="x.y", title=f"给{who}的通知", url="/projects/", users=[user])
    return {"endpoint": endpoint, "failed": failed}


def request(client, page: str, who: str, users, world, receiver):
    """Perform ``page`` as ``who``; returns the response."""
    user = users[who]
    own = Notification.objects.get(recipient=user)
    other = Notification.objects.exclude(recipient=user).first()
    endpoint, failed = world["endpoint"], world["failed"]
    unit = user.unit if user.unit.name != "驻京办" else endpoint.unit
    form = {"unit": unit.pk, "platform": "dingtalk", "name": f"{who}的群", "is_active": "on",
            "url": f"http://127.0.0.1:{receiver.port}/robot/send?access_token={who}"}
    calls = {
        "inbox": lambda: client.get(reverse("notifications:inbox")),
        "inbox_unread": lambda: client.get(reverse("notifications:inbox") + "?unread=1"),
        "read_own": lambda: client.post(reverse("notifications:read", args=[own.pk])),
        "read_other": lambda: client.post(reverse("notifications:read", args=[other.pk])),
        "open_own": lambda: client.get(reverse("notifications:open", args=[own.pk])),
        "open_other": lambda: client.get(reverse("notifications:open", args=[other.pk])),
        "read_all": lambda: client.post(reverse("notifications:read_all")),
        "webhooks": lambda: client.get(reverse("notifications:webhooks")),
        "create_form": lambda: client.get(reverse("notifications:webhook_create")),
        "create": lambda: client.post(reverse("notifications:webhook_create"), form),
        "edit_form": lambda: client.get(reverse("notifications:webhook_edit", args=[endpoint.pk])),
        "edit": lambda: client.post(reverse("notifications:webhook_edit", args=[endpoint.pk]),
                                    {"name": "改名", "is_active": "on"}),
        "test": lambda: client.post(reverse("notifications:webhook_test", args=[endpoint.pk])),
        "retry": lambda: client.post(reverse("notifications:delivery_retry", args=[failed.pk])),
    }
    client.force_login(user)
    return calls[page]()


# who: office_admin, office, leader, district, district_admin, district2, specialist, + a 长寿区 admin
MATRIX = {
    "inbox":        [200, 200, 200, 200, 200, 200, 200, 200],
    "inbox_unread": [200, 200, 200, 200, 200, 200, 200, 200],
    "read_own":     [302, 302, 302, 302, 302, 302, 302, 302],
    "read_other":   [404, 404, 404, 404, 404, 404, 404, 404],
    "open_own":     [302, 302, 302, 302, 302, 302, 302, 302],
    "open_other":   [404, 404, 404, 404, 404, 404, 404, 404],
    "read_all":     [302, 302, 302, 302, 302, 302, 302, 302],
    "webhooks":     [200, 403, 200, 403, 200, 403, 403, 200],
    "create_form":  [200, 403, 403, 403, 200, 403, 403, 200],
    "create":       [302, 403, 403, 403, 302, 403, 403, 302],
    "edit_form":    [200, 403, 403, 403, 200, 403, 403, 404],
    "edit":         [302, 403, 403, 403, 302, 403, 403, 404],
    "test":         [302, 403, 403, 403, 302, 403, 403, 404],
    "retry":        [302, 403, 403, 403, 302, 403, 403, 404],
}
CASES = [(page, who, status) for page, row in MATRIX.items()
         for who, status in zip([*ROLES, "district2_admin"], row, strict=True)]


@pytest.mark.parametrize("page, who, status", CASES, ids=[f"{p}-{w}" for p, w, _s in CASES])
def test_permission_matrix(client, users, world, receiver, page, who, status):
    endpoint, failed = world["endpoint"], world["failed"]
    response = request(client, page, who, users, world, receiver)

    assert response.status_code == status
    if status in (403, 404):
        # A refusal changed nothing and told nothing.
        endpoint.refresh_from_db()
        failed.refresh_from_db()
        assert endpoint.name == "九龙坡区招商工作群" and failed.status == DeliveryStatus.FAILED
        assert WebhookEndpoint.objects.count() == 1 and WebhookDelivery.objects.count() == 1
        assert receiver.requests == []
        if status == 404:
            assert "九龙坡区招商工作群" not in response.content.decode()
    if page == "read_other":
        assert not Notification.objects.filter(read_at__isnull=False).exists()


@pytest.mark.parametrize("page", list(MATRIX))
def test_anonymous_is_sent_to_login(client, users, world, page):
    endpoint, failed = world["endpoint"], world["failed"]
    own = Notification.objects.first()
    urls = {
        "inbox": ("get", reverse("notifications:inbox")), "inbox_unread": ("get", reverse("notifications:inbox")),
        "read_own": ("post", reverse("notifications:read", args=[own.pk])),
        "read_other": ("post", reverse("notifications:read", args=[own.pk])),
        "open_own": ("get", reverse("notifications:open", args=[own.pk])),
        "open_other": ("get", reverse("notifications:open", args=[own.pk])),
        "read_all": ("post", reverse("notifications:read_all")),
        "webhooks": ("get", reverse("notifications:webhooks")),
        "create_form": ("get", reverse("notifications:webhook_create")),
        "create": ("post", reverse("notifications:webhook_create")),
        "edit_form": ("get", reverse("notifications:webhook_edit", args=[endpoint.pk])),
        "edit": ("post", reverse("notifications:webhook_edit", args=[endpoint.pk])),
        "test": ("post", reverse("notifications:webhook_test", args=[endpoint.pk])),
        "retry": ("post", reverse("notifications:delivery_retry", args=[failed.pk])),
    }
    method, url = urls[page]
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert not Notification.objects.filter(read_at__isnull=False).exists()


# --- the inbox ---------------------------------------------------------------------------------------

def test_inbox_lists_unread_first_and_marks_them(client, users):
    user = users["district"]
    old = notify(kind="x.y", title="旧的未读", users=[user])[0]
    read = notify(kind="x.y", title="已读的新通知", users=[user])[0]
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    notify(kind="x.y", title="别人的通知", users=[users["district2"]])
    client.force_login(user)

    html = client.get(reverse("notifications:inbox")).content.decode()

    assert html.index("旧的未读") < html.index("已读的新通知") and "别人的通知" not in html
    assert "1 条未读" in html and f'id="notification-{old.pk}"' in html
    unread_only = client.get(reverse("notifications:inbox") + "?unread=1").content.decode()
    assert "旧的未读" in unread_only and "已读的新通知" not in unread_only


def test_marking_one_read_with_htmx_returns_the_row(client, users):
    row = notify(kind="x.y", title="请阅", users=[users["district"]])[0]
    client.force_login(users["district"])

    response = client.post(reverse("notifications:read", args=[row.pk]), headers={"HX-Request": "true"})

    assert response.status_code == 200 and "请阅" in response.content.decode() and "标为已读" not in response.content.decode()
    row.refresh_from_db()
    assert row.read_at is not None


def test_opening_a_message_marks_it_read_and_goes_to_its_page_but_never_off_site(client, users):
    inside = notify(kind="x.y", title="项目", url="/projects/", users=[users["district"]])[0]
    outside = notify(kind="x.y", title="外链", url="https://evil.example.com/", users=[users["district"]])[0]
    client.force_login(users["district"])

    assert client.get(reverse("notifications:open", args=[inside.pk])).url == "/projects/"
    assert client.get(reverse("notifications:open", args=[outside.pk])).url == reverse("notifications:inbox")
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_read_all_marks_only_ones_own(client, users):
    notify(kind="x.y", title="甲", users=[users["district"], users["district2"]])
    notify(kind="x.y", title="乙", users=[users["district"]])
    client.force_login(users["district"])

    response = client.post(reverse("notifications:read_all"), follow=True)

    assert "已将 2 条通知标记为已读" in response.content.decode()
    assert Notification.objects.get(recipient=users["district2"]).read_at is None


def test_bell_shows_unread_and_failed_counts_to_those_concerned(users, world, rf):
    from django.template import Context, Template

    template = Template("{% load notification_tags %}{% notification_bell %}")

    def bell(who):
        request = rf.get("/")
        request.user = users[who]
        return template.render(Context({"request": request}))

    assert '>1</span>' in bell("district") and "群消息失败" not in bell("district")
    assert "群消息失败 1" in bell("district_admin") and "群消息失败 1" in bell("office_admin")
    assert "群消息失败" not in bell("district2_admin")  # not their unit's robot


# --- the robot settings ------------------------------------------------------------------------------

def test_the_log_highlights_failures_with_status_attempts_and_error_and_masks_the_address(client, users, world):
    client.force_login(users["leader"])

    html = client.get(reverse("notifications:webhooks")).content.decode()

    failed = world["failed"]
    row = html.split(f'<tr id="delivery-{failed.pk}"', 1)[1].split("</tr>", 1)[0]
    assert row.startswith(' class="table-danger"')
    assert "失败" in row and "<td>5</td>" in row and "平台返回错误 93000：invalid webhook url" in row
    # The leader reads only.
    assert "重新发送" not in row and reverse("notifications:webhook_edit", args=[world["endpoint"].pk]) not in html
    assert world["endpoint"].url not in html and "693a…5aaa" in html


def test_district_admin_adds_a_robot_for_their_own_unit_only(client, users, units, receiver):
    client.force_login(users["district_admin"])
    form = client.get(reverse("notifications:webhook_create")).content.decode()
    assert "九龙坡区" in form and "长寿区" not in form

    data = {"unit": units["九龙坡区"].pk, "platform": "dingtalk", "name": "九龙坡区领导群", "is_active": "on",
            "url": receiver.url("dingtalk"), "secret": "SECabcdef"}
    assert client.post(reverse("notifications:webhook_create"), data).status_code == 302
    endpoint = WebhookEndpoint.objects.get(name="九龙坡区领导群")
    assert endpoint.secret == "SECabcdef" and endpoint.created_by == users["district_admin"]
    log = AuditLog.objects.filter(model="notifications.webhookendpoint").latest("id")
    assert log.changes["secret"] == [None, "已设置"] and "4c8b…c6d5" in log.changes["url"][1]

    other = client.post(reverse("notifications:webhook_create"), data | {"unit": units["长寿区"].pk, "name": "x"})
    assert other.status_code == 200 and "单位：所选的值不是可选项" in other.content.decode()
    assert not WebhookEndpoint.objects.filter(unit=units["长寿区"]).exists()


def test_a_wrong_address_is_shown_next_to_the_field(client, users, units):
    client.force_login(users["office_admin"])
    data = {"unit": units["长寿区"].pk, "platform": "wecom", "name": "长寿区群", "is_active": "on",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=abc"}

    response = client.post(reverse("notifications:webhook_create"), data)

    assert response.status_code == 200
    assert "Webhook 地址：“oapi.dingtalk.com”不是企业微信群机器人的地址" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_editing_keeps_the_address_and_secret_unless_given_and_can_disable(client, users, world):
    endpoint = world["endpoint"]
    client.force_login(users["district_admin"])
    page = client.get(reverse("notifications:webhook_edit", args=[endpoint.pk])).content.decode()
    assert endpoint.url not in page and "留空则保持不变" in page

    response = client.post(reverse("notifications:webhook_edit", args=[endpoint.pk]), {"name": "九龙坡区招商群"})

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.name == "九龙坡区招商群" and not endpoint.is_active and endpoint.url.endswith("0ec2sifa5aaa")
    notify(kind="x.y", title="停用后", units=[endpoint.unit])
    assert not WebhookDelivery.objects.filter(title="停用后").exists()


def test_the_test_button_sends_now_and_says_how_it_went(client, users, world, receiver):
    from apps.notifications.tests.conftest import Answer

    client.force_login(users["office_admin"])
    url = reverse("notifications:webhook_test", args=[world["endpoint"].pk])

    ok = client.post(url, follow=True).content.decode()
    receiver.answer(Answer(body={"errcode": 93000, "errmsg": "invalid webhook url"}))
    bad = client.post(url, follow=True).content.decode()

    assert "测试消息已发送到“九龙坡区招商工作群”" in ok
    assert "测试消息发送失败：平台返回错误 93000：invalid webhook url" in bad
    assert receiver.requests[0].body["markdown"]["content"].startswith("**测试消息：九龙坡区招商工作群**")


def test_retrying_a_failed_message_sends_it_again(client, users, world, receiver, django_capture_on_commit_callbacks):
    client.force_login(users["district_admin"])
    failed = world["failed"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:delivery_retry", args=[failed.pk]), follow=True)

    assert "已安排重新发送“群消息”" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT and failed.attempts == 1 and len(receiver.requests) == 1
    again = client.post(reverse("notifications:delivery_retry", args=[failed.pk]), follow=True)
    assert "只有发送失败的消息可以重新发送" in again.content.decode()


def test_robot_page_is_a_bounded_number_of_queries(client, users, world, django_assert_max_num_queries, units):
    for _ in range(5):
        notify(kind="x.y", title="多条", units=[units["九龙坡区"]])
    client.force_login(users["office_admin"])
    client.get(reverse("notifications:webhooks"))  # warm the session and scope

    with django_assert_max_num_queries(12):
        assert client.get(reverse("notifications:webhooks")).status_code == 200
