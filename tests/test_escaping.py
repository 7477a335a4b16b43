"""HTML typed into a text field comes back as text: on every page that shows the record, in the search
suggestions, and in the DOCX and XLSX exports (where a formula-like start is made inert). Records are made
through the services, as a person would make them."""

import datetime
import io
import zipfile

import pytest
from openpyxl import load_workbook

from apps.events.services import event_create, signing_create
from apps.organisations.services import organisation_create
from apps.projects.services import project_create
from apps.servicedesk.services import request_create
from apps.talent.services import talent_create

pytestmark = pytest.mark.django_db
PAYLOAD = '<img src=x onerror="alert(1)">'
ESCAPED = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


@pytest.fixture
def hostile(users, units):
    office = users["office"]
    org = organisation_create(actor=office, name=f"北京{PAYLOAD}科技有限公司", kind="enterprise")
    project = project_create(actor=office, organisation=org, unit=units["九龙坡区"], name=f"项目{PAYLOAD}",
                             first_contact_date=datetime.date(2025, 10, 1), description=f"说明{PAYLOAD}")
    request = request_create(actor=office, project=project, category="land", title=f"诉求{PAYLOAD}",
                             description=f"内容{PAYLOAD}")
    talent = talent_create(actor=office, unit=units["九龙坡区"], name=f"专家{PAYLOAD}", field=f"方向{PAYLOAD}",
                           first_contact_date=datetime.date(2025, 10, 1))
    event = event_create(actor=office, values={"title": f"活动{PAYLOAD}", "kind": "promotion",
                                               "date": datetime.date(2025, 11, 1), "summary": f"概述{PAYLOAD}"})
    signing_create(actor=office, project=project, event=event, advance_stage=False,
                   values={"agreement_type": "framework", "date": datetime.date(2025, 11, 1)})
    return {"org": org, "project": project, "request": request, "talent": talent, "event": event}


def test_every_page_of_the_records_shows_the_text_escaped(client, users, hostile):
    client.force_login(users["office"])
    pages = [
        "/", "/organisations/", "/organisations/?q=科技", f"/organisations/{hostile['org'].pk}/",
        "/projects/", f"/projects/{hostile['project'].pk}/", "/requests/", f"/requests/{hostile['request'].pk}/",
        "/talent/", f"/talent/{hostile['talent'].pk}/", "/events/", f"/events/{hostile['event'].pk}/",
        "/cockpit/", "/organisations/suggest/?q=科技",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert PAYLOAD not in body, url
    detail = client.get(f"/projects/{hostile['project'].pk}/").content.decode()
    assert ESCAPED in detail  # shown, as text


def test_the_signings_sheet_and_the_ceremony_document_carry_it_as_text(client, users, hostile):
    client.force_login(users["office"])
    sheet = client.get(f"/events/{hostile['event'].pk}/signings.xlsx")
    assert sheet.status_code == 200
    values = [c.value for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows() for c in row]
    assert any(isinstance(v, str) and PAYLOAD in v for v in values)  # kept as text in a text cell
    document = client.get(f"/events/{hostile['event'].pk}/ceremony.docx")
    assert document.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(document.content)).read("word/document.xml").decode()
    assert "&lt;img src=x" in xml and "<img" not in xml


def test_a_formula_typed_as_a_name_is_inert_in_the_library_export(client, users):
    organisation_create(actor=users["office"], name="=HYPERLINK(\"http://evil.example\",\"点此\")有限公司",
                        kind="enterprise")
    client.force_login(users["office"])
    response = client.get("/organisations/export.xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    names = [row[0] for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)]
    assert names == ["'=HYPERLINK(\"http://evil.example\",\"点此\")有限公司"]
