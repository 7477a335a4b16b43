"""The n-gram index: what a person typing in the search box gets, and proof that the index returns
exactly what a full substring scan returns, in the same order."""

import json
import random

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def _archive(names: list[str], *, reindex: bool = True) -> None:
    """Archive as the admin does (save, then index_organisations), or behind the index's back."""
    from apps.organisations.search import index_organisations

    ids = list(Organisation.objects.filter(name__in=names).values_list("pk", flat=True))
    Organisation.objects.filter(pk__in=ids).update(is_archived=True)
    if reindex:
        index_organisations(ids)


def _exact_count(q: str) -> int:
    return len(naive_ids(q, limit=10_000))


def test_a_two_character_count_comes_from_the_index_and_leaves_archived_records_out(
        django_assert_max_num_queries):
    names = _library(300)
    _archive([n for n in names if "科技" in n][:7] + [n for n in names if "有限" in n][:3])
    naive = _exact_count("科技")

    with django_assert_max_num_queries(2) as captured:  # no join with the organisation rows
        assert count_matches("科技") == (naive, False)
    assert not any("JOIN organisations_organisation" in q["sql"] for q in captured.captured_queries)
    assert count_matches("有限") == (_exact_count("有限"), False)
    assert count_matches("科技", cap=naive) == (naive, False)
    assert count_matches("科技", cap=naive - 1) == (naive - 1, True)
    # Filters other than the default still read the rows.
    assert count_matches("科技", filters=Filters(kind="enterprise")) == (naive, False)


def test_a_count_with_many_archived_records_reads_the_rows_and_stays_exact(monkeypatch):
    from apps.organisations import search

    names = _library(300)
    _archive([n for n in names if "公司" in n][:5])
    monkeypatch.setattr(search, "ARCHIVED_BOUND", 2)

    assert count_matches("公司") == (_exact_count("公司"), False)


def test_refreshing_the_statistics_catches_records_archived_behind_the_index():
    from apps.organisations.search import rebuild_index

    names = _library(200)
    _archive([n for n in names if "科技" in n][:4], reindex=False)

    refresh_stats()  # run after every import

    assert count_matches("科技") == (_exact_count("科技"), False)
    rebuild_index()
    assert count_matches("科技") == (_exact_count("科技"), False)
    assert search_ids("科技") == naive_ids("科技")


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


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=6)))
def test_packed_keys_are_the_json_of_the_keys(keys):
    from apps.organisations.search import pack_keys

    assert pack_keys(keys) == json.dumps(keys, ensure_ascii=False, separators=(",", ":"))


# Keys as an import can make them: the characters JSON must escape (quote, backslash, control
# characters, the SEP \x1f that search_text uses), others it must not (U+2028, an astral character),
# and plain Chinese. NUL and lone surrogates are left out: no database text holds them, so no name
# with one is ever stored.
_NASTY = st.text(st.one_of(st.sampled_from('"\\\x01\x1f\n\t\x7f\u2028𠀋/信技'),
                           st.characters(exclude_categories=("Cs",), exclude_characters="\x00")),
                 min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(_NASTY))
def test_packed_keys_read_back_as_the_same_keys(keys):
    from apps.organisations.search import pack_keys

    assert json.loads(pack_keys(keys)) == keys


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_NASTY, min_size=1, max_size=5, unique=True), min_size=1, max_size=4),
       st.booleans())
def test_the_database_unpacks_packed_keys_into_exactly_those_postings(db, packs, index_empty):
    """merge_pending unpacks with json_each (SQLite) or json_array_elements_text (PostgreSQL); on
    PostgreSQL an empty index takes another path (the primary key built afterwards)."""
    from django.db import connection

    from apps.organisations.search import KEY_TABLE, merge_pending, pack_keys, write_pending, write_postings

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {KEY_TABLE}")
    if not index_empty:
        write_postings([("\x1fother", 1, 999_999)])
    write_pending([(pack_keys(keys), len(keys[0]), pk) for pk, keys in enumerate(packs, start=1)])

    moved = merge_pending()

    wanted = {(key, len(keys[0]), pk) for pk, keys in enumerate(packs, start=1) for key in keys}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, name_len, organisation_id FROM {KEY_TABLE} WHERE organisation_id < 999999")
        assert set(cursor.fetchall()) == wanted
    assert moved == len(wanted)


def _slow_count(q: str, cap: int, monkeypatch) -> tuple[int, bool]:
    """count_matches along its general path: every posting verified against its row."""
    from apps.organisations import search

    with monkeypatch.context() as patch:
        patch.setattr(search, "ARCHIVED_BOUND", -1)  # "too many archived": _key_count declines
        return count_matches(q, cap=cap)


def _fast_path_taken(q: str) -> bool:
    from apps.organisations.search import _key_count, normalise_query, search_cursor

    with search_cursor() as cursor:
        return _key_count(cursor, normalise_query(q), 10) is not None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_character_counts_from_the_index_equal_the_verified_count_through_every_change(
        users, monkeypatch, seed):
    """Archive and un-archive (as the admin does), merge and undo, rename, an import that updates an
    archived record, a deferred import, a rebuild and a deletion in the admin: after each, every
    two-character count taken from the index alone is the verified count and the naive scan's."""
    from django.contrib import admin

    from apps.organisations.admin import OrganisationAdmin
    from apps.organisations.merge import organisation_merge, organisation_merge_undo
    from apps.organisations.search import index_organisations, merge_pending, rebuild_index

    rnd = random.Random(seed)
    names = _library(160, seed=seed)
    orgs = list(Organisation.objects.order_by("pk"))
    queries = ["有限", "公司", "科技", "北京", "信技", "技源", "集团", "xj", "hy"] + \
        [names[i][2:4] for i in rnd.sample(range(len(names)), 8)]

    def check(step: str) -> None:
        for q in queries:
            naive = len(naive_ids(q, limit=10_000)) + (
                len(search_ids(q, limit=10_000)) - len(naive_ids(q, limit=10_000)) if q.isascii() else 0)
            for cap in (1_000, 7):
                counted = count_matches(q, cap=cap)
                assert counted == _slow_count(q, cap, monkeypatch), (step, q, cap)
                if not q.isascii():
                    assert counted == (min(naive, cap), naive > cap), (step, q, cap)
        assert all(_fast_path_taken(q) for q in queries), step

    def set_archived(batch, value: bool) -> None:  # what OrganisationAdmin.save_related ends with
        Organisation.objects.filter(pk__in=[o.pk for o in batch]).update(is_archived=value)
        index_organisations([o.pk for o in batch])

    archived = rnd.sample(orgs, 25)
    set_archived(archived, True)
    check("archived")
    set_archived(archived[:10], False)
    check("some un-archived")

    live = [o for o in orgs if o not in archived[10:]]
    merges = []
    for survivor, merged in zip(live[:6], archived[10:13] + live[6:9], strict=True):
        merges.append(organisation_merge(actor=users["office_admin"],
                                         survivor=Organisation.objects.get(pk=survivor.pk),
                                         merged=Organisation.objects.get(pk=merged.pk)))
    check("merged, archived records among the duplicates")
    for merge in merges[::2]:
        organisation_merge_undo(actor=users["office_admin"], merge=merge)
    check("some merges undone")

    renamed = Organisation.objects.get(pk=archived[14].pk)
    bulk_upsert([OrgRow(line=2, values={"name": renamed.name, "short_names": "科技信技源"})], actor=None)
    # Archived records are out of the services' reach: the admin renames them, then re-indexes.
    Organisation.objects.filter(pk=archived[15].pk).update(name="北京信技源公司科技有限公司")
    index_organisations([archived[15].pk])
    organisation_update(actor=users["office"], organisation=Organisation.objects.get(pk=archived[0].pk),
                        name="北京技源集团信技有限公司")
    check("records renamed by an import, in the admin and by a person")

    rows = [OrgRow(line=n + 2, values={"name": f"北京新增{n}号信技科技有限公司"}) for n in range(12)]
    bulk_upsert(rows, actor=None, defer_index=True)
    merge_pending()
    check("a deferred import merged")

    Organisation.objects.filter(pk=archived[16].pk).update(is_archived=False)  # behind the index's back
    Organisation.objects.filter(pk=live[20].pk).update(is_archived=True)
    refresh_stats()  # as every import ends
    check("archive flags changed directly, then the statistics refreshed")

    rebuild_index(batch=50)
    check("rebuilt")

    model_admin = OrganisationAdmin(Organisation, admin.site)
    model_admin.delete_model(None, Organisation.objects.get(pk=live[30].pk))
    model_admin.delete_model(None, Organisation.objects.get(pk=archived[17].pk))
    model_admin.delete_queryset(None, Organisation.objects.filter(pk__in=[live[31].pk, live[32].pk]))
    check("deleted in the admin")


def test_the_results_pages_rows_hold_each_organisations_own_values(db):
    """organisation_page_rows builds instances from a plain query: every shown column must be the row's own
    (a value in the wrong field would put another organisation's badges on this one)."""
    from apps.organisations.selectors import PAGE_COLUMNS, organisation_page_rows

    made = [
        Organisation.objects.create(name="页面行甲科技有限公司", kind="enterprise", region="北京市海淀区",
                                    industry_section="I", credit_code="91110108MA01ABCD1X", is_listed=True),
        Organisation.objects.create(name="页面行乙研究院", kind="institute", region="", industry_section="",
                                    is_sample=True, is_specialised=True),
        Organisation.objects.create(name="页面行丙集团", kind="central_soe", region="天津市", industry_section="C",
                                    is_fortune500=True),
    ]
    from apps.organisations.search import index_organisations

    index_organisations([o.pk for o in made])
    rows = organisation_page_rows(search_ids("页面行", limit=10))
    assert {row.pk for row in rows} == {o.pk for o in made}
    for row in rows:
        fresh = Organisation.objects.get(pk=row.pk)
        for column in PAGE_COLUMNS:
            assert getattr(row, column) == getattr(fresh, column), (fresh.name, column)
        assert row.get_kind_display() == fresh.get_kind_display()
