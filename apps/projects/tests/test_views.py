"""The project pages, as a person uses them: who may open what, and what each form does with good
and bad input. Denied cases check that nothing changed and nothing leaked."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.idempotency import new_submission_key
from apps.projects.choices import AgreementType, Stage
from apps.projects.models import Project, StageChange
from apps.projects.services import project_change_stage

D = datetime.date
AMOUNT = Decimal("500000000")  # shown as 5亿元


@pytest.fixture
def project(make_project, organisation):
    """A 九龙坡区 project with an amount that would give it away if it leaked."""
    return make_project(name="骅远人工智能数据安全中心", organisation=organisation, planned_investment=AMOUNT)


def as_user(client, user):
    client.force_login(user)
    return client


def urls_for(project):
    return {
        "detail": reverse("projects:detail", args=[project.pk]),
        "edit": reverse("projects:edit", args=[project.pk]),
        "stage": reverse("projects:stage", args=[project.pk]),
    }


def stage_post(client, project, to_stage, **fields):
    project.refresh_from_db()
    data = {"to_stage": to_stage, "expected_stage": project.stage, "note": "", "skip_reason": "", "evidence": ""}
    return client.post(reverse("projects:stage", args=[project.pk]), data | fields)


def create_data(organisation, units, **overrides):
    data = {
        "organisation": organisation.pk,
        "unit": units["九龙坡区"].pk,
        "name": "骅远人工智能数据安全中心",
        "first_contact_date": "2025-10-20",
        "planned_investment_0": "5",
        "planned_investment_1": "亿元",
        "cluster": "",
        "chain_role": "consolidate",
        "specialist": "",
        "priority": "high",
        "confidentiality": "normal",
        "description": "",
        "submission_key": new_submission_key(),
    }
    return data | overrides


def edit_data(project, **overrides):
    data = {
        "name": project.name,
        "planned_investment_0": "5",
        "planned_investment_1": "亿元",
        "cluster": "",
        "chain_role": "",
        "specialist": "",
        "priority": "normal",
        "confidentiality": "normal",
        "description": "",
        "version": project.version,
    }
    return data | overrides


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- who may open what -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_every_project_page(client, project):
    login = reverse("accounts:login")
    pages = [reverse("projects:list"), reverse("projects:board"), reverse("projects:create"), *urls_for(project).values()]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(login), url
    response = client.post(urls_for(project)["stage"], {"to_stage": "contact", "expected_stage": "lead"})
    assert response.status_code == 302 and response.url.startswith(login)
    project.refresh_from_db()
    assert project.stage == Stage.LEAD


def test_leader_reads_lists_board_and_detail_but_sees_no_change_controls(client, users, project):
    as_user(client, users["leader"])
    for url in [reverse("projects:list"), reverse("projects:board"), urls_for(project)["detail"]]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert project.name in response.content.decode()
    detail = client.get(urls_for(project)["detail"]).content.decode()
    assert "变更阶段" not in detail and urls_for(project)["edit"] not in detail
    assert "登记项目" not in client.get(reverse("projects:list")).content.decode()


def test_leader_may_not_create_edit_or_move_and_nothing_changes(client, users, project, organisation, units):
    as_user(client, users["leader"])
    before = Project.objects.count()
    assert client.get(reverse("projects:create")).status_code == 403
    assert client.post(reverse("projects:create"), create_data(organisation, units, name="领导登记")).status_code == 403
    assert Project.objects.count() == before

    urls = urls_for(project)
    assert client.get(urls["edit"]).status_code == 403
    assert client.post(urls["edit"], edit_data(project, name="领导改名")).status_code == 403
    assert client.get(urls["stage"]).status_code == 403
    assert stage_post(client, project, "contact").status_code == 403
    project.refresh_from_db()
    assert project.name == "骅远人工智能数据安全中心" and project.stage == Stage.LEAD and project.version == 1
    assert project.stage_changes.count() == 1


def test_another_district_gets_404_and_learns_neither_name_nor_amount(client, users, project):
    as_user(client, users["district2"])
    urls = urls_for(project)
    responses = [client.get(urls["detail"]), client.get(urls["edit"]), client.get(urls["stage"]),
                 client.post(urls["edit"], edit_data(project, name="长寿区改名")), stage_post(client, project, "contact")]
    for response in responses:
        assert response.status_code == 404
        body = response.content.decode()
        assert project.name not in body and "5亿元" not in body
    listing = client.get(reverse("projects:list")).content.decode()
    assert project.name not in listing
    board = client.get(reverse("projects:board")).content.decode()
    assert project.name not in board
    project.refresh_from_db()
    assert project.name == "骅远人工智能数据安全中心" and project.stage == Stage.LEAD


def test_own_district_opens_edits_and_sees_the_stage_form(client, users, project):
    as_user(client, users["district"])
    urls = urls_for(project)
    detail = client.get(urls["detail"])
    assert detail.status_code == 200
    body = detail.content.decode()
    # The page offers the stage change; the form itself comes when asked for, in place (htmx), or on its own
    # page without JavaScript — the same link.
    assert "5亿元" in body and "变更阶段" in body and "新阶段" not in body
    assert f'href="{urls["stage"]}" hx-get="{urls["stage"]}" hx-target="#stage-body"' in body
    assert client.get(urls["edit"]).status_code == 200
    page = client.get(urls["stage"])
    assert page.status_code == 200 and "<html" in page.content.decode() and "新阶段" in page.content.decode()
    inline = client.get(urls["stage"], HTTP_HX_REQUEST="true", HTTP_HX_TARGET="stage-body").content.decode()
    assert "<html" not in inline and "新阶段" in inline and 'name="expected_stage"' in inline
    assert f'action="{urls["stage"]}"' in inline and "autofocus" in inline


def test_the_stage_change_is_not_offered_to_a_reader_or_on_a_terminated_project(client, users, project):
    as_user(client, users["leader"])
    assert "stage-body" not in client.get(urls_for(project)["detail"]).content.decode()
    project.stage = Stage.TERMINATED
    project.save(update_fields=["stage"])
    as_user(client, users["district"])
    detail = client.get(urls_for(project)["detail"])
    assert detail.status_code == 200 and "stage-body" not in detail.content.decode()


def test_a_malformed_organisation_id_in_the_link_is_not_found(client, users):
    as_user(client, users["district"])
    assert client.get(reverse("projects:create") + "?organisation=abc").status_code == 404


# --- list and board -----------------------------------------------------------------------------


def test_list_is_one_query_plus_a_bounded_number_however_many_rows(client, users, make_project, django_assert_num_queries):
    for _ in range(3):
        make_project(planned_investment=Decimal("30000000"), specialist=users["specialist"])
    as_user(client, users["office"])
    client.get(reverse("projects:list"))  # warm caches (content types, translations)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("projects:list"))
    for _ in range(27):
        make_project(planned_investment=Decimal("30000000"), specialist=users["specialist"])
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("projects:list"))
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.count == 30
    assert "3,000万元" in response.content.decode()
    second = client.get(reverse("projects:list") + "?page=2")
    assert len(second.context["page"].object_list) == 5


def test_list_filters_by_stage_keyword_chain_role_and_mine(client, users, make_project, organisation):
    signed_out = make_project(name="分布式温室气体项目", unit_name="长寿区", chain_role="fill")
    mine = make_project(actor=users["district"], name="九龙坡区自己的线索")
    project_change_stage(actor=users["office"], project=signed_out, to_stage=Stage.CONTACT)
    as_user(client, users["office"])

    def names(query):
        response = client.get(reverse("projects:list") + query)
        return {p.name for p in response.context["page"].object_list}

    assert names("?stage=contact") == {"分布式温室气体项目"}
    assert names("?q=温室") == {"分布式温室气体项目"}
    assert names("?chain_role=fill") == {"分布式温室气体项目"}
    assert names("?stage=nonsense") == {"分布式温室气体项目", "九龙坡区自己的线索"}  # a bad value is ignored
    as_user(client, users["district"])
    assert names("?mine=on") == {mine.name}


def test_filtering_by_a_unit_with_predecessors_says_what_it_includes(client, users, make_project, units):
    old = make_project(name="新凯精测智造项目", unit_name="江北区", first_contact_date=D(2025, 11, 1))
    make_project(name="两江新区新项目", unit_name="两江新区", first_contact_date=D(2025, 11, 20))
    as_user(client, users["office"])
    response = client.get(reverse("projects:list") + f"?unit={units['两江新区'].pk}")
    body = response.content.decode()
    assert {p.name for p in response.context["page"].object_list} == {"新凯精测智造项目", "两江新区新项目"}
    assert "含原江北区、原渝北区（2025年11月6日撤销，并入两江新区）" in body
    assert "江北区（已并入两江新区）" in body
    assert old.unit.name == "江北区"


def test_projects_without_a_cluster_or_chain_role_can_be_chosen_and_stay_chosen(client, users, make_project):
    from apps.chains.models import Cluster

    cluster = Cluster.objects.order_by("sort_order", "id").first()
    make_project(name="已归类项目", cluster=cluster, chain_role="fill")
    make_project(name="未归类项目")
    as_user(client, users["office"])
    response = client.get(reverse("projects:list"), {"cluster": "none", "chain_role": "none"})
    assert [p.name for p in response.context["page"].object_list] == ["未归类项目"]
    # The selects show the condition, so pressing 筛选 again keeps it rather than widening the list.
    assert str(response.context["filters"]["cluster"]).count('<option value="none" selected>') == 1
    assert str(response.context["filters"]["chain_role"]).count('<option value="none" selected>') == 1
    assert client.get(reverse("projects:list"), {"cluster": cluster.pk}).context["page"].paginator.count == 1


def test_board_has_a_column_per_stage_with_counts_and_the_same_filters(client, users, make_project):
    moved = make_project(name="已接洽项目")
    make_project(name="新线索项目", unit_name="长寿区")
    project_change_stage(actor=users["office"], project=moved, to_stage=Stage.CONTACT)
    as_user(client, users["office"])
    response = client.get(reverse("projects:board"))
    columns = {c["stage"]: c for c in response.context["columns"]}
    assert len(columns) == 11
    assert columns["contact"]["count"] == 1 and columns["lead"]["count"] == 1
    body = response.content.decode()
    assert "已接洽项目" in body and reverse("projects:detail", args=[moved.pk]) in body
    filtered = client.get(reverse("projects:board") + "?q=新线索")
    assert {c["stage"]: c["count"] for c in filtered.context["columns"]}["contact"] == 0


# --- create -------------------------------------------------------------------------------------


def test_district_registers_a_project_and_lands_on_its_page(client, users, organisation, units):
    as_user(client, users["district"])
    form = client.get(reverse("projects:create") + f"?organisation={organisation.pk}")
    body = form.content.decode()
    assert form.status_code == 200
    assert f'<option value="{organisation.pk}" selected>' in body
    units_offered = str(form.context["form"]["unit"])
    assert "九龙坡区" in units_offered and "长寿区" not in units_offered  # a district is offered only its own unit
    assert "district2" not in str(form.context["form"]["specialist"])  # nor another district's staff
    response = client.post(reverse("projects:create"), create_data(organisation, units))
    project = Project.objects.get()
    assert response.status_code == 302 and response.url == reverse("projects:detail", args=[project.pk])
    assert project.planned_investment == Decimal("500000000.00") and project.unit == units["九龙坡区"]
    assert project.created_by == users["district"]
    detail = client.get(response.url).content.decode()
    assert "已登记项目“骅远人工智能数据安全中心”" in detail and "5亿元" in detail


def test_the_same_create_form_posted_twice_creates_one_project(client, users, organisation, units):
    as_user(client, users["district"])
    data = create_data(organisation, units)
    first = client.post(reverse("projects:create"), data)
    second = client.post(reverse("projects:create"), data, follow=True)
    project = Project.objects.get()
    assert first.url == reverse("projects:detail", args=[project.pk])
    assert second.redirect_chain[-1][0] == reverse("projects:detail", args=[project.pk])
    assert "此表单已经提交过一次，没有重复保存。" in messages_of(second)
    assert Project.objects.count() == 1 and StageChange.objects.count() == 1


def test_an_amount_with_a_unit_other_than_the_one_selected_is_refused(client, users, organisation, units):
    as_user(client, users["district"])
    response = client.post(reverse("projects:create"),
                           create_data(organisation, units, planned_investment_0="5亿", planned_investment_1="万元"))
    assert response.status_code == 200
    errors = response.context["form"].errors["planned_investment"]
    assert "计划投资：填写的“5亿”带有单位“亿元”，但所选单位是“万元”" in errors[0]
    assert "计划投资：填写的“5亿”" in response.content.decode()
    assert Project.objects.count() == 0


def test_words_in_the_amount_box_are_refused(client, users, organisation, units):
    as_user(client, users["district"])
    response = client.post(reverse("projects:create"), create_data(organisation, units, planned_investment_0="五亿"))
    assert "计划投资：无法识别“五亿”" in response.context["form"].errors["planned_investment"][0]
    assert Project.objects.count() == 0


def test_a_district_may_not_register_for_another_unit(client, users, organisation, units):
    as_user(client, users["district"])
    response = client.post(reverse("projects:create"), create_data(organisation, units, unit=units["长寿区"].pk))
    assert response.status_code == 200 and "承接区县" in response.context["form"].errors["unit"][0]
    assert Project.objects.count() == 0


def test_a_unit_that_no_longer_existed_on_the_first_contact_date_is_refused_by_name(client, users, organisation, units):
    as_user(client, users["office"])
    data = create_data(organisation, units, unit=units["江北区"].pk, first_contact_date="2025-11-20")
    response = client.post(reverse("projects:create"), data)
    assert "江北区已于2025年11月6日撤销，请选择两江新区" in response.context["form"].errors["unit"][0]
    assert Project.objects.count() == 0
    options = client.get(reverse("projects:unit_options") + "?first_contact_date=2025-11-01").content.decode()
    assert "江北区" in options and "渝北区" in options
    options = client.get(reverse("projects:unit_options") + "?first_contact_date=2025-11-20").content.decode()
    assert "江北区" not in options and "渝北区" not in options and "两江新区" in options


def test_an_organisation_another_district_holds_is_refused_with_who_and_until_when(
        client, users, organisation, units, make_project):
    make_project(organisation=organisation, unit_name="长寿区")
    as_user(client, users["district"])
    response = client.post(reverse("projects:create"), create_data(organisation, units))
    error = response.context["form"].errors["organisation"][0]
    assert "已由长寿区登记跟进" in error and "首谈保护期至" in error
    assert Project.objects.filter(unit=units["九龙坡区"]).count() == 0


def test_the_organisation_search_narrows_the_select(client, users, organisation):
    from apps.organisations.services import organisation_create

    organisation_create(actor=users["office"], name="北京嘉岳环境科技有限公司")
    as_user(client, users["district"])
    body = client.get(reverse("projects:organisation_options") + "?organisation_q=嘉岳").content.decode()
    assert "北京嘉岳环境科技有限公司" in body and organisation.name not in body


def test_the_project_search_offers_only_visible_live_projects_matching_what_was_typed(client, users, make_project):
    own = make_project(name="九龙坡氢能示范项目")
    other = make_project(name="长寿氢能储运项目", unit_name="长寿区")
    make_project(name="九龙坡光伏项目")
    as_user(client, users["district"])  # 九龙坡区
    body = client.get(reverse("projects:project_options"), {"project_q": "氢能"}).content.decode()
    assert own.name in body and other.name not in body and "九龙坡光伏项目" not in body
    # The chosen project stays on the list while another is searched for; one the person may not see does not.
    body = client.get(reverse("projects:project_options"), {"project_q": "光伏", "project": own.pk}).content.decode()
    assert f'value="{own.pk}" selected' in body and "九龙坡光伏项目" in body
    body = client.get(reverse("projects:project_options"), {"project_q": "光伏", "project": other.pk}).content.decode()
    assert other.name not in body


# --- edit ---------------------------------------------------------------------------------------


def test_edit_saves_and_the_timeline_shows_before_and_after(client, users, project):
    as_user(client, users["district"])
    form = client.get(urls_for(project)["edit"]).content.decode()
    assert 'name="version"' in form and 'value="5"' in form
    response = client.post(urls_for(project)["edit"], edit_data(project, planned_investment_0="8"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.planned_investment == Decimal("800000000.00") and project.version == 2
    detail = client.get(urls_for(project)["detail"]).content.decode()
    assert "计划投资：5亿元 → 8亿元" in detail


def test_an_edit_based_on_a_stale_version_is_refused_and_saves_nothing(client, users, project):
    as_user(client, users["district"])
    stale = edit_data(project, name="我的改名")
    client.post(urls_for(project)["edit"], edit_data(project, name="他人先改的名"))
    response = client.post(urls_for(project)["edit"], stale)
    assert response.status_code == 200
    assert "该项目已被他人修改" in response.content.decode()
    project.refresh_from_db()
    assert project.name == "他人先改的名" and project.version == 2


# --- stage changes ------------------------------------------------------------------------------


def test_moving_two_stages_through_the_page_shows_both_on_the_timeline(client, users, project):
    as_user(client, users["district"])
    first = stage_post(client, project, "contact", note="首次拜访骅远科技")
    assert first.status_code == 302 and first.url == urls_for(project)["detail"]
    second = stage_post(client, project, "recommended", evidence="推荐函2025-18号")
    assert second.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.RECOMMENDED
    detail = client.get(urls_for(project)["detail"], follow=True)
    body = detail.content.decode()
    assert "线索 → 接洽" in body and "接洽 → 推荐考察" in body
    assert "首次拜访骅远科技" in body and "推荐函2025-18号" in body
    assert "阶段已由“接洽”变更为“推荐考察”。" in body


def test_a_stage_that_may_not_follow_is_refused_in_chinese_and_nothing_changes(client, users, project):
    as_user(client, users["district"])
    stage_post(client, project, "contact")
    response = stage_post(client, project, "lead")
    assert response.status_code == 200
    assert "不能从“接洽”退回“线索”" in response.context["form"].errors["to_stage"][0]
    assert "不能从“接洽”退回“线索”" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.CONTACT and project.stage_changes.count() == 2


def test_a_skip_without_a_reason_is_refused(client, users, project):
    as_user(client, users["district"])
    response = stage_post(client, project, "site_visit")
    assert "跨阶段理由" in response.context["form"].errors["skip_reason"][0]
    project.refresh_from_db()
    assert project.stage == Stage.LEAD
    ok = stage_post(client, project, "site_visit", skip_reason="企业主动来渝考察")
    assert ok.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.SITE_VISIT


def _at_intention(project, users):
    project_change_stage(actor=users["district"], project=project, to_stage=Stage.INTENTION, skip_reason="老客户",
                         values={"specialist": users["specialist"]})
    project.refresh_from_db()


def test_signing_without_an_amount_is_refused_naming_the_amount(client, users, project):
    _at_intention(project, users)
    as_user(client, users["district"])
    response = stage_post(client, project, "signed", signed_date="2025-11-01", agreement_type="contract",
                          signed_amount_0="", signed_amount_1="亿元")
    assert response.status_code == 200
    assert response.context["form"].errors["signed_amount"] == ["进入“签约”阶段需要填写：签约金额。"]
    assert "签约金额" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.INTENTION and project.signed_date is None

    ok = stage_post(client, project, "signed", signed_date="2025-11-01", agreement_type="contract",
                    signed_amount_0="5", signed_amount_1="亿元")
    assert ok.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED and project.signed_amount == Decimal("500000000.00")


def test_a_wrong_credit_code_when_registering_says_the_check_character_is_wrong(client, users, project):
    _at_intention(project, users)
    project_change_stage(actor=users["district"], project=project, to_stage=Stage.SIGNED, values={
        "signed_date": D(2025, 11, 1), "agreement_type": AgreementType.CONTRACT, "signed_amount": AMOUNT})
    as_user(client, users["district"])
    response = stage_post(client, project, "registered", registered_entity="骅远（重庆）科技有限公司",
                          registered_credit_code="91500107MA5U0000X0", registered_date="2025-11-10")
    assert response.status_code == 200
    error = response.context["form"].errors["registered_credit_code"][0]
    assert "校验位" in error
    assert "校验位" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED and project.registered_credit_code == ""


def test_the_same_stage_form_posted_twice_is_refused_the_second_time(client, users, project):
    as_user(client, users["district"])
    url = urls_for(project)["stage"]
    data = {"to_stage": "contact", "expected_stage": "lead", "note": "首次拜访", "skip_reason": "", "evidence": ""}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200
    assert "该项目的阶段已变为“接洽”" in again.context["form"].errors["to_stage"][0]
    project.refresh_from_db()
    assert project.stage == Stage.CONTACT
    assert StageChange.objects.filter(project=project, to_stage="contact").count() == 1


def test_choosing_a_stage_shows_only_the_fields_it_needs(client, users, project):
    as_user(client, users["district"])
    url = urls_for(project)["stage"]
    gated = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": f"stage-gated-{project.pk}"}  # as the select's htmx asks
    signed = client.get(url + "?to_stage=signed", **gated).content.decode()
    for label in ["计划投资", "服务专员", "签约日期", "协议类型", "签约金额"]:
        assert label in signed
    assert "注册日期" not in signed and "<html" not in signed
    contact = client.get(url + "?to_stage=contact", **gated).content.decode()
    assert "签约日期" not in contact and "计划投资" not in contact
    paused = client.get(url + "?to_stage=paused", **gated).content.decode()
    assert "签约" not in paused
    page = client.get(url).content.decode()
    assert "新阶段" in page and 'hx-get="' + url + '"' in page and 'name="expected_stage"' in page


def test_an_evidence_file_is_kept_with_the_stage_change(client, users, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    as_user(client, users["district"])
    upload = SimpleUploadedFile("拜访纪要.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = stage_post(client, project, "contact", evidence_file=upload)
    assert response.status_code == 302
    change = project.stage_changes.get(to_stage="contact")
    assert change.evidence_file.name.endswith(".pdf")
    download = reverse("projects:evidence", args=[project.pk, change.pk])
    assert download in client.get(urls_for(project)["detail"]).content.decode()
    # Handed out by the app after checking the reader, only ever as a download.
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    as_user(client, users["district2"])
    assert client.get(download).status_code == 404


@pytest.mark.parametrize(("name", "content", "message"), [
    ("纪要.html", b"<script>alert(1)</script>", "不支持“.html”文件"),
    ("纪要.pdf", b"<html><script>alert(1)</script></html>", "文件内容与扩展名“.pdf”不符"),
])
def test_an_evidence_file_is_checked_by_its_content_and_nothing_is_saved(client, users, project, name, content,
                                                                         message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    as_user(client, users["district"])
    response = stage_post(client, project, "contact", evidence_file=SimpleUploadedFile(name, content))
    assert response.status_code == 200 and message in response.content.decode()
    project.refresh_from_db()
    assert project.stage == "lead" and not project.stage_changes.filter(to_stage="contact").exists()
