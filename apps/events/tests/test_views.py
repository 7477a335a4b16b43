"""The event pages: a permission matrix over every page and form, and what a person sees and does on
them (the totals, the signing form, its Chinese errors, exports, the tally's polling, the poster)."""

import io

import pytest
from django.urls import reverse

from apps.events.models import Signing
from apps.events.services import public_page_publish
from apps.events.tests.conftest import YI

pytestmark = pytest.mark.django_db

ROLES = ["office_admin", "office", "leader", "district", "district_admin", "district2", "specialist", "liangjiang",
         "anonymous"]


@pytest.fixture
def world(event, users, make_project, sign, landed):
    """The office's event with a 九龙坡区 and a 长寿区 signing, a public page; a landed project's page."""
    jiulongpo = sign(make_project(name="九龙坡签约项目", actor=users["district"]), 5)
    changshou = sign(make_project(name="长寿签约项目", unit_name="长寿区", actor=users["district2"]), 3)
    page = public_page_publish(actor=users["office"], event=event)
    project_page = public_page_publish(actor=users["office"], project=landed)
    return {"event": event, "jiulongpo": jiulongpo, "changshou": changshou, "page": page,
            "project_page": project_page, "landed": landed}


@pytest.fixture
def landed(ready_project, sign, users):
    project = ready_project(name="已签约九龙坡项目")
    sign(project, 2, advance_stage=True)
    project.refresh_from_db()
    return project


def _client(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    return client


READ_ALL = {"office_admin": 200, "office": 200, "leader": 200, "district": 200, "district_admin": 200,
            "district2": 200, "specialist": 200, "liangjiang": 200, "anonymous": 302}
ORGANISER_ONLY = {"office_admin": 200, "office": 200, "leader": 403, "district": 403, "district_admin": 403,
                  "district2": 403, "specialist": 403, "liangjiang": 403, "anonymous": 302}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "expected"), [
    ("list", READ_ALL),
    ("create", {**ORGANISER_ONLY, "district": 200, "district_admin": 200, "district2": 200, "liangjiang": 200}),
    ("detail", READ_ALL),
    ("edit", ORGANISER_ONLY),
    ("tally", READ_ALL),
    ("tally_live", READ_ALL),
    ("signings_xlsx", READ_ALL),
    ("ceremony_docx", ORGANISER_ONLY),
    ("poster", READ_ALL),
    ("poster_png", READ_ALL),
    ("project_options", READ_ALL),
])
def test_event_pages_by_role(client, users, world, role, name, expected):
    event = world["event"]
    args = {"list": [], "create": []}.get(name, [event.pk])
    if name == "poster_png":
        args = [event.pk, "portrait"]
    response = _client(client, users, role).get(reverse(f"events:{name}", args=args))
    assert response.status_code == expected[role]


# Who may open a project's 公开页面与喜报 page: whoever sees the project (a 长寿区 person does not).
PROJECT_VIEW = {**READ_ALL, "district2": 404, "liangjiang": 404}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["project_public", "project_poster", "project_poster_png"])
def test_project_pages_by_role(client, users, world, role, name):
    args = [world["landed"].pk] + (["square"] if name == "project_poster_png" else [])
    response = _client(client, users, role).get(reverse(f"events:{name}", args=args))
    assert response.status_code == PROJECT_VIEW[role]


SIGNING_EDIT = {"office_admin": 200, "office": 200, "leader": 403, "district": 200, "district_admin": 200,
                "district2": 404, "specialist": 403, "liangjiang": 404, "anonymous": 302}


@pytest.mark.parametrize("role", ROLES)
def test_signing_edit_page_by_role(client, users, world, role):
    # The 九龙坡区 signing at the office's event: its district and the office change it; the specialist
    # sees it (their unit's project) but is not its specialist; other districts do not see it at all.
    response = _client(client, users, role).get(reverse("events:signing_edit", args=[world["jiulongpo"].pk]))
    assert response.status_code == SIGNING_EDIT[role]


WRITE_STATUS = {"office_admin": 302, "office": 302, "leader": 403, "district": 403, "district_admin": 403,
                "district2": 403, "specialist": 403, "liangjiang": 403, "anonymous": 302}


@pytest.mark.parametrize("role", ROLES)
def test_withdrawing_a_signing_by_role(client, users, world, role):
    signing = world["changshou"]
    response = _client(client, users, role).post(reverse("events:signing_withdraw", args=[signing.pk]),
                                                 {"reason": "测试撤回"})
    signing.refresh_from_db()
    allowed = role in ("office_admin", "office", "district2")
    assert signing.status == ("withdrawn" if allowed else "active")
    expected = 302 if allowed or role == "anonymous" else (404 if role in ("district", "district_admin", "specialist",
                                                                          "liangjiang") else 403)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_publishing_and_withdrawing_the_public_page_by_role(client, users, world, role):
    page = world["page"]
    c = _client(client, users, role)
    response = c.post(reverse("events:publish", args=[world["event"].pk]), {"save_fields": "1", "fields_": ["kind"]})
    page.refresh_from_db()
    may_publish = role in ("office_admin", "office")
    assert page.fields == (["kind"] if may_publish else page.fields)
    assert response.status_code == (302 if may_publish or role == "anonymous" else 403)
    response = c.post(reverse("events:public_page_withdraw", args=[page.pk]), {"reason": "撤下测试"})
    page.refresh_from_db()
    may_withdraw = role in ("office_admin", "office", "leader")
    assert (page.withdrawn_at is not None) == may_withdraw
    assert response.status_code == (302 if may_withdraw or role == "anonymous" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_signing_by_role(client, users, world, role, make_project):
    project = make_project(name="新登记项目", actor=users["district"])
    before = Signing.objects.count()
    response = _client(client, users, role).post(reverse("events:signing_create", args=[world["event"].pk]), {
        "project": project.pk, "agreement_type": "framework", "amount": "2亿", "date": "2025-11-01"})
    may = role in ("office_admin", "office", "district", "district_admin")
    assert Signing.objects.count() == before + (1 if may else 0)
    if role == "anonymous":
        assert response.status_code == 302
    elif may:
        assert response.status_code == 302
    else:
        # The project is not in their choices: the form says so, naming the field; nothing written.
        assert response.status_code in (400, 403)


def test_the_event_page_shows_totals_and_hides_other_districts_rows(client, users, world):
    client.force_login(users["district2"])
    html = client.get(reverse("events:detail", args=[world["event"].pk])).content.decode()
    assert "长寿签约项目" in html and "九龙坡签约项目" not in html
    assert "另有2个其他单位的签约项目已计入合计" in html  # both 九龙坡区 signings
    # 5 + 3 + the landed project's 2 = 10亿元, whoever looks.
    assert "10亿元" in html and 'id="total-count">3' in html


def test_the_signing_form_reports_a_bad_amount_by_field_and_writes_nothing(client, users, world, make_project):
    project = make_project(name="金额错误项目")
    client.force_login(users["office"])
    response = client.post(reverse("events:signing_create", args=[world["event"].pk]), {
        "project": project.pk, "agreement_type": "framework", "amount": "五个亿", "date": "2025-11-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "签约金额" in html
    assert not Signing.objects.filter(project=project).exists()


def test_the_signing_form_explains_a_stage_rule_that_refuses(client, users, world, make_project):
    project = make_project(name="尚在线索阶段项目")
    client.force_login(users["office"])
    response = client.post(reverse("events:signing_create", args=[world["event"].pk]), {
        "project": project.pk, "agreement_type": "framework", "amount": "2亿", "date": "2025-11-01",
        "advance_stage": "on"})
    assert response.status_code == 400
    assert "同时更新项目阶段" in response.content.decode()
    assert not Signing.objects.filter(project=project).exists()


def test_the_tally_answers_204_until_something_changes(client, users, world, sign, make_project):
    client.force_login(users["office"])
    url = reverse("events:tally_live", args=[world["event"].pk])
    first = client.get(url)
    assert first.status_code == 200
    stamp = first.content.decode().split('data-stamp="')[1].split('"')[0]
    assert client.get(url, {"stamp": stamp}).status_code == 204
    sign(make_project(name="大屏新签约项目"), 4)
    changed = client.get(url, {"stamp": stamp})
    assert changed.status_code == 200
    assert "大屏新签约项目" in changed.content.decode()


def test_moving_a_signing_up_changes_the_order(client, users, world):
    client.force_login(users["office"])
    event, first, second = world["event"], world["jiulongpo"], world["changshou"]
    client.post(reverse("events:signing_move", args=[event.pk, second.pk]), {"direction": "up"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.order < first.order


def test_the_xlsx_export_is_a_workbook_with_the_visible_rows(client, users, world):
    from openpyxl import load_workbook

    client.force_login(users["district2"])
    response = client.get(reverse("events:signings_xlsx", args=[world["event"].pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = " ".join(str(c.value) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()
                    for c in row if c.value is not None)
    assert "长寿签约项目" in text and "九龙坡签约项目" not in text


def test_the_ceremony_list_is_a_word_document_in_order(client, users, world):
    from docx import Document

    client.force_login(users["office"])
    response = client.get(reverse("events:ceremony_docx", args=[world["event"].pk]))
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = " ".join(cells)
    assert text.index("九龙坡签约项目") < text.index("长寿签约项目")


def test_one_button_publishes_and_leads_to_the_poster(client, users, event):
    client.force_login(users["office"])
    response = client.post(reverse("events:publish", args=[event.pk]), {"then": "poster"})
    assert response.status_code == 302 and response["Location"] == reverse("events:poster", args=[event.pk])
    page = client.get(response["Location"]).content.decode()
    assert reverse("events:poster_png", args=[event.pk, "portrait"]) in page


def test_the_poster_is_a_png_of_the_public_facts(client, users, world):
    from PIL import Image

    client.force_login(users["leader"])
    response = client.get(reverse("events:poster_png", args=[world["event"].pk, "square"]))
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (1080, 1080)
    assert client.get(reverse("events:poster_png", args=[world["event"].pk, "huge"])).status_code == 404


def test_no_poster_without_a_public_page(client, users, event):
    client.force_login(users["office"])
    assert client.get(reverse("events:poster_png", args=[event.pk, "portrait"])).status_code == 404
    assert "请先发布公开页面" in client.get(reverse("events:poster", args=[event.pk])).content.decode()


def test_the_event_form_creates_an_event_and_reports_errors_in_chinese(client, users, units):
    from apps.events.models import Event

    client.force_login(users["district"])
    response = client.post(reverse("events:create"), {"title": "", "kind": "promotion", "date": "2025-11-31",
                                                      "unit": units["九龙坡区"].pk})
    html = response.content.decode()
    assert response.status_code == 200 and "请填写活动名称" in html and "活动日期" in html
    response = client.post(reverse("events:create"), {"title": "九龙坡区招商推介会", "kind": "promotion",
                                                      "date": "2025-11-20", "unit": units["九龙坡区"].pk,
                                                      "attendee_count": "120"})
    event = Event.objects.get(title="九龙坡区招商推介会")
    assert response["Location"] == reverse("events:detail", args=[event.pk])
    assert event.attendee_count == 120 and event.created_by == users["district"]


def test_amounts_reach_the_record_exactly(client, users, world, make_project):
    project = make_project(name="精确金额项目")
    client.force_login(users["office"])
    client.post(reverse("events:signing_create", args=[world["event"].pk]), {
        "project": project.pk, "agreement_type": "contract", "amount": "1.23亿", "date": "2025-11-01"})
    assert Signing.objects.get(project=project).amount == YI * 123 / 100


def test_a_signing_outside_any_event_from_the_project_page(client, users, ready_project):
    project = ready_project(name="单独签约项目", actor=users["district"])
    client.force_login(users["district"])
    url = reverse("events:project_signing_create", args=[project.pk])
    response = client.post(url, {"agreement_type": "contract", "amount": "3亿", "date": ""})
    assert response.status_code == 400 and "请填写签约日期" in response.content.decode()
    assert not Signing.objects.filter(project=project).exists()
    response = client.post(url, {"agreement_type": "contract", "amount": "3亿", "date": "2025-10-20",
                                 "advance_stage": "on"})
    assert response.status_code == 302
    signing = Signing.objects.get(project=project)
    assert signing.event is None and signing.amount == 3 * YI
    project.refresh_from_db()
    assert project.stage == "signed" and project.signed_amount == 3 * YI
    # Another district cannot see the project, let alone sign it.
    client.force_login(users["district2"])
    assert client.post(url, {"agreement_type": "contract", "date": "2025-10-20"}).status_code == 404


def test_the_tally_redraws_after_a_reorder(client, users, world):
    client.force_login(users["office"])
    url = reverse("events:tally_live", args=[world["event"].pk])
    stamp = client.get(url).content.decode().split('data-stamp="')[1].split('"')[0]
    client.post(reverse("events:signing_move", args=[world["event"].pk, world["changshou"].pk]), {"direction": "up"})
    assert client.get(url, {"stamp": stamp}).status_code == 200


def test_photos_and_participants(client, users, world, organisation):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from apps.events.models import EventParticipant, EventPhoto

    event = world["event"]
    client.force_login(users["office"])
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(reverse("events:photo_add", args=[event.pk]), {"image": fake, "caption": "签约现场"})
    assert response.status_code == 400 and "照片：文件不是有效的图片" in response.content.decode()
    assert not EventPhoto.objects.exists()
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, format="JPEG")
    real = SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")
    assert client.post(reverse("events:photo_add", args=[event.pk]), {"image": real, "caption": "签约现场"}).status_code == 302
    photo = EventPhoto.objects.get()
    client.post(reverse("events:photo_remove", args=[event.pk, photo.pk]))
    photo.refresh_from_db()
    assert photo.removed_at is not None  # kept, shown nowhere
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'alt="签约现场"' not in page  # gone from the photos; the page's 修改记录 says it was removed
    assert "移除活动照片：签约现场" in page

    client.post(reverse("events:participant_add", args=[event.pk]), {"organisation": organisation.pk, "note": "主旨发言"})
    assert EventParticipant.objects.filter(event=event, organisation=organisation, note="主旨发言").exists()
    again = client.post(reverse("events:participant_add", args=[event.pk]), {"organisation": organisation.pk})
    assert again.status_code == 400 and "已在参会名单中" in again.content.decode()
    client.force_login(users["district"])
    assert client.post(reverse("events:participant_add", args=[event.pk]),
                       {"organisation": organisation.pk}).status_code == 403


def test_the_signing_form_as_shown_can_be_sent_as_is(client, users, world, make_project):
    # Whatever the empty form shows must pass: an order of 0 (the model's default) would be refused.
    client.force_login(users["office"])
    html = client.get(reverse("events:detail", args=[world["event"].pk])).content.decode()
    assert 'name="order"' in html and 'name="order" value="0"' not in html
    project = make_project(name="原样提交项目")
    response = client.post(reverse("events:signing_create", args=[world["event"].pk]), {
        "project": project.pk, "agreement_type": "framework", "amount": "", "date": "2025-11-01", "order": ""})
    assert response.status_code == 302 and Signing.objects.get(project=project).order == 4
