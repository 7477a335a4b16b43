from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core.errors import DomainError
from apps.core.money import (
    Foreign,
    check_amount,
    conversion_rates,
    format_amount,
    format_foreign,
    format_rate,
    parse_amount,
    parse_money,
    parse_rate,
    rate_for_input,
    rates_sentence,
    split_for_input,
    to_yuan,
)


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


# --- other currencies ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("3亿美元", Foreign(Decimal("300000000.00"), "USD")),
    ("２０００万欧元", Foreign(Decimal("20000000.00"), "EUR")),
    ("5000万港币", Foreign(Decimal("50000000.00"), "HKD")),
    ("1.5 亿 美金", Foreign(Decimal("150000000.00"), "USD")),
    ("800万英镑", Foreign(Decimal("8000000.00"), "GBP")),
    ("5亿元", Decimal("500000000.00")),
    ("3000万", Decimal("30000000.00")),
])
def test_parse_money_tells_yuan_from_other_currencies(text, expected):
    assert parse_money(text) == expected


@pytest.mark.parametrize(("text", "words"), [("0美元", "大于0"), ("3亿卢布", "无法识别"), ("0.001美元", "精确到分")])
def test_parse_money_refusals_name_the_field(text, words):
    with pytest.raises(DomainError) as caught:
        parse_money(text, field="签约金额")
    assert caught.value.message.startswith("签约金额：") and words in caught.value.message


@pytest.mark.parametrize(("value", "currency", "ok"), [
    ("7.1", "USD", True), ("7.0836", "USD", True), ("0.048", "JPY", True), ("0.92", "HKD", True),
    ("0.14", "USD", False), ("71", "USD", False), ("-7", "USD", False), ("7.1234567", "USD", False),
    ("", "USD", False), ("abc", "EUR", False), ("4.7", "JPY", False),
])
def test_parse_rate_catches_a_rate_typed_the_wrong_way_round(value, currency, ok):
    if ok:
        assert parse_rate(value, currency=currency) == Decimal(value)
    else:
        with pytest.raises(DomainError) as caught:
            parse_rate(value, currency=currency)
        assert caught.value.field == "exchange_rate" and caught.value.message.startswith("汇率：")


def test_conversion_is_exact_to_the_cent_and_said_the_way_people_say_it():
    assert to_yuan(Decimal("300000000"), Decimal("7.1")) == Decimal("2130000000.00")
    assert to_yuan(Decimal("0.07"), Decimal("7.0836")) == Decimal("0.50")  # 0.495852 rounds half up
    assert format_foreign(Decimal("300000000"), "USD") == "3亿美元"
    assert format_rate("USD", Decimal("7.100000")) == "1美元=7.1元"
    assert rate_for_input(Decimal("7.083600")) == "7.0836"


def test_rates_group_by_currency_and_rate_and_read_as_one_sentence():
    rates = conversion_rates([
        ("EUR", Decimal("7.8"), Decimal("20000000")), ("USD", Decimal("7.1"), Decimal("100000000")),
        ("CNY", None, None), ("USD", Decimal("7.1"), Decimal("200000000")), ("USD", Decimal("7.2"), Decimal("1e8")),
    ])
    assert [(r.currency, r.rate, r.count, r.original) for r in rates] == [
        ("USD", Decimal("7.1"), 2, Decimal("300000000")), ("USD", Decimal("7.2"), 1, Decimal("1e8")),
        ("EUR", Decimal("7.8"), 1, Decimal("20000000"))]
    assert rates_sentence(rates) == ("金额以人民币计；其中2个项目以美元签约（共3亿美元），按1美元=7.1元折算；"
                                     "1个项目以美元签约（共1亿美元），按1美元=7.2元折算；"
                                     "1个项目以欧元签约（共2,000万欧元），按1欧元=7.8元折算。")
    assert rates_sentence([]) == ""


@pytest.mark.parametrize("value", [Decimal("1e38"), Decimal("123456789012345678901234567890.12"), Decimal("Infinity")])
def test_an_absurd_amount_is_refused_in_words_not_with_a_crash(value):
    with pytest.raises(DomainError, match="金额："):
        check_amount(value)
    with pytest.raises(DomainError, match="超过1万亿元"):
        parse_amount("9" * 45, unit="亿元")


@pytest.mark.parametrize("text", ["1" + "0" * 60, "1" + "0" * 30 + "美元", "0." + "1" * 40 + "万元", "9" * 61 + "元"])
def test_a_number_with_too_many_digits_is_refused_before_any_arithmetic(text):
    with pytest.raises(DomainError, match="金额："):
        parse_money(text) if "美元" in text else parse_amount(text, unit="万元")
