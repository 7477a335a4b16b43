"""The n-gram index: what a person typing in the search box gets, and proof that the index returns
exactly what a full substring scan returns, in the same order."""

import random

import pytest
from django.urls import reverse

from apps.core.codes import make_org_code, make_uscc
from apps.core.testing import bearer
from apps.organisations.bulk import OrgRow, bulk_upsert
from apps.organisations.models import Organisation
from apps.organisations.search import Filters, count_matches, naive_ids, refresh_stats, search_ids
from apps.organisations.services import organisation_create, organisation_update

pytestmark = pytest.mark.django_db

REGIONS = ["北京", "北京市海淀区", "天津", "河北", "石家庄", "重庆", "上海", ""]
CHARS = "信技源达华远航智芯云海川联创新拓星宇博瑞天恒泰和安盛康明德"
INDUSTRIES = ["信息技术", "科技", "网络科技", "新材料", "医疗器械", "汽车零部件", "智能装备", "贸易"]
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]


def _library(n: int, seed: int = 7) -> list[str]:
    """n distinct organisations imported through bulk_upsert, as an office would load them."""
    rnd = random.Random(seed)
    names, rows = set(), []
    while len(names) < n:
        trade = "".join(rnd.choice(CHARS) for _ in range(rnd.choice([2, 3, 4])))
        name = rnd.choice(REGIONS) + trade + rnd.choice(INDUSTRIES) + rnd.choice(FORMS)
        if name in names:
            continue
        names.add(name)
        short = trade if rnd.random() < 0.4 else ""
        rows.append(OrgRow(line=len(rows) + 2, values={"name": name, "short_names": short}))
    for start in range(0, len(rows), 200):
        result = bulk_upsert(rows[start:start + 200], actor=None)
        assert not result.issues, result.issues[:3]
    refresh_stats()
    return sorted(names)


def test_index_returns_the_naive_scans_top_20_for_every_kind_of_query():
    names = _library(600)
    rnd = random.Random(3)
    queries = set()
    for name in rnd.sample(names, 60):
        for length in (2, 3, 4, 6):
            start = rnd.randrange(0, max(1, len(name) - length))
            queries.add(name[start:start + length])
    queries |= {"有限", "公司", "科技", "信技", "北京信", "海淀区信", "信技源", "重庆华"}
    for q in sorted(queries):
        assert search_ids(q) == naive_ids(q), q
        assert search_ids(q, limit=7, offset=5) == naive_ids(q, limit=12)[5:], q


def test_exact_trade_name_and_alias_rank_before_prefix_before_fragment(users):
    fragment = organisation_create(actor=users["office"], name="北京云信技源科技有限公司")
    prefix = organisation_create(actor=users["office"], name="信技源达科技有限公司")
    exact = organisation_create(actor=users["office"], name="北京信技源信息服务有限公司", short_names=["信技源"])

    hits = search_ids("信技源")

    assert [(h.organisation_id, h.match_class) for h in hits] == [(exact.pk, 0), (prefix.pk, 1), (fragment.pk, 2)]


def test_two_characters_find_a_fragment_anywhere_and_one_character_finds_nothing(users):
    org = organisation_create(actor=users["office"], name="重庆长安汽车股份有限公司", short_names=["长安汽车"])

    assert [h.organisation_id for h in search_ids("长安")] == [org.pk]
    assert [h.organisation_id for h in search_ids("汽车股")] == [org.pk]
    assert search_ids("长") == []


def test_full_width_traditional_and_spaced_queries_find_the_simplified_name(users):
    org = organisation_create(actor=users["office"], name="信技源信息服务(北京)有限公司")

    for q in ["信技源信息服务（北京）", "資訊", "信 技 源"]:
        found = [h.organisation_id for h in search_ids(q)]
        if q == "資訊":  # 資訊 is the traditional wording, not the characters of 信息: nothing to find
            assert found == []
        else:
            assert found == [org.pk], q
    assert [h.organisation_id for h in search_ids("信技源資")] == []
    assert [h.organisation_id for h in search_ids("服務")] == [org.pk]


def test_credit_code_prefix_and_pinyin_initials(users):
    code = make_uscc("91110108" + make_org_code("MA01XJY1"))
    org = organisation_create(actor=users["office"], name="北京信技源信息服务有限公司", credit_code=code)

    assert [(h.organisation_id, h.match_class) for h in search_ids(code[:8])] == [(org.pk, 4)]
    assert [(h.organisation_id, h.match_class) for h in search_ids(code)] == [(org.pk, 0)]
    assert [(h.organisation_id, h.match_class) for h in search_ids("xjy")] == [(org.pk, 3)]


def test_renaming_and_alias_changes_move_the_index_with_them(users):
    org = organisation_create(actor=users["office"], name="北京旧名称科技有限公司", short_names=["旧简称"])

    organisation_update(actor=users["office"], organisation=org, name="北京新名称科技有限公司",
                        short_names=["新简称"])

    assert search_ids("旧名称") == [] and search_ids("旧简称") == []
    assert [h.organisation_id for h in search_ids("新名称")] == [org.pk]
    assert [h.organisation_id for h in search_ids("新简称")] == [org.pk]


def test_archived_records_leave_the_search_unless_asked_for(users):
    org = organisation_create(actor=users["office"], name="北京归档测试科技有限公司")
    Organisation.objects.filter(pk=org.pk).update(is_archived=True)

    assert search_ids("归档测试") == []
    assert [h.organisation_id for h in search_ids("归档测试", filters=Filters(include_archived=True))] == [org.pk]


def test_count_is_exact_below_the_cap_and_says_when_capped():
    _library(300)
    naive = len(naive_ids("公司", limit=10_000))

    assert count_matches("公司") == (naive, False)
    assert count_matches("公司", cap=50) == (50, True)


def test_list_page_highlights_the_match_in_the_displayed_name(client, users):
    organisation_create(actor=users["office"], name="信技源信息服务（北京）有限公司")
    client.force_login(users["district"])

    html = client.get(reverse("organisations:list"), {"q": "信技源信息服务（北京"}).content.decode()
    traditional = client.get(reverse("organisations:list"), {"q": "資訊服務"}).content.decode()

    assert "<mark>信技源信息服务(北京</mark>" in html  # names are stored with half-width brackets
    assert "北京信技源" not in traditional and "<mark>" not in traditional  # 資訊 is another word, not 信息
    assert "<mark>服务</mark>" in client.get(reverse("organisations:list"), {"q": "服務"}).content.decode()


def test_api_search_and_match(client, users):
    code = make_uscc("91110108" + make_org_code("MA01XJY2"))
    org = organisation_create(actor=users["office"], name="北京信技源信息服务有限公司", credit_code=code,
                              short_names=["信技源"])
    organisation_create(actor=users["office"], name="北京信达源信息服务有限公司")
    headers = bearer(client, users["district"])

    listed = client.get("/api/v1/organisations", {"q": "信技"}, headers=headers).json()
    assert [(row["name"], row["match"]) for row in listed["items"]] == [("北京信技源信息服务有限公司", "prefix")]  # 信技 starts the 简称

    same = client.get("/api/v1/organisations/match", {"name": "北京信技源信息服务有限责任公司"}, headers=headers).json()
    assert same["verdict"] == "same" and same["candidates"][0]["organisation"]["id"] == org.pk
    by_code = client.get("/api/v1/organisations/match", {"name": "随便什么名字", "credit_code": code},
                         headers=headers).json()
    assert by_code["candidates"][0]["verdict"] == "same"
    bare = client.get("/api/v1/organisations/match", {"name": "信技源"}, headers=headers).json()
    assert bare["candidates"][0]["organisation"]["id"] == org.pk and bare["verdict"] in ("same", "likely")
    near = client.get("/api/v1/organisations/match", {"name": "北京信达源科技有限公司"}, headers=headers).json()
    assert all(c["organisation"]["id"] != org.pk or c["verdict"] == "different" for c in near["candidates"])


def test_a_pasted_short_name_note_becomes_an_alias_and_a_branch_links_to_its_parent(users):
    parent = organisation_create(actor=users["office"], name="北京信技源信息服务有限公司（以下简称“信技源”）")
    branch = organisation_create(actor=users["office"], name="北京信技源信息服务有限公司重庆分公司")

    assert parent.name == "北京信技源信息服务有限公司"
    assert list(parent.aliases.values_list("name", flat=True)) == ["信技源"]
    assert [(h.organisation_id, h.match_class) for h in search_ids("信技源")][0] == (parent.pk, 0)
    assert branch.parent_id == parent.pk and branch.pk != parent.pk


def test_a_page_of_a_short_result_list_needs_no_separate_count(users, django_assert_max_num_queries):
    from apps.organisations.search import SearchResults

    for n in range(3):
        organisation_create(actor=users["office"], name=f"北京计数探针{n}科技有限公司")
    results = SearchResults("计数探针")

    with django_assert_max_num_queries(20) as captured:
        assert results.count() == 3 and not results.capped
        page = results[0:25]
    assert [o.name for o in page] == [f"北京计数探针{n}科技有限公司" for n in range(3)]
    assert not any("COUNT(" in q["sql"] for q in captured.captured_queries)


def test_rebuild_keeps_answering_from_the_old_index_and_ends_identical(users):
    from apps.organisations.search import rebuild_index

    names = _library(300)
    queries = ["信技", "有限", "北京信", "科技有", names[5][:4], names[77][2:6]]
    before = {q: search_ids(q) for q in queries}
    renamed = Organisation.objects.get(name=names[10])
    seen_during = []

    def progress(last_id, written):
        # Mid-rebuild, a reader still gets the full old answers, and a colleague renames a record
        # whose chunk was already read (batch=100: record 10 is in the first chunk).
        seen_during.append({q: search_ids(q) for q in queries})
        if len(seen_during) == 1:
            organisation_update(actor=users["office"], organisation=renamed, name="渝骅远数据安全服务有限公司")

    rebuild_index(batch=100, progress=progress)

    assert len(seen_during) == 3
    assert seen_during[0] == before
    assert [h.organisation_id for h in search_ids("骅远数据")] == [renamed.pk]
    for q in queries:
        assert search_ids(q) == naive_ids(q), q
