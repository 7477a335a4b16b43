"""Events and signings: totals always come from the signings (edits, withdrawals, a project counted
once), signings move projects forward through the stage rules, and bad input changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.models import AuditLog
from apps.core.errors import ConflictError, DomainError
from apps.events.models import Signing
from apps.events.selectors import event_totals, signing_totals
from apps.events.services import (
    event_create,
    event_update,
    signing_create,
    signing_reorder,
    signing_update,
    signing_withdraw,
)
from apps.events.tests.conftest import EVENT_DAY, YI
from apps.projects.choices import Stage
from apps.projects.models import Project

pytestmark = pytest.mark.django_db


def test_event_totals_are_the_sum_of_its_active_signings(event, make_project, sign):
    a, b, c = make_project(), make_project(unit_name="长寿区"), make_project()
    sign(a, 100)
    sign(b, 18)
    sign(c, "116.5")
    totals = event_totals(event)
    assert totals.count == 3
    assert totals.amount == Decimal("234.5") * YI
    assert totals.amount_text == "234.5亿元"
    assert totals.undisclosed == 0


def test_an_edit_and_a_withdrawal_change_the_totals(event, make_project, sign, users):
    a, b = make_project(), make_project()
    first = sign(a, 10)
    second = sign(b, 5)
    signing_update(actor=users["office"], signing=first, values={"amount": 12 * YI}, expected_version=first.version)
    assert event_totals(event).amount == 17 * YI
    signing_withdraw(actor=users["office"], signing=second, reason="企业未能出席，改期签约")
    totals = event_totals(event)
    assert (totals.count, totals.amount) == (1, 12 * YI)
    second.refresh_from_db()
    assert second.status == "withdrawn" and second.withdrawn_reason == "企业未能出席，改期签约"
    assert AuditLog.objects.filter(model="events.signing", object_id=str(second.pk), note__contains="撤回").exists()


def test_an_undisclosed_amount_counts_the_project_not_a_zero(event, make_project, sign):
    sign(make_project(), 5)
    sign(make_project(), None)
    totals = event_totals(event)
    assert (totals.count, totals.amount, totals.undisclosed) == (2, 5 * YI, 1)


def test_a_project_signs_once_per_event_and_the_second_try_writes_nothing(event, make_project, sign):
    project = make_project()
    sign(project, 5)
    with pytest.raises(ConflictError) as caught:
        sign(project, 7)
    assert "已在本次活动登记签约" in caught.value.message
    assert Signing.objects.filter(project=project).count() == 1
    assert event_totals(event).amount == 5 * YI


def test_after_a_withdrawal_the_project_may_sign_again(event, make_project, sign, users):
    project = make_project()
    first = sign(project, 5)
    signing_withdraw(actor=users["office"], signing=first, reason="金额有误，重新登记")
    sign(project, 6)
    assert event_totals(event).amount == 6 * YI


def test_a_project_signed_at_two_events_counts_once_in_a_cumulative_total(users, units, make_project, sign, event):
    project = make_project()
    later = event_create(actor=users["office"], values={"title": "推介会", "date": datetime.date(2025, 12, 5),
                                                        "unit": units["驻京办"]})
    sign(project, 3, agreement_type="intention")
    sign(project, 8, event_=later, agreement_type="contract")
    other = make_project()
    sign(other, 2)
    totals = signing_totals(Signing.objects.all())
    # The intention at the first event and the contract at the second are one project, at its contract.
    assert (totals.count, totals.amount) == (2, 10 * YI)
    assert totals.by_type == {"contract": 1, "framework": 1}


def test_signing_moves_the_project_to_signed_with_the_signing_facts(event, ready_project, sign):
    project = ready_project()
    sign(project, 5, advance_stage=True, our_signatory="九龙坡区副区长")
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
    assert (project.signed_date, project.agreement_type, project.signed_amount) == (EVENT_DAY, "framework", 5 * YI)
    change = project.stage_changes.get(to_stage=Stage.SIGNED)
    assert "重庆市与京津冀地区产业对接活动" in change.note and change.occurred_on == EVENT_DAY


def test_an_intention_signing_moves_an_early_project_to_intention_only_if_the_rules_allow(event, make_project, sign,
                                                                                          users):
    project = make_project()  # 线索, no planned investment, no specialist
    with pytest.raises(DomainError) as caught:
        sign(project, 5, agreement_type="intention", advance_stage=True)
    assert caught.value.field == "advance_stage"
    assert "同时更新项目阶段" in caught.value.message
    # Refused as a whole: no signing either.
    assert not Signing.objects.filter(project=project).exists()
    project.refresh_from_db()
    assert project.stage == Stage.LEAD
    # Recorded alone, it is kept and the stage is untouched.
    sign(project, 5, agreement_type="intention", advance_stage=False)
    project.refresh_from_db()
    assert project.stage == Stage.LEAD and Signing.objects.filter(project=project).count() == 1


def test_a_future_signing_does_not_move_the_stage(users, units, ready_project, sign):
    future = datetime.date.today() + datetime.timedelta(days=10)
    upcoming = event_create(actor=users["office"], values={"title": "签约仪式", "date": future, "unit": units["驻京办"]})
    project = ready_project()
    sign(project, 5, event_=upcoming, advance_stage=True)
    project.refresh_from_db()
    assert project.stage == Stage.INTENTION


@pytest.mark.parametrize(("values", "field"), [
    ({"agreement_type": "mou"}, "agreement_type"),
    ({"amount": Decimal("-1")}, "amount"),
    ({"amount": Decimal("0")}, "amount"),
    ({"amount": Decimal("2000000000000.00")}, "amount"),
    ({"date": datetime.date(2025, 11, 2)}, "date"),
    ({"order": 0}, "order"),
    ({"our_signatory": "长" * 101}, "our_signatory"),
])
def test_bad_signing_input_names_the_field_and_writes_nothing(event, make_project, users, values, field):
    project = make_project()
    with pytest.raises(DomainError) as caught:
        signing_create(actor=users["office"], project=project, event=event,
                       values={"agreement_type": "framework", "amount": YI, **values}, advance_stage=False)
    assert caught.value.field == field
    assert caught.value.message.split("：")[0] in {"协议类型", "签约金额", "签约日期", "签约顺序", "我方签约代表"}
    assert not Signing.objects.exists()


def test_order_of_signing_appends_inserts_and_reorders(event, make_project, sign, users):
    a, b, c = (sign(make_project(), n) for n in (1, 2, 3))
    assert [s.order for s in (a, b, c)] == [1, 2, 3]
    d = sign(make_project(), 4, order=2)
    orders = dict(Signing.objects.values_list("pk", "order"))
    assert (orders[a.pk], orders[d.pk], orders[b.pk], orders[c.pk]) == (1, 2, 3, 4)
    signing_reorder(actor=users["office"], event=event, ordered_ids=[c.pk, b.pk, a.pk, d.pk])
    assert list(event.signings.active().values_list("pk", flat=True)) == [c.pk, b.pk, a.pk, d.pk]
    with pytest.raises(ConflictError):
        signing_reorder(actor=users["office"], event=event, ordered_ids=[c.pk, b.pk, a.pk])


def test_a_stale_edit_is_refused(event, make_project, sign, users):
    signing = sign(make_project(), 5)
    signing_update(actor=users["office"], signing=signing, values={"amount": 6 * YI}, expected_version=signing.version)
    with pytest.raises(ConflictError):
        signing_update(actor=users["office"], signing=signing, values={"amount": 7 * YI},
                       expected_version=signing.version)
    signing.refresh_from_db()
    assert signing.amount == 6 * YI


def test_event_dates_cannot_move_away_from_its_signings(event, make_project, sign, users):
    sign(make_project(), 5)
    with pytest.raises(DomainError) as caught:
        event_update(actor=users["office"], event=event, values={"date": datetime.date(2025, 11, 3)})
    assert caught.value.field == "date"


@pytest.mark.parametrize(("values", "field"), [
    ({"title": ""}, "title"),
    ({"date": None}, "date"),
    ({"end_date": datetime.date(2025, 10, 31)}, "end_date"),
    ({"attendee_count": -5}, "attendee_count"),
    ({"attendee_count": "四百"}, "attendee_count"),
    ({"kind": "party"}, "kind"),
])
def test_bad_event_input_names_the_field(users, units, values, field):
    from apps.events.models import Event

    base = {"title": "推介会", "date": datetime.date(2025, 11, 1), "unit": units["驻京办"]}
    with pytest.raises(DomainError) as caught:
        event_create(actor=users["office"], values={**base, **values})
    assert caught.value.field == field
    assert not Event.objects.exists()


def test_who_may_create_and_change_events(users, units, event):
    with pytest.raises(PermissionDenied):
        event_create(actor=users["leader"], values={"title": "x", "date": EVENT_DAY, "unit": units["驻京办"]})
    with pytest.raises(DomainError) as caught:
        event_create(actor=users["district"], values={"title": "x", "date": EVENT_DAY, "unit": units["长寿区"]})
    assert caught.value.field == "unit"
    own = event_create(actor=users["district"], values={"title": "九龙坡推介会", "date": EVENT_DAY,
                                                         "unit": units["九龙坡区"]})
    event_update(actor=users["district_admin"], event=own, values={"attendee_count": 80})
    with pytest.raises(PermissionDenied):
        event_update(actor=users["district2"], event=own, values={"attendee_count": 90})
    with pytest.raises(PermissionDenied):
        event_update(actor=users["district"], event=event, values={"attendee_count": 90})


def test_a_district_signs_its_own_project_at_the_offices_event_but_not_anothers(event, make_project, sign, users):
    own = make_project(actor=users["district"])
    sign(own, 2, actor=users["district"])
    theirs = make_project(unit_name="长寿区")
    with pytest.raises(Project.DoesNotExist):  # not theirs to see: a 404 on the page and in the API
        sign(theirs, 2, actor=users["district"])
    with pytest.raises(PermissionDenied):
        sign(own, 2, actor=users["leader"])


def test_archived_and_terminated_projects_cannot_sign(event, make_project, sign, users):
    from apps.projects.services import project_archive, project_change_stage

    stopped = make_project()
    project_change_stage(actor=users["office"], project=stopped, to_stage=Stage.TERMINATED, note="企业放弃")
    with pytest.raises(DomainError) as caught:
        sign(stopped, 1)
    assert "已终止" in caught.value.message
    archived = make_project()
    project_archive(actor=users["office"], project=archived, reason="重复登记")
    with pytest.raises(DomainError):
        sign(archived, 1)


def test_editing_the_order_moves_the_signing_and_closes_up_the_others(event, make_project, sign, users):
    a, b, c = (sign(make_project(), n) for n in (1, 2, 3))
    signing_update(actor=users["office"], signing=c, values={"order": 1}, expected_version=c.version)
    assert list(event.signings.active().values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]
    assert sorted(event.signings.active().values_list("order", flat=True)) == [1, 2, 3]


def test_a_district_may_edit_its_signing_but_not_move_it_in_the_order(event, make_project, sign, users):
    own = sign(make_project(actor=users["district"]), 1, actor=users["district"])
    sign(make_project(), 2)
    signing_update(actor=users["district"], signing=own, values={"amount": 3 * YI}, expected_version=own.version)
    own.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        signing_update(actor=users["district"], signing=own, values={"order": 2}, expected_version=own.version)
    assert caught.value.field == "order"
    own.refresh_from_db()
    assert (own.order, own.amount) == (1, 3 * YI)


def test_the_tally_shows_only_that_a_hidden_signing_happened(event, make_project, sign, users):
    from apps.events.selectors import tally

    sign(make_project(unit_name="长寿区", name="长寿保密行"), 9)
    row = tally(actor=users["district"], event=event).latest[0]
    assert row["name"] is None and row["unit"] is None and row["amount"] is None and row["agreement"] is None
    assert tally(actor=users["district"], event=event).totals.amount == 9 * YI
