"""The period's 招商简报 (investment-promotion briefing): selectors.summary's figures written as the
sentences a report would print (in the style of 重庆日报 2025-11-02: "截至目前，……已签约落地项目193个，
总投资达1860.9亿元"), with the records behind them, as a Word document and a workbook.

Every figure is summary()'s; this module adds only the record lists the briefing prints, each drawn
with the same filters as the figure it stands under (the projects the actor may see, not archived,
the unit filter rolled up, the cluster filter), so a list's length and sum are the figure. Amounts in
sentences are rounded as the article rounds them (one decimal of 亿元, whole 万元); tables and the
workbook give them exactly. Everything is written in Chinese whatever language the person exporting
browses in: the files are handed on."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import translation

from apps.accounts.permissions import VIEW, actor_scope
from apps.cockpit.selectors import (
    SIGNING_AGREEMENTS,
    StatsFilter,
    counted_projects,
    current_unit,
    of_counted_projects,
    summary,
)
from apps.core.docx import (
    BODY_FONT,
    HEADING_FONT,
    SIZE_ERHAO,
    SIZE_SANHAO,
    SIZE_WUHAO,
    SIZE_XIAOSI,
    TITLE_FONT,
    a4_document,
    add_paragraph,
    add_table,
    page_number_footer,
    save,
)
from apps.core.money import UNITS, format_amount
from apps.events.exports import AMOUNT_FORMAT, DATE_FORMAT, UNDISCLOSED, WAN, cn_date
from apps.events.models import Signing, SigningStatus
from apps.fulfilment.choices import AlertKind
from apps.fulfilment.models import Alert
from apps.imports.export import neutralise
from apps.projects.choices import AgreementType, ChainRole, Stage
from apps.servicedesk.choices import Category, Status
from apps.servicedesk.selectors import request_list
from apps.units.models import Unit
from apps.units.selectors import unit_rollup_ids, unit_rollup_note

TENTH_OF_YI = UNITS["亿元"] / 10
HEADINGS = {
    "overview": "一、总体情况",
    "signed": "二、签约项目",
    "landed": "三、落地与投产",
    "events": "四、活动签约",
    "breakdown": "五、产业集群与区县",
    "attention": "六、需关注事项",
}


# --- the data ------------------------------------------------------------------------------------

def _rolled_into(units: dict[int, Unit], unit: Unit) -> list[Unit]:
    """The ended units whose work passed (directly or not) to ``unit``, in code order."""
    return sorted((u for u in units.values() if u.pk != unit.pk and u.successor_id
                   and current_unit(units, u.pk).pk == unit.pk), key=lambda u: u.code)


def _with_rollup(name: str, ended: list[str]) -> str:
    """两江新区（含原江北区、原渝北区）."""
    return f"{name}（含{'、'.join(f'原{old}' for old in ended)}）" if ended else name


def _unit_label(units: dict[int, Unit], unit_id: int) -> str:
    """The unit a record was made in; an ended one says where its work went (江北区（现两江新区）)."""
    unit = units[unit_id]
    if unit.successor_id:
        return f"{unit.name}（现{current_unit(units, unit_id).name}）"
    return unit.name


def _scope(actor, data: dict, units: dict[int, Unit]) -> dict:
    """Whose figures these are: the filtered unit, else a district actor's own district, else all."""
    scope = actor_scope(actor)
    chosen = data["filter"]["unit"]
    unit = units[chosen["id"]] if chosen else None
    if unit is None and not scope.all_units and actor.unit_id in units:
        unit = current_unit(units, actor.unit_id)
    ended = [u.name for u in _rolled_into(units, unit)] if unit else []
    cluster = data["filter"]["cluster"]
    unit_subject = _with_rollup(unit.name, ended) if unit else ""
    cluster_subject = f"{cluster['name']}领域" if cluster else ""
    if unit is None:
        note = ""
    elif chosen:
        note = chosen["note"]
    else:
        note = unit_rollup_note(unit) if ended else ""
    return {
        "unit": None if unit is None else {"id": unit.pk, "name": unit.name, "includes": ended},
        "cluster": cluster,
        # Put before 已签约… in a sentence: "两江新区（含原江北区、原渝北区）先进材料领域".
        "subject": unit_subject + cluster_subject,
        "title": f"{unit.name if unit else ''}{cluster_subject}招商简报",
        "range": "、".join(part for part in (unit_subject, cluster["name"] if cluster else "") if part) or "全部单位",
        "rollup_note": f"注：{unit.name}的数据{note}。" if note else "",
        "single_unit": unit is not None,
    }


def _filters(data: dict, units: dict[int, Unit]) -> tuple[set[int] | None, int | None]:
    """The unit ids (rolled up) and the cluster id summary() counted, None where it did not filter."""
    unit, cluster = data["filter"]["unit"], data["filter"]["cluster"]
    return (unit_rollup_ids(units[unit["id"]]) if unit else None), (cluster["id"] if cluster else None)


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else (value or "")


# What the lists print of a project (its long texts stay in the database).
PROJECT_FIELDS = ("id", "name", "unit_id", "stage", "chain_role", "agreement_type", "signed_date", "signed_amount",
                  "signed_currency", "signed_original_amount", "signed_exchange_rate",
                  "registered_entity", "registered_date", "organisation__name", "cluster__name")


def _signed_rows(projects, counted, f: StatsFilter, units) -> list[dict]:
    signed = projects.filter(signed_date__gte=f.start, signed_date__lte=f.end)
    # The events at which each was signed (a binding agreement, in the period): summary's
    # reconciliation counts these projects as 在活动上签约.
    at_events: dict[int, list[str]] = {}
    for signing in (counted(Signing.objects.filter(
            status=SigningStatus.ACTIVE, date__gte=f.start, date__lte=f.end, event__isnull=False,
            agreement_type__in=SIGNING_AGREEMENTS, project__signed_date__gte=f.start, project__signed_date__lte=f.end))
            .select_related("event").only("id", "project_id", "event__title").order_by("date", "id")):
        titles = at_events.setdefault(signing.project_id, [])
        if signing.event.title not in titles:
            titles.append(signing.event.title)
    rows = []
    for p in signed.select_related("organisation", "cluster").only(*PROJECT_FIELDS).order_by("signed_date", "id"):
        rows.append({
            "project_id": p.pk, "name": p.name, "enterprise": p.organisation.name,
            "unit": _unit_label(units, p.unit_id), "cluster": p.cluster.name if p.cluster_id else "",
            "chain_role": _label(ChainRole, p.chain_role), "agreement_type": _label(AgreementType, p.agreement_type),
            "signed_date": p.signed_date, "amount": p.signed_amount, "foreign": p.signed_foreign_note,
            "events": at_events.get(p.pk, []),
        })
    return rows


def _landed_rows(projects, f: StatsFilter, units) -> list[dict]:
    landed = projects.filter(registered_date__gte=f.start, registered_date__lte=f.end)
    return [{
        "project_id": p.pk, "name": p.name, "enterprise": p.organisation.name,
        "registered_entity": p.registered_entity, "unit": _unit_label(units, p.unit_id),
        "cluster": p.cluster.name if p.cluster_id else "", "stage": _label(Stage, p.stage),
        "registered_date": p.registered_date, "amount": p.signed_amount, "foreign": p.signed_foreign_note,
    } for p in landed.select_related("organisation", "cluster").only(*PROJECT_FIELDS).order_by("registered_date", "id")]


def _overdue_rows(actor, f: StatsFilter, today: datetime.date, units) -> list[dict]:
    # The figure counts exactly the service-request list's 已逾期 (servicedesk.selectors.request_list),
    # a talent record's requests included; those are named "姓名（人才）" in the project column.
    requests = request_list(actor=actor, overdue=True, unit_id=f.unit_id, cluster_id=f.cluster_id, today=today)
    rows = []
    for r in requests.select_related(None).select_related("project", "talent").only(
            "id", "project_id", "talent_id", "title", "category", "owner_unit_id", "status", "due_date",
            "project__name", "project__unit_id", "talent__name", "talent__unit_id").order_by("due_date", "id"):
        # the list's own order is by urgency; a report reads by date
        subject = r.project or r.talent
        rows.append({
            "request_id": r.pk, "project_id": r.project_id, "talent_id": r.talent_id, "title": r.title,
            "category": _label(Category, r.category),
            "project": subject.name if r.project_id else f"{subject.name}（人才）",
            "unit": _unit_label(units, subject.unit_id),
            "owner_unit": units[r.owner_unit_id].name, "status": _label(Status, r.status),
            "due_date": r.due_date, "days_overdue": (today - r.due_date).days,
        })
    return rows


def _stalled_rows(actor, counted, today: datetime.date, units) -> list[dict]:
    alerts = counted(Alert.objects.restrict(actor, VIEW).open().filter(kind=AlertKind.NO_ACTIVITY))
    return [{
        "alert_id": a.pk, "project_id": a.project_id, "name": a.project.name,
        "enterprise": a.project.organisation.name, "unit": _unit_label(units, a.project.unit_id),
        "stage": _label(Stage, a.project.stage), "raised_on": a.raised_on, "days": (today - a.raised_on).days,
        "message": a.message,
    } for a in alerts.select_related("project", "project__organisation").only(
        "id", "project_id", "raised_on", "message", "project__name", "project__unit_id", "project__stage",
        "project__organisation__name").order_by("raised_on", "id")]


def briefing_data(*, actor, f: StatsFilter, today: datetime.date) -> dict:
    """summary() plus ``lists`` — for each figure the briefing prints, the records it counts (same key):
    signed, landed, overdue_requests, stalled, events — plus ``scope`` (whose figures, in words),
    ``rollups`` (unit id → the ended units it includes) and ``generated`` (by whom, when)."""
    with translation.override(settings.LANGUAGE_CODE):
        data = summary(actor=actor, f=f, today=today)
        units = {u.pk: u for u in Unit.objects.all()}
        unit_ids, cluster_id = _filters(data, units)
        projects = counted_projects(actor, unit_ids, cluster_id)

        def counted(qs):
            return of_counted_projects(qs, actor, unit_ids, cluster_id)

        data["lists"] = {
            "signed": _signed_rows(projects, counted, f, units),
            "landed": _landed_rows(projects, f, units),
            "overdue_requests": _overdue_rows(actor, f, today, units),
            "stalled": _stalled_rows(actor, counted, today, units),
            "events": data["events"],
        }
        data["scope"] = _scope(actor, data, units)
        # Each current unit with the ended units it carries, to say so next to its name.
        data["rollups"] = {unit.pk: [old.name for old in _rolled_into(units, unit)]
                           for unit in units.values() if not unit.successor_id}
        data["generated"] = {"by": str(actor), "unit": units[actor.unit_id].name if actor.unit_id in units else "",
                             "on": today}
    return data


# --- the sentences -------------------------------------------------------------------------------

def briefing_amount(yuan) -> str:
    """An amount as the article prints it in running text: one decimal of 亿元 (1860.9亿元, 239.5亿元,
    30亿元), whole 万元 below 1亿 (3000万元), no thousands separator. Tables keep format_amount's."""
    yuan = Decimal(yuan)
    if abs(yuan) >= UNITS["亿元"]:
        text = format_amount((yuan / TENTH_OF_YI).quantize(Decimal(1), rounding=ROUND_HALF_UP) * TENTH_OF_YI)
    else:
        text = format_amount(yuan, places=0)
    return text.replace(",", "")


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _investment(count: int, amount: Decimal, undisclosed: int, *, word: str = "总投资") -> str:
    """总投资30亿元 / 总投资26亿元，另有1个项目金额未公开 / 金额均未公开."""
    if undisclosed >= count:
        return "金额均未公开"
    text = f"{word}{briefing_amount(amount)}"
    if undisclosed:
        text += f"，另有{undisclosed}个项目{UNDISCLOSED}"
    return text


def _count_and_amount(count: int, amount: Decimal) -> str:
    """3个、12亿元 (the amount left out when nothing was disclosed)."""
    return f"{count}个、{briefing_amount(amount)}" if amount else f"{count}个"


def _overview(data: dict) -> list[str]:
    subject, start, end = data["scope"]["subject"], cn_date(data["filter"]["start"]), cn_date(data["filter"]["end"])
    to_date = data["signed_to_date"]
    if to_date["count"]:
        first = (f"截至{end}，{subject}已签约项目{to_date['count']}个，"
                 f"{_investment(to_date['count'], to_date['amount'], to_date['undisclosed'], word='总投资达')}。")
    else:
        first = f"截至{end}，{subject}暂无已签约项目。"
    signed, rec = data["signed"], data["reconciliation"]
    if not signed["count"]:
        return [first, f"{start}至{end}，{subject}暂无新签约项目。"]
    text = (f"{start}至{end}，{subject}新签约项目{signed['count']}个，"
            f"{_investment(signed['count'], signed['amount'], signed['undisclosed'])}")
    at, outside = rec["signed_at_event"], rec["signed_outside_events"]
    if at and outside:
        text += (f"；其中在活动上签约{_count_and_amount(at, rec['signed_at_event_amount'])}，"
                 f"活动以外签约{_count_and_amount(outside, rec['signed_outside_events_amount'])}")
    elif at:
        text += "，均在活动上签约"
    return [first, text + "。"]


def _chain_roles(data: dict) -> list[str]:
    if not data["signed"]["count"]:
        return []
    named = [f"{row['label']}项目{row['count']}个" for row in data["by_chain_role"]
             if row["count"] and row["key"] in ChainRole.values]
    unnamed = sum(row["count"] for row in data["by_chain_role"] if row["key"] not in ChainRole.values)
    if not named:
        return ["本期新签约项目均未填写链上作用（强链、固链、补链、延链）。"] if unnamed else []
    text = "从链上作用看，" + "、".join(named)
    if unnamed:
        text += f"，另有{unnamed}个项目未填写"
    return [text + "。"]


def _landed(data: dict) -> list[str]:
    landed, production = data["landed"], data["in_production"]["count"]
    if not landed["count"] and not production:
        first = "本期暂无新注册落地和投产项目。"
    else:
        parts = [f"本期注册落地项目{landed['count']}个，"
                 f"{_investment(landed['count'], landed['amount'], landed['undisclosed'])}"
                 if landed["count"] else "本期暂无新注册落地项目",
                 f"投产项目{production}个" if production else "暂无新投产项目"]
        first = "；".join(parts) + "。"
    funds = data["funds"]
    if not funds["total"]:
        return [first, "本期暂无到位资金登记。"]
    text = f"本期到位资金{briefing_amount(funds['total'])}，涉及项目{funds['projects']}个"
    if funds["percent"] is not None:
        text += f"，占这些项目签约金额{briefing_amount(funds['signed_amount'])}的{_percent(funds['percent'])}"
    else:
        text += f"（签约{UNDISCLOSED}，无法计算到位比例）"
    return [first, text + "。"]


def _events(data: dict) -> list[str]:
    events = data["events"]
    if not events:
        return ["本期暂无活动。"]
    signing_events = sorted((e for e in events if e["count"]), key=lambda e: (-e["amount"], -e["count"], e["date"]))
    if not signing_events:
        return [f"本期举办活动{len(events)}场，均无签约项目。"]
    shown = signing_events if len(signing_events) <= 3 else signing_events[:3]
    lead = (f"本期举办活动{len(events)}场：" if len(shown) == len(signing_events)
            else f"本期举办活动{len(events)}场，签约额居前的有：")
    parts = [f"{cn_date(e['date'])}{e['title']}签约项目{e['count']}个，"
             f"{_investment(e['count'], e['amount'], e['undisclosed'])}" for e in shown]
    sentences = [lead + "；".join(parts) + "。"]
    if data["scope"]["single_unit"] or data["scope"]["cluster"]:
        sentences.append("各场活动的签约数为活动全场口径，不按区县、产业集群拆分。")
    intention_only = data["reconciliation"]["event_signing_projects_intention_only"]
    if intention_only:
        sentences.append(f"另有{intention_only}个项目在活动上仅签署意向协议，达到签约阶段后计入签约项目。")
    return sentences


def _leaders(rows: list[dict]) -> list[dict]:
    rows = [row for row in rows if row["count"]]
    if not rows:
        return []
    top = (rows[0]["amount"], rows[0]["count"])
    return [row for row in rows if (row["amount"], row["count"]) == top]


def _leader_text(kind: str, leaders: list[dict], name) -> str:
    first = leaders[0]
    figures = _count_and_amount(first["count"], first["amount"])
    if len(leaders) == 1:
        return f"从{kind}看，{name(first)}签约项目{figures}，居首位"
    return f"从{kind}看，{'、'.join(name(row) for row in leaders)}并列首位，各签约项目{figures}"


def _breakdown(data: dict) -> list[str]:
    parts = []
    if not data["scope"]["cluster"]:
        leaders = _leaders([row for row in data["by_cluster"] if row["tier"]])
        if leaders:
            parts.append(_leader_text("产业集群", leaders, lambda row: row["label"]))
    if not data["scope"]["single_unit"]:
        leaders = _leaders(data["ranking"])
        if leaders:
            parts.append(_leader_text("区县", leaders, lambda row: _district(data, row)))
    referrals = _referrals(data) + _talent(data)
    if not data["signed"]["count"]:
        return ["本期暂无新签约项目，暂无产业集群与区县分布。", *referrals]
    return (["；".join(parts) + "。"] if parts else []) + referrals


def _talent(data: dict) -> list[str]:
    """招才引智 and the think tanks, the other half of 双招双引, in one sentence each."""
    out = []
    talent = data.get("talent")
    if talent and (talent["introduced"]["count"] or talent["landed"]["count"]):
        introduced = talent["introduced"]
        text = f"招才引智方面，本期引进人才（团队）{introduced['count']}个"
        if introduced["count"]:
            text += f"，其中全职{introduced['full_time']}个、柔性引进{introduced['flexible']}个"
        out.append(text + f"；到岗落地{talent['landed']['count']}个。")
    tanks = data.get("thinktanks")
    if tanks and (tanks["partners"] or tanks["activities"]):
        text = f"与{tanks['partners']}家智库和高校保持合作，本期开展联合活动{tanks['activities']}场"
        brought = [f"{label}{tanks[key]}{unit}" for key, label, unit in (
            ("projects", "项目", "个"), ("talent", "人才", "个"), ("introductions", "引荐", "次")) if tanks[key]]
        if brought:
            text += "，带来" + "、".join(brought)
        out.append(text + "。")
    return out


def _referrals(data: dict) -> list[str]:
    """以商招商 — 带动一串, in the article's words: how many projects landed firms brought."""
    rows = data["by_referrer"]
    if not rows:
        return []
    count, signed = sum(row["count"] for row in rows), sum(row["signed"] for row in rows)
    amount = sum((row["amount"] for row in rows), Decimal(0))
    text = f"以商招商方面，本期{len(rows)}家已落地企业引荐带来项目{count}个"
    if signed:
        text += f"，其中已签约{signed}个、签约金额{briefing_amount(amount)}"
    top = rows[0]
    if len(rows) > 1 and top["count"] > rows[1]["count"]:
        text += f"；{top['label']}带来{top['count']}个，最多"
    return [text + "。"]


def _district(data: dict, row: dict) -> str:
    """A ranking row's district as of now: 两江新区（含原江北区、原渝北区）."""
    return _with_rollup(row["label"], data["rollups"].get(row["key"], []))


def _attention(data: dict) -> list[str]:
    today = cn_date(data["filter"]["today"])
    requests = data["lists"]["overdue_requests"]
    if requests:
        longest = max(row["days_overdue"] for row in requests)
        first = f"截至{today}，逾期未办结的企业诉求{len(requests)}件，最长已逾期{longest}天。"
    else:
        first = f"截至{today}，无逾期未办结的企业诉求。"
    stalled = data["stalled"]["count"]
    second = (f"长期无走访洽谈的停滞项目{stalled}个，请承接区县及时跟进。" if stalled
              else "暂无长期无走访洽谈的停滞项目。")
    return [first, second]


def _sections(data: dict) -> dict[str, list[str]]:
    return {
        "overview": _overview(data),
        "signed": _chain_roles(data),
        "landed": _landed(data),
        "events": _events(data),
        "breakdown": _breakdown(data),
        "attention": _attention(data),
    }


def briefing_sentences(data: dict) -> list[str]:
    """The key figures of briefing_data(...) as the briefing's sentences, in the order printed."""
    return [sentence for sentences in _sections(data).values() for sentence in sentences]


# --- shared by both files ------------------------------------------------------------------------

def _period(data: dict, dash: str = "—") -> str:
    return f"{cn_date(data['filter']['start'])}{dash}{cn_date(data['filter']['end'])}"


def _amount_or_undisclosed(yuan) -> str:
    return UNDISCLOSED if yuan is None else format_amount(yuan)


def _rates_note(data: dict) -> str:
    """外币签约的折算, for the note under the overview. The cumulative figure's rates include the
    period's signings; the landed figure's are stated when the cumulative one has none."""
    return data["signed_to_date"]["rates_text"] or data["landed"]["rates_text"]


def _total_text(count: int, amount: Decimal, undisclosed: int) -> str:
    """合计：4个项目，30亿元（其中1个项目金额未公开）."""
    text = f"合计：{count}个项目，{format_amount(amount) if amount else '0元'}"
    if undisclosed:
        text += f"（其中{undisclosed}个项目{UNDISCLOSED}）"
    return text


def _sum_text(row: dict) -> str:
    """A group's amount: 金额未公开 when none of its projects disclosed one, never a misleading 0元."""
    if row["count"] and row["undisclosed"] >= row["count"]:
        return UNDISCLOSED
    return format_amount(row["amount"]) if row["amount"] else "0元"


def _sum_wan(row: dict) -> Decimal | None:
    if row["count"] and row["undisclosed"] >= row["count"]:
        return None
    return _wan(row["amount"])


def _wan(yuan) -> Decimal | None:
    return None if yuan is None else Decimal(yuan) / WAN


def _ranked_units(data: dict) -> list[dict]:
    """The ranking, when there is something to rank: more than one district and something signed."""
    return data["ranking"] if len(data["ranking"]) > 1 and data["signed"]["count"] else []


# --- the Word document ---------------------------------------------------------------------------

def _body(document, text: str):
    from docx.shared import Pt

    paragraph = add_paragraph(document, text, BODY_FONT, SIZE_SANHAO)
    paragraph.paragraph_format.first_line_indent = Pt(SIZE_SANHAO * 2)    # two characters
    paragraph.paragraph_format.line_spacing = Pt(28)
    return paragraph


def _heading(document, text: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = add_paragraph(document, text, HEADING_FONT, SIZE_SANHAO)
    paragraph.paragraph_format.first_line_indent = Pt(SIZE_SANHAO * 2)
    paragraph.paragraph_format.space_before = Pt(8)
    paragraph.paragraph_format.space_after = Pt(4)
    paragraph.paragraph_format.keep_with_next = True
    # An outline level without Word's blue "Heading 1" look: the navigation pane lists the sections.
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().append(level)


def _caption(document, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = add_paragraph(document, text, HEADING_FONT, SIZE_XIAOSI, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(3)
    paragraph.paragraph_format.keep_with_next = True


def _note(document, text: str) -> None:
    from docx.shared import Pt

    paragraph = add_paragraph(document, text, BODY_FONT, SIZE_WUHAO)
    paragraph.paragraph_format.space_before = Pt(2)


# A briefing is read, not searched: past this many rows a table prints the first ones and says where the
# rest are (the workbook lists every record). A province's year can hold thousands of signings.
DOCX_ROWS = 200


def _table(document, caption: str, columns, rows, *, centred=frozenset(), order: str = "") -> None:
    """A captioned table; nothing at all without rows (the section's sentence already says so)."""
    if rows:
        _caption(document, caption)
        add_table(document, columns, rows[:DOCX_ROWS], size=SIZE_WUHAO, centred=centred)
        if len(rows) > DOCX_ROWS:
            _note(document, f"注：共{len(rows)}项，此处列出{order}前{DOCX_ROWS}项，完整清单见同期数据表（Excel）。")


def _largest_first(records: list[dict], key: str = "amount") -> list[dict]:
    """When a table will be cut, the records that matter most to a reader come first: the largest
    amounts (undisclosed ones after the disclosed), the longest overdue."""
    if len(records) <= DOCX_ROWS:
        return records
    return sorted(records, key=lambda r: (r[key] is None, -(r[key] or 0)))


SIGNED_COLUMNS = [("序号", 0.9), ("项目名称", 3.1), ("签约企业", 3.1), ("承接区县", 1.8), ("产业集群", 2.0),
                  ("链上作用", 1.2), ("签约日期", 2.0), ("签约金额", 1.9)]    # cm; 16 cm = A4 less margins
LANDED_COLUMNS = [("序号", 0.9), ("项目名称", 3.3), ("注册主体", 3.6), ("承接区县", 1.9), ("产业集群", 2.2),
                  ("注册日期", 2.1), ("签约金额", 2.0)]
EVENT_COLUMNS = [("序号", 0.9), ("活动名称", 6.1), ("活动日期", 2.4), ("签约项目", 1.8), ("签约金额", 2.4),
                 ("备注", 2.4)]
CLUSTER_COLUMNS = [("序号", 0.9), ("产业集群", 5.6), ("层级", 2.8), ("项目数", 1.6), ("签约金额", 2.8),
                   ("金额未公开", 2.3)]
UNIT_COLUMNS = [("序号", 0.9), ("单位", 3.3), ("项目数", 1.6), ("签约金额", 2.8), ("备注", 7.4)]
RANKING_COLUMNS = [("名次", 1.4), ("区县", 6.0), ("项目数", 2.6), ("签约金额", 6.0)]
OVERDUE_COLUMNS = [("序号", 0.9), ("诉求", 3.4), ("所属项目或人才", 3.2), ("承接区县", 1.9), ("类别", 1.6),
                   ("办理期限", 2.2), ("逾期天数", 1.4), ("状态", 1.4)]
STALLED_COLUMNS = [("序号", 0.9), ("项目名称", 3.2), ("企业", 3.2), ("承接区县", 1.9), ("阶段", 1.6),
                   ("预警日期", 2.2), ("预警内容", 3.0)]


def briefing_docx(*, actor, f: StatsFilter, today: datetime.date) -> bytes:
    """The briefing as a Word document: A4, 仿宋 text under 黑体 section headings, the tables' header
    rows repeated on every page, page numbers in the footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    data = briefing_data(actor=actor, f=f, today=today)
    scope, lists, sections = data["scope"], data["lists"], _sections(data)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    document = a4_document(body_size=SIZE_SANHAO)
    document.core_properties.title = f"{scope['title']}（{_period(data)}）"
    document.core_properties.author = data["generated"]["by"]

    add_paragraph(document, scope["title"], TITLE_FONT, SIZE_ERHAO, align=centre)
    add_paragraph(document, f"（{_period(data)}）", BODY_FONT, SIZE_SANHAO, align=centre)
    generated = data["generated"]
    by = " ".join(part for part in (generated["unit"], generated["by"]) if part)
    line = add_paragraph(document, f"统计范围：{scope['range']}　生成：{by}，{cn_date(generated['on'])}",
                         BODY_FONT, SIZE_XIAOSI, align=centre)
    line.paragraph_format.space_after = Pt(6 if not scope["rollup_note"] else 0)
    if scope["rollup_note"]:
        note = add_paragraph(document, scope["rollup_note"], BODY_FONT, SIZE_XIAOSI, align=centre)
        note.paragraph_format.space_after = Pt(6)

    _heading(document, HEADINGS["overview"])
    for sentence in sections["overview"]:
        _body(document, sentence)
    _note(document, "注：金额为签约金额，每个项目只计一次；已归档项目不计入。" + _rates_note(data))

    _heading(document, HEADINGS["signed"])
    for sentence in sections["signed"]:
        _body(document, sentence)
    rows = [[str(i), r["name"], r["enterprise"], r["unit"], r["cluster"] or "—", r["chain_role"] or "—",
             cn_date(r["signed_date"]), _amount_or_undisclosed(r["amount"]) + r["foreign"]]
            for i, r in enumerate(_largest_first(lists["signed"]), start=1)]
    _table(document, "本期签约项目", SIGNED_COLUMNS, rows, centred=frozenset({0, 5}), order="签约金额最大的")
    if not rows:
        _body(document, "本期暂无新签约项目。")
    else:
        signed = data["signed"]
        _note(document, _total_text(signed["count"], signed["amount"], signed["undisclosed"]) + "。")

    _heading(document, HEADINGS["landed"])
    for sentence in sections["landed"]:
        _body(document, sentence)
    rows = [[str(i), r["name"], r["registered_entity"] or r["enterprise"], r["unit"], r["cluster"] or "—",
             cn_date(r["registered_date"]), _amount_or_undisclosed(r["amount"]) + r["foreign"]]
            for i, r in enumerate(_largest_first(lists["landed"]), start=1)]
    _table(document, "本期注册落地项目", LANDED_COLUMNS, rows, centred=frozenset({0}), order="签约金额最大的")

    _heading(document, HEADINGS["events"])
    for sentence in sections["events"]:
        _body(document, sentence)
    rows = [[str(i), e["title"], cn_date(e["date"]), str(e["count"]), _sum_text(e) if e["count"] else "—",
             f"{e['undisclosed']}个项目{UNDISCLOSED}" if 0 < e["undisclosed"] < e["count"] else ""]
            for i, e in enumerate(lists["events"], start=1)]
    _table(document, "本期活动", EVENT_COLUMNS, rows, centred=frozenset({0, 3}))
    if len(rows) > 1:
        _note(document, "注：各场活动按现场公布口径统计，同一项目在多场活动签约的分别计入各场，不宜相加。")

    _heading(document, HEADINGS["breakdown"])
    for sentence in sections["breakdown"]:
        _body(document, sentence)
    rows = [[str(i), r["label"], r["tier_label"] or "—", str(r["count"]), _sum_text(r),
             str(r["undisclosed"]) if r["undisclosed"] else ""]
            for i, r in enumerate(data["by_cluster"], start=1)]
    _table(document, "本期签约项目按产业集群", CLUSTER_COLUMNS, rows, centred=frozenset({0, 3, 5}))
    rows = [[str(i), r["label"], str(r["count"]), _sum_text(r), r["note"]]
            for i, r in enumerate(data["by_unit"], start=1)]
    _table(document, "本期签约项目按单位", UNIT_COLUMNS, rows, centred=frozenset({0, 2}))
    ranking = _ranked_units(data)
    if ranking:
        rows = [[str(r["rank"]), _district(data, r), str(r["count"]),
                 _sum_text(r) if r["count"] else "—"] for r in ranking]
        _table(document, "区县签约金额排名", RANKING_COLUMNS, rows, centred=frozenset({0, 2}))
        _note(document, "注：按签约金额排序，金额相同的按项目数；金额与项目数均相同的名次并列。")

    _heading(document, HEADINGS["attention"])
    overdue, stalled = sections["attention"]
    _body(document, overdue)
    rows = [[str(i), r["title"], r["project"], r["unit"], r["category"], cn_date(r["due_date"]),
             f"{r['days_overdue']}天", r["status"]]
            for i, r in enumerate(_largest_first(lists["overdue_requests"], "days_overdue"), start=1)]
    _table(document, "逾期未办结的企业诉求", OVERDUE_COLUMNS, rows, centred=frozenset({0, 6, 7}), order="逾期最久的")
    _body(document, stalled)
    rows = [[str(i), r["name"], r["enterprise"], r["unit"], r["stage"], cn_date(r["raised_on"]), r["message"]]
            for i, r in enumerate(_largest_first(lists["stalled"], "days"), start=1)]
    _table(document, "停滞项目", STALLED_COLUMNS, rows, centred=frozenset({0, 4}), order="停滞最久的")

    page_number_footer(document.sections[0], BODY_FONT, SIZE_XIAOSI)
    return save(document)


# --- the workbook --------------------------------------------------------------------------------

XLSX_AMOUNT_COLUMNS = [("项目数", 9, "int"), ("签约金额（万元）", 18, "wan"), ("金额未公开（个）", 15, "int"),
                       ("签约金额", 16, "text")]


def _group_cells(row: dict) -> list:
    return [row["count"], _sum_wan(row), row["undisclosed"], _sum_text(row)]


def briefing_xlsx(*, actor, f: StatsFilter, today: datetime.date) -> bytes:
    """The briefing's tables as a workbook, one sheet each, header row bold and frozen: amounts as
    numbers in 万元 (a SUM adds up to the figure) and beside them as text; dates as dates; every text
    cell neutralised against formula injection."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    data = briefing_data(actor=actor, f=f, today=today)
    scope, lists, generated = data["scope"], data["lists"], data["generated"]
    bold = Font(bold=True)
    book = Workbook()
    book.remove(book.active)

    def sheet_of(title: str, columns: list[tuple[str, int, str]], rows: list[list], *,
                 totals: list | None = None, notes: list[str] = ()):
        """columns: (header, width in Excel characters, kind: "text", "int", "wan" or "date")."""
        sheet = book.create_sheet(title)
        for index, (_, width, _) in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([header for header, _, _ in columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.freeze_panes = "A2"
        formats = {"wan": AMOUNT_FORMAT, "date": DATE_FORMAT}

        written = [1]  # the header; counted here because sheet.max_row scans every cell (quadratic)

        def append(values: list, *, strong: bool = False) -> None:
            sheet.append([neutralise(value) for value in values])
            written[0] += 1
            for index, (_, _, kind) in enumerate(columns, start=1):
                cell = sheet.cell(written[0], index)
                if kind in formats:
                    cell.number_format = formats[kind]
                if strong:
                    cell.font = bold

        for row in rows:
            append(row)
        if rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{sheet.max_row}"
        if totals is not None:
            append(totals, strong=True)
        if notes:
            sheet.append([])
            for note in notes:
                sheet.append([neutralise(note)])
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.print_title_rows = "1:1"
        return sheet

    def figure(label: str, count=None, amount=None, note: str = "") -> list:
        return [label, count, _wan(amount), "" if amount is None else format_amount(amount) if amount else "0元",
                note]

    def undisclosed(row: dict) -> str:
        parts = [f"其中{row['undisclosed']}个项目{UNDISCLOSED}，计入项目数，未计入金额" if row["undisclosed"] else "",
                 row.get("rates_text", "")]
        return "；".join(part for part in parts if part)

    signed, to_date, landed, funds, rec, signings = (
        data["signed"], data["signed_to_date"], data["landed"], data["funds"], data["reconciliation"],
        data["signings"])
    as_of = f"截至{cn_date(today)}"
    sheet_of("总体情况", [("指标", 46, "text"), ("数量", 10, "int"), ("金额（万元）", 18, "wan"),
                      ("金额", 22, "text"), ("说明", 50, "text")], [
        ["统计期间", None, None, _period(data, "至"), ""],
        ["统计范围", None, None, scope["range"], scope["rollup_note"]],
        ["生成", None, None, " ".join(part for part in (generated["unit"], generated["by"]) if part),
         cn_date(generated["on"])],
        figure(f"截至{cn_date(f.end)}已签约项目", to_date["count"], to_date["amount"], undisclosed(to_date)),
        figure("本期新签约项目", signed["count"], signed["amount"], undisclosed(signed)),
        figure("其中：在活动上签约", rec["signed_at_event"], rec["signed_at_event_amount"]),
        figure("其中：活动以外签约", rec["signed_outside_events"], rec["signed_outside_events_amount"]),
        figure("本期注册落地项目", landed["count"], landed["amount"], undisclosed(landed)),
        figure("本期投产项目", data["in_production"]["count"]),
        figure("本期到位资金", None, funds["total"]),
        figure("到位资金涉及项目及其签约金额", funds["projects"], funds["signed_amount"]),
        ["资金到位比例（%）", funds["percent"], None,
         "—" if funds["percent"] is None else _percent(funds["percent"]), "本期到位资金 ÷ 涉及项目的签约金额"],
        figure("本期活动（场）", len(data["events"])),
        figure("本期活动签约项目（含意向协议，每个项目计一次）", signings["count"], signings["amount"],
               undisclosed(signings)),
        figure("逾期未办结的企业诉求（件）", data["overdue_requests"]["count"], None, as_of),
        figure("停滞项目（长期无走访洽谈）", data["stalled"]["count"], None, as_of),
        *[figure(f"项目阶段：{row['label']}", row["count"], None, as_of) for row in data["stages"]],
    ], notes=["要点", *briefing_sentences(data)])

    sheet_of("签约项目", [("序号", 7, "int"), ("项目名称", 34, "text"), ("签约企业", 34, "text"),
                      ("承接区县", 20, "text"), ("产业集群", 20, "text"), ("链上作用", 10, "text"),
                      ("协议类型", 11, "text"), ("签约日期", 17, "date"), ("签约金额（万元）", 18, "wan"),
                      ("签约金额", 16, "text"), ("签约活动", 36, "text")],
             [[i, r["name"], r["enterprise"], r["unit"], r["cluster"], r["chain_role"], r["agreement_type"],
               r["signed_date"], _wan(r["amount"]), _amount_or_undisclosed(r["amount"]) + r["foreign"],
               "、".join(r["events"])]
              for i, r in enumerate(lists["signed"], start=1)],
             totals=["合计", None, "", "", "", "", "", None, _sum_wan(signed),
                     _total_text(signed["count"], signed["amount"], signed["undisclosed"]), ""])
    sheet_of("落地项目", [("序号", 7, "int"), ("项目名称", 34, "text"), ("签约企业", 34, "text"),
                      ("注册主体", 34, "text"), ("承接区县", 20, "text"), ("产业集群", 20, "text"),
                      ("当前阶段", 10, "text"), ("注册日期", 17, "date"), ("签约金额（万元）", 18, "wan"),
                      ("签约金额", 16, "text")],
             [[i, r["name"], r["enterprise"], r["registered_entity"], r["unit"], r["cluster"], r["stage"],
               r["registered_date"], _wan(r["amount"]), _amount_or_undisclosed(r["amount"]) + r["foreign"]]
              for i, r in enumerate(lists["landed"], start=1)],
             totals=["合计", None, "", "", "", "", "", None, _sum_wan(landed),
                     _total_text(landed["count"], landed["amount"], landed["undisclosed"])])
    sheet_of("产业集群", [("产业集群", 30, "text"), ("层级", 14, "text"), *XLSX_AMOUNT_COLUMNS],
             [[r["label"], r["tier_label"], *_group_cells(r)] for r in data["by_cluster"]],
             totals=["合计", "", *_group_cells(signed)])
    sheet_of("区县", [("单位", 16, "text"), *XLSX_AMOUNT_COLUMNS, ("备注", 56, "text")],
             [[r["label"], *_group_cells(r), r["note"]] for r in data["by_unit"]],
             totals=["合计", *_group_cells(signed), ""])
    sheet_of("排名", [("名次", 7, "int"), ("区县", 30, "text"), *XLSX_AMOUNT_COLUMNS],
             [[r["rank"], _district(data, r), *_group_cells(r)] for r in data["ranking"]],
             notes=["按签约金额排序，金额相同的按项目数；金额与项目数均相同的名次并列。"])
    sheet_of("以商招商", [("引荐企业", 40, "text"), ("带来项目", 10, "int"), ("其中已签约", 10, "int"),
                      ("签约金额（万元）", 18, "wan"), ("签约金额", 16, "text")],
             [[r["label"], r["count"], r["signed"], _wan(r["amount"]), _sum_text(r) if r["signed"] else "—"]
              for r in data["by_referrer"]],
             notes=["本期记入引荐的项目（以商招商，带动一串），按引荐企业；金额为其中已签约项目的签约金额。"])
    sheet_of("逾期诉求", [("序号", 7, "int"), ("诉求", 30, "text"), ("所属项目或人才", 30, "text"),
                      ("承接区县", 20, "text"), ("承办单位", 14, "text"), ("类别", 12, "text"),
                      ("状态", 10, "text"), ("办理期限", 17, "date"), ("逾期天数", 10, "int")],
             [[i, r["title"], r["project"], r["unit"], r["owner_unit"], r["category"], r["status"], r["due_date"],
               r["days_overdue"]] for i, r in enumerate(lists["overdue_requests"], start=1)],
             notes=[f"逾期天数计至{cn_date(today)}。"])
    sheet_of("停滞项目", [("序号", 7, "int"), ("项目名称", 30, "text"), ("企业", 30, "text"),
                      ("承接区县", 20, "text"), ("阶段", 10, "text"), ("预警日期", 17, "date"),
                      ("已持续（天）", 12, "int"), ("预警内容", 30, "text")],
             [[i, r["name"], r["enterprise"], r["unit"], r["stage"], r["raised_on"], r["days"], r["message"]]
              for i, r in enumerate(lists["stalled"], start=1)])
    sheet_of("活动", [("活动名称", 40, "text"), ("活动日期", 17, "date"), *XLSX_AMOUNT_COLUMNS],
             [[e["title"], e["date"], *_group_cells(e)] for e in lists["events"]],
             notes=["各场活动按现场公布口径统计，同一项目在多场活动签约的分别计入各场，不宜相加。"])

    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
