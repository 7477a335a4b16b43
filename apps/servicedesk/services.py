"""Writes to service requests (诉求): raise, reply, assign, change status, escalate the late ones, and the
links that let an enterprise's contact do the same without an account. Atomic, permission-checked,
audited, and each tells the people concerned (apps.notifications.services.notify)."""

import datetime
import re
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.permissions import CHANGE, actor_scope, require
from apps.accounts.selectors import office_duty, unit_leaders
from apps.audit.services import AuditAction, audit_record, diff, snapshot
from apps.core.errors import ConflictError, DomainError
from apps.core.idempotency import submission_claim
from apps.core.templatetags.display import cndate
from apps.core.text import zh
from apps.notifications.services import notify
from apps.projects.models import Project
from apps.servicedesk import links
from apps.servicedesk.attachments import check_attachment
from apps.servicedesk.choices import (
    DEFAULT_DEADLINE_DAYS,
    OPEN_STATUSES,
    TRANSITIONS,
    Category,
    Channel,
    EscalationLevel,
    Status,
)
from apps.servicedesk.escalation import level_due, office_cutoff
from apps.servicedesk.models import CategoryDeadline, ContactLink, ServiceRequest, ServiceRequestReply
from apps.units.models import Unit
from apps.units.selectors import unit_current, unit_rollup_ids

AUDITED_FIELDS = ["project", "talent", "category", "title", "description", "channel", "contact_name", "contact_phone",
                  "owner_unit", "owner", "due_date", "status", "escalation_level"]
MAX_DEADLINE_DAYS = 365
STALE = "该诉求已被他人修改，您的操作没有保存。请刷新页面查看最新内容后再操作。"


def _today(today):
    return today or timezone.localdate()


def _now(now):
    return now or timezone.now()


def detail_path(request: ServiceRequest) -> str:
    return reverse("servicedesk:detail", args=[request.pk])


# --- Deadlines --------------------------------------------------------------------------------------

def deadline_days(category: str) -> int:
    row = CategoryDeadline.objects.filter(category=category).first()
    return row.days if row else DEFAULT_DEADLINE_DAYS[Category(category)]


def due_date_for(category: str, today: datetime.date) -> datetime.date:
    """Calendar days: a request raised on a Friday with 7 days is due the next Friday."""
    return today + datetime.timedelta(days=deadline_days(category))


def may_edit_deadlines(actor) -> bool:
    scope = actor_scope(actor)
    return scope.user_id is not None and not scope.read_only and (
        scope.role == Role.OFFICE_ADMIN or getattr(actor, "is_superuser", False))


@transaction.atomic
def deadline_update(*, actor, category: str, days: int) -> CategoryDeadline:
    """Change one category's time limit. Requests already raised keep the due date they were given."""
    require(may_edit_deadlines(actor), "只有驻京办管理员可以修改诉求办理时限。")
    if category not in Category.values:
        raise DomainError("诉求类别：不是可选值。", field="category")
    if days is None or not 1 <= int(days) <= MAX_DEADLINE_DAYS:
        raise DomainError(f"办理时限：请填写1至{MAX_DEADLINE_DAYS}之间的天数。", field="days")
    row, created = CategoryDeadline.objects.select_for_update().get_or_create(
        category=category, defaults={"days": int(days)})
    before = None if created else row.days
    if not created and row.days != int(days):
        row.days = int(days)
        row.save(update_fields=["days", "updated_at"])
    if before != row.days:
        audit_record(actor=actor, instance=row, action=AuditAction.CREATE if created else AuditAction.UPDATE,
                     changes={"days": [before, row.days]})
    return row


# --- Checks shared by the writes -------------------------------------------------------------------

def _text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"{label}：请填写。", field=field)
    if len(value) > max_length:
        raise DomainError(f"{label}：不能超过{max_length}个字（现为{len(value)}个字）。", field=field)
    return value


_PHONE = re.compile(r"^[0-9+\-\s()（）转]+$")


def _phone(value: str) -> str:
    value = (value or "").strip()
    digits = sum(ch.isdigit() for ch in value)
    if not value:
        raise DomainError("联系电话：请填写，以便承办人与您联系。", field="contact_phone")
    if not _PHONE.match(value) or not 7 <= digits <= 20 or len(value) > 30:
        raise DomainError("联系电话：请填写手机或座机号码，如 13800138000、010-12345678。", field="contact_phone")
    return value


def _check_category(category: str) -> None:
    if category not in Category.values:
        raise DomainError("诉求类别：请选择用地、规划与审批、水电气、人才与住房、融资、政策或其他。", field="category")


def _check_owner(*, owner_unit: Unit, owner: User | None, subject, today: datetime.date) -> None:
    if not owner_unit.is_active_on(today):
        successor = f"，请选择{owner_unit.successor.name}" if owner_unit.successor_id else ""
        raise DomainError(f"承办单位：{owner_unit.name}已撤销{successor}。", field="owner_unit")
    if owner is None:
        return
    if not owner.is_active or owner.role == Role.LEADER:
        raise DomainError(f"承办人：{owner.display_name}不能承办诉求（账号已停用或为只读）。", field="owner")
    # The project's (talent record's) specialist may own a request whichever unit they sit in (an office
    # specialist).
    if owner.pk != subject.specialist_id and owner.unit_id not in unit_rollup_ids(unit_current(owner_unit)):
        raise DomainError(f"承办人：{owner.display_name}不属于{owner_unit.name}，请选择该单位的人员或项目服务专员。",
                          field="owner")


def _locked(actor, request: ServiceRequest) -> ServiceRequest:
    locked = ServiceRequest.objects.restrict(actor, CHANGE).select_for_update().filter(pk=request.pk).first()
    require(locked is not None, "您只能查看该诉求，不能办理。")
    return locked


def _check_version(locked: ServiceRequest, version: int | None) -> None:
    if version is not None and locked.version != version:
        raise ConflictError(STALE, field="version", code="stale")


def _people(*users, exclude=None) -> list[User]:
    seen, out = set(), []
    for user in users:
        if user is None or user.pk in seen or (exclude is not None and user.pk == getattr(exclude, "pk", None)):
            continue
        seen.add(user.pk)
        out.append(user)
    return out


def _handlers(request: ServiceRequest) -> list[User]:
    """Who acts on a request: its owner, or — while nobody owns it — the owner unit's leaders."""
    return [request.owner] if request.owner_id else unit_leaders(request.owner_unit)


def _tell(kind: str, request: ServiceRequest, title: str, body: str, users) -> None:
    notify(kind=kind, title=title, body=body, url=detail_path(request), project=request.project,
           users=list(users), units=[request.owner_unit])


def _summary(request: ServiceRequest) -> str:
    owner = f"{request.owner_unit.name}" + (f" {request.owner.display_name}" if request.owner_id else "")
    return (f"{request.subject_label}：{request.subject.name}；类别：{zh(request.get_category_display())}；"
            f"办理期限：{cndate(request.due_date)}；承办：{owner}。")


# --- Raising a request -----------------------------------------------------------------------------

def _new_request(*, project: Project | None = None, talent=None, category: str, title: str, description: str,
                 owner_unit: Unit | None, owner: User | None, today: datetime.date, now: datetime.datetime,
                 **fields) -> ServiceRequest:
    _check_category(category)
    title = _text(title, field="title", label="诉求标题", max_length=200)
    description = _text(description, field="description", label="诉求内容", max_length=5000, required=False)
    subject = project or talent
    owner_unit = owner_unit or unit_current(subject.unit)
    if owner is None and owner_unit.pk == unit_current(subject.unit).pk:
        owner = subject.specialist
    _check_owner(owner_unit=owner_unit, owner=owner, subject=subject, today=today)
    return ServiceRequest.objects.create(
        project=project, talent=talent, category=category, title=title, description=description, owner_unit=owner_unit,
        owner=owner, due_date=due_date_for(category, today), status=Status.NEW, created_at=now, **fields)


@transaction.atomic
def request_create(*, actor, project: Project | None = None, talent=None, category: str, title: str,
                   description: str = "", owner_unit: Unit | None = None, owner: User | None = None,
                   submission_key: str = "", today: datetime.date | None = None,
                   now: datetime.datetime | None = None, is_sample: bool = False) -> ServiceRequest:
    """Raise a request on ``project`` for its enterprise, or on ``talent`` for the person or team being
    brought in (housing, schooling, a lab's fit-out …) — exactly one of the two; by staff or a specialist
    who may change that record. Due ``today`` + the category's days; owned by the record's unit and
    specialist unless given."""
    from apps.talent.models import Talent

    today, now = _today(today), _now(now)
    scope = actor_scope(actor)
    require(scope.user_id is not None and not scope.read_only, "您的角色为只读，不能登记诉求。")
    if (project is None) == (talent is None):
        raise DomainError("所属项目或人才：请选择其一（诉求属于一个招商项目或一名引进人才）。", field="project")
    if project is not None:
        require(Project.objects.restrict(actor, CHANGE).filter(pk=project.pk).exists(),
                "您没有在该项目上登记诉求的权限。")
    else:
        require(Talent.objects.restrict(actor, CHANGE).filter(pk=talent.pk).exists(),
                "您没有在该人才记录上登记诉求的权限。")
    submission_claim(key=submission_key, user=actor)
    channel = Channel.SPECIALIST if scope.role == Role.SPECIALIST else Channel.STAFF
    request = _new_request(project=project, talent=talent, category=category, title=title, description=description,
                           owner_unit=owner_unit, owner=owner, today=today, now=now, channel=channel,
                           raised_by=actor, is_sample=is_sample)
    audit_record(actor=actor, instance=request, action=AuditAction.CREATE,
                 changes=diff({}, snapshot(request, AUDITED_FIELDS)))
    _tell("service_request.created", request, f"新诉求：{request.title}", _summary(request),
          _people(*_handlers(request), exclude=actor))
    return request


@transaction.atomic
def request_create_by_contact(*, link: ContactLink, category: str, title: str, description: str = "",
                              contact_name: str = "", contact_phone: str = "",
                              today: datetime.date | None = None, now: datetime.datetime | None = None,
                              is_sample: bool = False) -> ServiceRequest:
    """The enterprise's contact raises a request through their link (on the link's project only)."""
    today, now = _today(today), _now(now)
    link = _live_link(link, now)
    contact_name = _text(contact_name or link.contact_name, field="contact_name", label="联系人姓名", max_length=50)
    contact_phone = _phone(contact_phone)
    project = link.project
    request = _new_request(project=project, category=category, title=title, description=description,
                           owner_unit=None, owner=None, today=today, now=now, channel=Channel.CONTACT,
                           contact_name=contact_name, contact_phone=contact_phone, contact_link=link,
                           is_sample=is_sample)
    audit_record(actor=None, instance=request, action=AuditAction.CREATE,
                 changes=diff({}, snapshot(request, AUDITED_FIELDS)),
                 note=f"企业联系人{contact_name}通过链接#{link.pk}提交")
    _tell("service_request.created", request, f"企业提出新诉求：{request.title}",
          f"{contact_name}（{contact_phone}）通过企业联系人链接提出。{_summary(request)}",
          _people(*_handlers(request), project.specialist))
    return request


# --- Replies, assignment, status -------------------------------------------------------------------

def _store_reply(*, request: ServiceRequest, body: str, attachment, now, **fields) -> ServiceRequestReply:
    reply = ServiceRequestReply(request=request, body=body, created_at=now, **fields)
    if attachment:
        reply.attachment_name = (attachment.name or "")[-255:]
        reply.attachment = attachment
    reply.save()
    return reply


@transaction.atomic
def request_reply(*, request: ServiceRequest, body: str, actor=None, link: ContactLink | None = None,
                  contact_name: str = "", attachment=None,
                  now: datetime.datetime | None = None) -> ServiceRequestReply:
    """A message on ``request`` — from staff (``actor``, who may change the request) or from the
    enterprise's contact (``link`` of the request's project). A staff reply to a request still 待受理
    accepts it (办理中). The attachment is checked before anything is stored."""
    now = _now(now)
    body = _text(body, field="body", label="答复内容", max_length=5000)
    check_attachment(attachment)
    if link is not None:
        link = _live_link(link, now)
        locked = ServiceRequest.objects.select_for_update().filter(pk=request.pk, project_id=link.project_id).first()
        if locked is None:
            raise DomainError("该诉求不存在。", code="not_found")
        if not locked.is_open:
            raise DomainError(f"该诉求{zh(locked.get_status_display())}，不能再留言；如有新的问题，请提交新的诉求。",
                              field="body")
        name = _text(contact_name or link.contact_name or locked.contact_name, field="contact_name",
                     label="联系人姓名", max_length=50)
        reply = _store_reply(request=locked, body=body, attachment=attachment, now=now, is_from_contact=True,
                             contact_name=name)
        audit_record(actor=None, instance=reply, action=AuditAction.CREATE,
                     changes={"body": [None, body], "attachment": [None, reply.attachment_name or None]},
                     note=f"企业联系人{name}通过链接#{link.pk}留言")
        _tell("service_request.replied", locked, f"企业留言：{locked.title}", f"{name}：{body[:200]}",
              _handlers(locked))
        return reply

    scope = actor_scope(actor)
    require(scope.user_id is not None and not scope.read_only, "您的角色为只读，不能答复诉求。")
    locked = _locked(actor, request)
    reply = _store_reply(request=locked, body=body, attachment=attachment, now=now, author=actor)
    changes = {"body": [None, body], "attachment": [None, reply.attachment_name or None]}
    if locked.status == Status.NEW:
        locked.status = Status.IN_PROGRESS
        changes["status"] = [Status.NEW.value, Status.IN_PROGRESS.value]
    locked.version = F("version") + 1
    locked.save(update_fields=["status", "version", "updated_at"])
    locked.refresh_from_db()
    audit_record(actor=actor, instance=reply, action=AuditAction.CREATE, changes=changes)
    if "status" in changes:  # accepted by the reply: the request's own history must say so
        audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, changes={"status": changes["status"]},
                     note="答复后自动受理")
    _tell("service_request.replied", locked, f"诉求有新答复：{locked.title}", f"{actor.display_name}：{body[:200]}",
          _people(locked.raised_by, locked.owner, exclude=actor))
    return reply


@transaction.atomic
def request_assign(*, actor, request: ServiceRequest, owner_unit: Unit, owner: User | None = None,
                   version: int | None = None, today: datetime.date | None = None) -> ServiceRequest:
    """Hand the request to a unit and a person. Handed to another unit without a person, that unit's
    leaders are told and pick one."""
    today = _today(today)
    locked = _locked(actor, request)
    _check_version(locked, version)
    if owner_unit is None:
        raise DomainError("承办单位：请选择。", field="owner_unit")
    _check_owner(owner_unit=owner_unit, owner=owner, subject=locked.subject, today=today)
    before = snapshot(locked, AUDITED_FIELDS)
    if locked.owner_unit_id == owner_unit.pk and locked.owner_id == getattr(owner, "pk", None):
        return locked
    locked.owner_unit, locked.owner = owner_unit, owner
    locked.version = F("version") + 1
    locked.save(update_fields=["owner_unit", "owner", "version", "updated_at"])
    locked.refresh_from_db()
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 changes=diff(before, snapshot(locked, AUDITED_FIELDS)))
    _tell("service_request.assigned", locked, f"诉求交由您办理：{locked.title}",
          f"{actor.display_name}交办。{_summary(locked)}", _people(*_handlers(locked), exclude=actor))
    return locked


@transaction.atomic
def request_change_status(*, actor, request: ServiceRequest, to_status: str, note: str = "",
                          version: int | None = None, today: datetime.date | None = None,
                          now: datetime.datetime | None = None) -> ServiceRequest:
    """受理, 办结, 关闭 or reopen. 办结 needs a result the enterprise can read (``note``, or a reply already
    given); 关闭 needs a reason. The note is kept as a reply, so the contact sees it through their link.
    A reopened request gets a fresh due date and starts again at the owner."""
    today, now = _today(today), _now(now)
    locked = _locked(actor, request)
    _check_version(locked, version)
    if to_status not in Status.values:
        raise DomainError("状态：不是可选值。", field="to_status")
    current = Status(locked.status)
    target = Status(to_status)
    if target == current:
        raise DomainError(f"状态：该诉求已是“{zh(current.label)}”。", field="to_status")
    if target not in TRANSITIONS[current]:
        raise DomainError(f"状态：“{zh(current.label)}”的诉求不能改为“{zh(target.label)}”。", field="to_status")
    note = _text(note, field="note", label="说明", max_length=5000, required=False)
    if target == Status.RESOLVED and not note and not locked.replies.filter(is_from_contact=False).exists():
        raise DomainError("办理结果：办结前请填写答复或办理结果（企业联系人可以看到）。", field="note")
    if target == Status.CLOSED and not note:
        raise DomainError("关闭理由：请写明关闭的原因，如重复提交、企业撤回。", field="note")
    before = snapshot(locked, AUDITED_FIELDS)
    locked.status = target
    fields = ["status", "version", "updated_at"]
    if target == Status.RESOLVED:
        locked.resolved_at = now
        fields.append("resolved_at")
    elif target == Status.IN_PROGRESS and current in (Status.RESOLVED, Status.CLOSED):
        locked.resolved_at = None
        locked.due_date = due_date_for(locked.category, today)
        locked.escalation_level, locked.escalated_at = EscalationLevel.OWNER, None
        fields += ["resolved_at", "due_date", "escalation_level", "escalated_at"]
    locked.version = F("version") + 1
    locked.save(update_fields=fields)
    locked.refresh_from_db()
    if note:
        reply = _store_reply(request=locked, body=note, attachment=None, now=now, author=actor, status_to=target)
        audit_record(actor=actor, instance=reply, action=AuditAction.CREATE, changes={"body": [None, note]})
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 changes=diff(before, snapshot(locked, AUDITED_FIELDS)), note=note[:300])
    kind = {Status.RESOLVED: "service_request.resolved", Status.CLOSED: "service_request.closed"}.get(
        target, "service_request.status_changed")
    _tell(kind, locked, f"诉求{zh(target.label)}：{locked.title}",
          f"{actor.display_name}将诉求改为“{zh(target.label)}”。{note[:200]}",
          _people(locked.raised_by, locked.owner, locked.subject.specialist, exclude=actor))
    return locked


# --- Escalation ------------------------------------------------------------------------------------

def escalate_overdue(today: datetime.date | None = None, *, now: datetime.datetime | None = None) -> int:
    """Raise every late open request to the level its lateness calls for (escalation.level_due) and tell
    the people of each level reached: the owner unit's leaders (1), the office (2). Returns how many
    requests went up. Running it again the same day finds nothing more to do; a day missed is caught
    up (a request late long enough goes to both levels at once)."""
    today, now = _today(today), _now(now)
    late = ServiceRequest.objects.filter(status__in=OPEN_STATUSES, due_date__lt=today).filter(
        Q(escalation_level__lt=EscalationLevel.UNIT_LEADER)
        | Q(escalation_level__lt=EscalationLevel.OFFICE, due_date__lt=office_cutoff(today)))
    count = 0
    for pk in list(late.values_list("pk", flat=True)):
        if _escalate_one(pk, today=today, now=now):
            count += 1
    return count


@transaction.atomic
def _escalate_one(pk: int, *, today: datetime.date, now: datetime.datetime) -> bool:
    # Each request in its own transaction, re-read under lock: two workers running the job at once
    # escalate (and notify) each request once.
    request = (ServiceRequest.objects.select_for_update(of=("self",))
               .select_related("project", "talent", "owner_unit", "owner")
               .filter(pk=pk, status__in=OPEN_STATUSES).first())
    if request is None:
        return False
    old, new = request.escalation_level, level_due(request.due_date, today)
    if new <= old:
        return False
    # The version guards people's edits against each other; escalation changes nothing they edit, so a
    # status form opened before the job ran still saves.
    request.escalation_level, request.escalated_at = new, now
    request.save(update_fields=["escalation_level", "escalated_at", "updated_at"])
    audit_record(actor=None, instance=request, action=AuditAction.UPDATE,
                 changes={"escalation_level": [old, new]}, note="逾期自动升级")
    users = [request.owner]
    if old < EscalationLevel.UNIT_LEADER <= new:
        users += unit_leaders(request.owner_unit)
    if old < EscalationLevel.OFFICE <= new:
        users += office_duty()
    overdue = (today - request.due_date).days
    level = zh(EscalationLevel(new).label)
    _tell("service_request.escalated", request, f"诉求逾期{overdue}天，已升级至{level}：{request.title}",
          f"办理期限{cndate(request.due_date)}已过{overdue}天仍未办结，已升级至{level}。{_summary(request)}",
          _people(*users))
    return True


# --- Contact links ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class IssuedContactLink:
    """A new link as its maker sees it, once: the URL and its QR code are not stored anywhere."""

    link: ContactLink
    token: str
    path: str
    url: str
    qr_svg: str


def contact_link_days() -> int:
    return int(getattr(settings, "CONTACT_LINK_DAYS", 180))


@transaction.atomic
def contact_link_create(*, actor, project: Project, contact_name: str = "", valid_days: int | None = None,
                        base_url: str = "", now: datetime.datetime | None = None) -> IssuedContactLink:
    """A link (and QR code) for the enterprise's contact on ``project``. ``base_url`` is the site's
    address ("https://zsj.example.cn"); without it the URL is the path alone."""
    now = _now(now)
    scope = actor_scope(actor)
    require(scope.user_id is not None and not scope.read_only, "您的角色为只读，不能生成企业联系人链接。")
    require(Project.objects.restrict(actor, CHANGE).filter(pk=project.pk).exists(),
            "您没有为该项目生成企业联系人链接的权限。")
    contact_name = _text(contact_name, field="contact_name", label="企业联系人", max_length=50, required=False)
    days = contact_link_days() if valid_days in (None, "") else valid_days
    limit = max(contact_link_days(), MAX_DEADLINE_DAYS)
    if not 1 <= int(days) <= limit:
        raise DomainError(f"有效期：请填写1至{limit}天。", field="valid_days")
    secret = links.new_secret()
    link = ContactLink.objects.create(project=project, contact_name=contact_name, token_hash=links.secret_hash(secret),
                                      created_by=actor, created_at=now,
                                      expires_at=now + datetime.timedelta(days=int(days)))
    token = links.make_token(link.pk, secret)
    path = reverse("servicedesk:contact_home", args=[token])
    url = (base_url or getattr(settings, "SITE_URL", "")).rstrip("/") + path
    audit_record(actor=actor, instance=link, action=AuditAction.CREATE,
                 changes={"contact_name": [None, contact_name], "expires_at": [None, str(link.expires_at)]})
    return IssuedContactLink(link=link, token=token, path=path, url=url,
                             qr_svg=segno.make(url, error="m").svg_inline(scale=4))


@transaction.atomic
def contact_link_revoke(*, actor, link: ContactLink, now: datetime.datetime | None = None) -> ContactLink:
    now = _now(now)
    locked = ContactLink.objects.restrict(actor, CHANGE).select_for_update().filter(pk=link.pk).first()
    require(locked is not None and not actor_scope(actor).read_only, "您没有作废该链接的权限。")
    if locked.revoked_at is None:
        locked.revoked_at, locked.revoked_by = now, actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                     changes={"revoked_at": [None, str(now)]})
    return locked


def contact_link_open(token: str, *, now: datetime.datetime | None = None) -> ContactLink | None:
    """The live link ``token`` names, or None — for a changed, unknown, revoked or expired token alike."""
    now = _now(now)
    parsed = links.parse_token(token)
    if parsed is None:
        return None
    link_id, secret = parsed
    link = (ContactLink.objects.select_related("project", "project__organisation", "project__unit")
            .filter(pk=link_id, token_hash=links.secret_hash(secret)).first())
    if link is None or not link.is_active_at(now):
        return None
    if link.last_used_at is None or now - link.last_used_at > datetime.timedelta(hours=1):
        # Staff see on the project page whether a link is in use; once an hour is precise enough.
        ContactLink.objects.filter(pk=link.pk).update(last_used_at=now)
    return link


def _live_link(link: ContactLink, now) -> ContactLink:
    fresh = ContactLink.objects.select_related("project").filter(pk=link.pk).first()
    if fresh is None or not fresh.is_active_at(now):
        raise DomainError("链接已失效，请联系项目服务专员获取新的链接。", code="link_invalid")
    return fresh
