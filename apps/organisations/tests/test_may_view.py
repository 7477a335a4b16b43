"""organisation_may_view answers for an organisation in hand what Organisation.objects.restrict(actor, VIEW) answers
from the database, and organisation_get — which reads the record by its id and asks it — gives what the ORM's
restricted read with its aliases prefetched gives."""

import pytest
from django.http import Http404

from apps.accounts.permissions import VIEW
from apps.core.testing import field_values
from apps.organisations.models import Organisation
from apps.organisations.querysets import organisation_may_view
from apps.organisations.selectors import organisation_get
from apps.organisations.services import organisation_create


@pytest.mark.django_db
def test_it_agrees_with_restrict_for_every_role_and_organisation(users, make_user):
    inactive = make_user("t_gone", "district_staff", "九龙坡区", is_active=False)
    superuser = make_user("t_root", "leader", "驻京办", is_superuser=True)
    live = organisation_create(actor=users["office"], name="北京可见科技有限公司")
    archived = organisation_create(actor=users["office"], name="北京归档科技有限公司")
    Organisation.objects.filter(pk=archived.pk).update(is_archived=True)
    answers = set()
    for actor in [*users.values(), inactive, superuser, None]:
        for org in (live, archived):
            expected = Organisation.objects.restrict(actor, VIEW).filter(pk=org.pk).exists()
            assert organisation_may_view(actor, Organisation.objects.get(pk=org.pk)) is expected, (actor, org.name)
            answers.add(expected)
            if expected:
                assert organisation_get(actor=actor, pk=org.pk).pk == org.pk
            else:
                with pytest.raises(Http404):
                    organisation_get(actor=actor, pk=org.pk)
    assert answers == {True, False}


@pytest.mark.django_db
def test_the_record_and_its_aliases_are_the_orms(users, django_assert_num_queries):
    org = organisation_create(actor=users["office"], name="北京信技源信息服务有限公司", short_names=["信技源", "信技"])
    expected = Organisation.objects.select_related("created_by").prefetch_related("aliases").get(pk=org.pk)

    got = organisation_get(actor=users["district"], pk=org.pk)

    assert field_values(got) == field_values(expected)
    assert got.created_by.get_full_name() == expected.created_by.get_full_name()
    with django_assert_num_queries(0):  # kept as prefetch_related keeps them, each knowing its organisation
        aliases = list(got.aliases.all())
        assert all(alias.organisation is got for alias in aliases)
    assert [field_values(a) for a in aliases] == [field_values(a) for a in expected.aliases.all()]
    assert [a.name for a in aliases] == ["信技源", "信技"]
    with pytest.raises(Http404):
        organisation_get(actor=users["district"], pk=987654)


@pytest.mark.django_db
def test_an_id_no_column_can_hold_is_not_found_not_an_error(client, users, organisation):
    from apps.core.testing import bearer

    huge = 2 ** 70
    client.force_login(users["district"])
    assert client.get(f"/organisations/{huge}/").status_code == 404
    assert client.get(f"/organisations/{-(2 ** 63)}/").status_code == 404
    response = client.get(f"/api/v1/organisations/{huge}", headers=bearer(client, users["district"]))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
