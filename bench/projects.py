"""Projects with their history for the cockpit benchmark: `manage.py bench cockpit` calls `ensure_projects`.

Over the organisations already in the library (`bench import`), the real units (apps/units) and the
33618 clusters (apps/chains), ``generate`` writes what years of work leave behind:

- projects in every stage, registered to the districts active on their first-contact day (more in the
  main urban districts; 江北区 and 渝北区 only before 2025-11-06, 两江新区 after), 首报 by the office for a
  share (source unit 驻京办), with a cluster and a chain role for most;
- each project's StageChange history from 线索 to where it stands, dated forward (first contact < signed <
  registered < construction < production, none after today), with the skips a person would explain, and
  暂缓/终止 beside the pipeline; the project's stage-gated facts (签约日期、金额、注册主体 …) are the
  dates of those moves, as project_change_stage leaves them;
- events, and signings at them (the signed stage then dated on the event's day) or on their own: 意向协议
  earlier, 框架协议/正式合同 at 签约, a second contract for a few, some amounts undisclosed, a few withdrawn;
- funds in place after signing, service requests (some late, still open), open and resolved alerts,
  specialist assignments, the office's visits, and recommendations whose accepted targets led to the
  office-sourced projects (with their site visits), others declined or unanswered.

Everything is a function of (seed, today, the library's organisation ids), drawn from one
random.Random in one order, so a seed gives the same rows on SQLite and PostgreSQL. Rows are written in
chunks of projects with COPY on PostgreSQL and executemany on SQLite (organisations.search.copy_rows),
bypassing the services: 200,000 projects through project_create would take hours. What the services
would refuse (a 签约 without an amount) is made only where the cockpit has to cope with it in real data:
records carried over from the spreadsheets kept before this system (see ``LEGACY_NO_AMOUNT``)."""

from __future__ import annotations

import bisect
import datetime
import math
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

HORIZON_START = datetime.date(2018, 1, 1)
WAN = 10_000
CHUNK = 5_000
PROTECTION_DAYS = 180

PIPELINE = ["lead", "contact", "recommended", "site_visit", "intention", "signed", "registered",
            "construction", "production"]
POS = {stage: i for i, stage in enumerate(PIPELINE)}
# Where the 200,000 stand today (per mille). Most leads never get far; about one in five was signed.
FINAL_STAGES = [("lead", 270), ("contact", 200), ("recommended", 55), ("site_visit", 75), ("intention", 90),
                ("signed", 70), ("registered", 50), ("construction", 40), ("production", 45),
                ("paused", 50), ("terminated", 55)]
# How far a paused or terminated project had got.
STOPPED_AT = [("lead", 200), ("contact", 250), ("recommended", 80), ("site_visit", 150), ("intention", 150),
              ("signed", 100), ("registered", 50), ("construction", 20)]
# Days from the previous move to entering the stage (uniform between the two).
GAP_DAYS = {"contact": (3, 60), "recommended": (7, 90), "site_visit": (10, 90), "intention": (15, 180),
            "signed": (15, 240), "registered": (20, 150), "construction": (30, 240), "production": (90, 540)}
# Leads and contacts still open are recent: an old one would have been closed.
RECENT_DAYS = {"lead": 1000, "contact": 1200}
LEGACY_NO_AMOUNT = 0.02  # signed projects carried over without an amount: reported as undisclosed

# Weight of each unit (by code) among projects; unlisted districts 10, counties 6, autonomous counties 4.
UNIT_WEIGHTS = {"500157": 60, "500112": 45, "500105": 35, "500107": 40, "500106": 35, "500103": 25,
                "500108": 30, "500104": 15, "500109": 25, "500113": 25, "ZONE-GXQ": 40, "ZONE-WSJK": 6,
                "500116": 18, "500120": 18, "500117": 14, "500118": 16, "500101": 14, "500102": 14,
                "500115": 14}
KIND_WEIGHTS = {"district": 10, "county": 6, "autonomous_county": 4, "zone": 10}

PROJECT_KINDS = ["智能制造基地项目", "西南区域总部项目", "研发中心项目", "生产基地项目", "数据中心项目", "产业园项目",
                 "新能源电池项目", "功能性材料项目", "供应链结算中心项目", "检验检测中心项目", "工业软件项目",
                 "生物医药产业化项目", "文旅综合体项目", "冷链物流项目", "智能网联汽车零部件项目"]
EVENT_TOPICS = ["智能网联新能源汽车", "新一代电子信息制造业", "先进材料", "生物医药", "现代金融", "软件信息服务",
                "低空经济", "人工智能", "现代物流", "消费品", "文旅康养", "卫星互联网"]
EVENT_KINDS = [("signing", 15), ("matchmaking", 25), ("promotion", 25), ("salon", 10), ("seminar", 10),
               ("visit", 10), ("other", 5)]
SIGNING_EVENT_KINDS = {"signing", "matchmaking", "promotion"}
EVENT_TITLES = {"signing": "集中签约仪式", "matchmaking": "产业对接会", "promotion": "招商推介会", "salon": "院士人才沙龙",
                "seminar": "技术研讨会", "visit": "考察交流活动", "other": "专题活动"}
CATEGORIES = {"land": 15, "planning": 10, "utilities": 7, "talent": 10, "finance": 15, "policy": 7, "other": 10}
REQUEST_TITLES = {"land": "项目用地指标协调", "planning": "规划方案审批加快办理", "utilities": "厂区双回路供电接入",
                  "talent": "高管子女入学与人才公寓", "finance": "设备融资租赁对接", "policy": "产业扶持政策兑现",
                  "other": "员工通勤线路开通"}
ESCALATE_TO_OFFICE_AFTER = 3


@dataclass
class UnitRow:
    id: int
    code: str
    gb_code: str
    kind: str
    ended_on: datetime.date | None
    successor_id: int | None


@dataclass
class World:
    """What the rows refer to: read from the database by ``load_world`` (or made up by a test)."""

    units: list[UnitRow]
    office_id: int
    cluster_ids: list[int]
    organisations: list[tuple[int, str]]  # (id, 字号 or name) — projects' organisations, distinct if possible
    other_organisation_ids: list[int]     # visited or recommended, never taken up
    office_users: list[int]
    staff: dict[int, list[int]]           # unit id → district staff
    specialists: dict[int, list[int]]     # unit id → specialists


@dataclass
class Rows:
    """One chunk's rows per table, as (columns, list of tuples)."""

    tables: dict[str, list[tuple]] = field(default_factory=dict)

    def add(self, table: str, row: tuple) -> None:
        self.tables.setdefault(table, []).append(row)


# Columns written per table (field attnames; ``id`` only where children refer to the row).
COLUMNS: dict[str, tuple[str, ...]] = {
    "events.Event": ("id", "title", "kind", "date", "end_date", "city", "venue", "unit_id", "hosts",
                     "attendee_count", "attendee_count_is_floor", "summary", "agenda", "is_sample", "created_by_id",
                     "created_at", "updated_at", "version"),
    "projects.Project": ("id", "name", "organisation_id", "unit_id", "source_unit_id", "stage", "paused_from",
                         "first_contact_date", "planned_investment", "cluster_id", "chain_role", "specialist_id",
                         "priority", "confidentiality", "protected_until", "description", "signed_date",
                         "agreement_type", "signed_amount", "signed_currency", "registered_entity", "registered_credit_code",
                         "registered_date", "construction_start_date", "production_date", "stage_changed_at",
                         "is_sample", "is_archived", "created_by_id", "created_at", "updated_at", "version"),
    "projects.StageChange": ("project_id", "from_stage", "to_stage", "occurred_on", "changed_at", "changed_by_id",
                             "note", "skip_reason", "evidence", "evidence_file"),
    "projects.SpecialistAssignment": ("project_id", "specialist_id", "started_at", "ended_at", "assigned_by_id",
                                      "note"),
    "activities.Activity": ("id", "kind", "date", "organisation_id", "project_id", "unit_id", "participants",
                            "counterparts", "summary", "next_step", "next_step_due", "next_step_done", "is_sample",
                            "created_by_id", "created_at"),
    "events.Signing": ("event_id", "project_id", "agreement_type", "amount", "currency", "date", "our_signatory",
                       "their_signatory", "order", "status", "withdrawn_reason", "withdrawn_at", "withdrawn_by_id",
                       "is_sample", "created_by_id", "created_at", "updated_at", "version"),
    "fulfilment.FundsEntry": ("project_id", "date", "amount", "note", "evidence", "created_by_id", "created_at",
                              "deleted_at", "deleted_by_id", "delete_reason"),
    "fulfilment.Alert": ("project_id", "kind", "message", "raised_on", "resolved_on", "resolved_reason"),
    "servicedesk.ServiceRequest": ("project_id", "category", "title", "description", "channel", "raised_by_id",
                                   "contact_name", "contact_phone", "owner_unit_id", "owner_id", "due_date", "status",
                                   "escalation_level", "escalated_at", "resolved_at", "version", "is_sample",
                                   "created_at", "updated_at"),
    "recommendations.Recommendation": ("id", "organisation_id", "project_id", "reason", "recommended_by_id",
                                       "from_unit_id", "date", "created_at", "is_sample"),
    "recommendations.RecommendationTarget": ("recommendation_id", "unit_id", "status", "decision_reason",
                                             "decided_by_id", "decided_at", "decided_on", "project_id",
                                             "site_visit_id"),
}
# The library and the reference data the rows point at, kept by delete_projects.
KEPT_APPS = {"accounts", "units", "organisations", "chains", "imports", "auth", "contenttypes"}
# Insert order (parents first).
TABLE_ORDER = list(COLUMNS)
# Tables whose ids the generator assigns (children refer to them): their sequences are reset afterwards.
WITH_IDS = [label for label, cols in COLUMNS.items() if cols[0] == "id"]


def _at(day: datetime.date, minutes: int) -> datetime.datetime:
    """A naive UTC datetime on ``day`` (both databases read it as UTC under USE_TZ)."""
    return datetime.datetime(day.year, day.month, day.day) + datetime.timedelta(minutes=minutes)


def _weighted(pairs):
    values = [v for v, _ in pairs]
    cumulative, total = [], 0
    for _, w in pairs:
        total += w
        cumulative.append(total)
    return values, cumulative, total


class Generator:
    def __init__(self, world: World, *, seed: int, today: datetime.date, projects: int):
        self.w = world
        self.rnd = random.Random(seed)
        self.today = today
        self.n = projects
        self.units = {u.id: u for u in world.units}
        self.final = _weighted(FINAL_STAGES)
        self.stopped = _weighted(STOPPED_AT)
        self.event_kinds = _weighted(EVENT_KINDS)
        districts = [u for u in world.units if u.id != world.office_id]
        self.unit_pick = _weighted([(u, UNIT_WEIGHTS.get(u.code, KIND_WEIGHTS.get(u.kind, 8))) for u in districts])
        self.next_ids = {"projects.Project": 1, "events.Event": 1, "activities.Activity": 1,
                         "recommendations.Recommendation": 1}
        self.events: list[tuple] = []          # (date, id) of events where projects sign, in date order
        self.event_dates: list[datetime.date] = []
        self.sign_order: dict[int, int] = {}   # event id → signings so far (the ceremony order)

    # --- draws ---------------------------------------------------------------------------------
    def pick(self, table):
        values, cumulative, total = table
        return values[bisect.bisect_right(cumulative, self.rnd.random() * total)]

    def chance(self, p: float) -> bool:
        return self.rnd.random() < p

    def days(self, low: int, high: int) -> datetime.timedelta:
        return datetime.timedelta(days=self.rnd.randint(low, high))

    def amount(self, median_yuan: float = 3e8) -> Decimal:
        yuan = math.exp(self.rnd.gauss(math.log(median_yuan), 1.25))
        return Decimal(int(min(max(yuan, 5e6), 3e10) // WAN) * WAN)

    def unit_on(self, day: datetime.date) -> UnitRow:
        for _ in range(20):
            unit = self.pick(self.unit_pick)
            if unit.ended_on is None or day < unit.ended_on:
                return unit
        return self.units[unit.successor_id]

    def take_id(self, label: str) -> int:
        value = self.next_ids[label]
        self.next_ids[label] = value + 1
        return value

    def one(self, ids: list[int]) -> int | None:
        return self.rnd.choice(ids) if ids else None

    # --- events --------------------------------------------------------------------------------
    def event_rows(self) -> Rows:
        """Events over the horizon, more each year (about 80 in 2018, 150 now at 200,000 projects)."""
        rows = Rows()
        scale = max(self.n / 200_000, 0.02)
        year = HORIZON_START.year
        while year <= self.today.year:
            first = datetime.date(year, 1, 1)
            last = min(datetime.date(year, 12, 31), self.today)
            per_year = (80 + 10 * (year - HORIZON_START.year)) * scale * ((last - first).days + 1) / 365
            dates = sorted(first + self.days(0, (last - first).days) for _ in range(max(1, round(per_year))))
            for day in dates:
                kind = self.pick(self.event_kinds)
                eid = self.take_id("events.Event")
                office = self.chance(0.6)
                unit = self.w.office_id if office else self.unit_on(day).id
                city = "北京" if office and self.chance(0.8) else self.rnd.choice(["重庆", "北京", "天津", "石家庄"])
                title = f"{day.year}年{self.rnd.choice(EVENT_TOPICS)}{EVENT_TITLES[kind]}"
                users = self.w.office_users if office else self.w.staff.get(unit) or self.w.office_users
                end = day + self.days(1, 2) if self.chance(0.15) and day + datetime.timedelta(days=2) <= self.today \
                    else None
                created = _at(day - self.days(3, 20), self.rnd.randint(60, 600))
                rows.add("events.Event", (
                    eid, title, kind, day, end, city, f"{city}国际会议中心", unit,
                    "主办 重庆市人民政府；承办 重庆市人民政府驻北京办事处" if office else "",
                    self.rnd.randint(40, 800), self.chance(0.3), "", "", False, self.one(users),
                    created, created, 1))
                if kind in SIGNING_EVENT_KINDS:
                    self.events.append((day, eid))
            year += 1
        self.events.sort()
        self.event_dates = [d for d, _ in self.events]
        return rows

    def event_between(self, after: datetime.date, before: datetime.date, near: datetime.date) -> tuple | None:
        """The signing event closest to ``near`` strictly between the two dates, if any."""
        lo = bisect.bisect_right(self.event_dates, after)
        hi = bisect.bisect_left(self.event_dates, before)
        if lo >= hi:
            return None
        i = min(max(bisect.bisect_left(self.event_dates, near, lo, hi), lo), hi - 1)
        if i > lo and abs((self.event_dates[i - 1] - near).days) <= abs((self.event_dates[i] - near).days):
            i -= 1
        return self.events[i]

    # --- one project ---------------------------------------------------------------------------
    def path(self, source_office: bool) -> tuple[list[str], str]:
        """The pipeline stages entered (from lead) and the stage the project stands at now."""
        final = self.pick(self.final)
        reach = self.pick(self.stopped) if final in ("paused", "terminated") else final
        stages = ["lead"]
        for stage in PIPELINE[1: POS[reach] + 1]:
            last = stage == reach
            if not last and (
                (stage == "contact" and self.chance(0.1))
                or (stage == "recommended" and (not source_office or self.chance(0.2)))
                or (stage == "site_visit" and self.chance(0.25))
                or (stage == "construction" and self.chance(0.2))
            ):
                continue
            stages.append(stage)
        if final == "paused" or (final == "terminated" and self.chance(0.2)):
            stages.append("paused")
        if final == "terminated":
            stages.append("terminated")
        return stages, final

    def dates(self, stages: list[str], final: str) -> list[datetime.date]:
        """One date per entered stage, strictly increasing, the last no later than today."""
        gaps = [0]
        for stage in stages[1:]:
            low, high = GAP_DAYS.get(stage, (30, 400))
            gaps.append(self.rnd.randint(low, high))
        span = sum(gaps)
        available = (self.today - HORIZON_START).days - 1
        if span > available:
            gaps = [0] + [max(1, g * available // span) for g in gaps[1:]]
            span = sum(gaps)
        room = max(0, min(available - span, RECENT_DAYS.get(final, available)))
        # Recent years hold more: the office has grown, and the library with it.
        first = self.today - datetime.timedelta(days=span + int(room * self.rnd.random() ** 1.4))
        out, day = [], first
        for gap in gaps:
            day += datetime.timedelta(days=gap)
            out.append(day)
        return out

    def project(self, rows: Rows, index: int, organisation: tuple[int, str]) -> None:
        rnd, today, office = self.rnd, self.today, self.w.office_id
        pid = self.take_id("projects.Project")
        source_office = self.chance(0.35)
        stages, final = self.path(source_office)
        dates = self.dates(stages, final)
        first = dates[0]
        unit = self.unit_on(first)
        source = office if source_office else (self.unit_on(first).id if self.chance(0.06) else None)
        staff = self.w.staff.get(unit.id) or self.w.office_users
        creator = self.one(self.w.office_users) if source_office and self.chance(0.5) else self.one(staff)
        cluster = self.one(self.w.cluster_ids) if self.chance(0.82) else None
        role = rnd.choice(["strengthen", "consolidate", "fill", "extend"]) if self.chance(0.75) else ""
        entered = dict(zip(stages, dates, strict=True))

        # Signings move the intention and the signed stage to the day of the event they happened at.
        signings = []
        at_event = None
        if "intention" in entered and self.chance(0.25):
            i = stages.index("intention")
            after = dates[i - 1]
            before = dates[i + 1] if i + 1 < len(dates) else today + datetime.timedelta(days=1)
            event = self.event_between(after, before, dates[i])
            if event:
                dates[i] = entered["intention"] = event[0]
                signings.append(("intention", event, event[0]))
        signed_how = None
        if "signed" in entered:
            r = rnd.random()
            signed_how = "event" if r < 0.55 else "own" if r < 0.85 else None
            i = stages.index("signed")
            if signed_how == "event":
                before = dates[i + 1] if i + 1 < len(dates) else today + datetime.timedelta(days=1)
                at_event = self.event_between(dates[i - 1], before, dates[i])
                if at_event:
                    dates[i] = entered["signed"] = at_event[0]
                else:
                    signed_how = "own"

        planned = self.amount() if "intention" in entered or self.chance(0.4) else None
        specialist = None
        if "intention" in entered:
            specialist = self.one(self.w.specialists.get(unit.id) or []) if self.chance(0.9) else None
            specialist = specialist or self.one(self.w.office_users)
        signed_date = entered.get("signed")
        agreement = signed_amount = None
        if signed_date:
            agreement = "contract" if self.chance(0.6) else "framework"
            signed_amount = (planned or self.amount()) * Decimal(rnd.choice(["1", "1", "1", "0.8", "0.6"])) // WAN * WAN
        trade = organisation[1]
        gb = unit.gb_code or "500000"
        registered = entered.get("registered")
        archived = self.chance(0.015)
        confidential = self.chance(0.04)
        changes = len(stages)
        last_change = _at(dates[-1], rnd.randint(60, 600))

        # --- the signings themselves
        disclosed = True
        if signed_date:
            if signed_how:
                disclosed = not self.chance(0.08)
                signings.append((agreement, at_event if signed_how == "event" else None, signed_date))
                if not disclosed and self.chance(0.4):
                    signed_amount = None  # undisclosed at the ceremony and never entered
            elif self.chance(LEGACY_NO_AMOUNT / 0.15):
                signed_amount = None
            if agreement == "framework" and self.chance(0.06):
                later = self.event_between(signed_date, today + datetime.timedelta(days=1),
                                           signed_date + self.days(30, 200))
                if later:
                    signings.append(("contract-again", later, later[0]))
        for kind, event, day in signings:
            agreement_type = "contract" if kind == "contract-again" else kind
            amount = planned if kind == "intention" else signed_amount
            if kind == "intention" and self.chance(0.3):
                amount = None
            if kind in ("framework", "contract") and not disclosed:
                amount = None
            self.signing(rows, pid, event, agreement_type, amount, day, creator)
        if signed_date and self.chance(0.01):
            # Entered twice by mistake and withdrawn: stays in the history, counts nowhere.
            self.signing(rows, pid, None, agreement, signed_amount, signed_date, creator, withdrawn=True)

        rows.add("projects.Project", (
            pid, f"{trade}{rnd.choice(PROJECT_KINDS)}", organisation[0], unit.id, source, final,
            stages[stages.index("paused") - 1] if "paused" in stages else "",
            first, planned, cluster, role, specialist,
            "high" if (signed_amount or planned or 0) >= 10 ** 9 else "normal",
            "confidential" if confidential else "normal", first + datetime.timedelta(days=PROTECTION_DAYS), "",
            signed_date, agreement or "", signed_amount, "CNY",
            f"{trade}科技（重庆）有限公司" if registered else "",
            _credit_code("91" + gb, index, index % 3 == 0) if registered else "", registered,
            entered.get("construction"), entered.get("production"), last_change, False, archived, creator,
            _at(first, rnd.randint(60, 600)), last_change, changes))

        previous = ""
        for stage, day in zip(stages, dates, strict=True):
            skipped = stage in POS and previous in POS and POS[stage] - POS[previous] > 1
            late = self.days(1, 10) if self.chance(0.1) else datetime.timedelta()
            changed = min(_at(day + late, rnd.randint(60, 600)), _at(today, 0))
            note = {"lead": "登记项目", "paused": "企业投资计划调整，暂缓推进。",
                    "terminated": "企业决定在其他省份布局，项目终止。"}.get(stage, "")
            evidence = f"协议编号 CQ-{day.year}-{pid:06d}" if stage == "signed" else ""
            rows.add("projects.StageChange", (
                pid, previous, stage, day, changed, creator, note,
                "企业已完成内部决策，补录跨阶段进展。" if skipped else "", evidence, ""))
            previous = stage

        if specialist:
            rows.add("projects.SpecialistAssignment", (pid, specialist, _at(entered["intention"], 480), None,
                                                       creator, ""))
        if signed_date and final != "terminated":
            self.funds(rows, pid, signed_date, signed_amount or planned or self.amount(), creator)
        self.alerts(rows, pid, final, entered, archived)
        if "intention" in entered and not archived and self.chance(0.12):
            self.requests(rows, pid, unit, entered["intention"], staff, specialist)
        if source_office and "recommended" in entered:
            self.recommendation(rows, pid, organisation[0], unit, entered, first)

    def signing(self, rows, pid, event, agreement_type, amount, day, creator, withdrawn=False) -> None:
        order = 1
        if event is not None and not withdrawn:
            order = self.sign_order.get(event[1], 0) + 1
            self.sign_order[event[1]] = order
        created = _at(day, self.rnd.randint(60, 600))
        rows.add("events.Signing", (
            event[1] if event else None, pid, agreement_type, amount, "CNY", day, "区人民政府 副区长", "企业 董事长",
            order,
            "withdrawn" if withdrawn else "active", "重复录入，撤回。" if withdrawn else "",
            created + datetime.timedelta(hours=2) if withdrawn else None, creator if withdrawn else None,
            False, creator, created, created, 1))

    def funds(self, rows, pid, signed: datetime.date, basis: Decimal, creator) -> None:
        start = signed + datetime.timedelta(days=20)
        if start > self.today or not self.chance(0.65):
            return
        k = self.rnd.randint(1, 6)
        share = Decimal(str(round(self.rnd.uniform(0.1, 1.05), 3)))
        total = basis * share
        days = sorted(start + self.days(0, (self.today - start).days) for _ in range(k))
        for day in days:
            amount = max(total / k // WAN * WAN, Decimal(WAN))
            deleted = self.chance(0.01)
            at = _at(day, self.rnd.randint(60, 600))
            rows.add("fulfilment.FundsEntry", (
                pid, day, amount, "设备购置款到位", "银行回单", creator, at,
                at + datetime.timedelta(hours=1) if deleted else None, creator if deleted else None,
                "金额录入有误" if deleted else ""))

    def alerts(self, rows, pid, final, entered, archived) -> None:
        if archived or final in ("paused", "terminated", "lead"):
            return
        today = self.today
        if final != "production" and self.chance(0.06):
            days = self.rnd.randint(61, 240)
            rows.add("fulfilment.Alert", (pid, "no_activity", f"已{days}天无走访洽谈记录",
                                          today - self.days(1, 60), None, ""))
        signed = entered.get("signed")
        if final == "signed" and signed and (today - signed).days > 90 and self.chance(0.5):
            rows.add("fulfilment.Alert", (pid, "unregistered_after_signing",
                                          f"签约已{(today - signed).days}天，尚未注册落地",
                                          signed + datetime.timedelta(days=91), None, ""))
        if signed and self.chance(0.04):
            rows.add("fulfilment.Alert", (pid, "funds_behind_plan", "到位资金落后于资金到位计划",
                                          today - self.days(1, 90), None, ""))
        first = min(entered.values())
        if (today - first).days > 200 and self.chance(0.08):
            raised = first + self.days(70, 150)
            rows.add("fulfilment.Alert", (pid, "no_activity", "已61天无走访洽谈记录", raised,
                                          raised + self.days(1, 30), "有走访洽谈记录"))

    def requests(self, rows, pid, unit: UnitRow, since: datetime.date, staff, specialist) -> None:
        for _ in range(self.rnd.randint(1, 3)):
            day = since + self.days(0, (self.today - since).days)
            category = self.rnd.choice(list(CATEGORIES))
            due = day + datetime.timedelta(days=CATEGORIES[category])
            owner_unit = unit.id if unit.ended_on is None or day < unit.ended_on else unit.successor_id
            owner = self.one(self.w.staff.get(owner_unit) or self.w.office_users)
            r = self.rnd.random()
            if due >= self.today:
                status = "new" if r < 0.4 else "in_progress" if r < 0.85 else "resolved"
            else:
                status = "resolved" if r < 0.7 else "closed" if r < 0.82 else "in_progress" if r < 0.92 else "new"
            created = _at(day, self.rnd.randint(60, 600))
            resolved = None
            if status in ("resolved", "closed"):
                resolved = min(created + self.days(1, CATEGORIES[category] + 10), _at(self.today, 0))
            overdue = (self.today - due).days if status in ("new", "in_progress") else 0
            level = 0 if overdue <= 0 else 2 if overdue >= 1 + ESCALATE_TO_OFFICE_AFTER else 1
            escalated = _at(due + datetime.timedelta(days=1), 60) if level else None
            rows.add("servicedesk.ServiceRequest", (
                pid, category, REQUEST_TITLES[category], "企业反映的问题，请协调办理。",
                "specialist" if specialist and self.chance(0.4) else "staff", specialist or owner, "", "",
                owner_unit, owner, due, status, level, escalated, resolved, 1, False, created,
                resolved or escalated or created))

    def recommendation(self, rows, pid, org_id, unit: UnitRow, entered, first) -> None:
        """The office's recommendation the district accepted: the project is what came of it."""
        accepted_on = entered["recommended"]
        day = max(first, accepted_on - self.days(0, 14))
        rid = self.take_id("recommendations.Recommendation")
        rows.add("recommendations.Recommendation", (rid, org_id, None, "符合区县主导产业方向，企业有西南布局意向。",
                                                    self.one(self.w.office_users), self.w.office_id, day,
                                                    _at(day, 540), False))
        site_visit = None
        if "site_visit" in entered:
            site_visit = self.activity(rows, "site_visit", entered["site_visit"], org_id, pid, unit.id,
                                       "企业赴渝实地考察，察看园区和标准厂房。")
        # A unit that ended meanwhile answered through its successor, which carries its work.
        answering = unit.id if unit.ended_on is None or day < unit.ended_on else unit.successor_id
        rows.add("recommendations.RecommendationTarget", (
            rid, answering, "accepted", "", self.one(self.w.staff.get(answering) or self.w.office_users),
            _at(accepted_on, 600), accepted_on, pid, site_visit))
        self.other_targets(rows, rid, day, exclude={answering})

    def other_targets(self, rows, rid, day: datetime.date, exclude: set[int], at_least: int = 0) -> None:
        for _ in range(max(at_least, self.rnd.choice([0, 0, 1, 2]))):
            unit = self.unit_on(day)
            if unit.id in exclude:
                continue
            exclude.add(unit.id)
            decided = day + self.days(3, 30)
            r = self.rnd.random()
            if r < 0.15:
                status, decided = "withdrawn", None
            elif decided > self.today or r < 0.35:
                status, decided = "pending", None
            else:
                status = "declined"
            rows.add("recommendations.RecommendationTarget", (
                rid, unit.id, status, "与本区产业定位不符。" if status == "declined" else "",
                self.one(self.w.staff.get(unit.id) or []) if decided else None,
                _at(decided, 600) if decided else None, decided, None, None))

    def activity(self, rows, kind, day, org_id, pid, unit_id, summary) -> int:
        aid = self.take_id("activities.Activity")
        users = self.w.office_users if unit_id == self.w.office_id else self.w.staff.get(unit_id) or self.w.office_users
        rows.add("activities.Activity", (aid, kind, day, org_id, pid, unit_id, "", "", summary, "", None, False,
                                         False, self.one(users), _at(day, self.rnd.randint(60, 600))))
        return aid

    def office_work(self, rows: Rows, count: int, projects: list[tuple[int, int, datetime.date]]) -> None:
        """The office's visits and talks (the funnel's 走访), half to organisations with a project, and
        recommendations that led nowhere."""
        span = (self.today - HORIZON_START).days
        for _ in range(count):
            day = self.today - datetime.timedelta(days=int(span * self.rnd.random() ** 1.6))
            if projects and self.chance(0.5):
                pid, org, first = self.rnd.choice(projects)
                pid = pid if day >= first else None
            else:
                pid, org = None, self.rnd.choice(self.w.other_organisation_ids)
            kind = self.pick((["visit", "talk", "meeting"], [6, 9, 10], 10))
            self.activity(rows, kind, day, org, pid, self.w.office_id, "拜访企业负责人，介绍重庆产业政策。")
        for _ in range(count // 5):
            day = self.today - datetime.timedelta(days=int(span * self.rnd.random() ** 1.6))
            rid = self.take_id("recommendations.Recommendation")
            rows.add("recommendations.Recommendation", (
                rid, self.rnd.choice(self.w.other_organisation_ids), None, "企业有扩产计划，推荐对接。",
                self.one(self.w.office_users), self.w.office_id, day, _at(day, 540), False))
            self.other_targets(rows, rid, day, exclude=set(), at_least=1)

    # --- the whole ------------------------------------------------------------------------------
    def chunks(self) -> Iterator[Rows]:
        yield self.event_rows()
        orgs = self.w.organisations
        for start in range(0, self.n, CHUNK):
            rows = Rows()
            done = []
            for index in range(start, min(start + CHUNK, self.n)):
                org = orgs[index % len(orgs)]
                self.project(rows, index, org)
                done.append((self.next_ids["projects.Project"] - 1, org[0], rows.tables["projects.Project"][-1][7]))
            self.office_work(rows, len(done) // 10, done)
            yield rows


def _credit_code(prefix8: str, v: int, ma: bool) -> str:
    from bench.generator import credit_code

    return credit_code(prefix8, v % 100_000_000, ma)


# --- the database side ---------------------------------------------------------------------------

def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)


def _columns(label: str) -> list[str]:
    meta = _model(label)._meta
    return [meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name).column
            for name in COLUMNS[label]]


def load_world(*, seed: int, projects: int) -> World:
    """The units, clusters, users and organisations the rows refer to; bench users are made once."""
    from django.db import connection

    from apps.accounts.models import Role, User
    from apps.chains.models import Cluster
    from apps.units.models import Unit

    units = [UnitRow(u.pk, u.code, u.gb_code, u.kind, u.ended_on, u.successor_id) for u in Unit.objects.order_by("pk")]
    office = next(u for u in units if u.kind == "office")
    users = {u.username: u for u in User.objects.filter(username__startswith="bench_")}
    wanted = [("bench_office_staff", Role.OFFICE_STAFF, office.id), ("bench_office_admin", Role.OFFICE_ADMIN, office.id)]
    for u in units:
        if u.kind != "office":
            wanted += [(f"bench_{u.code.lower()}_staff{i}", Role.DISTRICT_STAFF, u.id) for i in (1, 2)]
            wanted += [(f"bench_{u.code.lower()}_specialist{i}", Role.SPECIALIST, u.id) for i in (1, 2)]
    new = [User(username=name, role=role, unit_id=unit_id, password="!") for name, role, unit_id in wanted
           if name not in users]
    User.objects.bulk_create(new)
    users = {u.username: u for u in User.objects.filter(username__startswith="bench_")}
    staff: dict[int, list[int]] = {}
    specialists: dict[int, list[int]] = {}
    for name, role, unit_id in wanted:
        if role == Role.DISTRICT_STAFF:
            staff.setdefault(unit_id, []).append(users[name].pk)
        elif role == Role.SPECIALIST:
            specialists.setdefault(unit_id, []).append(users[name].pk)

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM organisations_organisation WHERE merged_into_id IS NULL ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        raise RuntimeError("目标库为空：请先运行 bench import。")
    rnd = random.Random(seed)
    extra = max(projects // 10, 10)
    chosen = rnd.sample(ids, min(len(ids), projects + extra))
    project_ids, other_ids = chosen[:projects], chosen[projects:] or chosen[:extra]
    from apps.organisations.models import Organisation

    names: dict[int, str] = {}
    for start in range(0, len(project_ids), 5000):
        part = project_ids[start:start + 5000]
        names.update((pk, trade or name[:6]) for pk, trade, name in
                     Organisation.objects.filter(pk__in=part).values_list("pk", "trade_name", "name"))
    return World(units=units, office_id=office.id,
                 cluster_ids=list(Cluster.objects.order_by("sort_order", "id").values_list("pk", flat=True)),
                 organisations=[(pk, names[pk]) for pk in project_ids], other_organisation_ids=other_ids,
                 office_users=[users["bench_office_staff"].pk, users["bench_office_admin"].pk],
                 staff=staff, specialists=specialists)


def delete_projects() -> None:
    """Empty every table the generator writes, and the tables whose rows refer to them (public pages,
    plans, replies …): for benchmark databases only. One transaction: both databases check the
    (deferred) foreign keys at its end, so the order does not matter."""
    from django.db import connection, transaction

    tables: dict[str, None] = {}
    todo = [_model(label) for label in TABLE_ORDER]
    while todo:
        model = todo.pop()
        if model._meta.db_table in tables or model._meta.app_label in KEPT_APPS:
            continue
        tables[model._meta.db_table] = None
        todo += [rel.related_model for rel in model._meta.related_objects]
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - table names from the models


def generate(*, projects: int, seed: int = 1, today: datetime.date | None = None,
             progress: Callable[[str], None] | None = None) -> dict:
    """Write ``projects`` projects with their history into the current database; returns row counts."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.organisations.search import copy_rows

    today = today or timezone.localdate()
    started = time.perf_counter()
    counts: dict[str, int] = {}
    world = load_world(seed=seed, projects=projects)
    gen = Generator(world, seed=seed, today=today, projects=projects)
    with connection.cursor() as cursor:
        for label in WITH_IDS:
            cursor.execute(f"SELECT MAX(id) FROM {_model(label)._meta.db_table}")  # noqa: S608
            gen.next_ids[label] = (cursor.fetchone()[0] or 0) + 1
    columns = {label: _columns(label) for label in TABLE_ORDER}
    with transaction.atomic():
        for n, chunk in enumerate(gen.chunks()):
            for label in TABLE_ORDER:
                rows = chunk.tables.get(label)
                if rows:
                    quoted = [connection.ops.quote_name(c) for c in columns[label]]
                    copy_rows(_model(label)._meta.db_table, quoted, rows)
                    counts[label] = counts.get(label, 0) + len(rows)
            if progress and n:
                done = min(n * CHUNK, projects)
                progress(f"  {done:>9,} projects  {done / (time.perf_counter() - started):,.0f} /s")
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [_model(label) for label in WITH_IDS]):
                cursor.execute(sql)
    with connection.cursor() as cursor:
        # The planner's statistics: PostgreSQL's autovacuum would gather them within minutes of such a
        # load; SQLite never does by itself, and none of its deployments runs ANALYZE on these tables.
        if connection.vendor == "postgresql":
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"  # VACUUM: not in a transaction
            for label in TABLE_ORDER:
                cursor.execute(f"{verb} {_model(label)._meta.db_table}")
    return {"seconds": round(time.perf_counter() - started, 1),
            **{label.split(".")[1]: n for label, n in counts.items()}}


def main() -> int:  # pragma: no cover - run through manage.py bench cockpit
    sys.exit("run through manage.py bench cockpit")
