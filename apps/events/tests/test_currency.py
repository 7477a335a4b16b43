"""Signings in another currency: what was signed (3亿美元) and the rate are kept, the yuan they count as
is that amount times the rate, and every total that includes them states the rate (ADR 0011)."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.audit.models import AuditLog
from apps.core.errors import DomainError
from apps.core.money import Foreign
from apps.core.testing import bearer
from apps.events.models import Signing
from apps.events.selectors import event_totals
from apps.events.services import signing_create, signing_update
from apps.events.tests.conftest import YI
from apps.projects.models import Project

pytestmark = pytest.mark.django_db

USD_3YI = Foreign(Decimal(3) * YI, "USD")


def _sign(users, event, project, amount, rate=None, advance_stage=False, **values):
    return signing_create(actor=users["office"], project=project, event=event, advance_stage=advance_stage,
                          values={"agreement_type": "framework", "amount": amount, "exchange_rate": rate, **values})


def test_a_dollar_signing_counts_its_yuan_and_keeps_what_was_signed(users, event, ready_project, sign):
    project = ready_project(name="美元签约项目")
    signing = _sign(users, event, project, USD_3YI, "7.1", advance_stage=True)
    sign(ready_project(name="人民币签约项目"), 5)

    assert signing.amount == Decimal("2130000000.00")
    assert (signing.currency, signing.original_amount, signing.exchange_rate) == ("USD", 3 * YI, Decimal("7.1"))
    assert signing.foreign_note == "（3亿美元，按1美元=7.1元折算）"
    totals = event_totals(event)
    assert totals.amount == Decimal("2630000000.00") and totals.amount_text == "26.3亿元"
    assert totals.rates_text == "金额以人民币计；其中1个项目以美元签约（共3亿美元），按1美元=7.1元折算。"
    # The project's signed amount is the same yuan, and it keeps the original and the rate.
    project.refresh_from_db()
    assert project.signed_amount == signing.amount
    assert project.signed_foreign_note == "（3亿美元，按1美元=7.1元折算）"
    assert "3亿美元" in AuditLog.objects.filter(object_id=str(signing.pk)).latest("id").note


@pytest.mark.parametrize("amount, rate, field, words", [
    (USD_3YI, None, "exchange_rate", "以美元签约的，请填写折算汇率"),
    (USD_3YI, "0.14", "exchange_rate", "不在常见范围"),
    (USD_3YI, "七点一", "exchange_rate", "不是数字"),
    (Decimal(5) * YI, "7.1", "exchange_rate", "签约金额是人民币，不需要汇率"),
    (Foreign(Decimal(3) * 10**12, "USD"), "7.1", "amount", "超过1万亿元"),
])
def test_a_bad_rate_or_amount_is_named_and_nothing_is_written(users, event, ready_project, amount, rate, field, words):
    project = ready_project()
    with pytest.raises(DomainError) as caught:
        _sign(users, event, project, amount, rate, advance_stage=True)
    assert caught.value.field == field and words in caught.value.message
    assert not Signing.objects.exists()
    project.refresh_from_db()
    assert project.signed_amount is None and project.signed_currency == "CNY"


def test_an_edit_keeps_the_rate_for_the_same_currency_and_drops_it_for_yuan(users, event, ready_project):
    signing = _sign(users, event, ready_project(), USD_3YI, "7.1")
    signing = signing_update(actor=users["office"], signing=signing,
                             values={"amount": Foreign(Decimal(2) * YI, "USD")})
    assert (signing.amount, signing.exchange_rate) == (Decimal("1420000000.00"), Decimal("7.1"))
    signing = signing_update(actor=users["office"], signing=signing, values={"our_signatory": "副区长"})
    assert signing.currency == "USD" and signing.original_amount == 2 * YI
    signing = signing_update(actor=users["office"], signing=signing, values={"amount": Decimal(4) * YI})
    assert (signing.currency, signing.original_amount, signing.exchange_rate) == ("CNY", None, None)
    assert event_totals(event).rates == []


def test_a_signed_amount_typed_in_yuan_replaces_the_converted_one(users, event, ready_project):
    from apps.projects.services import project_update

    project = ready_project()
    _sign(users, event, project, USD_3YI, "7.1", advance_stage=True)
    project.refresh_from_db()
    project_update(actor=users["office"], project=project, name="改名不动金额")
    project.refresh_from_db()
    assert project.signed_currency == "USD"
    project_update(actor=users["office"], project=project, signed_amount=Decimal(20) * YI)
    project = Project.objects.get(pk=project.pk)
    assert (project.signed_currency, project.signed_original_amount, project.signed_exchange_rate) == ("CNY", None,
                                                                                                        None)
    assert project.signed_foreign_note == ""


def test_the_signing_form_takes_dollars_and_the_page_states_the_rate(client, users, event, ready_project):
    project = ready_project(name="美元表单项目")
    client.force_login(users["office"])
    url = reverse("events:signing_create", args=[event.pk])
    refused = client.post(url, {"project": project.pk, "agreement_type": "framework", "amount": "3亿美元",
                                "date": "2025-11-01"})
    assert refused.status_code == 400
    assert "以美元签约的，请填写折算汇率" in refused.content.decode()
    assert not Signing.objects.exists()

    response = client.post(url, {"project": project.pk, "agreement_type": "framework", "amount": "3亿美元",
                                 "exchange_rate": "7.1", "date": "2025-11-01"})
    assert response.status_code == 302
    html = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "21.3亿元" in html and "（3亿美元，按1美元=7.1元折算）" in html
    assert "其中1个项目以美元签约（共3亿美元），按1美元=7.1元折算" in html

    # The edit form gives back what was typed, not the converted yuan.
    edit = client.get(reverse("events:signing_edit", args=[Signing.objects.get().pk])).content.decode()
    assert 'value="3亿美元"' in edit and 'value="7.1"' in edit


def test_the_api_takes_and_returns_the_original_amount_and_rate(client, users, event, ready_project):
    project = ready_project()
    url = f"/api/v1/events/{event.pk}/signings"
    headers = bearer(client, users["office"])
    body = {"project_id": project.pk, "agreement_type": "framework", "amount_text": "2000万欧元"}
    refused = client.post(url, body, content_type="application/json", headers=headers)
    assert refused.status_code == 400 and refused.json()["field"] == "exchange_rate"
    assert not Signing.objects.exists()

    created = client.post(url, body | {"exchange_rate": "7.8"}, content_type="application/json", headers=headers)
    assert created.status_code == 201, created.content
    out = created.json()
    assert (out["amount"], out["currency"], out["original_amount"], out["exchange_rate"]) == (
        "156000000.00", "EUR", "20000000.00", "7.8")
    assert out["conversion_note"] == "（2,000万欧元，按1欧元=7.8元折算）"
    totals = client.get(f"/api/v1/events/{event.pk}", headers=headers).json()["totals"]
    assert totals["amount"] == "156000000.00"
    assert totals["rates"] == [{"currency": "EUR", "rate": "7.8", "count": 1, "original_amount": "20000000.00",
                                "text": "1个项目以欧元签约（共2,000万欧元），按1欧元=7.8元折算"}]


def test_the_workbook_and_the_programme_state_the_rate(client, users, event, ready_project):
    from docx import Document
    from openpyxl import load_workbook

    _sign(users, event, ready_project(name="美元项目"), USD_3YI, "7.1")
    client.force_login(users["office"])
    book = load_workbook(io.BytesIO(client.get(reverse("events:signings_xlsx", args=[event.pk])).content))
    cells = [str(cell) for row in book["签约项目"].iter_rows(values_only=True) for cell in row if cell is not None]
    assert "3亿美元，按1美元=7.1元折算" in cells
    assert any("按1美元=7.1元折算" in cell and cell.startswith("合计：1个项目，21.3亿元") for cell in cells)
    response = client.get(reverse("events:ceremony_docx", args=[event.pk]), {"amounts": "1"})
    document = Document(io.BytesIO(response.content))
    texts = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "21.3亿元（3亿美元，按1美元=7.1元折算）" in texts
