"""The static storage answers every URL as whitenoise's does — once worked out, from its own copy."""

import json

import pytest
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

from apps.core.storage import StaticFilesStorage

MANIFEST = {"version": "1.1", "hash": "x", "paths": {
    "css/app.css": "css/app.3f2a9c.css", "vendor/htmx-2.0.11/htmx.min.js": "vendor/htmx-2.0.11/htmx.min.9b1e07.js",
    "js/含 空格.js": "js/含 空格.77aa01.js"}}


@pytest.fixture
def collected(tmp_path):
    (tmp_path / "staticfiles.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    return tmp_path


@override_settings(DEBUG=False)
def test_urls_are_whitenoises_and_stay_so(collected):
    ours = StaticFilesStorage(location=collected, base_url="/static/")
    theirs = CompressedManifestStaticFilesStorage(location=collected, base_url="/static/")
    for name in [*MANIFEST["paths"], "css/app.css?v=1#top"]:
        assert ours.url(name) == theirs.url(name)
        assert ours.url(name) == theirs.url(name)  # the kept answer
    assert ours.url("css/app.css") == "/static/css/app.3f2a9c.css"
    assert ours.url("css/app.css", force=True) == theirs.url("css/app.css", force=True)


@override_settings(DEBUG=False)
def test_a_file_missing_from_the_manifest_is_refused_every_time(collected):
    ours = StaticFilesStorage(location=collected, base_url="/static/")
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            ours.url("css/none.css")
