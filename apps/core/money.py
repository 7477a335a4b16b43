"""Money: exact decimal yuan in the database; 万元/亿元 for people. The only place amounts are parsed
and formatted, so the form, the API, the import and the exports cannot disagree.

People write "5亿元", "3,000万", "1.5 亿", "239.5亿元", "5000万元"; a form that offers a unit beside
the box must also catch "5亿" typed into a box whose unit is 万元 — that is the commonest slip."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError

UNITS: dict[str, Decimal] = {
    "元": Decimal(1),
    "万元": Decimal(10_000),
    "亿元": Decimal(100_000_000),
}
UNIT_ALIASES = {
    "元": "元",
    "万": "万元",
    "万元": "万元",
    "亿": "亿元",
    "亿元": "亿元",
    "億": "亿元",
    "億元": "亿元",
}
# 1万亿元: a single project above this is a typing mistake (usually the wrong unit).
MAX_YUAN = Decimal("1000000000000")
CENT = Decimal("0.01")

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，　", "0123456789., ")
_AMOUNT_RE = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(元|万元|万|亿元|亿|億元|億)?\s*$")


# Digits a typed number may have before or after the point. 1万亿元 is 13 digits in 元; far more is a slip
# of the keyboard, refused here before any arithmetic can reach Decimal's precision.
MAX_DIGITS = 20


def _check_digits(number: Decimal, *, field: str, key: str | None) -> None:
    if not number.is_finite():
        raise DomainError(f"{field}：请填写一个数字金额。", field=key or field)
    if number and number.adjusted() >= MAX_DIGITS:
        raise DomainError(f"{field}：填写的金额超过1万亿元，超出单个项目的合理范围，请检查单位是否选错。",
                          field=key or field, code="out_of_range")
    if number.as_tuple().exponent < -MAX_DIGITS:
        raise DomainError(f"{field}：金额最多精确到分。", field=key or field)


def _clean(text: str) -> str:
    return text.translate(_FULLWIDTH).replace(",", "").replace("，", "").strip()


def parse_amount(text, *, unit: str | None = None, field: str = "金额", key: str | None = None) -> Decimal:
    """Parse what a person typed into yuan.

    With ``unit`` (the unit chosen beside the box), a bare number is taken in that unit and a number
    carrying a different unit is refused. Without ``unit`` the text must say its unit, because
    "50000" alone could be 元 or 万元 and guessing loses money.
    """
    if isinstance(text, (int, Decimal)):
        raw_number, written_unit = Decimal(text), None
    else:
        cleaned = _clean(str(text or ""))
        if not cleaned:
            raise DomainError(f"{field}：请填写金额。", field=key or field, code="required")
        match = _AMOUNT_RE.match(cleaned)
        if not match:
            raise DomainError(
                f"{field}：无法识别“{text}”，请填写数字，如 5、3000 或 1.5，单位写“万元”或“亿元”。",
                field=key or field,
            )
        try:
            raw_number = Decimal(match.group(1))
        except InvalidOperation as exc:  # pragma: no cover - the regex already guarantees digits
            raise DomainError(f"{field}：“{text}”不是数字。", field=key or field) from exc
        written_unit = UNIT_ALIASES.get(match.group(2)) if match.group(2) else None

    _check_digits(raw_number, field=field, key=key)
    if unit is not None and unit not in UNITS:
        raise DomainError(f"{field}：单位只能是元、万元或亿元。", field=key or field)
    if unit and written_unit and written_unit != unit:
        raise DomainError(
            f"{field}：填写的“{text}”带有单位“{written_unit}”，但所选单位是“{unit}”。"
            f"请只填数字，或把单位改为“{written_unit}”。",
            field=key or field,
            code="unit_mismatch",
        )
    effective_unit = written_unit or unit
    if effective_unit is None:
        raise DomainError(
            f"{field}：“{text}”没有单位，请写明元、万元或亿元（例如“5亿元”或“50000万元”）。",
            field=key or field,
            code="unit_missing",
        )
    if raw_number < 0:
        raise DomainError(f"{field}：金额不能为负数。", field=key or field)
    with localcontext() as context:
        context.prec = 60  # a number typed with forty digits is refused by check_amount, not by quantize
        yuan = (raw_number * UNITS[effective_unit]).quantize(CENT, rounding=ROUND_HALF_UP)
    check_amount(yuan, field=field, key=key)
    return yuan


def check_amount(yuan: Decimal, *, field: str = "金额", key: str | None = None) -> Decimal:
    """Bounds every amount must satisfy, whichever way it came in (form, API, import)."""
    if not yuan.is_finite():
        raise DomainError(f"{field}：请填写一个数字金额。", field=key or field)
    if yuan < 0:
        raise DomainError(f"{field}：金额不能为负数。", field=key or field)
    if yuan > MAX_YUAN:
        # Far past the limit (an API client's 1e38) the amount is not worth spelling out.
        shown = format_amount(yuan) if yuan < MAX_YUAN * 1000 else "填写的金额"
        raise DomainError(
            f"{field}：{shown}超过1万亿元，超出单个项目的合理范围，请检查单位是否选错。",
            field=key or field,
            code="out_of_range",
        )
    with localcontext() as context:
        context.prec = 60  # within the limit a fen-exact amount has at most 17 digits; the default 28 suffices
        exact = yuan == yuan.quantize(CENT)
    if not exact:
        raise DomainError(f"{field}：金额最多精确到分。", field=key or field)
    return yuan


def _trim(number: Decimal, places: int) -> str:
    with localcontext() as context:
        context.prec = 60
        text = f"{number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_amount(yuan, *, places: int = 2) -> str:
    """5亿元, 3,000万元, 239.5亿元, 800元 — the way the article writes them."""
    if yuan is None or yuan == "":
        return "—"
    yuan = Decimal(yuan)
    if abs(yuan) >= UNITS["亿元"]:
        return f"{_trim(yuan / UNITS['亿元'], places + 2)}亿元"
    if abs(yuan) >= UNITS["万元"]:
        return f"{_trim(yuan / UNITS['万元'], places)}万元"
    return f"{_trim(yuan, 2)}元"


def split_for_input(yuan: Decimal | None, unit: str = "万元") -> str:
    """The number to put back into a form box whose unit is ``unit``."""
    if yuan is None:
        return ""
    return _trim(Decimal(yuan) / UNITS[unit], 6).replace(",", "")


# --- other currencies ------------------------------------------------------------------------------
# Every figure is counted in yuan. A signing made in another currency keeps what was signed (3亿美元)
# and the rate the office converted it at; the yuan it is counted as is that amount times the rate,
# and every total that includes such a signing says which rate was used (ADR 0011).

CURRENCIES: dict[str, str] = {"CNY": "人民币", "USD": "美元", "EUR": "欧元", "HKD": "港元", "JPY": "日元",
                              "GBP": "英镑"}
CURRENCY_CHOICES = [("CNY", _("人民币")), ("USD", _("美元")), ("EUR", _("欧元")), ("HKD", _("港元")),
                    ("JPY", _("日元")), ("GBP", _("英镑"))]
_CURRENCY_WORDS = {"美元": "USD", "美金": "USD", "欧元": "EUR", "港元": "HKD", "港币": "HKD", "日元": "JPY",
                   "英镑": "GBP"}
_FOREIGN_RE = re.compile(
    r"^\s*([+-]?\d+(?:\.\d+)?)\s*(万|亿|億)?\s*(" + "|".join(_CURRENCY_WORDS) + r")\s*$")
# Yuan per one unit of the currency: far outside these the rate was typed the wrong way round
# (0.14 for 7.1) or with the decimal point lost.
RATE_BOUNDS = {"USD": (Decimal("1"), Decimal("20")), "EUR": (Decimal("1"), Decimal("20")),
               "GBP": (Decimal("1"), Decimal("25")), "HKD": (Decimal("0.3"), Decimal("3")),
               "JPY": (Decimal("0.01"), Decimal("0.5"))}
RATE_PLACES = Decimal("0.000001")


class Foreign:
    """An amount written in another currency: ``amount`` is in that currency's own unit (美元, not 元)."""

    __slots__ = ("amount", "currency")

    def __init__(self, amount: Decimal, currency: str):
        self.amount = Decimal(amount)
        self.currency = currency

    def __eq__(self, other) -> bool:
        return isinstance(other, Foreign) and (self.amount, self.currency) == (other.amount, other.currency)

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    def __repr__(self) -> str:
        return f"Foreign({self.amount!r}, {self.currency!r})"

    def __str__(self) -> str:
        return format_foreign(self.amount, self.currency)


def parse_money(text, *, field: str = "金额", key: str | None = None) -> "Decimal | Foreign":
    """Yuan for "5亿元"/"3000万"; a Foreign for "3亿美元", "2000万欧元", "5000万港币"."""
    if not isinstance(text, (int, Decimal)):
        match = _FOREIGN_RE.match(_clean(str(text or "")))
        if match:
            number = Decimal(match.group(1))
            _check_digits(number, field=field, key=key)
            if number <= 0:
                raise DomainError(f"{field}：金额应大于0。", field=key or field)
            scale = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "億": Decimal(100_000_000)}.get(
                match.group(2) or "", Decimal(1))
            amount = (number * scale).quantize(CENT, rounding=ROUND_HALF_UP)
            if amount != number * scale:
                raise DomainError(f"{field}：金额最多精确到分。", field=key or field)
            return Foreign(amount, _CURRENCY_WORDS[match.group(3)])
    return parse_amount(text, field=field, key=key)


def parse_rate(value, *, currency: str, field: str = "汇率", key: str | None = "exchange_rate") -> Decimal:
    """Yuan per one unit of ``currency`` ("7.1" for 美元), within a plausible band for that currency."""
    name = CURRENCIES.get(currency, currency)
    if value in (None, ""):
        raise DomainError(f"{field}：以{name}签约的，请填写折算汇率（1{name}折合人民币多少元）。",
                          field=key or field, code="required")
    try:
        rate = Decimal(_clean(str(value))) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise DomainError(f"{field}：“{value}”不是数字，请填写1{name}折合人民币多少元（如7.1）。",
                          field=key or field) from None
    if not rate.is_finite() or rate <= 0:
        raise DomainError(f"{field}：汇率应大于0。", field=key or field)
    low, high = RATE_BOUNDS.get(currency, (Decimal("0.0001"), Decimal("100")))
    if not (low <= rate <= high):
        raise DomainError(
            f"{field}：1{name}折合{rate}元不在常见范围（{low}–{high}元）内，请检查是否填反或漏了小数点。",
            field=key or field, code="out_of_range")
    if rate != rate.quantize(RATE_PLACES):
        raise DomainError(f"{field}：最多保留6位小数。", field=key or field)
    return rate


def to_yuan(amount: Decimal, rate: Decimal) -> Decimal:
    return (Decimal(amount) * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def format_foreign(amount, currency: str, *, places: int = 2) -> str:
    """3亿美元, 2,000万欧元 — format_amount's way with the currency's name in place of 元."""
    if currency == "CNY":
        return format_amount(amount, places=places)
    return format_amount(amount, places=places)[:-1] + CURRENCIES.get(currency, currency)


def format_rate(currency: str, rate) -> str:
    """1美元=7.1元: the rate as people state it under a table."""
    return f"1{CURRENCIES.get(currency, currency)}={_trim(Decimal(rate), 6)}元"


def foreign_note(currency: str, original, rate) -> str:
    """（3亿美元，按1美元=7.1元折算）after the yuan of an amount signed in another currency; "" for yuan."""
    if currency == "CNY" or original is None or rate is None:
        return ""
    return f"（{format_foreign(original, currency)}，按{format_rate(currency, rate)}折算）"


def format_converted(yuan, *, currency: str = "CNY", original=None, rate=None) -> str:
    """21.3亿元（3亿美元，按1美元=7.1元折算）for an amount signed in another currency; 5亿元 otherwise."""
    return format_amount(yuan) + foreign_note(currency, original, rate)


def rate_for_input(rate) -> str:
    """7.1 rather than 7.100000 back in a form box."""
    return "" if rate is None else _trim(Decimal(rate), 6).replace(",", "")


class ConversionRate:
    """One rate used in a total: so many projects signed in ``currency``, converted at ``rate``."""

    __slots__ = ("count", "currency", "original", "rate")

    def __init__(self, currency: str, rate: Decimal, count: int, original: Decimal):
        self.currency, self.rate, self.count, self.original = currency, Decimal(rate), count, Decimal(original)

    def __eq__(self, other) -> bool:
        return isinstance(other, ConversionRate) and self.as_tuple() == other.as_tuple()

    def __repr__(self) -> str:
        return f"ConversionRate{self.as_tuple()!r}"

    def as_tuple(self) -> tuple:
        return (self.currency, self.rate, self.count, self.original)

    @property
    def rate_text(self) -> str:
        return format_rate(self.currency, self.rate)

    def as_dict(self) -> dict:
        """Plain strings for JSON: the rate and the original amount are not yuan, so not written as yuan."""
        return {"currency": self.currency, "rate": rate_for_input(self.rate), "count": self.count,
                "original_amount": f"{self.original:.2f}", "text": self.text}

    @property
    def text(self) -> str:
        """2个项目以美元签约（共3亿美元），按1美元=7.1元折算"""
        name = CURRENCIES.get(self.currency, self.currency)
        return (f"{self.count}个项目以{name}签约（共{format_foreign(self.original, self.currency)}），"
                f"按{self.rate_text}折算")


def conversion_rates(items) -> list[ConversionRate]:
    """The rates behind a total, from (currency, rate, original amount) per counted amount in another
    currency: one entry per currency and rate, in currency order then rate."""
    grouped: dict[tuple, list] = {}
    for currency, rate, original in items:
        if currency == "CNY" or rate is None:
            continue
        entry = grouped.setdefault((currency, Decimal(rate)), [0, Decimal(0)])
        entry[0] += 1
        entry[1] += Decimal(original or 0)
    order = list(CURRENCIES)
    return [ConversionRate(currency, rate, n, original)
            for (currency, rate), (n, original) in sorted(
                grouped.items(), key=lambda item: (order.index(item[0][0]) if item[0][0] in order else 99, item[0][1]))]


def rates_sentence(rates: list[ConversionRate]) -> str:
    """其中2个项目以美元签约（共3亿美元），按1美元=7.1元折算。 — "" when every amount was in yuan.
    Stated beside every total that includes such amounts, so the yuan figure can be checked."""
    if not rates:
        return ""
    return "金额以人民币计；其中" + "；".join(rate.text for rate in rates) + "。"
