"""notify(): inbox rows and pending robot messages in the caller's transaction; the sending after
commit; nothing at all after a rollback; never an exception because of the robots."""

import pytest
from django.db import transaction

from apps.notifications.models import DeliveryStatus, Notification, WebhookDelivery
from apps.notifications.services import notify

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_users_get_one_inbox_row_each_and_inactive_or_missing_users_none(users):
    users["district2"].is_active = False
    users["district2"].save()

    rows = notify(kind="project.specialist_assigned", title="您已被指定为服务专员", body="九龙坡区 · 洽谈",
                  url="/projects/1/", users=[users["specialist"], users["specialist"], None, users["district2"]])

    assert [row.recipient for row in rows] == [users["specialist"]]
    row = Notification.objects.get()
    assert (row.title, row.body, row.url, row.read_at) == ("您已被指定为服务专员", "九龙坡区 · 洽谈", "/projects/1/", None)


def test_units_get_a_pending_delivery_per_active_robot_sent_after_commit(
        make_endpoint, receiver, units, django_capture_on_commit_callbacks):
    make_endpoint("wecom")
    make_endpoint("feishu")
    idle = make_endpoint("dingtalk")
    idle.is_active = False
    idle.save()
    make_endpoint("wecom", unit_name="长寿区")  # another unit's group hears nothing

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            notify(kind="recommendation.created", title="新推荐", units=[units["九龙坡区"]])
            assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
            assert WebhookDelivery.objects.count() == 2
        assert receiver.requests == []  # committed, but nothing is sent inside the transaction

    for callback in callbacks:
        callback()
    assert sorted(r.path for r in receiver.requests) == ["/cgi-bin/webhook/send",
                                                         "/open-apis/bot/v2/hook/0f9e3c2a-58b1-4b7e-9d6a-2c1f4e5d6a7b"]
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_rolled_back_event_leaves_no_inbox_row_no_delivery_and_sends_nothing(
        make_endpoint, receiver, users, units, django_capture_on_commit_callbacks):
    make_endpoint("wecom")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            notify(kind="x.y", title="不会发出", users=[users["district"]], units=[units["九龙坡区"]])
            raise Boom

    assert callbacks == []
    assert not Notification.objects.exists() and not WebhookDelivery.objects.exists()
    assert receiver.requests == []


def test_an_ended_units_event_reaches_its_successors_group(make_endpoint, receiver, units):
    make_endpoint("wecom", unit_name="两江新区")

    notify(kind="project.stage_changed", title="原江北区项目进入签约阶段", units=[units["江北区"].pk])

    assert WebhookDelivery.objects.get().endpoint.unit == units["两江新区"]


def test_notify_survives_a_broken_webhook_step_and_keeps_the_callers_transaction_usable(
        make_endpoint, users, units, monkeypatch):
    """A failure while queueing robot messages (here: building the message) is logged, not raised, and
    the caller's transaction carries on — the inbox row and the caller's own writes commit."""
    from apps.notifications import services

    make_endpoint("wecom")

    def broken(*args, **kwargs):
        raise RuntimeError("bad template")

    monkeypatch.setattr(services, "build_message", broken)
    with transaction.atomic():
        rows = notify(kind="x.y", title="仍然写入站内通知", users=[users["district"]], units=[units["九龙坡区"]])
        users["district"].phone = "13800000000"
        users["district"].save()  # the transaction is still usable

    assert len(rows) == 1 and Notification.objects.count() == 1 and not WebhookDelivery.objects.exists()
    users["district"].refresh_from_db()
    assert users["district"].phone == "13800000000"


def test_an_unavailable_queue_leaves_the_delivery_pending_for_the_sweep(
        make_endpoint, receiver, units, settings, django_capture_on_commit_callbacks):
    from apps.notifications.delivery import retry_due

    make_endpoint("wecom")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["elsewhere"]}}  # enqueue refuses: invalid queue

    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="x.y", title="队列暂不可用", units=[units["九龙坡区"]])

    row = WebhookDelivery.objects.get()
    assert row.status == DeliveryStatus.PENDING and receiver.requests == []
    assert retry_due()["sent"] == 1 and len(receiver.requests) == 1


def test_a_long_body_is_cut_to_what_the_robots_accept(make_endpoint, receiver, units):
    from apps.notifications.delivery import deliver

    make_endpoint("wecom")
    notify(kind="x.y", title="很长的内容", body="长" * 5000, url="/p/", units=[units["九龙坡区"]])

    deliver(WebhookDelivery.objects.get())

    content = receiver.requests[0].body["markdown"]["content"]
    assert len(content.encode()) <= 4096 and "长" * 999 + "…" in content
