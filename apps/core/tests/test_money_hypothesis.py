"""The amount readers (apps/core/money.py) on anything at all: what a person types into a form, a cell of an
imported sheet, a JSON value sent to the API. The answer is an exact amount within what the platform promises, or a
DomainError that names the field — never another exception (a 500), never a value out of range or finer than a fen."""

from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from apps.core.errors import DomainError
from apps.core.money import (
    MAX_YUAN,
    RATE_BOUNDS,
    Foreign,
    format_amount,
    parse_amount,
    parse_money,
    parse_rate,
)

# Text shaped like an amount (digits, full-width digits, a point, separators, signs, exponents, a unit or a
# currency), so the search spends its time near what people write, plus any text at all.
NUMBERISH = st.from_regex(
    r"\A\s?[+-]?[0-9０-９,，]{0,24}([.．][0-9０-９]{0,24})?([eE][+-]?[0-9]{1,4})?\s?"
    r"(元|万元|万|亿元|亿|億元|億|美元|万美元|亿美元|欧元|港币|日元|万日元|英镑)?\s?\Z", fullmatch=True)
TEXT = st.one_of(NUMBERISH, st.text(max_size=40))
ANY_VALUE = st.one_of(TEXT, st.none(), st.integers(), st.decimals(allow_nan=True, allow_infinity=True))
UNITS = st.sampled_from([None, "元", "万元", "亿元"])


def _named(error: DomainError) -> None:
    assert error.message.startswith("投资额：") and error.field == "planned_investment", error.message


def _is_yuan(value) -> bool:
    return (isinstance(value, Decimal) and value.is_finite() and Decimal(0) <= value <= MAX_YUAN
            and value == value.quantize(Decimal("0.01")))


@given(ANY_VALUE, UNITS)
@example("1e999999", "万元")
@example("9" * 40, "亿元")
@example("0.000000000000000000001", "元")
@example("-0", "万元")
@example("NaN", None)
def test_parse_amount_gives_exact_yuan_in_range_or_names_the_field(text, unit):
    try:
        yuan = parse_amount(text, unit=unit, field="投资额", key="planned_investment")
    except DomainError as error:
        _named(error)
        return
    assert _is_yuan(yuan), yuan
    # What the platform shows for it reads back as the same amount, wherever it came from (万元 and 亿元 trimmed of
    # their zeros, never rounded away below a fen).
    assert parse_amount(format_amount(yuan, places=8)) == yuan


@given(ANY_VALUE)
@example("3亿美元")
@example("0.001美元")
@example("1e30万欧元")
def test_parse_money_gives_yuan_or_a_positive_foreign_amount_or_names_the_field(text):
    try:
        money = parse_money(text, field="投资额", key="planned_investment")
    except DomainError as error:
        _named(error)
        return
    if isinstance(money, Foreign):
        assert money.amount > 0 and money.amount == money.amount.quantize(Decimal("0.01"))
        assert money.currency in RATE_BOUNDS or len(money.currency) == 3
    else:
        assert _is_yuan(money), money


@given(st.one_of(TEXT, st.none(), st.decimals(allow_nan=True, allow_infinity=True)),
       st.sampled_from(["USD", "EUR", "HKD", "JPY", "GBP"]))
@example("7.1", "USD")
@example("1e999999999", "USD")
@example("sNaN", "EUR")
def test_parse_rate_gives_a_rate_within_the_currency_band_or_names_the_field(value, currency):
    try:
        rate = parse_rate(value, currency=currency)
    except DomainError as error:
        assert error.message.startswith("汇率：") and error.field == "exchange_rate", error.message
        return
    low, high = RATE_BOUNDS.get(currency, (Decimal("0.0001"), Decimal("100")))
    assert low <= rate <= high and rate == rate.quantize(Decimal("0.000001"))
