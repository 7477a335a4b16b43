"""The talent pages as a person uses them: the list with its stage counts and filters, the detail page
with its history, and the create, edit, stage, specialist and archive forms."""

import datetime

import pytest

from apps.talent.models import Talent, TalentStageChange

D = datetime.date
pytestmark = pytest.mark.django_db


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_list_shows_own_records_with_stage_counts_and_filters(client, make_talent, signed_talent, users, clusters):
    make_talent(name="梁振宇", kind="academician", title="中国工程院院士", clusters=[clusters["新一代电子信息制造业"]])
    signed_talent(name="北航感知团队", kind="team", team_size=12, mode="joint_lab")
    make_talent(name="长寿的专家", unit_name="长寿区")
    client.force_login(users["district"])
    html = page(client.get("/talent/"))
    assert "梁振宇" in html and "中国工程院院士" in html and "北航感知团队" in html and "（12人）" in html
    assert "长寿的专家" not in html
    assert "柔性引进·联合实验室" in html
    counts = html.split('id="stage-counts"')[1].split("</nav>")[0]
    assert "意向" in counts and ">1</span>" in counts
    html = page(client.get("/talent/", {"kind": "team"}))
    assert "北航感知团队" in html and "梁振宇" not in html
    html = page(client.get("/talent/", {"cluster": clusters["新一代电子信息制造业"].pk, "stage": "intention"}))
    assert "梁振宇" in html and "北航感知团队" not in html
    html = page(client.get("/talent/", {"q": "没有这个人"}))
    assert "没有符合条件的人才记录" in html


def test_list_reads_in_a_bounded_number_of_queries(client, make_talent, users, clusters, django_assert_max_num_queries):
    for n in range(12):
        make_talent(name=f"专家{n}", clusters=[clusters["先进材料"]], specialist=users["specialist"])
    client.force_login(users["office"])
    with django_assert_max_num_queries(16):
        page(client.get("/talent/"))


def test_create_form_registers_and_a_double_post_creates_one(client, users, units, clusters, organisation):
    client.force_login(users["district"])
    form = page(client.get("/talent/new/"))
    key = form.split('name="submission_key" value="')[1].split('"')[0]
    data = {"name": "林知远", "kind": "academician", "title": "中国科学院院士", "affiliation": organisation.pk,
            "field": "柔性显示", "clusters": [clusters["新型显示"].pk], "unit": units["九龙坡区"].pk,
            "first_contact_date": "2025-10-01", "submission_key": key}
    response = client.post("/talent/new/", data)
    talent = Talent.objects.get(name="林知远")
    assert response.status_code == 302 and response["Location"] == f"/talent/{talent.pk}/"
    assert talent.affiliation == organisation and talent.stage == "intention"
    again = client.post("/talent/new/", data)
    assert again.status_code == 302 and Talent.objects.count() == 1
    html = page(client.get(f"/talent/{talent.pk}/"))
    assert "中国科学院院士" in html and organisation.name in html and "新型显示" in html and "登记为“意向”" in html


def test_create_form_shows_the_services_refusal_next_to_the_field(client, users, units):
    client.force_login(users["district"])
    html = page(client.post("/talent/new/", {"name": "某团队", "kind": "team", "unit": units["九龙坡区"].pk,
                                             "first_contact_date": "2025-10-01"}))
    assert "人才类别为“团队”时请填写团队人数" in html and not Talent.objects.exists()
    html = page(client.post("/talent/new/", {"name": "某专家", "kind": "expert", "first_contact_date": "2025-10-01"}))
    assert "请选择承接区县" in html


def test_edit_form_saves_and_links_a_project(client, make_talent, make_project, users):
    project = make_project(unit_name="九龙坡区", name="功率半导体项目")
    talent = make_talent(actor=users["district"])
    client.force_login(users["district"])
    page(client.get(f"/talent/{talent.pk}/edit/"))
    response = client.post(f"/talent/{talent.pk}/edit/", {
        "name": talent.name, "kind": "expert", "title": "首席科学家", "project": project.pk,
        "link_kind": "brings_project", "version": 1})
    assert response.status_code == 302
    html = page(client.get(f"/talent/{talent.pk}/"))
    assert "首席科学家" in html and f'href="/projects/{project.pk}/"' in html and "以才引项目" in html
    assert "职称与荣誉" in html and "修改信息" in html
    stale = page(client.post(f"/talent/{talent.pk}/edit/", {"name": "别的名字", "kind": "expert", "version": 1}))
    assert "已被他人修改" in stale
    assert Talent.objects.get(pk=talent.pk).name == talent.name


def test_a_talent_whose_project_was_archived_since_still_saves_unchanged(client, make_talent, make_project, users):
    from apps.projects.models import Project

    project = make_project(unit_name="九龙坡区", name="固态电池项目")
    talent = make_talent(actor=users["district"])
    client.force_login(users["district"])
    data = {"name": talent.name, "kind": "expert", "title": "教授", "project": project.pk, "link_kind": "brings_project"}
    assert client.post(f"/talent/{talent.pk}/edit/", {**data, "version": 1}).status_code == 302
    Project.objects.filter(pk=project.pk).update(is_archived=True)
    form = page(client.get(f"/talent/{talent.pk}/edit/"))
    assert f'value="{project.pk}" selected' in form  # still shown as linked
    response = client.post(f"/talent/{talent.pk}/edit/", {**data, "title": "讲席教授", "version": 2})
    assert response.status_code == 302, page(response)
    talent.refresh_from_db()
    assert talent.title == "讲席教授" and talent.project_id == project.pk


def test_stage_form_moves_and_refuses_with_the_reason(client, make_talent, users):
    talent = make_talent(actor=users["district"])
    client.force_login(users["district"])
    html = page(client.get(f"/talent/{talent.pk}/"))
    assert "变更阶段" in html and 'value="negotiation"' in html
    html = page(client.post(f"/talent/{talent.pk}/stage/", {"to_stage": "signed", "expected_stage": "intention",
                                                            "skip_reason": "当场签约"}))
    assert "进入“签约”阶段需要填写引进方式、签约日期" in html
    assert TalentStageChange.objects.filter(talent=talent).count() == 1
    response = client.post(f"/talent/{talent.pk}/stage/", {
        "to_stage": "signed", "expected_stage": "intention", "skip_reason": "当场签约", "mode": "consultant",
        "signed_date": "2025-10-10", "occurred_on": "2025-10-10", "note": "受聘为顾问"})
    assert response.status_code == 302
    talent.refresh_from_db()
    assert (talent.stage, talent.mode, talent.signed_date) == ("signed", "consultant", D(2025, 10, 10))
    html = page(client.get(f"/talent/{talent.pk}/"))
    assert "意向 → 签约" in html and "跨阶段理由：当场签约" in html and "2025年10月10日" in html


def test_specialist_page_assigns_and_keeps_history(client, make_talent, users):
    talent = make_talent(actor=users["district"], specialist=users["specialist"])
    client.force_login(users["district"])
    html = page(client.post(f"/talent/{talent.pk}/specialist/", {"specialist": users["district_admin"].pk,
                                                                 "version": talent.version}))
    assert "请写明交接了哪些事项" in html
    response = client.post(f"/talent/{talent.pk}/specialist/", {"specialist": users["district_admin"].pk,
                                                                "note": "已交接", "version": talent.version})
    assert response.status_code == 302
    html = page(client.get(f"/talent/{talent.pk}/specialist/"))
    assert "已交接" in html and "至今" in html
    assert Talent.objects.get(pk=talent.pk).specialist == users["district_admin"]


def test_archive_hides_the_record_from_the_list(client, make_talent, users):
    talent = make_talent(actor=users["district"], name="重复的专家")
    client.force_login(users["district"])
    response = client.post(f"/talent/{talent.pk}/archive/", {"reason": ""}, follow=True)
    assert "请填写归档原因" in response.content.decode()
    response = client.post(f"/talent/{talent.pk}/archive/", {"reason": "重复登记"})
    assert response.status_code == 302
    assert "已归档“重复的专家”" in page(client.get("/talent/"))  # the message, once
    assert "重复的专家" not in page(client.get("/talent/"))
    assert "已归档" in page(client.get(f"/talent/{talent.pk}/"))


def test_a_talent_is_recorded_at_an_event_and_shown_on_the_event_page(client, users, units):
    """院士人才沙龙: the participants are people; recording one shows them on the event's page."""
    import datetime

    from apps.events.models import Event
    from apps.talent.services import talent_create

    person = talent_create(actor=users["district"], name="测试院士", unit=units["九龙坡区"], kind="academician",
                           first_contact_date=datetime.date(2025, 1, 2))
    salon = Event.objects.create(title="院士人才沙龙", kind="salon", date=datetime.date(2025, 3, 1),
                                 unit=units["驻京办"], city="北京")
    client.force_login(users["district"])
    response = client.post(f"/talent/{person.pk}/events/", {"event": salon.pk})
    assert response.status_code == 302
    assert "测试院士" in client.get(f"/events/{salon.pk}/").content.decode()
    again = client.post(f"/talent/{person.pk}/events/", {"event": salon.pk}, follow=True).content.decode()
    assert "已记录参加" in again  # twice is refused with the field named
    # Another district may not record it (403), and nothing changes.
    client.force_login(users["district2"])
    assert client.post(f"/talent/{person.pk}/events/", {"event": salon.pk, "remove": "1"}).status_code == 404
    assert salon.talent.count() == 1
