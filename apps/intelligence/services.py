"""Writes of 招商情报: adding an article, and the one click per candidate that creates or links a
record. Atomic and permission-checked; every click goes through the service that owns the record
(organisation_create, project_create, event_create, signing_create), so the same rules apply as on
their own pages, and records an ArticleLink. A second click on the same candidate is a
ConflictError and writes nothing. Nothing here runs when a page is only read."""

import datetime
import hashlib
import os
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from apps.accounts.permissions import VIEW, may_write_library, require
from apps.audit.services import AuditAction, audit_record
from apps.core.errors import ConflictError, DomainError
from apps.core.money import Foreign
from apps.events.models import Event, EventKind, Signing
from apps.intelligence.extract import Extraction, extract, read_article
from apps.intelligence.models import Article, ArticleLink, LinkAction
from apps.organisations.models import Organisation
from apps.projects.choices import AgreementType, ChainRole
from apps.projects.models import Project
from apps.units.models import Unit
from apps.units.selectors import unit_current

ARTICLE_MAX_BYTES = 5 * 1024 * 1024
ARTICLE_MAX_CHARS = 100_000
ARTICLE_FILE_TYPES = (".txt", ".html", ".htm", ".docx")
CHAIN_ROLES = {str(label): value for value, label in
               [(ChainRole.STRENGTHEN, "强链"), (ChainRole.CONSOLIDATE, "固链"), (ChainRole.FILL, "补链"),
                (ChainRole.EXTEND, "延链")]}
EVENT_KINDS = {"signing": EventKind.SIGNING, "promotion": EventKind.PROMOTION, "visit": EventKind.VISIT,
               "meeting": EventKind.MATCHMAKING}
ITEM_KINDS = ("org", "project", "event", "signing")


# --- the stored extraction ---------------------------------------------------------------------


def _marks(result: Extraction) -> list[dict]:
    """Every highlighted span of the article, as the review page draws it: start, end, kind, label."""
    marks = []

    def add(kind, span, label):
        if 0 <= span.start < span.end <= len(result.text):
            marks.append({"start": span.start, "end": span.end, "kind": kind, "label": label})

    for i, org in enumerate(result.orgs):
        add("org", org.span, f"org:{i}")
    for i, project in enumerate(result.projects):
        add("project", project.span, f"project:{i}")
    for i, event in enumerate(result.events):
        add("event", event.span, f"event:{i}")
    for amount in result.amounts:
        add("amount", amount.span, amount.text)
    for pair in result.pairs:
        add("pair", pair.span, f"{pair.count}")
    for region in result.regions:
        add("region", region.span, region.name)
    for date in result.dates:
        # A month-only date (今年3月) is labelled as the month, not as its first day.
        month_only = date.precision == "month"
        add("date", date.span, date.date.strftime("%Y-%m") if month_only else date.date.isoformat())
    for name, span in result.chain_roles:
        add("chain", span, name)
    for name, span in result.clusters:
        add("cluster", span, name)
    marks.sort(key=lambda m: (m["start"], -m["end"]))
    return marks


def extraction_json(result: Extraction) -> dict:
    """What is kept with the article: the engine's own JSON plus the marks of every span."""
    data = result.to_json()
    data["marks"] = _marks(result)
    return data


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_upload(file) -> tuple[bytes, str]:
    name = os.path.basename(getattr(file, "name", "") or "")
    if not name.lower().endswith(ARTICLE_FILE_TYPES):
        raise DomainError("文件：只支持 .txt、.html、.docx 文件，其他格式请复制正文粘贴。", field="file")
    size = getattr(file, "size", None)
    if size is not None and size > ARTICLE_MAX_BYTES:
        raise DomainError(f"文件：超过{ARTICLE_MAX_BYTES // 1024 // 1024}MB，请只保留正文后再上传。", field="file")
    data = file.read()
    if len(data) > ARTICLE_MAX_BYTES:
        raise DomainError(f"文件：超过{ARTICLE_MAX_BYTES // 1024 // 1024}MB，请只保留正文后再上传。", field="file")
    return data, name


@transaction.atomic
def article_create(*, actor, text: str = "", file=None, title: str = "", source: str = "", url: str = "",
                   published: datetime.date | None = None) -> tuple[Article, bool]:
    """(article, created). The same text already added by the actor's unit returns that article
    with created=False and writes nothing."""
    require(may_write_library(actor), "您的角色为只读，不能添加情报文章。")
    data, filename = None, ""
    if file is not None:
        data, filename = _read_upload(file)
        source_data = data
    elif (text or "").strip():
        if len(text) > ARTICLE_MAX_CHARS * 2:
            raise DomainError(f"正文：超过{ARTICLE_MAX_CHARS:,}字，请只粘贴一篇文章的正文。", field="text")
        source_data = text
    else:
        raise DomainError("正文：请粘贴文章正文，或上传 .txt、.html、.docx 文件。", field="text")
    try:
        found_title, body, found_date = read_article(source_data, filename=filename)
    except Exception:  # a damaged .docx or an undecodable file: say so instead of a 500
        raise DomainError("文件：无法读取该文件的正文，请确认文件未损坏，或复制正文粘贴。", field="file") from None
    if not body.strip():
        raise DomainError("正文：没有读到正文文字，请检查文件或粘贴内容。", field="text" if data is None else "file")
    if len(body) > ARTICLE_MAX_CHARS:
        raise DomainError(f"正文：超过{ARTICLE_MAX_CHARS:,}字（现有{len(body):,}字），请只保留一篇文章的正文。",
                          field="text" if data is None else "file")
    title = (title or "").strip() or found_title or body.strip().splitlines()[0][:60]
    if len(title) > 300:
        title = title[:300]
    published = published or found_date
    result = extract(body, published=published, title=title)
    digest = content_hash(result.text)
    unit = actor.unit if actor.unit_id else None
    existing = Article.objects.filter(unit=unit, content_hash=digest).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            article = Article.objects.create(
                title=title, source=(source or "").strip()[:100], url=(url or "").strip()[:500], published=published,
                text=result.text, extraction=extraction_json(result), content_hash=digest, unit=unit,
                created_by=actor,
            )
    except IntegrityError:
        # Someone of the same unit added the same text a moment ago.
        return Article.objects.get(unit=unit, content_hash=digest), False
    if data is not None:
        article.original_file.save(filename, ContentFile(data), save=True)
    audit_record(actor=actor, instance=article, action=AuditAction.CREATE, note=f"添加情报文章：{article.title}")
    return article, True


# --- candidates --------------------------------------------------------------------------------


def article_item(article: Article, item_key: str) -> dict:
    """The stored candidate behind an item key, or a DomainError if the article has no such item."""
    kind, _, index = (item_key or "").partition(":")
    data = article.extraction or {}
    lists = {"org": data.get("org_details", []), "project": data.get("projects", []),
             "event": data.get("events", []), "signing": data.get("projects", [])}
    if kind not in lists or not index.isdigit() or int(index) >= len(lists[kind]):
        raise DomainError("该条目不在本文的抽取结果中，请刷新页面。", field="item_key")
    item = lists[kind][int(index)]
    if kind == "signing" and item.get("value") is None:
        raise DomainError("签约：文中没有该项目的金额，请在项目页面登记签约。", field="item_key")
    return item


def _lock_item(actor, article: Article, item_key: str) -> tuple[Article, dict]:
    """Lock the article (clicks on one article queue) and refuse a second click on the same item."""
    require(may_write_library(actor), "您的角色为只读，不能根据情报新建或关联记录。")
    locked = Article.objects.restrict(actor, VIEW).select_for_update().filter(pk=article.pk).first()
    if locked is None:
        raise Article.DoesNotExist
    item = article_item(locked, item_key)
    earlier = ArticleLink.objects.filter(article=locked, item_key=item_key).select_related(
        "organisation", "project", "event", "signing").first()
    if earlier is not None:
        raise ConflictError(f"该条目已处理（{earlier.get_action_display()}：{earlier.target}），同一条目只能处理一次。",
                            field="item_key", code="already_linked")
    return locked, item


def _link(actor, article: Article, item_key: str, action: str, **target) -> ArticleLink:
    link = ArticleLink.objects.create(article=article, item_key=item_key, action=action, created_by=actor, **target)
    audit_record(actor=actor, instance=link, action=AuditAction.CREATE,
                 note=f"情报“{article.title}”{link.get_action_display()}：{link.target}")
    return link


def _seen(model, actor, row):
    """The row again as the actor may see it; one they may not see is its model's DoesNotExist (a 404),
    as everywhere else."""
    found = model.objects.restrict(actor, VIEW).filter(pk=row.pk).first()
    if found is None:
        raise model.DoesNotExist
    return found


def linked(article: Article, kind: str) -> list[ArticleLink]:
    return [link for link in article.links.all() if link.item_key.startswith(f"{kind}:")]


@transaction.atomic
def article_link_organisation(*, actor, article: Article, item_key: str,
                              organisation: Organisation | None = None) -> ArticleLink:
    """Link the candidate to a library organisation, or (organisation=None) add it to the library."""
    from apps.organisations.services import organisation_create

    if not item_key.startswith("org:"):
        raise DomainError("该条目不是企业或机构。", field="item_key")
    article, item = _lock_item(actor, article, item_key)
    if organisation is not None:
        organisation = _seen(Organisation, actor, organisation)
        if organisation.merged_into_id:
            raise DomainError(f"目标主体：“{organisation.name}”是已合并的重复记录，请关联合并后的主体。",
                              field="organisation")
        return _link(actor, article, item_key, LinkAction.LINKED, organisation=organisation)
    short_names = [s for s in item.get("short_names") or [] if s and s != item["name"]]
    organisation = organisation_create(actor=actor, name=item["name"], short_names=short_names or None,
                                       source="新闻线索")
    return _link(actor, article, item_key, LinkAction.CREATED, organisation=organisation)


def region_unit(region: str) -> Unit | None:
    """The unit that carries a region's work today: 九龙坡区 → 九龙坡区, 江北区 → 两江新区."""
    if not region:
        return None
    unit = Unit.objects.select_related("successor").filter(name=region).first()
    return unit_current(unit) if unit is not None else None


@transaction.atomic
def article_link_project(*, actor, article: Article, item_key: str, project: Project | None = None,
                         organisation: Organisation | None = None, unit: Unit | None = None) -> ArticleLink:
    """Link the candidate to a project the actor sees, or create it through project_create for an
    organisation linked on this article (or chosen) and a unit (default: the candidate's region)."""
    from apps.chains.models import Cluster
    from apps.projects.services import project_create

    if not item_key.startswith("project:"):
        raise DomainError("该条目不是项目。", field="item_key")
    article, item = _lock_item(actor, article, item_key)
    if project is not None:
        project = _seen(Project, actor, project)
        return _link(actor, article, item_key, LinkAction.LINKED, project=project)
    if organisation is None:
        organisation = default_project_organisation(article, item)
    if organisation is None:
        raise DomainError("目标主体：请先在本页关联或新建该项目的企业，再新建项目。", field="organisation")
    if not Organisation.objects.restrict(actor, VIEW).filter(pk=organisation.pk).exists():
        raise Organisation.DoesNotExist
    unit = unit or region_unit(item.get("region", ""))
    if unit is None:
        raise DomainError("承接区县：文中没有写明区县，请选择承接区县。", field="unit")
    fields = {}
    if item.get("currency") == "CNY" and item.get("value"):
        fields["planned_investment"] = Decimal(item["value"])
    if item.get("chain_role") in CHAIN_ROLES:
        fields["chain_role"] = CHAIN_ROLES[item["chain_role"]]
    if item.get("cluster"):
        cluster = Cluster.objects.filter(name=item["cluster"]).first()
        if cluster is not None:
            fields["cluster"] = cluster
    where = "，".join(part for part in (article.source, article.title) if part)
    fields["description"] = f"来源：{where}" + (f"（{article.url}）" if article.url else "")
    project = project_create(actor=actor, organisation=organisation, unit=unit, name=item["name"][:200], **fields)
    return _link(actor, article, item_key, LinkAction.CREATED, project=project)


def default_project_organisation(article: Article, item: dict) -> Organisation | None:
    """The organisation linked on this article that the project mention names, else the only one linked."""
    details = (article.extraction or {}).get("org_details", [])
    links = [link for link in article.links.all() if link.item_key.startswith("org:") and link.organisation_id]
    named = item.get("org") or ""
    for link in links if named else []:
        index = int(link.item_key.split(":")[1])
        detail = details[index] if index < len(details) else {}
        if named == detail.get("name") or named in (detail.get("short_names") or []) \
                or named in link.organisation.name:
            return link.organisation
    return links[0].organisation if len(links) == 1 else None


@transaction.atomic
def article_link_event(*, actor, article: Article, item_key: str, event: Event | None = None,
                       unit: Unit | None = None) -> ArticleLink:
    """Link the candidate to an event, or create it through event_create (title, date, place, kind)."""
    from apps.events.services import event_create

    if not item_key.startswith("event:"):
        raise DomainError("该条目不是活动。", field="item_key")
    article, item = _lock_item(actor, article, item_key)
    if event is not None:
        event = _seen(Event, actor, event)
        return _link(actor, article, item_key, LinkAction.LINKED, event=event)
    date = datetime.date.fromisoformat(item["date"]) if item.get("date") else None
    where = "，".join(part for part in (article.source, article.title) if part)
    values = {"title": item.get("name") or article.title, "date": date,
              "kind": EVENT_KINDS.get(item.get("kind"), EventKind.OTHER), "city": (item.get("place") or "")[:50],
              "summary": f"来源：{where}", "unit": unit}
    event = event_create(actor=actor, values=values)
    return _link(actor, article, item_key, LinkAction.CREATED, event=event)


def signing_defaults(article: Article, item_key: str) -> tuple[Project | None, Event | None]:
    """The project linked for this mention and the event linked on this article, if any."""
    index = item_key.split(":")[1]
    project = event = None
    for link in sorted(article.links.all(), key=lambda link: link.pk):
        if link.item_key == f"project:{index}":
            project = link.project
        elif link.item_key.startswith("event:") and event is None:
            event = link.event
    return project, event


@transaction.atomic
def article_link_signing(*, actor, article: Article, item_key: str, agreement_type: str = AgreementType.FRAMEWORK,
                         exchange_rate=None, project: Project | None = None, event: Event | None = None,
                         signing: Signing | None = None) -> ArticleLink:
    """Record the mention's signing through signing_create: the project linked on this article for
    the mention, at the event linked on this article, for the amount the article gives (in another
    currency: with the rate it is converted at, ADR 0011). Or link a signing already recorded."""
    from apps.events.services import signing_create

    if not item_key.startswith("signing:"):
        raise DomainError("该条目不是签约。", field="item_key")
    article, item = _lock_item(actor, article, item_key)
    if signing is not None:
        signing = _seen(Signing, actor, signing)
        return _link(actor, article, item_key, LinkAction.LINKED, signing=signing)
    default_project, default_event = signing_defaults(article, item_key)
    project = project or default_project
    event = event or default_event
    if project is None:
        raise DomainError(f"签约项目：请先在本页关联或新建项目“{item['name']}”，再登记签约。", field="project")
    if event is None:
        raise DomainError("签约活动：请先在本页关联或新建本文报道的签约活动，再登记签约。", field="event")
    currency = item.get("currency") or "CNY"
    amount = Decimal(item["value"])
    if currency != "CNY":
        amount = Foreign(amount, currency)
    values = {"agreement_type": agreement_type, "amount": amount, "exchange_rate": exchange_rate or None,
              "date": event.date}
    # Only the signing: moving the project's stage has rules of its own (a specialist, documents)
    # that a news item cannot satisfy; the project page does that.
    signing = signing_create(actor=actor, project=project, event=event, values=values, advance_stage=False)
    return _link(actor, article, item_key, LinkAction.CREATED, signing=signing)


def existing_signing(project: Project | None, event: Event | None) -> Signing | None:
    if project is None or event is None:
        return None
    return Signing.objects.filter(project=project, event=event, status="active").first()
