"""Target-library pages: list, detail, create, edit, people — and who may do what."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.audit.models import AuditAction, AuditLog
from apps.core.codes import make_org_code, make_uscc
from apps.organisations.models import Organisation, Person
from apps.organisations.search import index_organisations
from apps.organisations.services import organisation_create

VALID_CODE = "91110000600037341L"  # the `organisation` fixture's code
GOOD_NEW_CODE = make_uscc("91500107" + make_org_code("MA5U7D4K"))


def _org_form(**overrides):
    data = {
        "name": "新凯精测(重庆)智造科技有限公司", "short_names": "新凯精测、新凯", "credit_code": "",
        "kind": "enterprise", "region": "北京市海淀区", "industry_section": "C", "size": "",
        "source": "推介会", "description": "", "submission_key": "key-1",
    }
    data.update(overrides)
    return data


# --- anonymous ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name,args", [
    ("organisations:list", []), ("organisations:detail", [1]), ("organisations:create", []),
    ("organisations:edit", [1]), ("organisations:person_list", []), ("organisations:person_create", []),
])
def test_anonymous_is_sent_to_login(client, db, name, args):
    response = client.get(reverse(name, args=args))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_anonymous_post_creates_nothing(client, db):
    response = client.post(reverse("organisations:create"), _org_form())

    assert response.status_code == 302
    assert not Organisation.objects.exists()


# --- list --------------------------------------------------------------------------------------

def test_list_finds_by_alias_and_highlights_the_match(client, users):
    organisation_create(actor=users["office"], name="北京嘉岳环境科技有限公司", short_names=["嘉岳"])
    organisation_create(actor=users["office"], name="弘海微创医疗器械有限公司")
    client.force_login(users["district"])

    html = client.get(reverse("organisations:list"), {"q": "嘉岳"}).content.decode()

    assert "北京<mark>嘉岳</mark>环境科技有限公司" in html
    assert "<mark>嘉岳</mark>" in html.split("简称/曾用名")[1]
    assert "弘海" not in html
    assert "共 1 个主体" in html


def test_list_finds_by_credit_code_prefix(client, users, organisation):
    client.force_login(users["district"])

    html = client.get(reverse("organisations:list"), {"q": "9111000060"}).content.decode()

    assert organisation.name in html
    assert "<mark>9111000060</mark>0037341L" in html


def test_highlight_escapes_names_and_search_text(client, users):
    organisation_create(actor=users["office"], name="<b>恶意</b>&测试有限公司")
    client.force_login(users["district"])

    html = client.get(reverse("organisations:list"), {"q": "恶意</b>&"}).content.decode()

    assert "&lt;b&gt;<mark>恶意&lt;/b&gt;&amp;</mark>测试有限公司" in html
    assert "<b>恶意" not in html


def test_list_filters_by_kind_and_industry(client, users):
    organisation_create(actor=users["office"], name="清华大学重庆研究院", kind="university", industry_section="M")
    organisation_create(actor=users["office"], name="中国电子科技集团有限公司", kind="central_soe", industry_section="C")
    client.force_login(users["office"])

    by_kind = client.get(reverse("organisations:list"), {"kind": "university"}).content.decode()
    by_section = client.get(reverse("organisations:list"), {"industry_section": "C"}).content.decode()
    stale = client.get(reverse("organisations:list"), {"kind": "no-such-kind"}).content.decode()

    assert "清华大学重庆研究院" in by_kind and "中国电子科技集团" not in by_kind
    assert "中国电子科技集团" in by_section and "清华大学重庆研究院" not in by_section
    assert "清华大学重庆研究院" in stale and "中国电子科技集团" in stale


def test_list_paginates_25_per_page(client, users):
    for n in range(30):
        Organisation.objects.create(name=f"分页测试{n:02d}有限公司")
    client.force_login(users["district"])

    first = client.get(reverse("organisations:list"))
    second = client.get(reverse("organisations:list"), {"page": 2})

    assert len(first.context["rows"]) == 25 and "1 / 2" in first.content.decode()
    assert len(second.context["rows"]) == 5


def test_list_htmx_returns_only_the_results(client, users, organisation):
    client.force_login(users["district"])

    html = client.get(reverse("organisations:list"), {"q": "骅远"}, headers={"HX-Request": "true"}).content.decode()

    assert "<mark>骅远</mark>" in html
    assert "<nav class=\"navbar" not in html


def _make_orgs(count, start=0):
    # Every third without aliases, some with flags and places: the rows read none of it one by one.
    for n in range(start, start + count):
        org = Organisation.objects.create(name=f"查询计数{n:02d}科技有限公司", is_listed=n % 2 == 0,
                                          region="北京市海淀区" if n % 3 else "", industry_section="I" if n % 2 else "")
        if n % 3:
            org.aliases.create(name=f"计数{n:02d}")
            org.aliases.create(name=f"计数科技{n:02d}", kind="former")
        index_organisations([org.pk])


def test_list_is_one_query_plus_a_bounded_number(client, users, django_assert_num_queries):
    client.force_login(users["district"])
    _make_orgs(3)
    url = reverse("organisations:list")
    client.get(url, {"q": "计数"})  # warm the session and the scope
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"q": "计数"}).status_code == 200
    _make_orgs(27, start=3)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, {"q": "计数"})

    assert len(response.context["rows"]) == 25
    # session, user; count (stats, postings); page (exact, prefix, stats, fragment keys); objects; aliases
    assert len(few.captured_queries) <= 11


# --- detail ------------------------------------------------------------------------------------

def test_detail_shows_facts_aliases_people_history_and_actions(client, users):
    org = organisation_create(actor=users["office"], name="北京嘉岳环境科技有限公司", short_names=["嘉岳"],
                              credit_code=GOOD_NEW_CODE, is_specialised=True, industry_section="N")
    Person.objects.create(name="张工", title="总经理", organisation=org)
    client.force_login(users["district"])

    html = client.get(reverse("organisations:detail", args=[org.pk])).content.decode()

    assert GOOD_NEW_CODE in html and "嘉岳" in html and "专精特新" in html
    assert "N 水利、环境和公共设施管理业" in html
    assert "张工" in html and "总经理" in html
    assert "创建" in html and "行业门类" in html  # the creation, in the history timeline
    assert f'{reverse("projects:create")}?organisation={org.pk}' in html
    assert f'{reverse("activities:create")}?organisation={org.pk}' in html


def test_other_district_sees_only_who_holds_the_organisation(client, users, make_project, organisation):
    project = make_project(actor=users["district"], organisation=organisation, name="骅远人工智能数据安全中心",
                           planned_investment=Decimal("500000000"))
    client.force_login(users["district2"])

    response = client.get(reverse("organisations:detail", args=[organisation.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    until = project.protected_until
    assert f"已由九龙坡区跟进，首谈保护期至{until.year}年{until.month}月{until.day}日" in html
    assert "骅远人工智能数据安全中心" not in html
    assert "5亿元" not in html
    assert reverse("projects:detail", args=[project.pk]) not in html


def test_own_district_and_office_see_the_project(client, users, make_project, organisation):
    project = make_project(actor=users["district"], organisation=organisation, name="骅远人工智能数据安全中心",
                           planned_investment=Decimal("500000000"))
    for who in ["district", "office", "leader"]:
        client.force_login(users[who])
        html = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
        assert "骅远人工智能数据安全中心" in html and "5亿元" in html
        assert reverse("projects:detail", args=[project.pk]) in html
        assert "已由九龙坡区跟进" not in html


def test_detail_shows_visible_activities_only(client, users, make_project, organisation):
    from apps.activities.services import activity_create

    project = make_project(actor=users["district"], organisation=organisation)
    activity_create(actor=users["district"], project=project, date=datetime.date(2025, 10, 20),
                    summary="九龙坡区的洽谈内容")
    activity_create(actor=users["district2"], organisation=organisation, date=datetime.date(2025, 10, 21),
                    summary="长寿区的走访内容")

    client.force_login(users["district2"])
    html = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()

    assert "长寿区的走访内容" in html
    assert "九龙坡区的洽谈内容" not in html


def test_leader_reads_detail_without_action_buttons(client, users, organisation):
    client.force_login(users["leader"])

    html = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()

    assert organisation.name in html
    assert reverse("organisations:edit", args=[organisation.pk]) not in html
    assert reverse("projects:create") not in html
    assert f'{reverse("activities:create")}?' not in html


def test_archived_organisation_is_404(client, users, organisation):
    Organisation.objects.filter(pk=organisation.pk).update(is_archived=True)
    client.force_login(users["office"])

    assert client.get(reverse("organisations:detail", args=[organisation.pk])).status_code == 404
    assert client.get(reverse("organisations:edit", args=[organisation.pk])).status_code == 404


# --- create ------------------------------------------------------------------------------------

def test_create_form_uses_model_labels_and_save_button(client, users):
    client.force_login(users["district"])

    html = client.get(reverse("organisations:create")).content.decode()

    for label in ["名称", "统一社会信用代码", "类型", "所在地区", "行业门类", "规模", "世界500强", "专精特新",
                  "上市企业", "来源", "简介", "简称"]:
        assert f">{label}<" in html or f">{label}<span" in html
    assert 'name="submission_key"' in html
    assert ">保存</button>" in html


def test_district_creates_an_organisation(client, users):
    client.force_login(users["district"])

    response = client.post(reverse("organisations:create"), _org_form(credit_code=GOOD_NEW_CODE, is_listed="on"))

    org = Organisation.objects.get()
    assert response.status_code == 302 and response.url == reverse("organisations:detail", args=[org.pk])
    assert org.name == "新凯精测(重庆)智造科技有限公司" and org.credit_code == GOOD_NEW_CODE and org.is_listed
    assert org.created_by == users["district"]
    assert sorted(a.name for a in org.aliases.all()) == ["新凯", "新凯精测"]
    assert AuditLog.objects.filter(action=AuditAction.CREATE, model="organisations.organisation").count() == 1
    assert "已登记“新凯精测(重庆)智造科技有限公司”。" in client.get(response.url).content.decode()


def test_double_post_creates_one_organisation(client, users):
    client.force_login(users["district"])
    first = client.post(reverse("organisations:create"), _org_form(submission_key="same-key"))

    second = client.post(reverse("organisations:create"), _org_form(submission_key="same-key"), follow=True)

    assert Organisation.objects.count() == 1
    assert second.redirect_chain[-1][0] == first.url
    assert "此表单已经提交过一次，没有重复保存。" in second.content.decode()


def test_wrong_credit_code_is_refused_next_to_the_field(client, users):
    client.force_login(users["district"])
    wrong = GOOD_NEW_CODE[:17] + ("0" if GOOD_NEW_CODE[17] != "0" else "1")

    response = client.post(reverse("organisations:create"), _org_form(credit_code=wrong))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "credit_code" in errors and "校验位" in errors["credit_code"][0]
    assert "校验位" in response.content.decode()
    assert not Organisation.objects.exists()
    assert not AuditLog.objects.filter(model="organisations.organisation").exists()
    # The refusal rolled the once-only key back: fixing the code and sending again works.
    client.post(reverse("organisations:create"), _org_form(credit_code=GOOD_NEW_CODE))
    assert Organisation.objects.count() == 1


def test_duplicate_name_and_missing_name_are_refused(client, users, organisation):
    client.force_login(users["district"])

    duplicate = client.post(reverse("organisations:create"), _org_form(name=organisation.name))
    missing = client.post(reverse("organisations:create"), _org_form(name="", submission_key="key-2"))

    assert "已有“骅远科技(北京)有限公司”" in duplicate.context["form"].errors["name"][0]
    assert missing.context["form"].errors["name"] == ["请填写名称。"]
    assert Organisation.objects.count() == 1


def test_leader_may_not_create(client, users):
    client.force_login(users["leader"])

    page = client.get(reverse("organisations:create"))
    post = client.post(reverse("organisations:create"), _org_form())

    assert page.status_code == 403 and "只读" in page.content.decode()
    assert post.status_code == 403
    assert not Organisation.objects.exists()


# --- edit --------------------------------------------------------------------------------------

def _edit_form(org, **overrides):
    data = {
        "name": org.name, "credit_code": org.credit_code or "", "kind": org.kind, "region": org.region,
        "industry_section": org.industry_section, "size": org.size, "source": org.source,
        "description": org.description, "short_names": "", "version": org.version,
    }
    data.update(overrides)
    return data


def test_edit_form_is_filled_in(client, users):
    org = organisation_create(actor=users["office"], name="北京嘉岳环境科技有限公司", short_names=["嘉岳", "嘉岳环境"])
    client.force_login(users["district"])

    html = client.get(reverse("organisations:edit", args=[org.pk])).content.decode()

    assert 'value="北京嘉岳环境科技有限公司"' in html
    assert 'value="嘉岳、嘉岳环境"' in html
    assert 'name="version" value="1"' in html


def test_district_edits_an_organisation(client, users, organisation):
    client.force_login(users["district"])

    response = client.post(reverse("organisations:edit", args=[organisation.pk]),
                           _edit_form(organisation, region="北京市朝阳区", short_names="骅远，骅远科技"))

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.region == "北京市朝阳区" and organisation.version == 2
    assert sorted(a.name for a in organisation.aliases.all()) == ["骅远", "骅远科技"]
    html = client.get(response.url).content.decode()
    assert "修改" in html and "北京市海淀区 → 北京市朝阳区" in html


def test_stale_edit_is_refused_and_saves_nothing(client, users, organisation):
    client.force_login(users["district"])
    stale = _edit_form(organisation, region="北京市朝阳区")
    client.post(reverse("organisations:edit", args=[organisation.pk]), _edit_form(organisation, source="新闻线索"))

    response = client.post(reverse("organisations:edit", args=[organisation.pk]), stale)

    assert response.status_code == 200
    assert "该主体已被他人修改" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.region == "北京市海淀区" and organisation.source == "新闻线索" and organisation.version == 2


def test_edit_with_wrong_credit_code_saves_nothing(client, users, organisation):
    client.force_login(users["district"])

    response = client.post(reverse("organisations:edit", args=[organisation.pk]),
                           _edit_form(organisation, credit_code="91110000600037341X", region="北京市朝阳区"))

    assert "校验位" in response.context["form"].errors["credit_code"][0]
    organisation.refresh_from_db()
    assert organisation.credit_code == VALID_CODE and organisation.region == "北京市海淀区"


def test_leader_may_not_edit(client, users, organisation):
    client.force_login(users["leader"])

    page = client.get(reverse("organisations:edit", args=[organisation.pk]))
    post = client.post(reverse("organisations:edit", args=[organisation.pk]),
                       _edit_form(organisation, region="北京市朝阳区"))

    assert page.status_code == 403 and "只读" in page.content.decode()
    assert post.status_code == 403
    organisation.refresh_from_db()
    assert organisation.region == "北京市海淀区" and organisation.version == 1
    assert not AuditLog.objects.filter(action=AuditAction.UPDATE).exists()


# --- people ------------------------------------------------------------------------------------

def test_person_list_searches(client, users, organisation):
    Person.objects.create(name="张工", organisation=organisation)
    Person.objects.create(name="李院士", kind="academician")
    client.force_login(users["leader"])

    html = client.get(reverse("organisations:person_list"), {"q": "张"}).content.decode()

    assert "张工" in html and organisation.name in html
    assert "李院士" not in html
    assert reverse("organisations:person_create") not in html


def test_person_create_resolves_the_organisation_by_short_name(client, users):
    org = organisation_create(actor=users["office"], name="北京嘉岳环境科技有限公司", short_names=["嘉岳"])
    client.force_login(users["district"])
    assert 'value="北京嘉岳环境科技有限公司"' in client.get(
        reverse("organisations:person_create"), {"organisation": org.pk}).content.decode()

    response = client.post(reverse("organisations:person_create"), {
        "name": "王总", "kind": "contact", "organisation": "嘉岳", "title": "董事长", "phone": "010-12345678",
        "email": "wang@example.com", "notes": "", "submission_key": "p-1",
    })

    person = Person.objects.get()
    assert response.status_code == 302 and response.url == reverse("organisations:detail", args=[org.pk])
    assert person.organisation == org and person.title == "董事长" and person.created_by == users["district"]
    assert "王总" in client.get(response.url).content.decode()


def test_person_create_with_unknown_organisation_or_bad_email_saves_nothing(client, users, organisation):
    client.force_login(users["district"])

    response = client.post(reverse("organisations:person_create"), {
        "name": "王总", "kind": "contact", "organisation": "骅远", "email": "not-an-email", "submission_key": "p-2",
    })

    errors = response.context["form"].errors
    assert "您是不是要找：“骅远科技(北京)有限公司”" in errors["organisation"][0]
    assert "email" in errors
    assert not Person.objects.exists()


def test_leader_may_not_create_people(client, users):
    client.force_login(users["leader"])

    page = client.get(reverse("organisations:person_create"))
    post = client.post(reverse("organisations:person_create"), {"name": "王总", "kind": "contact",
                                                                "submission_key": "p-3"})

    assert page.status_code == 403 and post.status_code == 403
    assert not Person.objects.exists()


def test_admin_refuses_a_wrong_credit_code(client, db):
    from apps.accounts.models import User

    client.force_login(User.objects.create_superuser("t_admin", password="pw-for-tests-1"))
    form = {
        "name": "后台测试有限公司", "credit_code": "91110000600037341X", "kind": "enterprise",
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0",
    }

    response = client.post("/admin/organisations/organisation/add/", form)

    assert response.status_code == 200 and "校验位" in response.content.decode()
    assert not Organisation.objects.exists()
    client.post("/admin/organisations/organisation/add/", {**form, "credit_code": GOOD_NEW_CODE})
    assert Organisation.objects.get().credit_code == GOOD_NEW_CODE
