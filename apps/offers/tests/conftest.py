import datetime
from decimal import Decimal

import pytest

from apps.chains.models import ChainLink, Cluster
from apps.offers import services

CAR = "智能网联新能源汽车"


@pytest.fixture
def clusters(db):
    return {c.name: c for c in Cluster.objects.all()}


@pytest.fixture
def jlp_offers(users, units, clusters):
    """九龙坡区: a park leading 新能源汽车 that names 热管理, a 12,000 m² factory with 5,000 kVA, a policy."""
    actor = users["district_admin"]
    unit = units["九龙坡区"]
    park = services.park_create(actor=actor, unit=unit, values={
        "name": "九龙坡智能制造产业园", "kind": "industrial", "clusters": [clusters[CAR]],
        "leading_industries": "汽车零部件、热管理系统"})
    site = services.site_create(actor=actor, unit=unit, values={
        "name": "白市驿标准厂房2栋", "park": park, "kind": "factory", "area": Decimal(12000), "power_kva": 5000,
        "price": Decimal(18), "price_unit": "per_m2_month"})
    policy = services.policy_create(actor=actor, unit=unit, values={
        "title": "促进汽车零部件产业发展十条", "doc_number": "九龙坡府发〔2025〕3号", "summary": "租金减免",
        "valid_from": datetime.date(2025, 1, 1), "valid_until": datetime.date(2030, 12, 31),
        "clusters": [clusters[CAR]]})
    return {"park": park, "site": site, "policy": policy}


@pytest.fixture
def cs_offers(users, units, clusters):
    """长寿区: a chemicals park, a 6,000 m² factory with 3,000 kVA — too small and too weak."""
    actor = users["district2"]
    unit = units["长寿区"]
    park = services.park_create(actor=actor, unit=unit, values={
        "name": "长寿经开区", "clusters": [clusters["先进材料"]], "leading_industries": "化工新材料"})
    site = services.site_create(actor=actor, unit=unit, values={
        "name": "中试厂房", "park": park, "kind": "factory", "area": Decimal(6000), "power_kva": 3000})
    return {"park": park, "site": site}


@pytest.fixture
def thermal_link(clusters):
    return ChainLink.objects.get(cluster=clusters[CAR], name="热管理系统")
