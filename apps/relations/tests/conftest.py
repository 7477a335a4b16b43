"""A landed firm (a 九龙坡区 project at 注册落地) and helpers to relate organisations to it."""

import datetime
from decimal import Decimal

import pytest

from apps.core.codes import make_org_code, make_uscc
from apps.projects.choices import AgreementType, Stage
from apps.projects.services import project_change_stage

YI = Decimal(100_000_000)
DAY = datetime.date(2025, 10, 1)


@pytest.fixture
def land(users):
    counter = {"n": 0}

    def land(project, *, actor=None, amount=2 * YI):
        """Walk a project from 线索 to 注册落地, one stage at a time, as a district would."""
        counter["n"] += 1
        actor = actor or users["office"]
        day = max(DAY, project.first_contact_date)
        code = make_uscc("91500107" + make_org_code(f"{counter['n']:08d}"))
        values = {
            Stage.INTENTION: {"planned_investment": amount, "specialist": users["specialist"]},
            Stage.SIGNED: {"signed_date": day, "agreement_type": AgreementType.CONTRACT, "signed_amount": amount},
            Stage.REGISTERED: {"registered_entity": f"{project.name}（重庆）有限公司", "registered_credit_code": code,
                               "registered_date": day},
        }
        for stage in [Stage.CONTACT, Stage.RECOMMENDED, Stage.SITE_VISIT, Stage.INTENTION, Stage.SIGNED,
                      Stage.REGISTERED]:
            project_change_stage(actor=actor, project=project, to_stage=stage, values=values.get(stage, {}),
                                 occurred_on=day)
            project.refresh_from_db()
        return project

    return land


@pytest.fixture
def make_org(users):
    from apps.organisations.services import organisation_create

    def make(name, **fields):
        return organisation_create(actor=users["office"], name=name, **fields)

    return make


@pytest.fixture
def clusters(db):
    from apps.chains.models import Cluster

    return {c.name: c for c in Cluster.objects.all()}


@pytest.fixture
def landed(make_project, land, make_org, clusters):
    """长安汽车 landed in 九龙坡区 (智能网联新能源汽车)."""
    firm = make_org("长安汽车股份有限公司")
    project = make_project(organisation=firm, name="长安汽车西部基地项目", cluster=clusters["智能网联新能源汽车"])
    return land(project)
