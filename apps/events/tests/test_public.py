"""The public pages: no login, only the ticked fields (each field tested on its own, both ways), a
withdrawn page says so and nothing else, confidential projects are never named."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.events import publicity
from apps.events.services import public_page_publish, public_page_withdraw
from apps.events.tests.conftest import YI
from apps.projects.choices import Confidentiality, Stage

pytestmark = pytest.mark.django_db

# A value per field that appears nowhere else on the page: present exactly when ticked.
EVENT_MARKERS = {
    "kind": ("kind", "院士人才沙龙", "salon"),
    "place": ("venue", "雁栖湖国际会展中心", None),
    "hosts": ("hosts", "主办：甲乙丙商会", None),
    "attendees": ("attendee_count", "437余人", 437),
    "summary": ("summary", "简介标记文本XYZ", None),
    "agenda": ("agenda", "议程标记文本QRS", None),
    "totals": (None, "签约总额", None),
    "signings": (None, "保密测试签约项目", None),
    "photos": (None, "照片说明标记", None),
}


@pytest.fixture
def full_event(event, users, make_project, sign):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from apps.events.models import Event
    from apps.events.services import event_add_photo

    Event.objects.filter(pk=event.pk).update(kind="salon", venue="雁栖湖国际会展中心", hosts="主办：甲乙丙商会",
                                             attendee_count=437, summary="简介标记文本XYZ", agenda="议程标记文本QRS")
    event.refresh_from_db()
    sign(make_project(name="保密测试签约项目"), 7)
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="PNG")
    event_add_photo(actor=users["office"], event=event, caption="照片说明标记",
                    image=SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png"))
    return event


@pytest.mark.parametrize("field", list(publicity.EVENT_FIELDS))
def test_each_event_field_shows_only_when_ticked(client, full_event, users, field):
    marker = EVENT_MARKERS[field][1]
    others = [key for key in publicity.EVENT_FIELDS if key != field]
    page = public_page_publish(actor=users["office"], event=full_event, fields=others)
    html = client.get(reverse("events:public", args=[page.token])).content.decode()
    assert full_event.title in html and "2025年11月1日" in html
    assert marker not in html, f"{field} leaked while not ticked"
    public_page_publish(actor=users["office"], event=full_event, fields=[field])
    html = client.get(reverse("events:public", args=[page.token])).content.decode()
    assert marker in html, f"{field} missing while ticked"
    # With only this field ticked, none of the other markers appear.
    for other in others:
        if EVENT_MARKERS[other][1] != marker:
            assert EVENT_MARKERS[other][1] not in html, f"{other} leaked with only {field} ticked"


PROJECT_MARKERS = {
    "organisation": "骅远科技标记(北京)有限公司",
    "unit": "九龙坡区",
    "cluster": "软件信息服务",
    "chain_role": "固链",
    "planned_investment": "12.34亿元",
    "signing": "框架协议",
    "registration": "骅远标记(重庆)科技有限公司",
    "construction": "2026年1月5日",
    "production": "2026年6月8日",
    "description": "项目简介标记ABC",
}


@pytest.fixture
def landed_project(make_project, users, units):
    from apps.chains.models import Cluster
    from apps.organisations.services import organisation_create
    from apps.projects.services import project_change_stage

    org = organisation_create(actor=users["office"], name="骅远科技标记(北京)有限公司")
    project = make_project(organisation=org, name="骅远人工智能数据安全中心项目", first_contact_date=datetime.date(2025, 1, 2),
                           planned_investment=Decimal("12.34") * YI, cluster=Cluster.objects.get(name="软件信息服务"),
                           chain_role="consolidate", description="项目简介标记ABC")
    project_change_stage(actor=users["office"], project=project, to_stage=Stage.PRODUCTION, skip_reason="补录历史项目",
                         occurred_on=datetime.date(2026, 6, 8), values={
                             "specialist": users["specialist"], "signed_date": datetime.date(2025, 11, 1),
                             "agreement_type": "framework", "signed_amount": 5 * YI,
                             "registered_entity": "骅远标记(重庆)科技有限公司",
                             "registered_credit_code": "91500107MA5YXXXX79", "registered_date": datetime.date(2025, 12, 1),
                             "construction_start_date": datetime.date(2026, 1, 5),
                             "production_date": datetime.date(2026, 6, 8)})
    project.refresh_from_db()
    return project


@pytest.mark.parametrize("field", list(publicity.PROJECT_FIELDS))
def test_each_project_field_shows_only_when_ticked(client, landed_project, users, field):
    marker = PROJECT_MARKERS[field]
    others = [key for key in publicity.PROJECT_FIELDS if key != field]
    page = public_page_publish(actor=users["office"], project=landed_project, fields=others)
    url = reverse("events:public", args=[page.token])
    html = client.get(url).content.decode()
    assert landed_project.name in html
    assert marker not in html, f"{field} leaked while not ticked"
    public_page_publish(actor=users["office"], project=landed_project, fields=[field])
    assert marker in client.get(url).content.decode(), f"{field} missing while ticked"


def test_public_page_needs_no_login_and_keeps_its_address_out_of_referrers(client, event, users):
    page = public_page_publish(actor=users["office"], event=event)
    response = client.get(reverse("events:public", args=[page.token]))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    assert 'id="mainnav"' not in response.content.decode()


def test_unknown_token_is_404_and_a_withdrawn_page_410_without_content(client, event, users):
    assert client.get(reverse("events:public", args=["x" * 22])).status_code == 404
    page = public_page_publish(actor=users["office"], event=event)
    public_page_withdraw(actor=users["leader"], page=page, reason="信息需更正")
    response = client.get(reverse("events:public", args=[page.token]))
    assert response.status_code == 410
    html = response.content.decode()
    assert "已" in html and "撤下" in html
    assert event.title not in html and "北京国际饭店" not in html
    # Publishing again gives a new address; the old one stays withdrawn.
    again = public_page_publish(actor=users["office"], event=event)
    assert again.token != page.token
    assert client.get(reverse("events:public", args=[page.token])).status_code == 410
    assert client.get(reverse("events:public", args=[again.token])).status_code == 200


def test_tokens_are_long_and_random(event, users, make_project):
    page = public_page_publish(actor=users["office"], event=event)
    assert len(page.token) >= 22


def test_confidential_projects_count_but_are_never_named_in_public(client, event, users, make_project, sign):
    sign(make_project(name="公开项目甲"), 5)
    sign(make_project(name="保密项目乙", confidentiality=Confidentiality.CONFIDENTIAL), 3)
    page = public_page_publish(actor=users["office"], event=event, fields=["totals", "signings"])
    html = client.get(reverse("events:public", args=[page.token])).content.decode()
    assert "公开项目甲" in html and "保密项目乙" not in html
    assert "8亿元" in html  # the announced total includes it
    with pytest.raises(Exception) as caught:
        public_page_publish(actor=users["office"], project=make_project(confidentiality=Confidentiality.CONFIDENTIAL))
    assert "保密项目不能对外公开" in str(caught.value)


def test_a_project_is_published_only_once_signed(users, make_project):
    from apps.core.errors import DomainError

    with pytest.raises(DomainError) as caught:
        public_page_publish(actor=users["office"], project=make_project())
    assert "签约后" in caught.value.message


def test_who_may_publish_and_withdraw(client, event, users, make_project):
    from django.core.exceptions import PermissionDenied

    from apps.core.errors import DomainError

    with pytest.raises(PermissionDenied):
        public_page_publish(actor=users["leader"], event=event)
    with pytest.raises(PermissionDenied):
        public_page_publish(actor=users["district"], event=event)
    with pytest.raises(DomainError):
        public_page_publish(actor=users["office"], event=event, fields=["secret_notes"])
    page = public_page_publish(actor=users["office"], event=event)
    with pytest.raises(PermissionDenied):
        public_page_withdraw(actor=users["district"], page=page, reason="x")
    with pytest.raises(DomainError) as caught:
        public_page_withdraw(actor=users["leader"], page=page, reason="")
    assert caught.value.field == "reason"
    public_page_withdraw(actor=users["leader"], page=page, reason="领导要求撤下")
    page.refresh_from_db()
    assert page.withdrawn_by == users["leader"]
