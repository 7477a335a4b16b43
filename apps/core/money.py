"""Money: exact decimal yuan in the database; 万元/亿元 for people. The only place amounts are parsed
and formatted, so the form, the API, the import and the exports cannot disagree.

People write "5亿元", "3,000万", "1.5 亿", "239.5亿元", "5000万元"; a form that offers a unit beside
the box must also catch "5亿" typed into a box whose unit is 万元 — that is the commonest slip."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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
    yuan = (raw_number * UNITS[effective_unit]).quantize(CENT, rounding=ROUND_HALF_UP)
    check_amount(yuan, field=field, key=key)
    return yuan


def check_amount(yuan: Decimal, *, field: str = "金额", key: str | None = None) -> Decimal:
    """Bounds every amount must satisfy, whichever way it came in (form, API, import)."""
    if yuan < 0:
        raise DomainError(f"{field}：金额不能为负数。", field=key or field)
    if yuan > MAX_YUAN:
        raise DomainError(
            f"{field}：{format_amount(yuan)}超过1万亿元，超出单个项目的合理范围，请检查单位是否选错。",
            field=key or field,
            code="out_of_range",
        )
    if yuan != yuan.quantize(CENT):
        raise DomainError(f"{field}：金额最多精确到分。", field=key or field)
    return yuan


def _trim(number: Decimal, places: int) -> str:
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
