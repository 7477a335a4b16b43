"""Reading one submitted value in a service, with the refusal people read: "字段：说明。" naming the field."""

import datetime

from apps.core.errors import DomainError


def text_value(values: dict, key: str, label: str, *, required: bool = False, max_length: int = 200) -> str:
    """values[key] as stripped text ("" when absent); refused when required and empty, or too long."""
    text = str(values.get(key) or "").strip()
    if required and not text:
        raise DomainError(f"{label}：必填。", field=key)
    if len(text) > max_length:
        raise DomainError(f"{label}：最多{max_length}个字（现有{len(text)}个）。", field=key)
    return text


EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_YEAR = 2100


def date_value(values: dict, key: str, label: str, *, required: bool = False) -> datetime.date | None:
    """values[key] as a date (None when absent); refused when required and absent, not a date, or outside
    2000–2100 — a typo like 0225 or 20225 rather than a real date."""
    value = values.get(key) or None
    if value is None:
        if required:
            raise DomainError(f"{label}：必填。", field=key)
        return None
    if not isinstance(value, datetime.date):
        raise DomainError(f"{label}：请按“年-月-日”填写日期。", field=key)
    if value < EARLIEST_DATE or value.year > LATEST_YEAR:
        raise DomainError(f"{label}：日期应在2000年到2100年之间，请检查。", field=key)
    return value
