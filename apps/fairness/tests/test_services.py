import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.audit.models import AuditLog
from apps.core.errors import DomainError
from apps.fairness import selectors, services
from apps.fairness.models import FairnessFlag, FlagStatus

pytestmark = pytest.mark.django_db

TERMS = "甲方协助乙方办理项目立项手续。甲方对乙方实行企业所得税先征后返。甲方以零地价向乙方供应项目用地。"


@pytest.fixture
def project(make_project):
    return make_project(unit_name="九龙坡区")


def test_refresh_raises_flags_with_article_and_sentence(project, users):
    flags = services.flags_refresh(obj=project, texts={"terms": TERMS}, actor=users["district"])
    assert [(f.rule_id, f.article, f.status) for f in flags] == [
        ("tax-rebate", "第十条第（一）项", FlagStatus.OPEN), ("zero-land-price", "第十条第（三）项", FlagStatus.OPEN),
    ]
    assert flags[0].sentence == "甲方对乙方实行企业所得税先征后返。"
    assert flags[0].sentence_parts == ("甲方对乙方实行企业所得税", "先征后返", "。")
    assert flags[0].unit_id == project.unit_id
    assert flags[0].target == project
    assert AuditLog.objects.filter(note__startswith="公平竞争审查：新增 2 条").exists()


def test_refresh_replaces_open_flags_and_keeps_those_still_present(project):
    first = services.flags_refresh(obj=project, texts={"terms": TERMS})
    second = services.flags_refresh(obj=project, texts={"terms": "甲方对乙方实行企业所得税先征后返。"})
    assert [f.rule_id for f in second] == ["tax-rebate"]
    assert second[0].pk == first[0].pk  # the same flag, not a new one with a new date
    assert FairnessFlag.objects.count() == 1


def test_a_reviewed_flag_is_not_raised_again_while_its_sentence_stands(project, users):
    [flag, _] = services.flags_refresh(obj=project, texts={"terms": TERMS})
    services.flag_review(actor=users["office"], flag=flag, status=FlagStatus.CLEARED,
                         note="经区财政局核实，依据国务院批准的专项政策。")
    again = services.flags_refresh(obj=project, texts={"terms": TERMS + "乙方按时足额纳税。"})
    statuses = {f.rule_id: f.status for f in again}
    assert statuses == {"tax-rebate": FlagStatus.CLEARED, "zero-land-price": FlagStatus.OPEN}
    assert FairnessFlag.objects.filter(status=FlagStatus.OPEN).count() == 1
    # rewritten sentence: the old review no longer describes the text, a new finding is raised
    rewritten = services.flags_refresh(obj=project, texts={"terms": "甲方对乙方实行增值税先征后返，期限三年。"})
    assert [(f.rule_id, f.status) for f in rewritten] == [("tax-rebate", FlagStatus.OPEN)]


def test_refresh_of_one_field_leaves_the_other_fields_flags(project):
    services.flags_refresh(obj=project, texts={"terms": TERMS, "policy": "给予该企业一企一策奖励。"})
    flags = services.flags_refresh(obj=project, texts={"policy": "按统一标准给予奖励。"})
    assert sorted(f.field_name for f in flags) == ["terms", "terms"]


def test_refresh_never_raises_and_never_blocks(project, monkeypatch):
    services.flags_refresh(obj=project, texts={"terms": TERMS})

    def broken(text):
        raise RuntimeError("rules file damaged")

    monkeypatch.setattr(services, "check_text", broken)
    flags = services.flags_refresh(obj=project, texts={"terms": "任何文字"})
    assert len(flags) == 2  # the flags as they were; nothing half-written
    assert FairnessFlag.objects.count() == 2
    assert services.flags_refresh(obj=project, texts={"terms": None}) is not None


def test_refresh_of_clean_text_returns_nothing_and_writes_no_audit(project):
    before = AuditLog.objects.count()
    assert services.flags_refresh(obj=project, texts={"terms": "甲方协助乙方办理手续。"}) == []
    assert AuditLog.objects.count() == before


def test_review_requires_a_note_and_a_conclusion(project, users):
    [flag, _] = services.flags_refresh(obj=project, texts={"terms": TERMS})
    with pytest.raises(DomainError) as error:
        services.flag_review(actor=users["office"], flag=flag, status=FlagStatus.CLEARED, note="  ")
    assert error.value.field == "note" and "审查意见" in error.value.message
    with pytest.raises(DomainError) as error:
        services.flag_review(actor=users["office"], flag=flag, status=FlagStatus.OPEN, note="看过了")
    assert error.value.field == "status"
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN and flag.reviewed_by is None


def test_review_records_who_when_and_why(project, users):
    [flag, _] = services.flags_refresh(obj=project, texts={"terms": TERMS})
    reviewed = services.flag_review(actor=users["office_admin"], flag=flag, status=FlagStatus.AMENDED,
                                    note="已删去先征后返条款，改为按国家统一政策执行。")
    reviewed.refresh_from_db()
    assert reviewed.status == FlagStatus.AMENDED
    assert reviewed.reviewed_by == users["office_admin"] and reviewed.reviewed_at is not None
    log = AuditLog.objects.filter(model="fairness.fairnessflag", object_id=str(flag.pk)).get()
    assert log.changes == {"status": ["待审查", "已修改"]}


@pytest.mark.parametrize("role", ["district", "district_admin", "specialist", "leader"])
def test_only_office_roles_review(project, users, role):
    [flag, _] = services.flags_refresh(obj=project, texts={"terms": TERMS})
    with pytest.raises(PermissionDenied):
        services.flag_review(actor=users[role], flag=flag, status=FlagStatus.CLEARED, note="无问题")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_another_districts_flag_is_out_of_sight(project, users):
    [flag, _] = services.flags_refresh(obj=project, texts={"terms": TERMS})
    with pytest.raises(Http404):
        services.flag_review(actor=users["district2"], flag=flag, status=FlagStatus.CLEARED, note="无问题")
    assert selectors.flags_for_object(actor=users["district2"], obj=project) == []
    assert len(selectors.flags_for_object(actor=users["district"], obj=project)) == 2
    assert selectors.open_count(actor=users["leader"]) == 2
    assert selectors.open_count(actor=users["liangjiang"]) == 0


def test_queue_lists_open_flags_only_by_default(project, users):
    [flag, _] = services.flags_refresh(obj=project, texts={"terms": TERMS})
    services.flag_review(actor=users["office"], flag=flag, status=FlagStatus.CLEARED, note="依据国务院批复。")
    assert [f.rule_id for f in selectors.flag_queue(actor=users["office"])] == ["zero-land-price"]
    assert len(selectors.flag_queue(actor=users["office"], status="")) == 2
    assert list(selectors.flag_queue(actor=users["office"], q="零地价"))[0].rule_id == "zero-land-price"


def test_a_database_failure_inside_refresh_leaves_the_callers_transaction_usable(project, monkeypatch):
    from django.db import DatabaseError, transaction

    def failing(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(FairnessFlag.objects, "bulk_create", failing)
    with transaction.atomic():
        project.name = "改名后的项目"
        project.save(update_fields=["name"])
        assert services.flags_refresh(obj=project, texts={"terms": TERMS}) == []
        project.refresh_from_db()  # would fail on PostgreSQL if the error had poisoned the transaction
    assert project.name == "改名后的项目"
