"""The library search as people meet it: the navbar box and its suggestions, the ranked list with how
each row matched, and the "可能已存在" panel and confirmation on the organisation form."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.organisations import search
from apps.organisations.models import Organisation
from apps.organisations.services import organisation_create

HTMX = {"HX-Request": "true"}
TWIN = "骅远科技(北京)有限责任公司"  # the `organisation` fixture is 骅远科技(北京)有限公司


def _form(**overrides):
    data = {
        "name": TWIN, "short_names": "", "credit_code": "", "kind": "enterprise", "region": "北京市海淀区",
        "industry_section": "I", "size": "", "source": "", "description": "", "submission_key": "key-ui-1",
    }
    data.update(overrides)
    return data


def _rows(html: str) -> list[str]:
    """The names in the list's rows, in the order shown, without the <mark> tags."""
    names = re.findall(r'class="fw-semibold">(.*?)</a>', html)
    return [re.sub(r"</?mark>", "", name) for name in names]


# --- the navbar box ----------------------------------------------------------------------------

def test_every_page_has_the_search_box_and_it_keeps_the_query_only_on_the_list(client, users, organisation):
    client.force_login(users["district"])

    home = client.get(reverse("core:home")).content.decode()
    listed = client.get(reverse("organisations:list"), {"q": "骅远"}).content.decode()
    people = client.get(reverse("organisations:person_list"), {"q": "骅远"}).content.decode()

    box = re.search(r'<input[^>]*id="nav-search-q"[^>]*>', home).group(0)
    assert 'placeholder="搜索企业、简称、字号、信用代码"' in box
    assert f'hx-get="{reverse("organisations:suggest")}"' in box and "delay:200ms" in box
    assert '<label class="visually-hidden" for="nav-search-q">搜索目标库</label>' in home
    assert f'action="{reverse("organisations:list")}"' in home  # a plain GET without JavaScript
    assert 'value="骅远"' in re.search(r'<input[^>]*id="nav-search-q"[^>]*>', listed).group(0)
    assert 'value=""' in re.search(r'<input[^>]*id="nav-search-q"[^>]*>', people).group(0)


def test_anonymous_gets_no_search_box_and_no_suggestions(client, db, organisation):
    assert "nav-search-q" not in client.get(reverse("accounts:login")).content.decode()

    response = client.get(reverse("organisations:suggest"), {"q": "骅远"})

    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_suggestions_are_ranked_marked_links_to_detail_pages(client, users, organisation):
    other = organisation_create(actor=users["office"], name="重庆远骅骅远贸易有限公司")
    client.force_login(users["district"])

    response = client.get(reverse("organisations:suggest"), {"q": "骅远"}, headers=HTMX)

    html = response.content.decode()
    assert "<nav" not in html  # only the drop-down
    assert f'href="{reverse("organisations:detail", args=[organisation.pk])}"' in html
    assert "<mark>骅远</mark>科技(北京)有限公司" in html
    assert "重庆远骅<mark>骅远</mark>贸易有限公司" in html
    # The prefix match first, then the fragment inside a longer name.
    assert html.index("科技(北京)") < html.index("贸易有限公司")
    assert len(re.findall(r'href="/organisations/\d+/"', html)) == 2
    assert f'{reverse("organisations:list")}?q=%E9%AA%85%E8%BF%9C' in html  # 查看全部结果
    assert other.pk


def test_suggestions_stop_at_eight(client, users):
    for n in range(12):
        Organisation.objects.create(name=f"联程{n:02d}物流有限公司")
    search.index_organisations(Organisation.objects.values_list("pk", flat=True))
    client.force_login(users["district"])

    html = client.get(reverse("organisations:suggest"), {"q": "联程"}).content.decode()

    assert len(re.findall(r'href="/organisations/\d+/"', html)) == 8


def test_suggestions_show_the_alias_that_matched(client, users):
    organisation_create(actor=users["office"], name="北京嘉岳环境科技有限公司", short_names=["岳环保"])
    client.force_login(users["district"])

    html = client.get(reverse("organisations:suggest"), {"q": "岳环保"}).content.decode()

    assert "北京嘉岳环境科技有限公司" in html
    assert "简称/曾用名：<mark>岳环保</mark>" in html


def test_one_character_gets_no_suggestions_and_a_miss_says_so(client, users, organisation):
    client.force_login(users["district"])

    one = client.get(reverse("organisations:suggest"), {"q": "骅"}).content.decode()
    miss = client.get(reverse("organisations:suggest"), {"q": "无此企业"}).content.decode()

    assert "href" not in one and one.strip() == ""
    assert "目标库中没有与“无此企业”匹配的主体。" in miss


def test_suggestions_find_by_credit_code_prefix(client, users, organisation):
    client.force_login(users["district"])

    html = client.get(reverse("organisations:suggest"), {"q": "91110000"}).content.decode()

    assert "骅远科技(北京)有限公司" in html
    assert "<mark>91110000</mark>600037341L" in html
    assert "信用代码" in html


# --- the list with a query ---------------------------------------------------------------------

def test_list_keeps_the_index_order_and_says_how_each_row_matched(client, users, organisation):
    organisation_create(actor=users["office"], name="重庆骅远能源有限公司")  # 字号 骅远 too
    organisation_create(actor=users["office"], name="骅远", short_names=[])  # the whole name
    organisation_create(actor=users["office"], name="西部骅远达科技有限公司")  # fragment
    organisation_create(actor=users["office"], name="北京嘉岳环境科技有限公司", short_names=["骅远"])  # alias
    client.force_login(users["district"])

    html = client.get(reverse("organisations:list"), {"q": "骅远"}).content.decode()

    rows = _rows(html)
    assert rows[0] == "骅远"  # exact, shortest name first
    assert rows[-1] == "西部骅远达科技有限公司"  # a fragment comes last
    assert set(rows) == {"骅远", "骅远科技(北京)有限公司", "重庆骅远能源有限公司", "北京嘉岳环境科技有限公司",
                         "西部骅远达科技有限公司"}
    badges = dict(re.findall(r'class="fw-semibold">(.*?)</a>\s*<span class="badge[^"]*match-class-\d"[^>]*>(.*?)</span>',
                             html))
    badges = {re.sub(r"</?mark>", "", name): label for name, label in badges.items()}
    assert badges["骅远"] == "全称相同"
    assert badges["重庆骅远能源有限公司"] == "字号相同"
    assert badges["北京嘉岳环境科技有限公司"] == "简称相同"
    assert badges["西部骅远达科技有限公司"] == "包含"
    assert "共 5 个主体" in html


def test_list_badges_for_prefix_and_credit_code(client, users, organisation):
    client.force_login(users["district"])

    prefix = client.get(reverse("organisations:list"), {"q": "骅远科"}).content.decode()
    code = client.get(reverse("organisations:list"), {"q": "9111000060"}).content.decode()

    assert "开头相同" in prefix
    assert "信用代码" in code and "<mark>9111000060</mark>" in code


def test_one_character_asks_for_two(client, users, organisation):
    client.force_login(users["district"])

    response = client.get(reverse("organisations:list"), {"q": "骅"})

    html = response.content.decode()
    assert "请至少输入两个字" in html
    assert organisation.name not in html and response.context["rows"] == []
    assert "共 " not in html


def test_a_huge_result_lists_its_best_and_says_so(client, users, organisation, monkeypatch):
    from apps.organisations import selectors

    monkeypatch.setattr(search.SearchResults, "PROBE", 3)  # with the list's cap, stands for 200: five is "too many"
    monkeypatch.setattr(selectors, "LIST_CAP", 3)
    for n in range(4):
        organisation_create(actor=users["office"], name=f"骅远第{n}分店科技有限公司")
    client.force_login(users["district"])

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("organisations:list"), {"q": "骅远"})
    html = response.content.decode()

    assert "超过3个主体，列出最相关的3个；请输入更具体的检索词或加筛选条件" in html
    assert "共 " not in html
    assert len(response.context["rows"]) == 3 and response.context["page"].paginator.num_pages == 1
    assert "导出XLSX（按相关度，至多1000个）" in html  # an export takes more than the page lists
    # The list's one ranked read counted it: no count over the index.
    assert not any("COUNT(" in q["sql"] and "organisations_searchkey" in q["sql"] for q in queries)


def test_export_and_import_buttons_reach_the_htmx_results_too(client, users, organisation):
    client.force_login(users["district"])
    full = client.get(reverse("organisations:list"), {"q": "骅远", "page": "1"}).content.decode()
    partial = client.get(reverse("organisations:list"), {"q": "骅远", "page": "1"}, headers=HTMX).content.decode()
    client.force_login(users["leader"])
    read_only = client.get(reverse("organisations:list"), {"q": "骅远"}, headers=HTMX).content.decode()

    export = f'href="{reverse("imports:organisation_export")}?q=%E9%AA%85%E8%BF%9C"'
    for html in (full, partial):
        assert export in html and ">导出XLSX</a>" in html  # the same filters, without the page
        assert f'href="{reverse("imports:list")}">批量导入</a>' in html
    assert "<nav class=\"navbar" not in partial
    assert ">导出XLSX</a>" in read_only and "批量导入" not in read_only


# --- "可能已存在" on the form --------------------------------------------------------------------

def test_match_panel_names_the_same_organisation_with_its_code_and_holder(client, users, organisation,
                                                                            make_project):
    project = make_project(actor=users["district"], organisation=organisation)
    client.force_login(users["district2"])

    html = client.get(reverse("organisations:match"), {"name": TWIN}, headers=HTMX).content.decode()

    assert "目标库中可能已有该主体" in html
    assert '<span class="badge text-bg-danger">同一主体</span>' in html
    assert f'href="{reverse("organisations:detail", args=[organisation.pk])}"' in html
    assert "91110000600037341L" in html
    until = project.protected_until
    assert f"已由九龙坡区跟进，首谈保护期至{until.year}年{until.month}月{until.day}日" in html
    assert "我已核对，确认不是同一主体" in html


def test_match_panel_shows_likely_in_yellow_and_nothing_for_a_new_name(client, users, organisation):
    client.force_login(users["district"])

    likely = client.get(reverse("organisations:match"), {"name": "骅远科技(上海)有限公司"}).content.decode()
    new = client.get(reverse("organisations:match"), {"name": "全新未登记材料有限公司"}).content.decode()

    assert '<span class="badge text-bg-warning">可能相同</span>' in likely and "骅远科技(北京)有限公司" in likely
    assert "我已核对" not in likely  # only a "same" verdict blocks the save
    assert new.strip() == ""


def test_match_panel_by_credit_code_and_excluding_the_record_being_edited(client, users, organisation):
    client.force_login(users["district"])

    by_code = client.get(reverse("organisations:match"),
                         {"name": "完全不同的名字有限公司", "credit_code": "91110000600037341L"}).content.decode()
    itself = client.get(reverse("organisations:match"),
                        {"name": organisation.name, "exclude": organisation.pk}).content.decode()

    assert "同一主体" in by_code and organisation.name in by_code
    assert itself.strip() == ""


def test_create_form_carries_the_live_panel(client, users):
    client.force_login(users["district"])

    html = client.get(reverse("organisations:create")).content.decode()

    panel = re.search(r'<div id="match-panel"[^>]*>', html).group(0)
    assert f'hx-get="{reverse("organisations:match")}"' in panel
    assert "from:#id_name" in panel and "from:#id_credit_code" in panel


def test_same_organisation_is_refused_until_confirmed(client, users, organisation):
    client.force_login(users["district"])

    refused = client.post(reverse("organisations:create"), _form())

    assert refused.status_code == 200
    error = refused.context["form"].errors["name"][0]
    assert error.startswith("目标库中已有“骅远科技(北京)有限公司”（统一社会信用代码91110000600037341L），很可能是同一主体。")
    assert "勾选“我已核对，确认不是同一主体”" in error
    html = refused.content.decode()
    assert 'name="confirm_not_duplicate"' in html and "同一主体</span>" in html  # without JavaScript too
    assert Organisation.objects.count() == 1

    created = client.post(reverse("organisations:create"), _form(confirm_not_duplicate="on"))

    assert created.status_code == 302
    assert Organisation.objects.filter(name=TWIN).exists()


def test_a_likely_match_does_not_block_the_save(client, users, organisation):
    client.force_login(users["district"])

    response = client.post(reverse("organisations:create"), _form(name="骅远科技(上海)有限公司"))

    assert response.status_code == 302
    assert Organisation.objects.count() == 2


def test_the_exact_duplicate_stays_refused_even_when_confirmed(client, users, organisation):
    client.force_login(users["district"])

    response = client.post(reverse("organisations:create"), _form(name=organisation.name, confirm_not_duplicate="on"))

    assert "已有“骅远科技(北京)有限公司”" in response.context["form"].errors["name"][0]
    assert Organisation.objects.count() == 1


def test_renaming_into_a_twin_is_refused_but_other_edits_are_not(client, users, organisation):
    other = organisation_create(actor=users["office"], name="弘海微创医疗器械有限公司")
    client.force_login(users["district"])
    edit = reverse("organisations:edit", args=[other.pk])

    renamed = client.post(edit, _form(name=TWIN, version=other.version))

    assert "目标库中已有“骅远科技(北京)有限公司”" in renamed.context["form"].errors["name"][0]
    other.refresh_from_db()
    assert other.name == "弘海微创医疗器械有限公司"

    # A record that already has a twin (for a merge to settle) can still be edited otherwise.
    twin = organisation_create(actor=users["office"], name=TWIN)
    saved = client.post(reverse("organisations:edit", args=[twin.pk]),
                        _form(name=TWIN, region="北京市朝阳区", version=twin.version))
    assert saved.status_code == 302
    twin.refresh_from_db()
    assert twin.region == "北京市朝阳区"


@pytest.mark.parametrize("name", ["organisations:suggest", "organisations:match"])
def test_endpoints_need_a_signed_in_user(client, db, name):
    response = client.get(reverse(name), {"q": "骅远", "name": "骅远"})

    assert response.status_code == 302


def test_suggestions_read_only_the_hits_they_show(client, users, organisation, monkeypatch):
    asked = []
    real = search.search_ids

    def recording(q, **kwargs):
        asked.append(kwargs.get("limit"))
        return real(q, **kwargs)

    monkeypatch.setattr(search, "search_ids", recording)
    client.force_login(users["district"])
    html = client.get(reverse("organisations:suggest"), {"q": "骅远"}).content.decode()
    assert reverse("organisations:detail", args=[organisation.pk]) in html
    assert asked and max(asked) <= 8  # not the 201 a list reads to count itself
    asked.clear()
    client.get(reverse("organisations:list"), {"q": "骅远"})
    assert asked == [search.LIST_CAP + 1]  # the list's one read: its rows and its count
