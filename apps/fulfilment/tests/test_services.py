"""Recording funds in place and the plan: the rules, in the Chinese sentences a person will read."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.models import AuditLog
from apps.core.errors import ConflictError, DomainError
from apps.fulfilment.models import FundsEntry, FundsPlanItem
from apps.fulfilment.selectors import project_fulfilment
from apps.fulfilment.services import funds_entry_add, funds_entry_delete, funds_plan_set
from apps.fulfilment.tests.conftest import WAN, YI

D = datetime.date


FIRST_FUNDS_DAY, RECORDED_ON = D(2025, 12, 15), D(2026, 1, 1)


def add(project, actor, *, date=FIRST_FUNDS_DAY, amount=Decimal("1.2") * YI, today=RECORDED_ON, **extra):
    return funds_entry_add(actor=actor, project=project, date=date, amount=amount, today=today, **extra)


def refused(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        call(**kwargs)
    return info.value


def test_an_entry_is_recorded_and_audited(signed_project, users):
    entry = add(signed_project, users["district"], note="首笔注资", evidence="工商银行回单 No.0012")
    assert entry.amount == Decimal("120000000.00") and entry.created_by == users["district"]
    log = AuditLog.objects.get(model="fulfilment.fundsentry", object_id=str(entry.pk))
    assert log.action == "create" and log.changes["amount"] == [None, "120000000.00"]


@pytest.mark.parametrize("amount, message", [
    (Decimal(0), "到位金额：须大于0。"),
    (Decimal(-5) * WAN, "到位金额：须大于0。"),
    (None, "到位金额：请填写金额。"),
    (Decimal("0.001"), "到位金额：金额最多精确到分。"),
    (Decimal(2) * 10**12, "到位金额：20,000亿元超过1万亿元"),
])
def test_the_amount_must_be_a_positive_sum_in_cents(signed_project, users, amount, message):
    error = refused(add, project=signed_project, actor=users["district"], amount=amount)
    assert error.message.startswith(message) and error.field == "amount"
    assert not FundsEntry.objects.exists()


def test_the_date_may_be_neither_in_the_future_nor_before_the_signing(signed_project, users):
    error = refused(add, project=signed_project, actor=users["district"], date=D(2026, 1, 2), today=D(2026, 1, 1))
    assert error.message == "到位日期：不能晚于今天；尚未到位的资金请写入资金到位计划。" and error.field == "date"
    error = refused(add, project=signed_project, actor=users["district"], date=D(2025, 10, 31))
    assert error.message == "到位日期：不能早于签约日期（2025年11月1日）。" and error.field == "date"
    error = refused(add, project=signed_project, actor=users["district"], date=None)
    assert error.message == "到位日期：请填写资金到位的日期。"
    # The signing day itself and today are fine.
    add(signed_project, users["district"], date=D(2025, 11, 1))
    add(signed_project, users["district"], date=D(2026, 1, 1))


def test_a_project_not_yet_signed_has_no_funds(make_project, users):
    project = make_project()
    error = refused(add, project=project, actor=users["district"])
    assert error.message == "签约日期：项目尚未签约，签约后才能登记到位资金。"


def test_more_than_the_signed_amount_is_accepted_with_a_warning(signed_project, users):
    add(signed_project, users["district"], amount=4 * YI)
    assert project_fulfilment(actor=users["district"], project=signed_project)["warning"] == ""
    add(signed_project, users["district"], amount=Decimal("1.5") * YI, date=D(2025, 12, 20))
    figures = project_fulfilment(actor=users["district"], project=signed_project)
    assert figures["funds_total"] == Decimal("5.5") * YI and figures["funds_percent"] == Decimal("110.0")
    assert figures["warning"].startswith("到位资金累计5.5亿元，已超过签约金额5亿元。请核实是否重复登记")


def test_who_may_record(signed_project, users):
    for role in ["office", "office_admin", "district", "district_admin"]:
        add(signed_project, users[role])
    for role, message in [("leader", "您的角色为只读"), ("district2", "没有修改该项目"),
                          ("specialist", "没有修改该项目"), ("liangjiang", "没有修改该项目")]:
        with pytest.raises(PermissionDenied, match=message):
            add(signed_project, users[role])
    assert FundsEntry.objects.count() == 4


def test_a_repeated_submission_records_once(signed_project, users):
    add(signed_project, users["district"], submission_key="k-1")
    with pytest.raises(ConflictError):
        add(signed_project, users["district"], submission_key="k-1")
    assert FundsEntry.objects.count() == 1


def test_deleting_withdraws_the_entry_from_every_sum_and_keeps_it_on_record(signed_project, users):
    keep = add(signed_project, users["district"], amount=1 * YI)
    wrong = add(signed_project, users["district"], amount=1 * YI, date=D(2025, 12, 16))
    error = refused(funds_entry_delete, actor=users["district"], entry=wrong, reason="  ")
    assert error.message.startswith("撤销原因：请写明") and error.field == "reason"
    funds_entry_delete(actor=users["district"], entry=wrong, reason="重复登记")
    wrong.refresh_from_db()
    assert wrong.deleted_by == users["district"] and wrong.delete_reason == "重复登记"
    figures = project_fulfilment(actor=users["district"], project=signed_project)
    assert figures["funds_total"] == 1 * YI and figures["entries"] == [keep]
    assert figures["withdrawn_entries"] == [wrong]
    log = AuditLog.objects.get(model="fulfilment.fundsentry", object_id=str(wrong.pk), action="archive")
    assert "重复登记" in log.note
    with pytest.raises(ConflictError):
        funds_entry_delete(actor=users["district"], entry=wrong, reason="再撤一次")
    with pytest.raises(PermissionDenied):
        funds_entry_delete(actor=users["leader"], entry=keep, reason="领导不能撤销")
    with pytest.raises(PermissionDenied):
        funds_entry_delete(actor=users["district2"], entry=keep, reason="他区不能撤销")


# --- 资金到位计划 ---------------------------------------------------------------------------------------

def plan(*rows):
    return [{"due_date": due, "amount": amount, "note": note} for due, amount, note in rows]


def test_the_plan_is_replaced_as_a_whole_and_audited(signed_project, users):
    funds_plan_set(actor=users["district"], project=signed_project,
                   items=plan((D(2026, 6, 30), 1 * YI, "二期"), (D(2026, 3, 31), 2 * YI, "首期")))
    assert list(FundsPlanItem.objects.values_list("due_date", "amount")) == [(D(2026, 3, 31), 2 * YI),
                                                                             (D(2026, 6, 30), 1 * YI)]
    funds_plan_set(actor=users["district"], project=signed_project, items=plan((D(2026, 12, 31), 5 * YI, "")))
    assert list(FundsPlanItem.objects.values_list("due_date", flat=True)) == [D(2026, 12, 31)]
    funds_plan_set(actor=users["district"], project=signed_project, items=[])
    assert not FundsPlanItem.objects.exists()
    logs = AuditLog.objects.filter(model="fulfilment.fundsplan", object_id=str(signed_project.pk)).order_by("id")
    assert [len(log.changes["funds_plan"][1]) for log in logs] == [2, 1, 0]
    assert logs[0].changes["funds_plan"][1][0] == "2026-03-31 2亿元（首期）"


def test_the_plan_may_not_exceed_the_signed_amount(signed_project, users):
    error = refused(funds_plan_set, actor=users["district"], project=signed_project,
                    items=plan((D(2026, 3, 31), 3 * YI, ""), (D(2026, 6, 30), Decimal("2.5") * YI, "")))
    assert error.message.startswith("资金到位计划：各期合计5.5亿元，超过签约金额5亿元。")
    funds_plan_set(actor=users["district"], project=signed_project,
                   items=plan((D(2026, 3, 31), 3 * YI, ""), (D(2026, 6, 30), 2 * YI, "")))


@pytest.mark.parametrize("rows, message", [
    (((D(2026, 3, 31), 0, ""),), "资金到位计划第1期：本期计划金额须大于0。"),
    (((D(2026, 3, 31), 1 * YI, ""), (None, 1 * YI, "")), "资金到位计划第2期：请填写计划到位日期。"),
    (((D(2026, 3, 31), None, ""),), "资金到位计划第1期：请填写本期计划金额。"),
    (((D(2025, 10, 1), 1 * YI, ""),), "资金到位计划第1期：计划到位日期不能早于签约日期（2025年11月1日）。"),
    (((D(2026, 3, 31), 1 * YI, ""), (D(2026, 3, 31), 1 * YI, "")),
     "资金到位计划第2期：与第1期的日期相同（2026年3月31日），同一天请合并为一期。"),
])
def test_plan_rows_are_checked_one_by_one(signed_project, users, rows, message):
    error = refused(funds_plan_set, actor=users["district"], project=signed_project, items=plan(*rows))
    assert error.message == message and error.field == "items"
    assert not FundsPlanItem.objects.exists()


def test_who_may_set_the_plan(signed_project, make_project, users):
    for role in ["leader", "district2", "specialist"]:
        with pytest.raises(PermissionDenied):
            funds_plan_set(actor=users[role], project=signed_project, items=plan((D(2026, 3, 31), YI, "")))
    error = refused(funds_plan_set, actor=users["district"], project=make_project(), items=[])
    assert error.message == "签约日期：项目尚未签约，签约后才能登记资金到位计划。"
