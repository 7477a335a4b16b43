"""Work-group robot messages delivered to a real local HTTP receiver: each platform's exact message and
signature, the platforms' error answers, a 500 and a hang retried with backoff and recorded — and the
person's own action committed whatever the robot does. Clocks move by passing ``now``; nothing sleeps
except the hanging receiver, which is cut off by a 0.5 s timeout."""

import base64
import datetime
import hashlib
import hmac

import pytest
from django.db import transaction
from django.utils import timezone

from apps.activities.models import Activity
from apps.activities.services import activity_create
from apps.notifications.delivery import deliver, retry_due
from apps.notifications.models import DeliveryStatus, Notification, WebhookDelivery
from apps.notifications.services import notify
from apps.notifications.tasks import deliver_webhook
from apps.notifications.tests.conftest import Answer

pytestmark = pytest.mark.django_db

LINK = "https://zsj.example.gov.cn/projects/42/"
MINUTE = datetime.timedelta(minutes=1)


def announce(units, **overrides):
    values = {"kind": "project.stage_changed", "title": "骅远人工智能数据安全中心进入签约阶段",
              "body": "九龙坡区 · 已签约 · 计划投资5亿元", "url": "/projects/42/", "units": units}
    notify(**(values | overrides))
    return WebhookDelivery.objects.order_by("-id").first()


def test_wecom_receives_its_markdown_message(make_endpoint, receiver, units):
    make_endpoint("wecom")
    row = deliver(announce([units["九龙坡区"]]))

    assert row.status == DeliveryStatus.SENT and row.attempts == 1 and row.last_status_code == 200
    [request] = receiver.requests
    assert request.path == "/cgi-bin/webhook/send"
    assert request.query == {"key": ["693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"]}
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.body == {"msgtype": "markdown", "markdown": {"content": (
        "**骅远人工智能数据安全中心进入签约阶段**\n九龙坡区 · 已签约 · 计划投资5亿元\n"
        f"[查看详情]({LINK})\n<font color=\"comment\">双招双引工作平台</font>")}}


def test_dingtalk_receives_markdown_with_a_signature_that_verifies(make_endpoint, receiver, units):
    secret = "SEC1b3f6c0e2d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2"
    make_endpoint("dingtalk", secret=secret)
    row = announce([units["九龙坡区"]])
    now = timezone.now()
    row = deliver(row, now=now)

    assert row.status == DeliveryStatus.SENT
    [request] = receiver.requests
    assert request.body == {"msgtype": "markdown", "markdown": {
        "title": "骅远人工智能数据安全中心进入签约阶段",
        "text": ("#### 骅远人工智能数据安全中心进入签约阶段\n\n九龙坡区 · 已签约 · 计划投资5亿元\n\n"
                 f"[查看详情]({LINK})\n\n—— 双招双引工作平台")}}
    # The robot's own check: access_token kept, timestamp in milliseconds, sign = HMAC-SHA256 keyed
    # with the secret over "timestamp\nsecret" (parse_qs has already undone the URL-encoding).
    assert request.query["access_token"] == ["4c8bd8f1b0b5c1e3a7e1d0f9a8b7c6d5"]
    [timestamp], [sign] = request.query["timestamp"], request.query["sign"]
    assert int(timestamp) == int(now.timestamp() * 1000)
    expected = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    assert base64.b64decode(sign) == expected


def test_dingtalk_without_secret_sends_no_signature(make_endpoint, receiver, units):
    make_endpoint("dingtalk")
    deliver(announce([units["九龙坡区"]]))

    assert set(receiver.requests[0].query) == {"access_token"}


def test_feishu_receives_a_rich_text_post_with_a_body_signature_that_verifies(make_endpoint, receiver, units):
    secret = "qG7pWc3Xy9LzR2mN5vB8"
    make_endpoint("feishu", secret=secret)
    row = announce([units["九龙坡区"]])
    now = timezone.now()
    row = deliver(row, now=now)

    assert row.status == DeliveryStatus.SENT
    [request] = receiver.requests
    assert request.path == "/open-apis/bot/v2/hook/0f9e3c2a-58b1-4b7e-9d6a-2c1f4e5d6a7b" and request.query == {}
    body = dict(request.body)
    timestamp, sign = body.pop("timestamp"), body.pop("sign")
    assert body == {"msg_type": "post", "content": {"post": {"zh_cn": {
        "title": "骅远人工智能数据安全中心进入签约阶段",
        "content": [[{"tag": "text", "text": "九龙坡区 · 已签约 · 计划投资5亿元"}],
                    [{"tag": "a", "text": "查看详情", "href": LINK}],
                    [{"tag": "text", "text": "—— 双招双引工作平台"}]]}}}}
    # Feishu's check: timestamp in seconds as a string; HMAC-SHA256 keyed with "timestamp\nsecret" over b"".
    assert timestamp == str(int(now.timestamp()))
    assert base64.b64decode(sign) == hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()


def test_feishu_old_style_success_answer_counts_as_sent(make_endpoint, receiver, units):
    make_endpoint("feishu")
    receiver.answer(Answer(body={"Extra": None, "StatusCode": 0, "StatusMessage": "success"}))

    assert deliver(announce([units["九龙坡区"]])).status == DeliveryStatus.SENT
    assert "sign" not in receiver.requests[0].body


@pytest.mark.parametrize("platform, answer, error", [
    ("wecom", {"errcode": 93000, "errmsg": "invalid webhook url"}, "平台返回错误 93000：invalid webhook url"),
    ("dingtalk", {"errcode": 310000, "errmsg": "sign not match"}, "平台返回错误 310000：sign not match"),
    ("feishu", {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"},
     "平台返回错误 19021：sign match fail or timestamp is not within one hour from current time"),
])
def test_an_error_code_in_a_200_answer_is_a_failure_with_the_platforms_message(
        make_endpoint, receiver, units, platform, answer, error):
    make_endpoint(platform, secret="SECabc" if platform == "dingtalk" else "")
    receiver.answer(Answer(status=200, body=answer))
    row = announce([units["九龙坡区"]])
    now = timezone.now()

    row = deliver(row, now=now)

    assert row.status == DeliveryStatus.PENDING and row.attempts == 1
    assert row.last_error == error and row.last_status_code == 200
    assert row.next_attempt_at == now + MINUTE


def test_a_failing_receiver_is_retried_with_backoff_then_marked_failed(make_endpoint, receiver, units):
    make_endpoint("wecom")
    receiver.answer(*[Answer(status=500, body=b"upstream exploded")] * 5)
    row = announce([units["九龙坡区"]])
    t0 = timezone.now()

    row = deliver(row, now=t0)
    assert (row.status, row.attempts, row.last_status_code) == (DeliveryStatus.PENDING, 1, 500)
    assert row.last_error == "HTTP 500：upstream exploded" and row.next_attempt_at == t0 + MINUTE

    # Not yet due: the sweep leaves it alone and the receiver hears nothing.
    assert retry_due(now=t0 + datetime.timedelta(seconds=59)) == {"sent": 0, "retrying": 0, "failed": 0}
    assert len(receiver.requests) == 1

    at = t0
    for attempt, wait in enumerate([MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE], start=2):
        at += wait
        retry_due(now=at - datetime.timedelta(seconds=1))  # a second early: not yet
        assert len(receiver.requests) == attempt - 1
        retry_due(now=at)
        row.refresh_from_db()
        assert row.attempts == attempt and len(receiver.requests) == attempt
    assert len(receiver.requests) == 5
    assert (row.status, row.attempts, row.next_attempt_at) == (DeliveryStatus.FAILED, 5, None)
    assert row.last_error == "HTTP 500：upstream exploded"

    # Failed for good: later sweeps do not send it again.
    assert retry_due(now=at + datetime.timedelta(days=1))["failed"] == 0
    assert len(receiver.requests) == 5


def test_a_failure_then_success_ends_sent_with_the_error_cleared(make_endpoint, receiver, units):
    make_endpoint("dingtalk")
    receiver.answer(Answer(status=502, body=b""))
    row = announce([units["九龙坡区"]])
    t0 = timezone.now()
    deliver(row, now=t0)

    assert retry_due(now=t0 + MINUTE) == {"sent": 1, "retrying": 0, "failed": 0}
    row = WebhookDelivery.objects.get()
    assert (row.status, row.attempts, row.last_error, row.sent_at) == (DeliveryStatus.SENT, 2, "", t0 + MINUTE)


def test_a_hanging_receiver_times_out_and_the_persons_action_is_committed(
        make_endpoint, receiver, users, make_project, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    make_endpoint("feishu")
    receiver.answer(Answer(hang=True))
    project = make_project(actor=users["district"])

    # A service that records a visit and tells the unit's group, as other apps' services do. The
    # ImmediateBackend sends right after commit, in this thread: the hang is met here.
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            activity = activity_create(actor=users["district"], project=project, date=timezone.localdate(),
                                       summary="洽谈数据中心选址")
            notify(kind="activity.created", title="九龙坡区记录了一次洽谈", url=f"/projects/{project.pk}/",
                   units=[project.unit], users=[users["district_admin"]])

    assert Activity.objects.filter(pk=activity.pk).exists()
    assert Notification.objects.filter(recipient=users["district_admin"]).count() == 1
    row = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 1
    assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 1)
    assert row.last_error == "超时：0.5 秒内没有响应。" and row.last_status_code is None
    assert row.next_attempt_at == row.last_attempt_at + MINUTE


def test_connection_refused_is_recorded(make_endpoint, users, units, settings):
    from apps.notifications.models import WebhookEndpoint

    endpoint = make_endpoint("wecom")
    # A port nobody listens on: bind, note the port, close.
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=k")

    row = deliver(announce([units["九龙坡区"]]))

    assert row.status == DeliveryStatus.PENDING and row.last_error.startswith("连接失败：")


def test_a_redirect_is_not_followed(make_endpoint, receiver, units):
    make_endpoint("wecom")
    receiver.answer(Answer(status=302, body=b""))

    row = deliver(announce([units["九龙坡区"]]))

    assert row.status == DeliveryStatus.PENDING and row.last_status_code == 302 and row.last_error == "HTTP 302"
    assert len(receiver.requests) == 1


def test_a_non_json_answer_is_not_taken_for_success(make_endpoint, receiver, units):
    make_endpoint("wecom")
    receiver.answer(Answer(status=200, body=b"<html>gateway</html>"))

    row = deliver(announce([units["九龙坡区"]]))

    assert row.status == DeliveryStatus.PENDING
    assert row.last_error == "平台响应不是 JSON，无法确认已送达：<html>gateway</html>"


def test_a_delivery_is_sent_once_however_often_it_is_asked(make_endpoint, receiver, units):
    make_endpoint("wecom")
    row = announce([units["九龙坡区"]])
    now = timezone.now()

    assert deliver(row, now=now) is not None
    assert deliver(row, now=now) is None  # already sent
    assert retry_due(now=now + datetime.timedelta(days=1)) == {"sent": 0, "retrying": 0, "failed": 0}
    assert len(receiver.requests) == 1


def test_a_delivery_taken_by_another_worker_is_left_alone_until_that_worker_is_presumed_dead(
        make_endpoint, receiver, units):
    make_endpoint("wecom")
    row = announce([units["九龙坡区"]])
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.SENDING, attempts=1, last_attempt_at=now)

    assert deliver(row, now=now + MINUTE) is None
    assert receiver.requests == []
    row = deliver(row, now=now + 11 * MINUTE)  # that worker died mid-request
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 2)


def test_a_disabled_robot_gets_nothing_and_the_row_says_why(make_endpoint, receiver, units):
    endpoint = make_endpoint("wecom")
    row = announce([units["九龙坡区"]])
    endpoint.is_active = False
    endpoint.save()

    row = deliver(row)

    assert receiver.requests == []
    assert row.status == DeliveryStatus.FAILED and row.last_error == "群机器人已停用，未发送。"


def test_the_task_queues_the_next_attempt_for_its_time_on_a_deferring_backend(make_endpoint, receiver, units,
                                                                                 settings):
    make_endpoint("wecom")
    row = announce([units["九龙坡区"]])
    receiver.answer(Answer(status=503, body=b"busy"))
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    result = deliver_webhook.call(row.pk)

    row.refresh_from_db()
    assert result == {"status": "pending", "attempts": 1}
    [queued] = default_task_backend.results
    assert queued.task.func is deliver_webhook.func and queued.args == [row.pk]
    assert queued.task.run_after == row.next_attempt_at


def test_the_task_on_an_immediate_backend_leaves_the_retry_to_the_sweep(make_endpoint, receiver, units):
    make_endpoint("wecom")
    row = announce([units["九龙坡区"]])
    receiver.answer(Answer(status=503, body=b"busy"))

    deliver_webhook.enqueue(row.pk)  # the test settings' ImmediateBackend cannot defer

    row.refresh_from_db()
    assert row.status == DeliveryStatus.PENDING and len(receiver.requests) == 1
    assert retry_due(now=row.next_attempt_at)["sent"] == 1


def test_a_test_message_is_tried_once_and_answers_at_once(make_endpoint, receiver, users):
    from apps.notifications.services import webhook_endpoint_send_test

    endpoint = make_endpoint("dingtalk", secret="SECxyz")
    receiver.answer(Answer(body={"errcode": 310000, "errmsg": "sign not match"}))

    row = webhook_endpoint_send_test(actor=users["office_admin"], endpoint=endpoint)

    assert row.status == DeliveryStatus.FAILED and row.last_error == "平台返回错误 310000：sign not match"
    assert receiver.requests[0].body["markdown"]["title"] == "测试消息：九龙坡区dingtalk群"
    assert "发给“九龙坡区dingtalk群”的测试消息" in receiver.requests[0].body["markdown"]["text"]


def test_a_receiver_dripping_its_headers_is_cut_off_after_three_timeouts(make_endpoint, units, settings):
    # Each byte arrives well within the read timeout, so only the whole-answer deadline can stop it; before
    # that deadline covered the headers, this receiver held the worker for as long as it kept dripping.
    import socket
    import threading
    import time

    from apps.notifications.models import WebhookEndpoint

    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def drip():
        conn, _addr = server.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            for _byte in range(50):  # 10 s at most, so that without the deadline the test fails, not hangs
                if stop.wait(0.2):
                    return
                try:
                    conn.sendall(b"a")
                except OSError:
                    return

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    endpoint = make_endpoint("wecom")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        url=f"http://127.0.0.1:{server.getsockname()[1]}/cgi-bin/webhook/send?key=k")
    try:
        began = time.monotonic()
        row = deliver(announce([units["九龙坡区"]]))
        took = time.monotonic() - began
    finally:
        stop.set()
        thread.join(5)
        server.close()

    assert took < 3  # three timeouts (1.5 s) and some slack, not the receiver's pace
    assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 1)
    assert row.last_error == "超时：0.5 秒内没有响应。"
