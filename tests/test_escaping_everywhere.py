"""HTML in every text field comes back as text on every page and in every export (issue 10, item 2), generated
rather than listed: the access matrix's world (a record of every kind) gets a formula in front of and a tag after
every free-text column of every row, and every page route is opened by the office's administrator and by 九龙坡区's
staff. No HTML answer may carry the tag as markup, and the escaped tag must show on the pages of the records, so the
test proves it reached them; no XLSX answer may hold a formula (a cell a spreadsheet would compute), and no DOCX
answer the tag as markup.

tests/test_escaping.py follows a few records through their pages and exports (XLSX formulas, DOCX) by hand."""

import io
import zipfile

import pytest
from django.apps import apps
from django.db import models
from openpyxl import load_workbook

from tests.access_matrix import harness
from tests.access_matrix.routes import fill, page_routes
from tests.access_matrix.samples import sample_values
from tests.access_matrix.world import world_rolled_back

pytestmark = pytest.mark.django_db

MARK = '<i data-esc="1">'
FORMULA = "=1+"  # typed in front: a cell starting so would be computed by a spreadsheet (formula injection)
ESCAPED = "&lt;i data-esc=&quot;1&quot;&gt;"
# Django's own tables, and columns that are not free text a person typed (keys, hashes, tokens, stored paths,
# normalised search forms), which the app never shows as text or which must keep their exact form to work.
SKIP_APPS = {"admin", "auth", "contenttypes", "sessions", "axes", "django_tasks_database", "django_tasks_db"}
SKIP_FIELDS = {"password", "token", "token_hash", "key", "session_key", "secret", "signing_secret", "file", "image",
               "attachment", "photo", "path", "search_text", "name_norm", "norm", "fingerprint", "item_key", "slug",
               "code", "credit_code", "org_code", "currency", "task_id", "content_type", "object_id", "model",
               "action", "kind", "url"}
READERS = ("office_admin", "district")
# Pages that show records from the world (the test fails if none of them shows the escaped tag).
RECORD_PAGES = {"organisations:detail", "projects:detail", "servicedesk:detail", "talent:detail", "events:detail",
                "recommendations:detail", "thinktanks:detail", "offers:need_match", "activities:list"}


def _text_fields(model):
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.choices or field.unique:
            continue
        if isinstance(field, models.EmailField | models.URLField | models.SlugField | models.FileField):
            continue
        if field.primary_key or field.name in SKIP_FIELDS or field.name.endswith(("_norm", "_key", "_hash", "_token")):
            continue
        yield field


def poison() -> int:
    """Append MARK to every free-text column of every row (cut to fit max_length). Returns the cells changed."""
    changed = 0
    for model in apps.get_models():
        meta = model._meta
        if not meta.managed or meta.proxy or meta.app_label in SKIP_APPS:
            continue
        fields = list(_text_fields(model))
        if not fields:
            continue
        for pk, *values in model._base_manager.values_list("pk", *[f.name for f in fields]):
            update = {}
            for field, value in zip(fields, values, strict=True):
                room = (field.max_length or 10_000) - len(FORMULA) - len(MARK)
                if room <= 0:
                    continue
                update[field.name] = FORMULA + (value or "")[:room] + MARK
            model._base_manager.filter(pk=pk).update(**update)
            changed += len(update)
    return changed


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with world_rolled_back(django_db_blocker) as w:
        w["poisoned"] = poison()
        w["clients"] = harness.make_clients({role: w["users"][role] for role in READERS})
        yield w


GET_PAGES = [r for r in page_routes() if r.kind == "page"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _formulas(raw: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(raw))
    return [f"{sheet.title}!{cell.coordinate}={cell.value}" for sheet in book.worksheets for row in sheet.iter_rows()
            for cell in row if cell.data_type == "f"]


@pytest.mark.parametrize("route", GET_PAGES, ids=[r.name for r in GET_PAGES])
def test_no_page_carries_typed_html_as_markup(route, world):
    values, missing = sample_values(route, world)
    assert not missing, missing
    path = fill(route, values)
    shown = []
    for role in READERS:
        response = world["clients"][role].get(path)
        assert response.status_code < 500, (role, response.status_code)
        kind = response.get("Content-Type", "")
        if response.status_code == 200 and kind.startswith(XLSX):
            formulas = _formulas(_body(response))  # a streamed body can be read once
            assert not formulas, f"{role}: {path} holds formulas: {formulas[:3]}"
            continue
        if response.status_code == 200 and kind.startswith(DOCX):
            with zipfile.ZipFile(io.BytesIO(_body(response))) as archive:
                xml = archive.read("word/document.xml").decode()
            assert "<i data-esc" not in xml, f"{role}: {path}"
            continue
        if not kind.startswith("text/html") or response.streaming:
            continue
        body = response.content.decode(response.charset or "utf-8", "replace")
        assert MARK not in body, f"{role}: {path} shows typed HTML as markup near: " \
                                 f"{body[max(0, body.index(MARK) - 200):body.index(MARK) + 40]!r}"
        shown.append(ESCAPED in body)
    if route.name in RECORD_PAGES:
        assert any(shown), f"{path}: the world's typed HTML should show (escaped) on this record's page"


def test_the_world_was_poisoned(world):
    assert world["poisoned"] > 200


EXPORTS = {"imports:organisation_export", "cockpit:briefing_xlsx", "cockpit:briefing_docx", "chains:export",
           "thinktanks:export", "events:signings_xlsx", "events:ceremony_docx"}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_the_exports_carry_the_typed_text_as_text(name, world):
    """The export checks above prove something only if the exports hold the world's typed text: they do, inert."""
    route = next(r for r in GET_PAGES if r.name == name)
    values, _missing = sample_values(route, world)
    if name == "chains:export":
        values = {**values, "fmt": "xlsx"}  # the matrix's sample is the JSON
    response = world["clients"]["office_admin"].get(fill(route, values))
    assert response.status_code == 200
    raw = _body(response)
    if response["Content-Type"].startswith(XLSX):
        assert not _formulas(raw), _formulas(raw)[:3]
        book = load_workbook(io.BytesIO(raw))
        texts = [str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row if c.value]
        assert any(t.startswith("'" + FORMULA) and t.endswith(MARK) for t in texts), texts[:20]
    else:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            assert "&lt;i data-esc" in archive.read("word/document.xml").decode()
