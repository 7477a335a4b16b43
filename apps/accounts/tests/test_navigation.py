"""The navigation offers the library's pages to exactly those the pages admit: the import to everyone
who may write the library, the merge record to the office and leaders, 首谈协调 to everyone signed in."""

import pytest
from django.urls import reverse


def _nav(html: str) -> str:
    return html.split("<nav", 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize("who, imports, merges", [
    ("office_admin", True, True),
    ("office", True, True),
    ("district", True, False),
    ("district_admin", True, False),
    ("specialist", True, False),
    ("leader", False, True),
])
def test_library_menu_links_follow_the_role(client, users, who, imports, merges):
    client.force_login(users[who])

    nav = _nav(client.get(reverse("core:home")).content.decode())

    assert "目标主体" in nav and "人才与联系人" in nav and "首谈协调" in nav
    assert (reverse("imports:list") in nav) is imports
    assert (reverse("organisations:merges") in nav) is merges
    assert reverse("projects:arbitrations") in nav


@pytest.mark.parametrize("who", ["office_admin", "office", "district", "district_admin", "specialist", "leader"])
def test_every_link_in_the_library_menu_opens(client, users, who):
    client.force_login(users[who])
    nav = _nav(client.get(reverse("core:home")).content.decode())

    for url in [reverse("imports:list"), reverse("organisations:merges"), reverse("projects:arbitrations"),
                reverse("organisations:person_list")]:
        if url in nav:
            assert client.get(url).status_code == 200, (who, url)


def test_anonymous_pages_offer_no_menu(client):
    html = client.get(reverse("accounts:login")).content.decode()

    assert reverse("imports:list") not in html and reverse("organisations:merges") not in html
