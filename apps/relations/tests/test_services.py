"""Relations and ties: what is stored, what is refused (in Chinese), merged records resolved."""

import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.models import AuditLog
from apps.core.errors import DomainError
from apps.organisations.merge import organisation_merge
from apps.relations import services
from apps.relations.models import PersonTie, Relation

pytestmark = pytest.mark.django_db


def test_a_customer_is_stored_as_the_inverse_supplier_and_a_repeat_from_the_other_side_is_refused(users, make_org):
    car, cells = make_org("长安汽车股份有限公司"), make_org("宁德时代新能源科技股份有限公司")
    relation = services.relation_create(actor=users["district"], organisation=cells, related=car, kind="customer",
                                        strength=3, evidence="年报")
    assert (relation.organisation, relation.related, relation.kind) == (car, cells, "supplier")
    assert relation.label_from(car.pk) == "供应商" and relation.label_from(cells.pk) == "客户"
    with pytest.raises(DomainError) as error:
        services.relation_create(actor=users["office"], organisation=car, related=cells, kind="supplier")
    assert "已记录“宁德时代新能源科技股份有限公司 是 长安汽车股份有限公司 的供应商”" in error.value.message
    assert Relation.objects.count() == 1
    assert AuditLog.objects.filter(model="relations.relation", action="create").count() == 1


def test_partners_are_one_fact_whichever_way_round(users, make_org):
    a, b = make_org("甲方科技有限公司"), make_org("乙方科技有限公司")
    services.relation_create(actor=users["office"], organisation=a, related=b, kind="partner")
    with pytest.raises(DomainError, match="同一对企业的同类关系只记一次"):
        services.relation_create(actor=users["office"], organisation=b, related=a, kind="partner")


def test_self_relation_bad_strength_and_leaders_are_refused(users, make_org):
    a, b = make_org("甲方科技有限公司"), make_org("乙方科技有限公司")
    with pytest.raises(DomainError, match="不能与自身建立关系"):
        services.relation_create(actor=users["office"], organisation=a, related=a, kind="supplier")
    with pytest.raises(DomainError, match="强度：请选择强、中或弱"):
        services.relation_create(actor=users["office"], organisation=a, related=b, kind="supplier", strength=5)
    with pytest.raises(PermissionDenied):
        services.relation_create(actor=users["leader"], organisation=a, related=b, kind="supplier")
    assert not Relation.objects.exists()


def test_a_merged_duplicate_resolves_to_its_survivor(users, make_org):
    a, survivor, duplicate = make_org("甲方科技有限公司"), make_org("乙方科技有限公司"), make_org("乙方科技（北京）有限公司")
    organisation_merge(actor=users["office_admin"], survivor=survivor, merged=duplicate)
    duplicate.refresh_from_db()
    relation = services.relation_create(actor=users["office"], organisation=a, related=duplicate, kind="supplier")
    assert relation.related == survivor
    with pytest.raises(DomainError, match="不能与自身建立关系"):
        services.relation_create(actor=users["office"], organisation=survivor, related=duplicate, kind="partner")


def test_merging_moves_relations_to_the_survivor(users, make_org):
    a, survivor, duplicate = make_org("甲方科技有限公司"), make_org("乙方科技有限公司"), make_org("乙方科技（北京）有限公司")
    relation = services.relation_create(actor=users["office"], organisation=a, related=duplicate, kind="investor")
    organisation_merge(actor=users["office_admin"], survivor=survivor, merged=duplicate)
    relation.refresh_from_db()
    assert relation.related == survivor


def test_news_proposal_is_idempotent(users, make_org):
    a, b = make_org("甲方科技有限公司"), make_org("乙方科技有限公司")
    first, created = services.relation_propose_from_news(actor=users["office"], article=None, organisation=a,
                                                         related=b, kind="supplier", evidence="乙方成为甲方一级供应商")
    again, created_again = services.relation_propose_from_news(actor=users["office"], article=None, organisation=a,
                                                               related=b, kind="supplier", evidence="同一消息")
    assert created and not created_again and first.pk == again.pk
    assert first.source == "news" and first.strength == 1


def test_relation_delete_needs_write_right(users, make_org):
    a, b = make_org("甲方科技有限公司"), make_org("乙方科技有限公司")
    relation = services.relation_create(actor=users["office"], organisation=a, related=b, kind="supplier")
    with pytest.raises(PermissionDenied):
        services.relation_delete(actor=users["leader"], relation=relation)
    services.relation_delete(actor=users["district2"], relation=relation)
    assert not Relation.objects.exists()


def test_person_tie_rules(users, make_org):
    from apps.organisations.services import person_create

    org = make_org("甲方科技有限公司")
    person = person_create(actor=users["office"], name="王挂职")
    tie = services.person_tie_create(actor=users["district"], person=person, organisation=org, channel="seconded",
                                     warmth=3)
    assert tie.get_channel_display() == "在京挂职干部"
    with pytest.raises(DomainError, match="已记录王挂职通过在京挂职干部联系"):
        services.person_tie_create(actor=users["office"], person=person, organisation=org, channel="seconded")
    with pytest.raises(DomainError, match="熟悉程度"):
        services.person_tie_create(actor=users["office"], person=person, organisation=org, channel="alumni", warmth=9)
    with pytest.raises(PermissionDenied):
        services.person_tie_create(actor=users["leader"], person=person, organisation=org, channel="alumni")
    assert PersonTie.objects.count() == 1
