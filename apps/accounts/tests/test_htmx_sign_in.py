"""A part of a page that htmx fetches after the session has ended sends the whole window to the sign-in page
(HX-Redirect), back to the page afterwards, instead of putting the sign-in form inside the part."""

from django.urls import reverse

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_an_htmx_part_after_the_session_ended_sends_the_window_to_sign_in_and_back(client, make_project):
    project = make_project()
    page = reverse("projects:detail", args=[project.pk])
    part = reverse("projects:stage", args=[project.pk])
    response = client.get(part, HTTP_HX_CURRENT_URL=f"http://testserver{page}?tab=1", **HTMX)
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == f"{reverse('accounts:login')}?next={page}%3Ftab%3D1"
    # Signed in afterwards, the person lands on the page they were on.
    assert client.get(response["HX-Redirect"]).status_code == 200

    # Without the page's address, back to what was asked for.
    response = client.get(reverse("organisations:suggest") + "?q=科技", **HTMX)
    assert response["HX-Redirect"].startswith(f"{reverse('accounts:login')}?next={reverse('organisations:suggest')}")


def test_a_plain_request_and_a_signed_in_part_are_answered_as_before(client, make_project, users):
    project = make_project()
    part = reverse("projects:stage", args=[project.pk])
    plain = client.get(part)
    assert plain.status_code == 302 and plain["Location"].startswith(reverse("accounts:login"))
    assert "HX-Redirect" not in plain

    client.force_login(users["district"])
    inline = client.get(part, HTTP_HX_TARGET="stage-body", **HTMX)
    assert inline.status_code == 200 and "HX-Redirect" not in inline and "新阶段" in inline.content.decode()
    # Another redirect to an htmx request (not to sign in) is left to htmx.
    stage = client.post(part, {"to_stage": "contact", "expected_stage": "lead"}, **HTMX)
    assert stage.status_code == 302 and "HX-Redirect" not in stage
