"""Sample requests for the demo (called by apps.core.demo): one late and escalated to the unit's leader,
one resolved, one just raised by the enterprise's contact through a link. All marked is_sample."""

import datetime

from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.permissions import CHANGE
from apps.projects.models import Project
from apps.servicedesk.choices import Category, Status
from apps.servicedesk.services import (
    contact_link_create,
    deadline_days,
    escalate_overdue,
    request_change_status,
    request_create,
    request_create_by_contact,
    request_reply,
)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, 0))


def load(accounts: dict[str, User], projects: list[Project], today: datetime.date) -> list:
    """Three requests on projects ``accounts['demo_district']`` (九龙坡区) may change — or, failing
    that, any of ``projects`` through the office account."""
    actor = accounts.get("demo_district") or accounts["demo_office"]
    ids = [p.pk for p in projects if not p.is_archived]
    mine = list(Project.objects.restrict(actor, CHANGE).filter(pk__in=ids).order_by("pk"))
    if not mine:
        actor = accounts["demo_office"]
        mine = list(Project.objects.filter(pk__in=ids).order_by("pk"))
    if not mine:
        return []
    pick = [mine[i % len(mine)] for i in range(3)]

    # Late: 水电气 raised (7 + 2) days ago is two days overdue — with the leaders, not yet the office.
    raised = today - datetime.timedelta(days=deadline_days(Category.UTILITIES) + 2)
    late = request_create(actor=actor, project=pick[0], category=Category.UTILITIES, is_sample=True,
                          title="新建厂房用电增容报装（示例）",
                          description="企业新建厂房需增容至 2000 千伏安，已向供电公司提交报装申请，尚未答复勘察时间。",
                          today=raised, now=_at(raised, 10))
    request_reply(actor=actor, request=late, body="已与供电公司联系，等待安排现场勘察。",
                  now=_at(raised + datetime.timedelta(days=1), 15))
    escalate_overdue(today=today)

    raised = today - datetime.timedelta(days=12)
    done = request_create(actor=actor, project=pick[1], category=Category.TALENT, is_sample=True,
                          title="研发团队人才公寓申请（示例）",
                          description="企业首批 12 名研发人员到渝，申请区人才公寓过渡。",
                          today=raised, now=_at(raised, 9))
    done = request_change_status(actor=actor, request=done, to_status=Status.RESOLVED, version=done.version,
                          note="已协调区人才公寓 12 套，企业已办理入住。", today=raised + datetime.timedelta(days=6),
                          now=_at(raised + datetime.timedelta(days=6), 16))

    issued = contact_link_create(actor=actor, project=pick[2], contact_name="王经理（示例）",
                                 now=_at(today - datetime.timedelta(days=1), 11))
    fresh = request_create_by_contact(link=issued.link, category=Category.POLICY, is_sample=True,
                                      title="研发费用加计扣除政策咨询（示例）",
                                      description="希望了解在渝研发中心的研发费用加计扣除和区级配套政策的申报时间。",
                                      contact_name="王经理（示例）", contact_phone="010-12345678",
                                      today=today)
    late.refresh_from_db()
    return [late, done, fresh]
