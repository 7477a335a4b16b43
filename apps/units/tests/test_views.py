"""单位 list: codes, effective dates, and project counts rolled up "as of now"."""

from django.urls import reverse


def _row(html: str, name: str) -> str:
    """The table row of one unit."""
    start = html.index(f'<span class="fw-semibold">{name}</span>')
    return html[start:html.index("</tr>", start)]


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("units:list"))

    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_units_show_codes_status_and_dates(client, users):
    client.force_login(users["district"])

    html = client.get(reverse("units:list")).content.decode()

    jiangbei = _row(html, "江北区")
    assert "500105" in jiangbei
    assert "已于2025年11月6日撤销，并入两江新区" in jiangbei
    assert "计入两江新区" in jiangbei
    assert "现行" in _row(html, "九龙坡区") and "500107" in _row(html, "九龙坡区")
    assert "现行" in _row(html, "两江新区")


def test_counts_roll_ended_units_into_their_successor_and_say_so(client, users, make_project):
    make_project(unit_name="江北区", name="新凯精测项目")  # registered 2025-10-01, before the change
    make_project(unit_name="两江新区", name="两江项目")
    make_project(unit_name="九龙坡区", name="九龙坡项目")
    client.force_login(users["office"])

    html = client.get(reverse("units:list")).content.decode()

    liangjiang = _row(html, "两江新区")
    assert ">2</a>" in liangjiang
    assert "含原江北区、原渝北区（2025年11月6日撤销，并入两江新区）" in liangjiang
    assert ">1</a>" in _row(html, "九龙坡区")
    assert f'{reverse("projects:list")}?unit=' in liangjiang


def test_counts_are_only_what_the_actor_may_see(client, users, make_project):
    make_project(unit_name="江北区")
    make_project(unit_name="九龙坡区")
    client.force_login(users["district2"])

    html = client.get(reverse("units:list")).content.decode()

    assert ">0</a>" in _row(html, "长寿区")
    for other in ["两江新区", "九龙坡区"]:  # not theirs to count: a dash, not a misleading 0
        assert "</a>" not in _row(html, other) and "—" in _row(html, other)


def test_leader_reads_the_unit_list(client, users, make_project):
    make_project(unit_name="九龙坡区")
    client.force_login(users["leader"])

    response = client.get(reverse("units:list"))

    assert response.status_code == 200
    assert ">1</a>" in _row(response.content.decode(), "九龙坡区")


def test_unit_list_queries_are_bounded(client, users, make_project, django_assert_max_num_queries):
    for _ in range(5):
        make_project(unit_name="江北区")
    client.force_login(users["office"])
    client.get(reverse("units:list"))

    with django_assert_max_num_queries(12):
        client.get(reverse("units:list"))
