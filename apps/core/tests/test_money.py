from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core.errors import DomainError
from apps.core.money import format_amount, parse_amount, split_for_input


@pytest.mark.parametrize(
    ("text", "unit", "yuan"),
    [
        ("5亿元", None, "500000000.00"),
        ("5亿", None, "500000000.00"),
        ("239.5亿元", None, "23950000000.00"),
        ("3,000万", None, "30000000.00"),
        ("１８亿元", None, "1800000000.00"),  # full-width digits as typed on a Chinese IME
        ("800元", None, "800.00"),
        ("5", "亿元", "500000000.00"),
        ("5000", "万元", "50000000.00"),
        ("5亿", "亿元", "500000000.00"),  # unit written and chosen agree
    ],
)
def test_parse_amount_accepts_how_people_write_money(text, unit, yuan):
    assert parse_amount(text, unit=unit) == Decimal(yuan)


def test_a_unit_typed_into_a_box_with_another_unit_is_refused_and_says_both():
    with pytest.raises(DomainError) as exc:
        parse_amount("5亿", unit="万元", field="计划投资")
    assert "计划投资" in exc.value.message
    assert "亿元" in exc.value.message and "万元" in exc.value.message


def test_a_bare_number_where_a_unit_is_needed_is_refused():
    with pytest.raises(DomainError) as exc:
        parse_amount("50000", field="签约金额")
    assert "没有单位" in exc.value.message and "签约金额" in exc.value.message


def test_an_amount_in_the_wrong_unit_is_caught_by_its_size():
    with pytest.raises(DomainError) as exc:
        parse_amount("500000000", unit="亿元", field="计划投资")
    assert "单位" in exc.value.message


@pytest.mark.parametrize("text", ["五亿", "abc", "5亿美元", "-3万", ""])
def test_unreadable_amounts_are_refused_in_chinese(text):
    with pytest.raises(DomainError) as exc:
        parse_amount(text, unit="万元", field="计划投资")
    assert exc.value.message.startswith("计划投资")


@pytest.mark.parametrize(
    ("yuan", "shown"),
    [
        ("500000000", "5亿元"),
        ("23950000000", "239.5亿元"),
        ("186090000000", "1,860.9亿元"),
        ("30000000", "3,000万元"),
        ("12345", "1.23万元"),
        ("800", "800元"),
        (None, "—"),
    ],
)
def test_format_amount_reads_like_the_article(yuan, shown):
    assert format_amount(None if yuan is None else Decimal(yuan)) == shown


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_form_round_trip_keeps_the_exact_amount(yuan):
    """What a form shows back (split_for_input in 万元) parses to the same yuan, to the cent."""
    assert parse_amount(split_for_input(yuan, "万元"), unit="万元") == yuan
