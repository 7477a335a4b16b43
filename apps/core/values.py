"""Reading one submitted value in a service, with the refusal people read: "字段：说明。" naming the field."""

from apps.core.errors import DomainError


def text_value(values: dict, key: str, label: str, *, required: bool = False, max_length: int = 200) -> str:
    """values[key] as stripped text ("" when absent); refused when required and empty, or too long."""
    text = str(values.get(key) or "").strip()
    if required and not text:
        raise DomainError(f"{label}：必填。", field=key)
    if len(text) > max_length:
        raise DomainError(f"{label}：最多{max_length}个字（现有{len(text)}个）。", field=key)
    return text
