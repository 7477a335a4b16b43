import pytest


@pytest.fixture
def car(db):
    from apps.chains.models import Cluster

    return Cluster.objects.get(name="智能网联新能源汽车")


@pytest.fixture
def links(car):
    """The car map's links by path."""
    from apps.chains.services import link_path

    return {link_path(link): link for link in car.links.select_related("parent__parent")}


@pytest.fixture
def make_org(users):
    from apps.organisations.services import organisation_create

    counter = {"n": 0}

    def make(name=None, region="北京市海淀区", **fields):
        counter["n"] += 1
        return organisation_create(actor=users["office"], name=name or f"链测企业{counter['n']:03d}有限公司",
                                   region=region, **fields)

    return make
