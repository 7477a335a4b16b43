"""The vendored front-end bundles are exactly what VENDOR.json records, and no page pulls anything
from the internet: these pages must work on an office intranet. (`make vendor-check` compares the
files with the npm registry itself; this half needs no network.)"""

import hashlib
import json
import re

from django.conf import settings

VENDOR = settings.BASE_DIR / "static" / "vendor"


def test_every_vendored_file_matches_its_recorded_sha256():
    manifest = json.loads((VENDOR / "VENDOR.json").read_text(encoding="utf-8"))
    assert manifest["bundles"]
    for name, bundle in manifest["bundles"].items():
        assert bundle["integrity"].startswith("sha512-"), name
        for filename, entry in bundle["files"].items():
            data = (VENDOR / name / filename).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"], f"{name}/{filename} 与 VENDOR.json 不符"


def test_no_unlisted_files_in_vendor_folders():
    manifest = json.loads((VENDOR / "VENDOR.json").read_text(encoding="utf-8"))
    on_disk = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()} - {"VENDOR.json"}
    listed = {f"{name}/{filename}" for name, bundle in manifest["bundles"].items() for filename in bundle["files"]}
    assert on_disk == listed


def test_templates_load_nothing_from_a_cdn():
    # Any http(s):// or protocol-relative src/href would fail on an intranet without internet.
    remote = re.compile(r"""(?:src|href)\s*=\s*["']\s*(?:https?:)?//""")
    templates = [*(settings.BASE_DIR / "templates").rglob("*.html"),
                 *(settings.BASE_DIR / "apps").glob("*/templates/**/*.html")]
    offenders = [f"{t.relative_to(settings.BASE_DIR)}: {m.group(0)}"
                 for t in templates for m in remote.finditer(t.read_text(encoding="utf-8"))]
    assert offenders == []


def test_base_template_has_no_external_url():
    text = (settings.BASE_DIR / "templates" / "base.html").read_text(encoding="utf-8")
    assert not re.search(r"https?://", text)
    assert "vendor/bootstrap-" in text and "vendor/htmx-" in text
