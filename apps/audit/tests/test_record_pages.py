"""Every record's page shows its 修改记录 (issue 10, item 3). The record pages are found from the URL conf — a page
route whose path ends in a record's id, or a record's edit page where it has no page of its own — so a new record
page must either show its history or say here why it is not a record's page."""

import re

import pytest

from tests.access_matrix.routes import fill, page_routes
from tests.access_matrix.samples import sample_values
from tests.access_matrix.world import world_rolled_back

pytestmark = pytest.mark.django_db

# Record pages that show audit/partials/history.html.
SHOWS_HISTORY = {
    "organisations:detail", "projects:detail", "recommendations:detail", "servicedesk:detail", "intelligence:detail",
    "talent:detail", "thinktanks:detail", "offers:need_match", "fairness:flag", "events:detail",
    # Records without a page of their own: their edit page is where they are read.
    "offers:edit", "events:signing_edit",
}
# Pages whose path ends in an id but that are not a record's own page, and why.
NOT_A_RECORD_PAGE = {
    "projects:evidence": "a file attached to a stage change, downloaded",
    "servicedesk:attachment": "a file attached to a reply, downloaded",
    "servicedesk:contact_attachment": "the same file, for the enterprise's contact",
    "servicedesk:contact_detail": "the enterprise contact's view of their own request (no account, no audit trail shown)",
    "servicedesk:project": "the list of a project's requests",
    "imports:detail": "an import job: its page is its own log of rows and issues",
    "fulfilment:project": "the project's landing milestones, a part of the project page (which shows the history)",
    "chains:map": "a cluster's chain map: its history is its numbered versions (chains:version)",
    "chains:version": "one saved version of a chain map",
    "chains:link": "a link of the chain map and the organisations placed on it",
    "chains:organisation": "where an organisation sits on the chain maps, a part of the organisation page",
    "chains:project": "where a project sits on the chain maps, a part of the project page",
    "relations:organisation": "an organisation's relations, each listed with who recorded it and when",
    "offers:district": "a district's list of offers",
    "events:photo": "a photo, downloaded",
    "events:public_photo": "a published photo, downloaded",
}
EDIT_PAGES = {"offers:edit", "events:signing_edit"}


def _record_pages():
    found = set()
    for route in page_routes():
        if route.kind != "page":
            continue
        if re.search(r"<int:\w+>/$", route.template) or route.name in EDIT_PAGES:
            found.add(route.name)
    return found


def test_every_record_page_is_known():
    found = _record_pages()
    unknown = sorted(found - SHOWS_HISTORY - set(NOT_A_RECORD_PAGE))
    assert not unknown, f"show the record's history (audit/partials/history.html) or explain here: {unknown}"
    gone = sorted((SHOWS_HISTORY | set(NOT_A_RECORD_PAGE)) - found)
    assert not gone, f"routes named here that no longer exist: {gone}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with world_rolled_back(django_db_blocker) as w:
        yield w


# Pages that tell their record's history their own way, and the heading they show it under.
OWN_WAY = {"projects:detail": "项目历程",  # stage changes, activities, specialists and edits in one timeline
           "talent:detail": "引进历程"}
# Records the platform makes by itself (a fairness scan of an article), so their history starts at a person's review.
MADE_BY_THE_SYSTEM = {"fairness:flag"}
# Who opens the page: the office's administrator, except where only the owning district may (its offers).
READER = {"offers:edit": "district_admin"}


@pytest.mark.parametrize("name", sorted(SHOWS_HISTORY))
def test_the_record_page_shows_its_history(name, world, client):
    route = next(r for r in page_routes() if r.name == name)
    values, missing = sample_values(route, world)
    assert not missing, missing
    client.force_login(world["users"][READER.get(name, "office_admin")])
    response = client.get(fill(route, values))
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    if name in OWN_WAY:
        assert OWN_WAY[name] in page
        return
    assert 'id="history-title"' in page and "修改记录" in page
    if name not in MADE_BY_THE_SYSTEM:
        # Each of the world's records was made through its service, which wrote its 创建 entry.
        history = page[page.index('id="history-title"'):]
        assert 'id="history"' in history and "创建" in history, history[:600]
