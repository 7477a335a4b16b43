"""A year of work made through the real services, small enough to count by hand (test_selectors.py
writes every expected figure out). The period is 2025:

P1 九龙坡区  cluster A 强链 source 驻京办  intention 09-01 → framework 5亿 at 对接会 11-01 → registered 12-10;
             funds 1.2亿 12-15
P2 长寿区    cluster B 补链               intention 05-01 → contract 18亿 on its own 06-15; funds 2亿 07-01
             (and 1亿 entered then withdrawn); an open request past due
P3 江北区    cluster A 延链               intention 09-01 → framework 3亿 at 对接会 11-01 (江北区 ended
             2025-11-06: rolls up into 两江新区)
P4 九龙坡区  —                            intention 09-01; 意向协议 2亿 at 对接会 (stays 意向/协议);
             an open no_activity alert
P5 长寿区    cluster B 固链               intention 09-01 → framework 4亿 at 对接会 11-01; contract 4亿
             again at 签约仪式 12-05 (counted once)
P6 九龙坡区  —                            signed 2024-05-01 1亿 → registered, construction 2024 →
             production 2025-09-01; funds 0.5亿 2025-02-01
P7 九龙坡区  cluster A                    signed 2025-03-01 10亿, then archived: in no figure"""

import datetime
from decimal import Decimal

import pytest

from apps.projects.choices import Stage
from apps.projects.services import project_archive, project_change_stage

D = datetime.date
YI = Decimal(100_000_000)
PERIOD = (D(2025, 1, 1), D(2025, 12, 31))
TODAY = D(2026, 6, 1)
CODE = "91110000600037341L"


def intention(project, actor, on):
    project_change_stage(actor=actor, project=project, to_stage=Stage.INTENTION, skip_reason="测试：直接达成意向",
                         values={"specialist": actor, "planned_investment": 5 * YI}, occurred_on=on)
    project.refresh_from_db()
    return project


def move(project, actor, stage, on, **values):
    project_change_stage(actor=actor, project=project, to_stage=stage, occurred_on=on, values=values,
                         skip_reason="测试：补录")
    project.refresh_from_db()
    return project


@pytest.fixture
def clusters(db):
    from apps.chains.models import Cluster

    first, second = Cluster.objects.order_by("sort_order", "id")[:2]
    return {"A": first, "B": second}


@pytest.fixture
def year(users, units, make_project, clusters):
    from apps.events.services import event_create, signing_create
    from apps.fulfilment.models import Alert
    from apps.fulfilment.services import funds_entry_add, funds_entry_delete
    from apps.servicedesk.services import request_create

    office = users["office"]

    def event(title, day):
        return event_create(actor=office, values={"title": title, "kind": "signing", "date": day, "city": "北京",
                                                  "unit": units["驻京办"]})

    def sign(project, amount_yi, on, agreement="framework", at=None):
        return signing_create(actor=office, project=project, event=at, advance_stage=True,
                              values={"agreement_type": agreement, "amount": Decimal(amount_yi) * YI, "date": on})

    fair = event("重庆市与京津冀地区产业对接活动", D(2025, 11, 1))
    ceremony = event("年末集中签约仪式", D(2025, 12, 5))
    early = dict(first_contact_date=D(2025, 3, 1))
    p1 = make_project(name="P1", unit_name="九龙坡区", cluster=clusters["A"], chain_role="strengthen",
                      source_unit=units["驻京办"], **early)
    p2 = make_project(name="P2", unit_name="长寿区", cluster=clusters["B"], chain_role="fill", **early)
    p3 = make_project(name="P3", unit_name="江北区", cluster=clusters["A"], chain_role="extend", **early)
    p4 = make_project(name="P4", unit_name="九龙坡区", **early)
    p5 = make_project(name="P5", unit_name="长寿区", cluster=clusters["B"], chain_role="consolidate", **early)
    p6 = make_project(name="P6", unit_name="九龙坡区", first_contact_date=D(2024, 1, 10))
    p7 = make_project(name="P7", unit_name="九龙坡区", cluster=clusters["A"], first_contact_date=D(2025, 1, 5))

    for p in (p1, p3, p4, p5):
        intention(p, office, D(2025, 9, 1))
    intention(p2, office, D(2025, 5, 1))
    sign(p1, 5, D(2025, 11, 1), at=fair)
    sign(p2, 18, D(2025, 6, 15), agreement="contract")
    sign(p3, 3, D(2025, 11, 1), at=fair)
    sign(p4, 2, D(2025, 11, 1), agreement="intention", at=fair)
    sign(p5, 4, D(2025, 11, 1), at=fair)
    sign(p5, 4, D(2025, 12, 5), agreement="contract", at=ceremony)
    for p in (p1, p2, p3, p4, p5):
        p.refresh_from_db()
    move(p1, office, Stage.REGISTERED, D(2025, 12, 10), registered_entity="P1（重庆）有限公司",
         registered_credit_code=CODE, registered_date=D(2025, 12, 10))

    intention(p6, office, D(2024, 2, 1))
    move(p6, office, Stage.SIGNED, D(2024, 5, 1), signed_date=D(2024, 5, 1), agreement_type="contract",
         signed_amount=1 * YI)
    move(p6, office, Stage.REGISTERED, D(2024, 8, 1), registered_entity="P6（重庆）有限公司",
         registered_credit_code=CODE, registered_date=D(2024, 8, 1))
    move(p6, office, Stage.CONSTRUCTION, D(2024, 10, 1), construction_start_date=D(2024, 10, 1))
    move(p6, office, Stage.PRODUCTION, D(2025, 9, 1), production_date=D(2025, 9, 1))

    intention(p7, office, D(2025, 2, 1))
    move(p7, office, Stage.SIGNED, D(2025, 3, 1), signed_date=D(2025, 3, 1), agreement_type="contract",
         signed_amount=10 * YI)

    funds_entry_add(actor=office, project=p1, date=D(2025, 12, 15), amount=Decimal("1.2") * YI)
    funds_entry_add(actor=office, project=p2, date=D(2025, 7, 1), amount=2 * YI)
    wrong = funds_entry_add(actor=office, project=p2, date=D(2025, 7, 2), amount=1 * YI)
    funds_entry_delete(actor=office, entry=wrong, reason="重复登记")
    funds_entry_add(actor=office, project=p6, date=D(2025, 2, 1), amount=Decimal("0.5") * YI)
    funds_entry_add(actor=office, project=p7, date=D(2025, 4, 1), amount=3 * YI)

    request_create(actor=office, project=p2, category="land", title="用地指标", today=D(2026, 1, 5))
    request_create(actor=office, project=p1, category="land", title="用电报装", today=TODAY)
    request_create(actor=office, project=p7, category="land", title="已归档项目的诉求", today=D(2026, 1, 5))
    Alert.objects.create(project=p4, kind="no_activity", message="长期无走访洽谈", raised_on=D(2026, 5, 1))
    Alert.objects.create(project=p2, kind="no_activity", message="长期无走访洽谈", raised_on=D(2026, 3, 1),
                         resolved_on=D(2026, 4, 1), resolved_reason="已走访")
    Alert.objects.create(project=p7, kind="no_activity", message="长期无走访洽谈", raised_on=D(2026, 5, 1))

    project_archive(actor=office, project=p7, reason="重复登记")
    return {"P1": p1, "P2": p2, "P3": p3, "P4": p4, "P5": p5, "P6": p6, "P7": p7,
            "fair": fair, "ceremony": ceremony}
