"""The project rule, applied to talent (ADR 0002): the office and leaders see all, a district its own
unit's records plus those it serves, a leader changes nothing, a specialist changes what it serves.
Another unit's record is a 404 on every page; a record one may see but not change is a 403."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.accounts.permissions import CHANGE, VIEW
from apps.talent.models import Talent
from apps.talent.selectors import talent_get, talent_list
from apps.talent.services import talent_move_stage, talent_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(make_talent, users):
    return {
        "jiulongpo": make_talent(name="九龙坡的专家", unit_name="九龙坡区"),
        "changshou": make_talent(name="长寿的专家", unit_name="长寿区"),
        # A 长寿区 record served by 九龙坡区's specialist.
        "served": make_talent(name="长寿的院士", unit_name="长寿区", specialist=users["specialist"]),
    }


def names(actor, action=VIEW) -> set[str]:
    return set(Talent.objects.restrict(actor, action).values_list("name", flat=True))


def test_who_sees_and_changes_what(records, users):
    everyone = {"九龙坡的专家", "长寿的专家", "长寿的院士"}
    assert names(users["office"]) == names(users["office"], CHANGE) == everyone
    assert names(users["leader"]) == everyone and names(users["leader"], CHANGE) == set()
    assert names(users["district"]) == names(users["district"], CHANGE) == {"九龙坡的专家"}
    assert names(users["district2"]) == {"长寿的专家", "长寿的院士"}
    assert names(users["specialist"]) == {"九龙坡的专家", "长寿的院士"}
    assert names(users["specialist"], CHANGE) == {"长寿的院士"}
    assert {t.name for t in talent_list(actor=users["liangjiang"])} == set()


def test_another_units_record_is_404_and_a_leaders_write_is_403(records, users):
    with pytest.raises(Http404):
        talent_get(actor=users["district"], pk=records["changshou"].pk)
    with pytest.raises(PermissionDenied):
        talent_update(actor=users["leader"], talent=records["jiulongpo"], title="院士")
    with pytest.raises(PermissionDenied):
        talent_move_stage(actor=users["specialist"], talent=records["jiulongpo"], to_stage="negotiation")
    talent_move_stage(actor=users["specialist"], talent=records["served"], to_stage="negotiation")
    assert Talent.objects.get(pk=records["jiulongpo"].pk).version == 1


@pytest.mark.parametrize("suffix", ["", "edit/", "stage/", "specialist/"])
def test_pages_hide_another_units_record(client, records, users, suffix):
    client.force_login(users["district"])
    assert client.get(f"/talent/{records['changshou'].pk}/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["edit/", "stage/", "specialist/"])
def test_pages_refuse_a_leader_with_a_chinese_403(client, records, users, suffix):
    client.force_login(users["leader"])
    assert client.get(f"/talent/{records['jiulongpo'].pk}/").status_code == 200
    response = client.get(f"/talent/{records['jiulongpo'].pk}/{suffix}")
    assert response.status_code == 403
    response = client.post(f"/talent/{records['jiulongpo'].pk}/stage/",
                           {"to_stage": "negotiation", "expected_stage": "intention"})
    assert response.status_code == 403
    assert Talent.objects.get(pk=records["jiulongpo"].pk).stage == "intention"


def test_leader_and_specialist_cannot_open_the_create_page_and_anonymous_is_sent_to_login(client, users):
    client.force_login(users["leader"])
    assert client.get("/talent/new/").status_code == 403
    client.logout()
    response = client.get("/talent/")
    assert response.status_code == 302 and "login" in response["Location"]
