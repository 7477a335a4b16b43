"""Merging duplicate organisations and undoing it: services, pages (as the roles that use them) and the
API. What a person would notice: the projects, visits and people are under the surviving record, the
duplicate's name finds the survivor, the duplicate's page says where it went, and undo puts it all back."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.activities.services import activity_create
from apps.audit.models import AuditLog
from apps.core.errors import ConflictError, DomainError
from apps.core.testing import bearer, text
from apps.organisations.choices import AliasKind
from apps.organisations.merge import (
    FAMILY_LIMIT,
    _reference_relations,
    organisation_family,
    organisation_merge,
    organisation_merge_undo,
)
from apps.organisations.models import Organisation, OrganisationAlias, OrganisationMerge
from apps.organisations.selectors import organisation_list
from apps.organisations.services import organisation_create, person_create

DUPLICATE_NAME = "骅远科技有限公司"
DUPLICATE_CODE = "91500000MA5U7YG737"


@pytest.fixture
def duplicate(users):
    return organisation_create(actor=users["district"], name=DUPLICATE_NAME, short_names=["骅远", "骅远科技"])


@pytest.fixture
def world(users, organisation, duplicate, make_project):
    """The duplicate has a project, a visit, a person, aliases and a branch; the survivor already has
    the alias 骅远."""
    OrganisationAlias.objects.create(organisation=organisation, name="骅远", kind=AliasKind.SHORT)
    project = make_project(organisation=duplicate, unit_name="九龙坡区", name="骅远算力中心")
    activity = activity_create(actor=users["district"], date=datetime.date(2025, 10, 5), summary="初次拜访",
                               project=project)
    person = person_create(actor=users["district"], name="王总", organisation=duplicate)
    branch = organisation_create(actor=users["office"], name="骅远科技有限公司重庆分公司")
    Organisation.objects.filter(pk=branch.pk).update(parent=duplicate)
    return {"project": project, "activity": activity, "person": person, "branch": branch}


def fresh(obj):
    obj.refresh_from_db()
    return obj


# --- services ------------------------------------------------------------------------------------

def test_every_foreign_key_to_organisation_is_found_generically():
    found = {(m._meta.label_lower, f) for m, f in _reference_relations()}
    assert {("projects.project", "organisation"), ("activities.activity", "organisation"),
            ("organisations.person", "organisation"), ("organisations.organisationalias", "organisation"),
            ("organisations.organisation", "parent")} <= found
    assert ("organisations.organisation", "merged_into") not in found
    assert not any(label == "organisations.organisationmerge" for label, _ in found)


def test_merge_moves_every_reference_and_keeps_the_duplicate_name_as_former_name(users, organisation, duplicate,
                                                                                  world):
    merge = organisation_merge(actor=users["office_admin"], survivor=organisation, merged=duplicate, reason="重复登记")

    assert fresh(world["project"]).organisation == organisation
    assert fresh(world["activity"]).organisation == organisation
    assert fresh(world["person"]).organisation == organisation
    assert fresh(world["branch"]).parent == organisation
    aliases = dict(organisation.aliases.values_list("name", "kind"))
    assert aliases == {"骅远": AliasKind.SHORT, "骅远科技": AliasKind.SHORT, DUPLICATE_NAME: AliasKind.FORMER}
    # The alias both had stays with the duplicate; nothing is doubled.
    assert list(duplicate.aliases.values_list("name", flat=True)) == ["骅远"]
    duplicate = fresh(duplicate)
    assert duplicate.merged_into == organisation and not duplicate.is_archived
    assert fresh(organisation).credit_code == "91110000600037341L"

    assert ["projects.project", world["project"].pk, "organisation"] in merge.moved
    assert ["organisations.organisation", world["branch"].pk, "parent"] in merge.moved
    assert [a["name"] for a in merge.aliases_added] == [DUPLICATE_NAME]
    for org in (organisation, duplicate):
        log = AuditLog.objects.filter(model="organisations.organisation", object_id=str(org.pk)).first()
        assert "合并重复主体" in log.note and DUPLICATE_NAME in log.note and log.actor == users["office_admin"]


def test_merged_name_finds_the_survivor_and_the_duplicate_leaves_the_list(users, organisation, duplicate):
    organisation_merge(actor=users["office_admin"], survivor=organisation, merged=duplicate)
    found = list(organisation_list(actor=users["district"], q=DUPLICATE_NAME)[:20])
    assert organisation in found and duplicate not in found
    assert duplicate not in list(organisation_list(actor=users["district"]))


def test_credit_code_moves_to_a_survivor_without_one_and_back_on_undo(users, duplicate):
    coded = organisation_create(actor=users["office"], name="骅远科技（重庆）有限公司", credit_code=DUPLICATE_CODE)
    merge = organisation_merge(actor=users["office_admin"], survivor=duplicate, merged=coded)
    assert fresh(duplicate).credit_code == DUPLICATE_CODE and fresh(coded).credit_code is None
    log = AuditLog.objects.filter(object_id=str(duplicate.pk), model="organisations.organisation").first()
    assert f"统一社会信用代码 {DUPLICATE_CODE}" in log.note

    organisation_merge_undo(actor=users["office_admin"], merge=merge)
    assert fresh(duplicate).credit_code is None and fresh(coded).credit_code == DUPLICATE_CODE


def test_a_duplicate_keeps_its_own_code_when_the_survivor_has_one(users, organisation):
    coded = organisation_create(actor=users["office"], name="骅远科技（重庆）有限公司", credit_code=DUPLICATE_CODE)
    organisation_merge(actor=users["office_admin"], survivor=organisation, merged=coded)
    assert fresh(coded).credit_code == DUPLICATE_CODE
    assert fresh(organisation).credit_code == "91110000600037341L"


def test_undo_puts_everything_back(users, organisation, duplicate, world):
    before_aliases = set(organisation.aliases.values_list("name", flat=True))
    merge = organisation_merge(actor=users["office_admin"], survivor=organisation, merged=duplicate)
    # Work done after the merge stays with the survivor.
    later = activity_create(actor=users["district"], date=datetime.date(2025, 10, 6), summary="回访",
                            organisation=organisation)

    organisation_merge_undo(actor=users["office_admin"], merge=merge)

    assert fresh(world["project"]).organisation == duplicate
    assert fresh(world["activity"]).organisation == duplicate
    assert fresh(world["person"]).organisation == duplicate
    assert fresh(world["branch"]).parent == duplicate
    assert fresh(later).organisation == organisation
    assert set(organisation.aliases.values_list("name", flat=True)) == before_aliases
    assert set(duplicate.aliases.values_list("name", flat=True)) == {"骅远", "骅远科技"}
    assert fresh(duplicate).merged_into is None
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undone_by == users["office_admin"]
    assert "撤销合并" in AuditLog.objects.filter(object_id=str(duplicate.pk),
                                              model="organisations.organisation").first().note
    assert duplicate in list(organisation_list(actor=users["district"], q=DUPLICATE_NAME)[:20])
    with pytest.raises(ConflictError, match="已于.*撤销，不能再次撤销"):
        organisation_merge_undo(actor=users["office_admin"], merge=merge)


def test_refusals_name_the_records(users, organisation, duplicate):
    admin = users["office_admin"]
    with pytest.raises(DomainError, match="不能把“骅远科技\\(北京\\)有限公司”.*合并到它自己"):
        organisation_merge(actor=admin, survivor=organisation, merged=organisation)
    third = organisation_create(actor=users["office"], name="骅远信息技术有限公司")
    organisation_merge(actor=admin, survivor=organisation, merged=duplicate)
    with pytest.raises(ConflictError, match=f"“{DUPLICATE_NAME}”.*已合并到“骅远科技\\(北京\\)有限公司”，不能作为保留主体"):
        organisation_merge(actor=admin, survivor=duplicate, merged=third)
    with pytest.raises(ConflictError, match=f"“{DUPLICATE_NAME}”.*已合并到.*不能再次合并"):
        organisation_merge(actor=admin, survivor=third, merged=duplicate)
    with pytest.raises(ConflictError, match="合并会形成链条"):
        organisation_merge(actor=admin, survivor=third, merged=organisation)


def test_a_branch_is_not_merged_into_its_parent(users, organisation):
    branch = organisation_create(actor=users["office"], name="骅远科技(北京)有限公司重庆分公司")
    Organisation.objects.filter(pk=branch.pk).update(parent=organisation)
    with pytest.raises(DomainError, match="分公司与总公司是两个主体"):
        organisation_merge(actor=users["office_admin"], survivor=organisation, merged=fresh(branch))


def test_the_family_counts_the_branches_beyond_those_it_lists(users, organisation, client):
    assert organisation_family(organisation) == {"parent": None, "branches": [], "branch_count": 0}
    branches = []
    for city in ("成都", "武汉", "西安"):
        branch = organisation_create(actor=users["office"], name=f"骅远科技(北京)有限公司{city}分公司")
        Organisation.objects.filter(pk=branch.pk).update(parent=organisation)
        branches.append(branch)
    assert organisation_family(organisation)["branch_count"] == 3
    assert organisation_family(fresh(branches[0]))["parent"] == organisation
    client.force_login(users["office"])
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert "骅远科技(北京)有限公司西安分公司" in page and "等，共" not in page
    for n in range(FAMILY_LIMIT):
        branch = organisation_create(actor=users["office"], name=f"骅远科技(北京)有限公司第{n:02d}分公司")
        Organisation.objects.filter(pk=branch.pk).update(parent=organisation)
    shown = organisation_family(organisation)
    assert len(shown["branches"]) == FAMILY_LIMIT and shown["branch_count"] == FAMILY_LIMIT + 3
    assert [b.name for b in shown["branches"]] == sorted(b.name for b in shown["branches"])


@pytest.mark.parametrize("role", ["office", "district", "leader"])
def test_only_an_office_admin_merges(users, organisation, duplicate, role):
    with pytest.raises(PermissionDenied):
        organisation_merge(actor=users[role], survivor=organisation, merged=duplicate)
    assert fresh(duplicate).merged_into is None and not OrganisationMerge.objects.exists()


def test_undo_only_the_latest_merge_and_not_once_the_survivor_moved_on(users, organisation, duplicate):
    admin = users["office_admin"]
    third = organisation_create(actor=users["office"], name="骅远信息技术有限公司")
    first = organisation_merge(actor=admin, survivor=organisation, merged=duplicate)
    second = organisation_merge(actor=admin, survivor=organisation, merged=third)
    with pytest.raises(ConflictError, match="只能先撤销最近的一次"):
        organisation_merge_undo(actor=admin, merge=first)
    organisation_merge_undo(actor=admin, merge=second)
    organisation_merge_undo(actor=admin, merge=first)
    assert fresh(duplicate).merged_into is None and fresh(third).merged_into is None

    # The survivor itself was merged later: its own merge must be undone first.
    a = organisation_create(actor=users["office"], name="甲乙科技有限公司")
    b = organisation_create(actor=users["office"], name="甲乙科技股份有限公司")
    m1 = organisation_merge(actor=admin, survivor=a, merged=duplicate)
    Organisation.objects.filter(pk=a.pk).update(merged_into=b)  # as if merged by an older version
    with pytest.raises(ConflictError, match="之后又合并到了“甲乙科技股份有限公司”"):
        organisation_merge_undo(actor=admin, merge=m1)


# --- pages ---------------------------------------------------------------------------------------

def test_detail_page_offers_merge_to_office_admins_only(client, users, organisation):
    url = reverse("organisations:detail", args=[organisation.pk])
    client.force_login(users["office_admin"])
    assert "合并重复主体" in client.get(url).content.decode()
    for role in ("office", "district", "leader"):
        client.force_login(users[role])
        assert "合并重复主体" not in client.get(url).content.decode()
        assert client.get(reverse("organisations:merge", args=[organisation.pk])).status_code == 403


def test_pick_confirm_and_merge_through_the_pages(client, users, organisation, duplicate, world):
    client.force_login(users["office_admin"])
    url = reverse("organisations:merge", args=[organisation.pk])
    picker = client.get(url, {"q": "骅远"}).content.decode()
    assert f"?duplicate={duplicate.pk}" in picker and f"?duplicate={organisation.pk}" not in picker

    confirm = client.get(url, {"duplicate": duplicate.pk}).content.decode()
    assert "确认合并" in confirm
    assert "招商项目：1条" in confirm and "走访洽谈：1条" in confirm and "人员：1条" in confirm
    assert "分公司：1条" in confirm and "新增曾用名" in confirm and DUPLICATE_NAME in confirm
    assert fresh(duplicate).merged_into is None  # looking changes nothing

    response = client.post(url, {"duplicate": duplicate.pk, "reason": "同一企业"}, follow=True)
    assert "已将“骅远科技有限公司”合并到“骅远科技(北京)有限公司”" in response.content.decode()
    assert fresh(world["project"]).organisation == organisation
    assert OrganisationMerge.objects.get().reason == "同一企业"

    merged_page = client.get(reverse("organisations:detail", args=[duplicate.pk])).content.decode()
    assert "已合并到" in merged_page and reverse("organisations:detail", args=[organisation.pk]) in merged_page
    survivor_page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert "骅远科技有限公司重庆分公司" in survivor_page  # the branch it took over
    branch_page = client.get(reverse("organisations:detail", args=[world["branch"].pk])).content.decode()
    assert "所属总公司" in branch_page and organisation.name in branch_page


def test_the_picker_explains_bad_input(client, users, organisation):
    client.force_login(users["office_admin"])
    url = reverse("organisations:merge", args=[organisation.pk])
    assert "请填写目标库中的编号" in client.get(url, {"duplicate": "abc"}).content.decode()
    assert "没有编号为999999的主体" in client.get(url, {"duplicate": "999999"}).content.decode()
    assert "合并到它自己" in client.get(url, {"duplicate": organisation.pk}).content.decode()


def test_merge_list_and_undo_through_the_pages(client, users, organisation, duplicate, world):
    merge = organisation_merge(actor=users["office_admin"], survivor=organisation, merged=duplicate)
    client.force_login(users["office"])
    listing = client.get(reverse("organisations:merges")).content.decode()
    assert DUPLICATE_NAME in listing and "撤销" not in listing.split('id="merges"')[1].split("</table>")[0].replace(
        "已撤销", "")
    assert client.post(reverse("organisations:merge_undo", args=[merge.pk])).status_code == 403
    client.force_login(users["district"])
    assert client.get(reverse("organisations:merges")).status_code == 403

    client.force_login(users["office_admin"])
    listing = client.get(reverse("organisations:merges")).content.decode()
    assert reverse("organisations:merge_undo", args=[merge.pk]) in listing and "招商项目1条" in listing
    response = client.post(reverse("organisations:merge_undo", args=[merge.pk]), follow=True)
    assert "已撤销合并" in response.content.decode() and "已撤销" in response.content.decode()
    assert fresh(world["project"]).organisation == duplicate


# --- API -----------------------------------------------------------------------------------------

def test_api_merge_list_and_undo(client, users, organisation, duplicate, world):
    admin = bearer(client, users["office_admin"])
    response = client.post(f"/api/v1/organisations/{organisation.pk}/merge",
                           {"duplicate_id": duplicate.pk, "reason": "重复"}, content_type="application/json",
                           headers=admin)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["survivor"]["id"] == organisation.pk and body["merged"]["name"] == DUPLICATE_NAME
    assert {"label": "招商项目", "count": 1} in body["moved"] and body["aliases_added"] == [DUPLICATE_NAME]

    listing = client.get("/api/v1/organisations/merges", headers=admin).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == body["id"]

    again = client.post(f"/api/v1/organisations/{organisation.pk}/merge", {"duplicate_id": duplicate.pk},
                        content_type="application/json", headers=admin)
    assert again.status_code == 409 and "不能再次合并" in again.json()["detail"]

    undo = client.post(f"/api/v1/organisations/merges/{body['id']}/undo", headers=admin)
    assert undo.status_code == 200 and undo.json()["undone_at"]
    assert fresh(world["project"]).organisation == duplicate


def test_api_refuses_others_and_changes_nothing(client, users, organisation, duplicate):
    office = bearer(client, users["office"])
    response = client.post(f"/api/v1/organisations/{organisation.pk}/merge", {"duplicate_id": duplicate.pk},
                           content_type="application/json", headers=office)
    assert response.status_code == 403 and "驻京办管理员" in response.json()["detail"]
    assert fresh(duplicate).merged_into is None
    district = bearer(client, users["district"])
    assert client.get("/api/v1/organisations/merges", headers=district).status_code == 403
    assert client.post(f"/api/v1/organisations/{organisation.pk}/merge", {"duplicate_id": 1},
                       content_type="application/json").status_code == 401
    admin = bearer(client, users["office_admin"])
    missing = client.post(f"/api/v1/organisations/{organisation.pk}/merge", {"duplicate_id": 999999},
                          content_type="application/json", headers=admin)
    assert missing.status_code == 404 and missing.json()["field"] == "duplicate_id"
    assert "999999" in text(missing)



def test_a_clash_with_a_unique_rule_refuses_the_whole_merge(users, units, organisation, duplicate, make_project):
    """Both records have an open 协调 request from 长寿区: moving one would make two — nothing moves."""
    from apps.projects.claims import arbitration_request

    make_project(organisation=organisation, unit_name="九龙坡区")
    dup_project = make_project(organisation=duplicate, unit_name="九龙坡区")
    for org in (organisation, duplicate):
        arbitration_request(actor=users["district2"], organisation=org, unit=units["长寿区"], reason="首次接触在先")
    with pytest.raises(ConflictError, match="首谈协调申请与.*同类记录重复"):
        organisation_merge(actor=users["office_admin"], survivor=organisation, merged=duplicate)
    assert fresh(dup_project).organisation == duplicate and fresh(duplicate).merged_into is None
    assert not OrganisationMerge.objects.exists()
