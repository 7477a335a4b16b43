"""Files that feed an import are size-limited by the form that takes them, with a message naming the field and
what to do, and nothing is stored: the target library's CSV/XLSX (200 MB, as deploy/nginx.conf), a chain map and a
relations sheet (20 MB). Attachments are limited by apps.core.uploads.check_attachment (tests in servicedesk).

The page tests lower the field's limit to a few kilobytes so that the refused file is small; the limit's own value is
checked apart."""

import io
import types

import pytest
from django.urls import reverse

from apps.chains.forms import ImportForm as ChainImportForm
from apps.chains.models import ChainLink, Cluster
from apps.core.uploads import MAX_IMPORT_BYTES, MAX_SHEET_BYTES, SizeLimit, too_large
from apps.imports.forms import ImportUploadForm
from apps.imports.models import ImportJob
from apps.relations.forms import ImportForm as RelationsImportForm
from apps.relations.models import Relation

pytestmark = pytest.mark.django_db


def test_the_limits_and_the_message():
    assert MAX_IMPORT_BYTES == 200 * 1024 * 1024 and MAX_SHEET_BYTES == 20 * 1024 * 1024
    assert too_large(types.SimpleNamespace(size=MAX_IMPORT_BYTES), MAX_IMPORT_BYTES, "文件", "请拆分") is None
    message = too_large(types.SimpleNamespace(size=MAX_IMPORT_BYTES + 1), MAX_IMPORT_BYTES, "文件", "请拆分")
    assert message == "文件：文件过大（200.0 MB），不能超过 200 MB，请拆分。"


def _limit(form) -> SizeLimit:
    return next(v for v in form.base_fields["file"].validators if isinstance(v, SizeLimit))


def _file(name: str, size: int) -> io.BytesIO:
    upload = io.BytesIO(("名称\n" + "骅远科技(北京)有限公司\n" * (size // 30 + 1)).encode()[:size])
    upload.name = name
    return upload


def test_an_oversized_library_import_is_refused_and_nothing_is_queued(client, users, monkeypatch):
    monkeypatch.setattr(_limit(ImportUploadForm), "limit", 4096)
    client.force_login(users["office"])
    response = client.post(reverse("imports:list"), {"file": _file("企业名单.csv", 8192)})
    assert response.status_code == 200
    assert "文件：文件过大（0.0 MB），不能超过 0 MB，请拆分成几个文件分批导入。" in response.content.decode()
    assert not ImportJob.objects.exists()
    # Within the limit the same form goes through.
    response = client.post(reverse("imports:list"), {"file": _file("企业名单.csv", 2048)})
    assert response.status_code == 302 and ImportJob.objects.count() == 1


def test_an_oversized_chain_map_is_refused_and_the_map_is_unchanged(client, users, monkeypatch):
    monkeypatch.setattr(_limit(ChainImportForm), "limit", 1024)
    cluster = Cluster.objects.get(name="生物医药")
    client.force_login(users["office_admin"])
    response = client.post(reverse("chains:import", args=[cluster.pk]), {"file": _file("map.json", 4096)})
    assert "链图文件：文件过大" in response.content.decode()
    assert not ChainLink.objects.filter(cluster=cluster).exists()


def test_an_oversized_relations_sheet_is_refused(client, users, monkeypatch):
    monkeypatch.setattr(_limit(RelationsImportForm), "limit", 1024)
    client.force_login(users["office"])
    response = client.post(reverse("relations:import"), {"file": _file("关系.xlsx", 4096)})
    assert "文件：文件过大" in response.content.decode()
    assert not Relation.objects.exists()
