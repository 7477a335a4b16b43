"""Writes of events, signings and public pages. Atomic, permission-checked, audited; a DomainError
names the field in Chinese and nothing is written.

Signings and the project's stage. Recording a signing can move its project forward (意向协议 →
意向/协议; 框架协议 or 正式合同 → 签约) through projects.services.project_change_stage, so the board,
the stage history and the fulfilment monitor agree with the ceremony. The stage rules still apply
(签约 needs an amount; 意向/协议 a specialist): if they refuse, the signing is refused with their
reason and the caller may record the signing alone (advance_stage=False). A signing dated after today
(the programme is entered before the ceremony) never moves a stage. Editing or withdrawing a signing
never moves a stage back: a project that falters is paused or terminated on its own page.

Concurrency. Every write locks the event row (or the project row for a signing without an event), so
two people entering the same project at the same ceremony queue and the second is told it is already
there; the database's unique constraint backs this up. Edits carry the version the editor saw."""

import datetime
import secrets
import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from apps.accounts.models import DISTRICT_ROLES, OFFICE_ROLES
from apps.accounts.permissions import CHANGE, VIEW, actor_scope, require
from apps.audit.services import AuditAction, audit_record, diff, snapshot
from apps.core.errors import ConflictError, DomainError
from apps.core.idempotency import submission_claim
from apps.core.money import Foreign, check_amount, format_converted, parse_rate, to_yuan
from apps.core.templatetags.display import cndate
from apps.core.values import text_value as _text
from apps.events import publicity
from apps.events.models import (
    Event,
    EventKind,
    EventParticipant,
    EventPhoto,
    PublicPage,
    Signing,
    SigningStatus,
)
from apps.events.querysets import WITHDRAW
from apps.projects import stages
from apps.projects.choices import PIPELINE, AgreementType, Confidentiality, Stage
from apps.projects.models import Project
from apps.units.models import Unit

EVENT_FIELDS = ["title", "kind", "date", "end_date", "city", "venue", "unit", "hosts", "attendee_count",
                "attendee_count_is_floor", "summary", "agenda"]
SIGNING_FIELDS = ["agreement_type", "amount", "date", "our_signatory", "their_signatory", "order"]
# What an edit may send besides SIGNING_FIELDS, and what the audit trail compares.
SIGNING_INPUTS = [*SIGNING_FIELDS, "exchange_rate"]
SIGNING_AUDITED = [*SIGNING_FIELDS, "currency", "original_amount", "exchange_rate"]
MAX_ATTENDEES = 1_000_000
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = {"JPEG", "PNG", "WEBP"}
# The stored file is named after what Pillow found inside, never after the uploaded name: a JPEG sent as
# "x.html" is kept as "<random>.jpg" and served (events.views.photo_view) as image/jpeg.
PHOTO_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
PHOTO_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}  # by Pillow's format
# Stages from which a project counts as publicly presentable (signed or further along).
PUBLIC_PROJECT_STAGES = {Stage.SIGNED, Stage.REGISTERED, Stage.CONSTRUCTION, Stage.PRODUCTION}
STAGE_FOR_AGREEMENT = {AgreementType.INTENTION: Stage.INTENTION, AgreementType.FRAMEWORK: Stage.SIGNED,
                       AgreementType.CONTRACT: Stage.SIGNED}
NOT_ORGANISER = "只有驻京办或活动组织单位的管理员、招商干部可以修改该活动。"


def may_create_events(actor) -> bool:
    scope = actor_scope(actor)
    return scope.user_id is not None and not scope.read_only and (
        scope.role in OFFICE_ROLES or scope.role in DISTRICT_ROLES or getattr(actor, "is_superuser", False))


def _check_event_values(actor, values: dict, *, today: datetime.date) -> dict:
    clean = {
        "title": _text(values, "title", "活动名称", required=True),
        "city": _text(values, "city", "举办城市", max_length=50),
        "venue": _text(values, "venue", "活动地点"),
        "hosts": _text(values, "hosts", "主办/承办单位", max_length=300),
        "summary": _text(values, "summary", "活动简介", max_length=5000),
        "agenda": _text(values, "agenda", "活动议程", max_length=5000),
        "attendee_count_is_floor": bool(values.get("attendee_count_is_floor")),
    }
    kind = values.get("kind") or EventKind.MATCHMAKING
    if kind not in EventKind.values:
        raise DomainError("活动类型：请从列表中选择。", field="kind")
    clean["kind"] = kind
    date = values.get("date")
    if not isinstance(date, datetime.date):
        raise DomainError("活动日期：必填。", field="date")
    clean["date"] = date
    end_date = values.get("end_date") or None
    if end_date is not None and end_date < date:
        raise DomainError("结束日期：不能早于活动日期。", field="end_date")
    if end_date is not None and (end_date - date).days > 31:
        raise DomainError("结束日期：一场活动最长31天，请检查日期。", field="end_date")
    clean["end_date"] = end_date
    count = values.get("attendee_count")
    if count in ("", None):
        count = None
    else:
        try:
            count = int(count)
        except (TypeError, ValueError):
            raise DomainError("参会人数：请填写整数。", field="attendee_count") from None
        if count < 0 or count > MAX_ATTENDEES:
            raise DomainError(f"参会人数：应在0到{MAX_ATTENDEES:,}之间。", field="attendee_count")
    clean["attendee_count"] = count
    if clean["attendee_count_is_floor"] and count is None:
        raise DomainError("参会人数：勾选“约数（余）”时请填写人数。", field="attendee_count")
    unit = values.get("unit")
    scope = actor_scope(actor)
    if unit is None:
        if not actor.unit_id:
            raise DomainError("组织单位：请选择。", field="unit")
        unit = actor.unit
    if not isinstance(unit, Unit):
        raise DomainError("组织单位：请从列表中选择。", field="unit")
    if scope.role in DISTRICT_ROLES and unit.pk not in scope.unit_ids:
        raise DomainError("组织单位：区县只能登记本单位组织的活动。", field="unit")
    if not unit.is_active_on(min(date, today)) and not unit.is_active_on(date):
        raise DomainError(f"组织单位：{unit.name}在{cndate(date)}时不存在。", field="unit")
    clean["unit"] = unit
    return clean


@transaction.atomic
def event_create(*, actor, values: dict, submission_key: str = "", is_sample: bool = False,
                 today: datetime.date | None = None) -> Event:
    require(may_create_events(actor), "只有驻京办和区县的管理员、招商干部可以登记活动。")
    submission_claim(key=submission_key, user=actor)
    clean = _check_event_values(actor, values, today=today or timezone.localdate())
    event = Event.objects.create(**clean, created_by=actor, is_sample=is_sample)
    audit_record(actor=actor, instance=event, action=AuditAction.CREATE, note=f"登记活动：{event.title}")
    return event


def _locked_event(actor, event: Event, action: str = CHANGE) -> Event:
    if not Event.objects.restrict(actor, VIEW).filter(pk=event.pk).exists():
        raise Event.DoesNotExist
    locked = Event.objects.restrict(actor, action).select_for_update(of=("self",)).filter(pk=event.pk).first()
    require(locked is not None, NOT_ORGANISER)
    return locked


@transaction.atomic
def event_update(*, actor, event: Event, values: dict, expected_version: int | None = None,
                 today: datetime.date | None = None) -> Event:
    locked = _locked_event(actor, event)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError("该活动刚被他人修改，本次修改没有保存，请刷新后再改。", code="stale_version")
    for key, label in (("unit", "组织单位"), ("kind", "活动类型"), ("title", "活动名称"), ("date", "活动日期")):
        if key in values and values[key] in (None, ""):
            raise DomainError(f"{label}：必填。", field=key)
    merged = {f: getattr(locked, f) for f in EVENT_FIELDS} | {k: v for k, v in values.items() if k in EVENT_FIELDS}
    clean = _check_event_values(actor, merged, today=today or timezone.localdate())
    outside = locked.signings.active().exclude(date__gte=clean["date"],
                                               date__lte=clean["end_date"] or clean["date"])
    if outside.exists():
        first = outside.order_by("date").first()
        raise DomainError(f"活动日期：已登记的签约“{first.project.name}”日期为{cndate(first.date)}，"
                          "不在新的活动日期内，请先调整签约日期。", field="date")
    before = snapshot(locked, EVENT_FIELDS)
    for key, value in clean.items():
        setattr(locked, key, value)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, changes=diff(before, snapshot(locked, EVENT_FIELDS)))
    return locked


@transaction.atomic
def event_add_participant(*, actor, event: Event, organisation, note: str = "") -> EventParticipant:
    locked = _locked_event(actor, event)
    if organisation is None or organisation.merged_into_id:
        raise DomainError("参会主体：请选择目标库中的主体（已合并的重复记录不能选择）。", field="organisation")
    row, created = EventParticipant.objects.get_or_create(event=locked, organisation=organisation,
                                                          defaults={"note": note.strip()[:200]})
    if not created:
        raise DomainError(f"参会主体：“{organisation.name}”已在参会名单中。", field="organisation")
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, note=f"添加参会主体：{organisation.name}")
    return row


@transaction.atomic
def event_remove_participant(*, actor, participant: EventParticipant) -> None:
    locked = _locked_event(actor, participant.event)
    name = participant.organisation.name
    participant.delete()  # a list entry, not a record: the audit line keeps what was removed
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, note=f"移除参会主体：{name}")


@transaction.atomic
def event_add_photo(*, actor, event: Event, image, caption: str = "") -> EventPhoto:
    from PIL import Image, UnidentifiedImageError

    locked = _locked_event(actor, event)
    if image is None:
        raise DomainError("照片：请选择图片文件。", field="image")
    if image.size > PHOTO_MAX_BYTES:
        raise DomainError("照片：文件超过10MB，请压缩后再上传。", field="image")
    try:
        with Image.open(image) as probe:
            kind = probe.format
            probe.verify()
    except (UnidentifiedImageError, OSError, ValueError):
        raise DomainError("照片：文件不是有效的图片（支持JPEG、PNG、WEBP）。", field="image") from None
    if kind not in PHOTO_TYPES:
        raise DomainError(f"照片：不支持{kind}格式，请上传JPEG、PNG或WEBP。", field="image")
    image.seek(0)
    image.name = f"{uuid.uuid4().hex}{PHOTO_EXTENSIONS[kind]}"
    photo = EventPhoto.objects.create(event=locked, image=image, caption=caption.strip()[:200], uploaded_by=actor)
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, note=f"上传活动照片：{photo.caption or photo.pk}")
    return photo


@transaction.atomic
def event_remove_photo(*, actor, photo: EventPhoto) -> EventPhoto:
    locked = _locked_event(actor, photo.event)
    EventPhoto.objects.filter(pk=photo.pk, removed_at__isnull=True).update(removed_at=timezone.now())
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, note=f"移除活动照片：{photo.caption or photo.pk}")
    photo.refresh_from_db()
    return photo


# --- signings ------------------------------------------------------------------------------------


def _check_signing_money(amount, rate) -> dict:
    """The model's amount fields from what was entered: yuan (Decimal), an amount in another currency
    (money.Foreign, with the rate it is converted at), or nothing (not disclosed)."""
    if amount in ("", None):
        if rate not in ("", None):
            raise DomainError("汇率：没有填写签约金额，不需要汇率。", field="exchange_rate")
        return {"amount": None, "currency": "CNY", "original_amount": None, "exchange_rate": None}
    if isinstance(amount, Foreign):
        rate = parse_rate(rate, currency=amount.currency)
        check_amount(amount.amount, field="签约金额（原币）", key="amount")
        yuan = to_yuan(amount.amount, rate)
        check_amount(yuan, field="签约金额（折合人民币）", key="amount")
        if amount.amount == 0 or yuan == 0:
            raise DomainError("签约金额：不能为0；金额未公开的请留空。", field="amount")
        return {"amount": yuan, "currency": amount.currency, "original_amount": amount.amount, "exchange_rate": rate}
    if not isinstance(amount, Decimal):
        raise DomainError("签约金额：请填写金额（如“5亿元”“3000万元”“3亿美元”）。", field="amount")
    if rate not in ("", None):
        raise DomainError("汇率：签约金额是人民币，不需要汇率；以外币签约的，金额请写明币种（如“3亿美元”）。",
                          field="exchange_rate")
    check_amount(amount, field="签约金额", key="amount")
    if amount == 0:
        raise DomainError("签约金额：不能为0；金额未公开的请留空。", field="amount")
    return {"amount": amount, "currency": "CNY", "original_amount": None, "exchange_rate": None}


def _check_signing_values(values: dict, *, event: Event | None) -> dict:
    agreement_type = values.get("agreement_type")
    if agreement_type not in AgreementType.values:
        raise DomainError("协议类型：请选择意向协议、框架协议或正式合同。", field="agreement_type")
    money = _check_signing_money(values.get("amount"), values.get("exchange_rate"))
    date = values.get("date")
    if date in ("", None) and event is not None:
        date = event.date
    if not isinstance(date, datetime.date):
        raise DomainError("签约日期：必填。", field="date")
    if event is not None:
        last = event.end_date or event.date
        if not (event.date <= date <= last):
            span = cndate(event.date) if last == event.date else f"{cndate(event.date)}至{cndate(last)}"
            raise DomainError(f"签约日期：应在活动日期（{span}）内。", field="date")
    order = values.get("order")
    if order not in (None, ""):
        try:
            order = int(order)
        except (TypeError, ValueError):
            raise DomainError("签约顺序：请填写正整数。", field="order") from None
        if order < 1 or order > 10_000:
            raise DomainError("签约顺序：请填写1到10000之间的整数。", field="order")
    return {
        "agreement_type": agreement_type, **money, "date": date,
        "our_signatory": _text(values, "our_signatory", "我方签约代表", max_length=100),
        "their_signatory": _text(values, "their_signatory", "企业方签约代表", max_length=100),
        "order": order or None,
    }


def _advance_project(*, actor, project: Project, signing: Signing, event: Event | None,
                     today: datetime.date) -> bool:
    """Move the project to the stage this signing stands for, if it is not there yet. True if moved."""
    target = STAGE_FOR_AGREEMENT[signing.agreement_type]
    here = stages.effective_stage(project.stage, project.paused_from)
    if signing.date > today or here not in PIPELINE or PIPELINE.index(here) >= PIPELINE.index(target):
        return False
    where = f"在“{event.title}”上" if event is not None else ""
    type_label = _agreement_label(signing.agreement_type)
    values = {}
    if target == Stage.SIGNED:
        values = {"signed_date": signing.date, "agreement_type": signing.agreement_type,
                  "signed_amount": signing.amount}
    skipped = PIPELINE[PIPELINE.index(here) + 1: PIPELINE.index(target)]
    from apps.projects.services import project_change_stage

    try:
        project_change_stage(
            actor=actor, project=project, to_stage=target, expected_stage=project.stage,
            note=f"{where}签署{type_label}。", evidence=f"签约记录：{type_label}，{cndate(signing.date)}",
            skip_reason=f"{where}集中签约，直接进入该阶段。" if skipped else "",
            values=values, occurred_on=signing.date,
        )
    except DomainError as error:
        raise DomainError(f"同时更新项目阶段：{error.message} 可先补全项目信息，或取消“同时更新项目阶段”只登记签约。",
                          field="advance_stage", code=error.code) from None
    if target == Stage.SIGNED and signing.currency != "CNY":
        # The project's signed amount is this signing's yuan; it keeps what was signed and the rate too.
        Project.objects.filter(pk=project.pk).update(
            signed_currency=signing.currency, signed_original_amount=signing.original_amount,
            signed_exchange_rate=signing.exchange_rate)
    return True


def signing_money(signing: Signing):
    """The signing's amount the way it was entered: yuan, a money.Foreign, or None (not disclosed)."""
    if signing.currency != "CNY" and signing.original_amount is not None:
        return Foreign(signing.original_amount, signing.currency)
    return signing.amount


def signing_amount_text(signing: Signing) -> str:
    """21.3亿元（3亿美元，按1美元=7.1元折算）; 5亿元; 金额未公开."""
    if signing.amount is None:
        return "金额未公开"
    return format_converted(signing.amount, currency=signing.currency, original=signing.original_amount,
                            rate=signing.exchange_rate)


def _agreement_label(value: str) -> str:
    from apps.core.text import zh

    return zh(AgreementType(value).label)


def _check_project_for_signing(project: Project) -> None:
    if project.is_archived:
        raise DomainError(f"签约项目：“{project.name}”已归档，不能登记签约。", field="project")
    if project.stage == Stage.TERMINATED:
        raise DomainError(f"签约项目：“{project.name}”已终止，不能登记签约。", field="project")


def may_register_signings(actor) -> bool:
    """Whether the role may register signings at all (which projects, signing_create decides): the pages ask
    this before reading the form, so a read-only role is refused (403) whatever it sent."""
    scope = actor_scope(actor)
    return scope.user_id is not None and not scope.read_only


@transaction.atomic
def signing_create(*, actor, project: Project, event: Event | None = None, values: dict,
                   advance_stage: bool = True, submission_key: str = "", is_sample: bool = False,
                   today: datetime.date | None = None) -> Signing:
    today = today or timezone.localdate()
    require(may_register_signings(actor), "您的角色没有登记签约的权限。")
    if event is not None:
        if not Event.objects.restrict(actor, VIEW).filter(pk=event.pk).exists():
            raise Event.DoesNotExist
        # Serialises entries at one ceremony: the order numbers and the duplicate check stay exact.
        event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if not Project.objects.restrict(actor, VIEW).filter(pk=project.pk).exists():
        raise Project.DoesNotExist
    locked = Project.objects.restrict(actor, CHANGE).select_for_update(of=("self",)).filter(pk=project.pk).first()
    require(locked is not None, "只能为本单位承接（或由您服务）的项目登记签约。")
    submission_claim(key=submission_key, user=actor)
    _check_project_for_signing(locked)
    clean = _check_signing_values(values, event=event)
    if event is not None:
        earlier = Signing.objects.filter(event=event, project=locked, status=SigningStatus.ACTIVE).first()
        if earlier is not None:
            raise ConflictError(f"签约项目：“{locked.name}”已在本次活动登记签约（第{earlier.order}位），"
                                "同一项目在一场活动中只计一次；如需修改请编辑原记录。", field="project",
                                code="already_signed")
        last = event.signings.active().aggregate(n=Max("order"))["n"] or 0
        if clean["order"] is not None and clean["order"] <= last and \
                not Event.objects.restrict(actor, CHANGE).filter(pk=event.pk).exists():
            # Putting a signing in at a place moves everyone after it: the organiser's call, not a district's.
            raise DomainError("签约顺序：只有活动组织单位可以指定签约顺序，请留空（排在最后），由组织单位调整。",
                              field="order")
        if clean["order"] is None or clean["order"] > last:
            clean["order"] = last + 1
        else:
            # Put in at that place in the ceremony: those from there on move down one.
            event.signings.active().filter(order__gte=clean["order"]).update(
                order=F("order") + 1, version=F("version") + 1, updated_at=timezone.now())
    else:
        clean["order"] = clean["order"] or 1
    signing = Signing.objects.create(event=event, project=locked, created_by=actor, is_sample=is_sample, **clean)
    if advance_stage:
        _advance_project(actor=actor, project=locked, signing=signing, event=event, today=today)
    amount = signing_amount_text(signing)
    audit_record(actor=actor, instance=signing, action=AuditAction.CREATE,
                 note=f"登记签约：{locked.name}，{_agreement_label(signing.agreement_type)}，{amount}"
                      + (f"（{event.title}）" if event else ""))
    return signing


def _locked_signing(actor, signing: Signing) -> Signing:
    if not Signing.objects.restrict(actor, VIEW).filter(pk=signing.pk).exists():
        raise Signing.DoesNotExist
    if signing.event_id:
        Event.objects.select_for_update(of=("self",)).filter(pk=signing.event_id).first()
    locked = Signing.objects.restrict(actor, CHANGE).select_for_update(of=("self",)).filter(pk=signing.pk).first()
    require(locked is not None, "只有项目的承接单位、服务专员或活动组织单位可以修改该签约。")
    return locked


@transaction.atomic
def signing_update(*, actor, signing: Signing, values: dict, expected_version: int | None = None) -> Signing:
    locked = _locked_signing(actor, signing)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError("该签约记录刚被他人修改，本次修改没有保存，请刷新后再改。", code="stale_version")
    if not locked.is_active:
        raise DomainError("该签约已撤回，不能再修改。", field="status")
    current = {f: getattr(locked, f) for f in SIGNING_INPUTS} | {"amount": signing_money(locked)}
    sent = {k: v for k, v in values.items() if k in SIGNING_INPUTS}
    if "amount" in sent and "exchange_rate" not in sent:
        # A new amount in the same currency keeps the rate it had; any other amount starts without one.
        same = isinstance(sent["amount"], Foreign) and sent["amount"].currency == locked.currency
        sent["exchange_rate"] = locked.exchange_rate if same else None
    clean = _check_signing_values(current | sent, event=locked.event)
    new_order = clean.pop("order") or locked.order
    before = snapshot(locked, SIGNING_AUDITED)
    for key, value in clean.items():
        setattr(locked, key, value)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    if new_order != locked.order:
        _move_to(actor, locked, new_order)
        locked.refresh_from_db()
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 changes=diff(before, snapshot(locked, SIGNING_AUDITED)), note=f"修改签约：{locked.project.name}")
    return locked


def _move_to(actor, signing: Signing, place: int) -> None:
    """Move a signing to a place in its event's order, the others closing up behind it: the same as a
    reorder, so it is the organiser's to do."""
    if signing.event_id is None:
        Signing.objects.filter(pk=signing.pk).update(order=place, updated_at=timezone.now())
        return
    if not Event.objects.restrict(actor, CHANGE).filter(pk=signing.event_id).exists():
        raise DomainError("签约顺序：只有活动组织单位可以调整签约顺序。", field="order")
    ids = list(Signing.objects.filter(event_id=signing.event_id, status=SigningStatus.ACTIVE)
               .exclude(pk=signing.pk).order_by("order", "id").values_list("pk", flat=True))
    ids.insert(min(place, len(ids) + 1) - 1, signing.pk)
    for position, pk in enumerate(ids, start=1):
        Signing.objects.filter(pk=pk).exclude(order=position).update(
            order=position, version=F("version") + (0 if pk == signing.pk else 1), updated_at=timezone.now())


@transaction.atomic
def signing_withdraw(*, actor, signing: Signing, reason: str) -> Signing:
    """A signing entered by mistake, or one that fell through before the ceremony: it stays on record
    with the reason and stops counting. The project's stage is left as it is (see the module doc)."""
    locked = _locked_signing(actor, signing)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("撤回原因：请写明撤回该签约的原因。", field="reason")
    if not locked.is_active:
        raise ConflictError("该签约已经撤回。", code="already_withdrawn")
    locked.status = SigningStatus.WITHDRAWN
    locked.withdrawn_reason = reason
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = actor
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 changes={"status": [SigningStatus.ACTIVE.value, SigningStatus.WITHDRAWN.value]},
                 note=f"撤回签约：{locked.project.name}。原因：{reason}")
    return locked


@transaction.atomic
def signing_reorder(*, actor, event: Event, ordered_ids: list[int]) -> None:
    """Set the order of signing at the ceremony: the ids of the event's active signings, first to last."""
    locked = _locked_event(actor, event)
    active = list(locked.signings.active().values_list("pk", flat=True))
    if sorted(ordered_ids) != sorted(active) or len(set(ordered_ids)) != len(ordered_ids):
        raise ConflictError("签约顺序：名单已被他人修改（有签约新增或撤回），请刷新后重新排序。", field="order",
                            code="stale_order")
    for position, pk in enumerate(ordered_ids, start=1):
        Signing.objects.filter(pk=pk).exclude(order=position).update(order=position, version=F("version") + 1,
                                                                       updated_at=timezone.now())
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, note="调整签约顺序")


# --- public pages --------------------------------------------------------------------------------


def _subject_check(actor, *, event: Event | None, project: Project | None):
    if (event is None) == (project is None):
        raise DomainError("公开页面：请指定一个活动或一个项目。", field="subject")
    if event is not None:
        return _locked_event(actor, event), publicity.EVENT_FIELDS
    if not Project.objects.restrict(actor, VIEW).filter(pk=project.pk).exists():
        raise Project.DoesNotExist
    locked = Project.objects.restrict(actor, CHANGE).select_for_update(of=("self",)).filter(pk=project.pk).first()
    require(locked is not None, "只有项目的承接单位、服务专员或驻京办可以发布该项目的公开页面。")
    if locked.confidentiality != Confidentiality.NORMAL:
        raise DomainError("公开页面：保密项目不能对外公开。", field="subject")
    if locked.is_archived:
        raise DomainError("公开页面：已归档的项目不能对外公开。", field="subject")
    if stages.effective_stage(locked.stage, locked.paused_from) not in PUBLIC_PROJECT_STAGES:
        raise DomainError("公开页面：项目签约后才能对外公开（当前阶段："
                          f"{stages.label(locked.stage)}）。", field="subject")
    return locked, publicity.PROJECT_FIELDS


@transaction.atomic
def public_page_publish(*, actor, event: Event | None = None, project: Project | None = None,
                        fields: list[str] | None = None) -> PublicPage:
    """Publish (or change the ticked fields of) the live public page of an event or a project. The
    address of a live page stays the same when its fields change, so posters already forwarded keep
    working."""
    subject, catalogue = _subject_check(actor, event=event, project=project)
    unknown = [key for key in (fields or []) if key not in catalogue]
    if unknown:
        raise DomainError(f"公开字段：未知字段 {'、'.join(map(str, unknown))}。", field="fields")
    if fields is None:
        fields = publicity.EVENT_DEFAULT if event is not None else publicity.PROJECT_DEFAULT
    clean = publicity.clean_fields(fields, catalogue)
    key = {"event": subject} if event is not None else {"project": subject}
    page = PublicPage.objects.select_for_update(of=("self",)).filter(**key, withdrawn_at__isnull=True).first()
    if page is None:
        page = PublicPage.objects.create(token=secrets.token_urlsafe(16), fields=clean, created_by=actor, **key)
        audit_record(actor=actor, instance=page, action=AuditAction.CREATE,
                     note=f"发布公开页面：{subject}；公开字段：{'、'.join(clean) or '（仅名称与日期）'}")
    elif page.fields != clean:
        before = page.fields
        page.fields = clean
        page.save(update_fields=["fields", "updated_at"])
        audit_record(actor=actor, instance=page, action=AuditAction.UPDATE, changes={"fields": [before, clean]},
                     note=f"修改公开字段：{subject}")
    return page


@transaction.atomic
def public_page_withdraw(*, actor, page: PublicPage, reason: str) -> PublicPage:
    """Take a public page down. Its address then says the page was withdrawn, and every poster that
    points at it leads there. Publishing again makes a new address."""
    if not PublicPage.objects.restrict(actor, VIEW).filter(pk=page.pk).exists() and \
            not PublicPage.objects.restrict(actor, WITHDRAW).filter(pk=page.pk).exists():
        raise PublicPage.DoesNotExist
    locked = PublicPage.objects.restrict(actor, WITHDRAW).select_for_update(of=("self",)).filter(pk=page.pk).first()
    require(locked is not None, "只有发布单位、驻京办管理员或领导可以撤下公开页面。")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("撤下原因：请写明撤下的原因。", field="reason")
    if locked.withdrawn_at is not None:
        raise ConflictError("该公开页面已经撤下。", code="already_withdrawn")
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = actor
    locked.withdraw_reason = reason
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason", "updated_at"])
    audit_record(actor=actor, instance=locked, action=AuditAction.ARCHIVE, note=f"撤下公开页面。原因：{reason}")
    return locked
