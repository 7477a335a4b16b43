"""Demo fulfilment data: funds in place and plans for the demo's signed sample projects, through the
same services the pages use; then the daily check, so the demo opens with alerts of every kind.

Invented figures go only on projects marked 示例. The projects of the 2025-11-02 重庆日报 article (新凯精测,
骅远, 北京嘉岳) are real and the article reports no funds in place, so none is invented for them; their
alerts (signed a year ago without registration, no recorded talk since the signing event) come from the
facts the demo does record."""

import datetime
from decimal import ROUND_DOWN, Decimal

from apps.accounts.models import User
from apps.fulfilment.choices import POST_SIGNING_STAGES
from apps.fulfilment.services import funds_entry_add, funds_plan_set, raise_alerts
from apps.projects.models import Project

WAN = Decimal(10_000)
# Instalments after signing: (days after signing, share of the signed amount).
PLAN_SHAPE = [(60, Decimal("0.3")), (150, Decimal("0.3")), (300, Decimal("0.4"))]
# Which district's demo account records for a unit's projects; the office records for the others.
RECORDERS = {"九龙坡区": "demo_district", "长寿区": "demo_district2"}


def _share(amount: Decimal, share: Decimal) -> Decimal:
    # Whole 万元, as plans are written; the last instalment takes the remainder.
    return (amount * share / WAN).quantize(Decimal(1), rounding=ROUND_DOWN) * WAN


def _plan(project: Project) -> list[dict]:
    items, planned = [], Decimal(0)
    for number, (days, share) in enumerate(PLAN_SHAPE, start=1):
        last = number == len(PLAN_SHAPE)
        amount = project.signed_amount - planned if last else _share(project.signed_amount, share)
        planned += amount
        items.append({"due_date": project.signed_date + datetime.timedelta(days=days), "amount": amount,
                      "note": f"（示例）第{number}期"})
    return items


def load(accounts: dict[str, User], projects: list[Project], today: datetime.date) -> dict:
    """Plans and funds for the signed sample projects among ``projects``. The first signed sample of
    九龙坡区 (demo_district's) falls behind its plan; the others keep to it. Returns raise_alerts' counts."""
    samples = sorted((p for p in projects if p.is_sample and p.signed_date and p.signed_amount
                      and p.stage in POST_SIGNING_STAGES and not p.is_archived),
                     key=lambda p: (p.signed_date, p.pk))
    behind = next((p for p in samples if p.unit.name == "九龙坡区" and p.stage == "signed"), None)
    behind = behind or (samples[0] if samples else None)
    for project in samples:
        actor = accounts[RECORDERS.get(project.unit.name, "demo_office")]
        plan = _plan(project)
        funds_plan_set(actor=actor, project=project, items=plan)
        for number, item in enumerate(plan, start=1):
            # On-track projects receive each instalment ten days before it falls due; the laggard only a
            # third of its first one.
            arrived = max(item["due_date"] - datetime.timedelta(days=10), project.signed_date)
            if arrived > today:
                break
            amount = item["amount"]
            if project == behind:
                amount = _share(amount, Decimal(1) / 3)
            funds_entry_add(actor=actor, project=project, date=arrived, amount=amount, today=today,
                            note=f"（示例）第{number}期资金到位", evidence="（示例）银行进账单")
            if project == behind:
                break
    return raise_alerts(today=today)
