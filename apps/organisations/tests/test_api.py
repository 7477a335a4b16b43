"""The target library and its people over the API. The library is shared — any district reads any
organisation — so "another district's record" here is the work on it: 长寿区 learns that 九龙坡区 holds
an organisation and until when, never the project's name or amount."""

import datetime
import json
from decimal import Decimal

import pytest
from ninja import Schema

from apps.core.codes import make_org_code, make_uscc
from apps.core.testing import bearer, text
from apps.organisations.choices import IndustrySection, OrgKind
from apps.organisations.models import Organisation, Person
from apps.organisations.schemas import MATCH_CLASSES

API = "/api/v1/organisations"
PROJECT = "骅远人工智能数据安全中心"
GOOD_CODE = make_uscc("91500107" + make_org_code("MA5U1234"))
BAD_CODE = GOOD_CODE[:-1] + ("0" if GOOD_CODE[-1] != "0" else "1")




def state(org) -> tuple:
    org.refresh_from_db()
    return org.name, org.credit_code, org.region, org.version, list(org.aliases.values_list("name", flat=True))


@pytest.fixture
def held(make_project, organisation):
    """九龙坡区 works the organisation."""
    return make_project(organisation=organisation, name=PROJECT, planned_investment=Decimal("500000000"))


# --- GET /organisations --------------------------------------------------------------------------

def test_list_anonymous_is_401(client, organisation):
    response = client.get(API)
    assert response.status_code == 401
    assert organisation.name not in text(response)


def test_list_leader_reads(client, users, organisation):
    client.force_login(users["leader"])
    response = client.get(API)
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["items"][0]["credit_code"] == organisation.credit_code


def test_list_other_district_sees_the_shared_library_but_not_the_work(client, users, organisation, held):
    client.force_login(users["district2"])
    response = client.get(API)
    assert [o["name"] for o in response.json()["items"]] == [organisation.name]
    assert PROJECT not in text(response) and "500000000" not in text(response)


def test_list_filters_and_pagination(client, users, organisation):
    from apps.organisations.services import organisation_create

    for n in range(52):
        organisation_create(actor=users["office"], name=f"北京测试科技{n:02d}有限公司", kind="university"
                            if n == 0 else "enterprise")
    archived = organisation_create(actor=users["office"], name="已归档的单位有限公司")
    Organisation.objects.filter(pk=archived.pk).update(is_archived=True)
    client.force_login(users["district"])
    data = client.get(API).json()
    assert data["count"] == 53 and len(data["items"]) == 50
    assert len(client.get(API, {"page": 2}).json()["items"]) == 3
    assert client.get(API, {"q": "骅远"}).json()["items"][0]["id"] == organisation.pk
    assert client.get(API, {"kind": "university"}).json()["count"] == 1
    assert "已归档" not in text(client.get(API, {"q": "已归档"}))


def test_list_query_count_does_not_grow_with_rows(client, users, django_assert_max_num_queries):
    from apps.organisations.services import organisation_create

    for n in range(20):
        organisation_create(actor=users["office"], name=f"北京测试科技{n:02d}有限公司", short_names=[f"测试{n:02d}"])
    client.force_login(users["district"])
    with django_assert_max_num_queries(8):
        assert client.get(API).json()["count"] == 20


def test_a_search_row_shows_what_the_detail_shows(client, users):
    """The search list reads plain rows (selectors.organisation_rows), the detail an Organisation
    instance: an organisation must look the same in both, aliases, labels and times included."""
    from apps.organisations.services import organisation_create

    org = organisation_create(actor=users["office"], name="北京信技源信息服务有限公司", credit_code=GOOD_CODE,
                              kind="university", industry_section="I", region="北京市海淀区", size="small",
                              is_listed=True, source="走访", description="数据服务", short_names=["信技源", "信技"])
    organisation_create(actor=users["office"], name="信技源达科技有限公司")
    headers = bearer(client, users["district"])
    detail = client.get(f"{API}/{org.pk}", headers=headers).json()
    detail.pop("claims")

    searched = client.get(API, {"q": "信技源"}, headers=headers).json()
    listed = client.get(API, {"kind": "university"}, headers=headers).json()

    assert searched["count"] == 2
    assert searched["items"][0] == {**detail, "match": "exact"}
    assert [a["name"] for a in detail["aliases"]] == ["信技源", "信技"] and detail["kind_label"] == "高校"
    assert detail["created_at"].endswith("Z") and detail["industry_section_label"].startswith("I ")
    assert listed["items"] == [{**detail, "match": None}]


def test_a_search_page_is_a_few_queries_and_no_count_when_the_list_is_short(client, users,
                                                                            django_assert_max_num_queries):
    from apps.organisations.services import organisation_create

    for n in range(30):
        organisation_create(actor=users["office"], name=f"北京页查询{n:02d}科技有限公司", short_names=[f"页查{n:02d}"])
    headers = bearer(client, users["district"])
    with django_assert_max_num_queries(9) as captured:
        data = client.get(API, {"q": "页查询"}, headers=headers).json()
    assert data["count"] == 30 and len(data["items"]) == 30
    assert [row["name"] for row in data["items"]] == [f"北京页查询{n:02d}科技有限公司" for n in range(30)]
    assert all(len(row["aliases"]) == 1 for row in data["items"])
    assert not any("COUNT(" in q["sql"] for q in captured.captured_queries)


class _AliasBefore(Schema):
    name: str
    kind: str


class _SearchOutBefore(Schema):
    """GET /organisations's row as the API gave it before the list read plain rows: a ninja Schema
    over Organisation instances (then OrganisationOut + resolve_match), kept here as the reference."""

    id: int
    name: str
    credit_code: str | None
    kind: str
    kind_label: str
    region: str
    industry_section: str
    industry_section_label: str
    size: str
    is_fortune500: bool
    is_specialised: bool
    is_listed: bool
    source: str
    description: str
    is_sample: bool
    aliases: list[_AliasBefore]
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    match: str | None = None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(dict(OrgKind.choices).get(obj.kind, obj.kind))

    @staticmethod
    def resolve_industry_section_label(obj) -> str:
        return str(dict(IndustrySection.choices).get(obj.industry_section, obj.industry_section))

    @staticmethod
    def resolve_match(obj) -> str | None:
        return MATCH_CLASSES.get(getattr(obj, "match_class", None))


def _page_before(q: str, page: int, **filters) -> dict:
    """The page as the pre-change code rendered it: Organisation instances (search.load_organisations,
    unchanged) through the reference schema, encoded by ninja's JSON encoder."""
    from ninja.responses import NinjaJSONEncoder

    from apps.organisations.search import Filters, SearchResults

    if q:
        results = SearchResults(q, Filters(**filters))
        total, rows = results.count(), results[(page - 1) * 50:page * 50]
    else:
        qs = Organisation.objects.filter(merged_into__isnull=True, is_archived=False, **filters)
        total, rows = qs.count(), list(qs.prefetch_related("aliases").order_by("name")[(page - 1) * 50:page * 50])
    items = [_SearchOutBefore.from_orm(org).model_dump() for org in rows]
    return json.loads(json.dumps({"items": items, "count": total}, cls=NinjaJSONEncoder))


def test_a_search_lists_its_best_and_its_count_and_items_agree(client, users, monkeypatch):
    from apps.organisations import selectors
    from apps.organisations.search import SearchResults
    from apps.organisations.services import organisation_create

    monkeypatch.setattr(SearchResults, "PROBE", 3)  # with the list's cap, stands for 200
    monkeypatch.setattr(selectors, "LIST_CAP", 3)
    for n in range(5):
        organisation_create(actor=users["office"], name=f"北京骅远第{n}号科技有限公司")
    headers = bearer(client, users["district"])

    def page(number, size):
        return client.get(API, {"q": "骅远", "page": number, "page_size": size}, headers=headers).json()

    whole = page(1, 1000)
    assert whole["count"] == 3 and [o["name"] for o in whole["items"]] == [f"北京骅远第{n}号科技有限公司" for n in range(3)]
    assert [o["name"] for o in page(2, 2)["items"]] == ["北京骅远第2号科技有限公司"]
    assert page(3, 2)["items"] == [] and page(3, 2)["count"] == 3


def test_the_list_json_is_what_it_was_before_rows_became_plain_dicts(client, users):
    """Every field, type, label, alias order, timestamp format and `match`, on every page (信技's fifth is
    past the list's best 200, so empty), with and without a query, in Chinese and in English."""
    from django.utils import translation

    from apps.organisations.bulk import OrgRow, bulk_upsert
    from apps.organisations.merge import organisation_merge
    from apps.organisations.services import organisation_create

    rows = [OrgRow(line=n + 2, values={
        "name": f"北京{n:03d}号信技科技有限公司", "kind": ["企业", "高校", "协会"][n % 3],
        "industry_section": ["I", "", "C"][n % 3], "size": ["", "中型", "小型"][n % 3],
        "is_listed": "是" if n % 4 == 0 else "否", "description": '简介"带引号"\n第二行' if n % 5 == 0 else "",
        "short_names": f"信技{n:03d}" if n % 2 else "", "former_names": f"旧信技{n:03d}号" if n % 7 == 0 else "",
    }) for n in range(230)]
    assert not bulk_upsert(rows, actor=None).issues
    made = organisation_create(actor=users["office"], name="北京信技源信息服务有限公司", credit_code=GOOD_CODE,
                               kind="university", industry_section="I", region="北京市海淀区", size="small",
                               is_fortune500=True, source="走访", description="数据服务", short_names=["信技源", "信技"])
    duplicate = organisation_create(actor=users["office"], name="北京信技源信息服务公司")
    organisation_merge(actor=users["office_admin"], survivor=made, merged=duplicate)  # a 曾用名 alias, a merged row
    archived = Organisation.objects.filter(name__startswith="北京001号").get()
    Organisation.objects.filter(pk=archived.pk).update(is_archived=True)
    # A kind the choices no longer list shows its value as the label; a time with no microseconds.
    Organisation.objects.filter(name__startswith="北京002号").update(
        kind="legacy", created_at=datetime.datetime(2025, 11, 1, 8, 0, tzinfo=datetime.UTC))
    headers = bearer(client, users["district"])

    requests = [("信技", 1, {}), ("信技", 2, {}), ("信技", 4, {}), ("信技", 5, {}), ("科技", 1, {"kind": "university"}),
                ("信技源", 1, {}), ("xj", 1, {}), (GOOD_CODE[:8], 1, {}), ("", 1, {}), ("", 4, {}),
                ("", 1, {"industry_section": "C"}), ("没有这个", 1, {})]
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        for q, page, filters in requests:
            got = client.get(API, {"q": q, "page": page, **filters}, headers=headers).json()
            with translation.override(language):
                assert got == _page_before(q, page, **filters), (language, q, page, filters)
    assert got["count"] == 0
    past = client.get(API, {"q": "信技", "page": 5}, headers=headers).json()
    assert past["count"] == 200 and past["items"] == []  # 230 match: the list is the best 200
    english = client.get(API, {"q": "信技源"}, headers=headers).json()["items"][0]
    assert english["kind_label"] == "University" and english["match"] == "exact"
    assert [a["name"] for a in english["aliases"]] == ["信技源", "信技", "北京信技源信息服务公司"]


# --- GET /organisations/{id} ---------------------------------------------------------------------

def test_detail_anonymous_is_401(client, organisation):
    assert client.get(f"{API}/{organisation.pk}").status_code == 401


def test_detail_other_district_sees_only_who_holds_it_and_until_when(client, users, organisation, held):
    client.force_login(users["district2"])
    response = client.get(f"{API}/{organisation.pk}")
    assert response.status_code == 200
    assert response.json()["claims"] == [{"unit": "九龙坡区", "protected_until": held.protected_until.isoformat()}]
    assert PROJECT not in text(response) and "500000000" not in text(response) and "5亿" not in text(response)


def test_detail_own_district_has_no_claim_against_itself(client, users, organisation, held):
    response = client.get(f"{API}/{organisation.pk}", headers=bearer(client, users["district"]))
    assert response.status_code == 200
    assert response.json()["claims"] == []
    assert response.json()["name"] == organisation.name


def test_detail_leader_reads(client, users, organisation):
    client.force_login(users["leader"])
    assert client.get(f"{API}/{organisation.pk}").json()["kind_label"] == "企业"


def test_detail_archived_is_404(client, users, organisation):
    Organisation.objects.filter(pk=organisation.pk).update(is_archived=True)
    client.force_login(users["office"])
    response = client.get(f"{API}/{organisation.pk}")
    assert response.status_code == 404
    assert organisation.name not in text(response)


# --- POST /organisations -------------------------------------------------------------------------

def new_org(**extra):
    return {"name": "新凯精测(重庆)智造科技有限公司", "credit_code": GOOD_CODE, "region": "北京市朝阳区",
            "short_names": ["新凯精测"], **extra}


def test_create_anonymous_is_401(client, db):
    assert client.post(API, new_org(), content_type="application/json").status_code == 401
    assert Organisation.objects.count() == 0


def test_create_leader_is_403(client, users):
    client.force_login(users["leader"])
    response = client.post(API, new_org(), content_type="application/json")
    assert response.status_code == 403
    assert "只读" in response.json()["detail"]
    assert Organisation.objects.count() == 0


def test_create_allowed_with_bearer_token(client, users):
    response = client.post(API, new_org(name="新凯精测（重庆） 智造科技有限公司"), content_type="application/json",
                           headers=bearer(client, users["district"]))
    assert response.status_code == 201
    data = response.json()
    assert data["name"] == "新凯精测(重庆)智造科技有限公司"  # full-width brackets and spaces normalised
    assert data["aliases"] == [{"name": "新凯精测", "kind": "short"}]
    assert data["claims"] == [] and data["version"] == 1
    assert Organisation.objects.get().created_by == users["district"]


def test_create_with_a_wrong_check_character_is_400(client, users):
    client.force_login(users["district"])
    response = client.post(API, new_org(credit_code=BAD_CODE), content_type="application/json")
    assert response.status_code == 400
    assert "校验位" in response.json()["detail"]
    assert Organisation.objects.count() == 0


def test_create_a_duplicate_name_is_refused(client, users, organisation):
    client.force_login(users["district2"])
    response = client.post(API, new_org(name=organisation.name, credit_code=None), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate" and "不要重复登记" in response.json()["detail"]
    assert Organisation.objects.count() == 1


def test_create_with_a_wrong_kind_names_the_field(client, users):
    client.force_login(users["district"])
    response = client.post(API, new_org(kind="company"), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "kind" and "类型" in response.json()["detail"]
    assert Organisation.objects.count() == 0


# --- PATCH /organisations/{id} -------------------------------------------------------------------

def patch(client, org, **data):
    return client.patch(f"{API}/{org.pk}", data, content_type="application/json")


def test_patch_anonymous_is_401(client, organisation):
    before = state(organisation)
    assert patch(client, organisation, version=1, region="上海市").status_code == 401
    assert state(organisation) == before


def test_patch_leader_is_403_and_changes_nothing(client, users, organisation):
    before = state(organisation)
    client.force_login(users["leader"])
    response = patch(client, organisation, version=1, region="上海市")
    assert response.status_code == 403
    assert state(organisation) == before


def test_patch_archived_is_404_and_changes_nothing(client, users, organisation):
    Organisation.objects.filter(pk=organisation.pk).update(is_archived=True)
    before = state(organisation)
    client.force_login(users["district"])
    response = patch(client, organisation, version=1, region="上海市")
    assert response.status_code == 404
    assert state(organisation) == before


def test_patch_by_another_district_corrects_the_shared_library(client, users, organisation, held):
    client.force_login(users["district2"])
    response = patch(client, organisation, version=1, region="北京市朝阳区", short_names=["骅远"])
    assert response.status_code == 200
    data = response.json()
    assert data["region"] == "北京市朝阳区" and data["version"] == 2
    assert data["credit_code"] == organisation.credit_code  # not sent, not changed
    assert data["aliases"] == [{"name": "骅远", "kind": "short"}]
    assert PROJECT not in text(response)


def test_patch_with_a_stale_version_is_409_and_changes_nothing(client, users, organisation):
    client.force_login(users["district"])
    assert patch(client, organisation, version=1, region="北京市朝阳区").status_code == 200
    before = state(organisation)
    response = patch(client, organisation, version=1, region="上海市")
    assert response.status_code == 409
    assert "已被他人修改" in response.json()["detail"]
    assert state(organisation) == before


def test_patch_with_a_wrong_credit_code_changes_nothing(client, users, organisation):
    before = state(organisation)
    client.force_login(users["district"])
    response = patch(client, organisation, version=1, credit_code=BAD_CODE, region="上海市")
    assert response.status_code == 400
    assert "校验位" in response.json()["detail"]
    assert state(organisation) == before


def test_patch_without_version_is_422(client, users, organisation):
    before = state(organisation)
    client.force_login(users["district"])
    response = patch(client, organisation, region="上海市")
    assert response.status_code == 422
    assert response.json()["detail"] == "version：必填。"
    assert state(organisation) == before


# --- /organisations/persons ----------------------------------------------------------------------

PERSONS = f"{API}/persons"


def test_persons_anonymous_is_401(client, db):
    assert client.get(PERSONS).status_code == 401
    assert client.post(PERSONS, {"name": "张三"}, content_type="application/json").status_code == 401
    assert Person.objects.count() == 0


def test_persons_leader_reads_but_may_not_add(client, users, organisation):
    from apps.organisations.services import person_create

    person_create(actor=users["office"], name="李四", organisation=organisation, title="总经理")
    client.force_login(users["leader"])
    assert client.get(PERSONS).json()["items"][0]["name"] == "李四"
    response = client.post(PERSONS, {"name": "张三"}, content_type="application/json")
    assert response.status_code == 403
    assert Person.objects.count() == 1


def test_persons_are_shared_across_districts(client, users, organisation):
    client.force_login(users["district"])
    response = client.post(PERSONS, {"name": " 张三 ", "kind": "expert", "organisation_id": organisation.pk,
                                     "title": "首席科学家"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["name"] == "张三"
    assert response.json()["organisation"] == {"id": organisation.pk, "name": organisation.name}
    assert response.json()["kind_label"] == "专家"
    data = client.get(PERSONS, {"organisation": organisation.pk}, headers=bearer(client, users["district2"])).json()
    assert [p["name"] for p in data["items"]] == ["张三"]


def test_persons_with_an_unknown_organisation_is_404_naming_the_field(client, users):
    client.force_login(users["district"])
    response = client.post(PERSONS, {"name": "张三", "organisation_id": 999999}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["field"] == "organisation_id"
    assert Person.objects.count() == 0


def test_persons_without_a_name_is_refused(client, users):
    client.force_login(users["district"])
    response = client.post(PERSONS, {"name": "  "}, content_type="application/json")
    assert response.status_code == 400
    assert "姓名" in response.json()["detail"]
    assert Person.objects.count() == 0
