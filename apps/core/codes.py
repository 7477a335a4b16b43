"""Identity codes, validated in one place: 统一社会信用代码 (GB 32100-2015) and its embedded
组织机构代码 (GB 11714). See docs/adr/0003-credit-codes.md for the choices made."""

import unicodedata

from apps.core.errors import DomainError

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, Z, S, V
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # GB 11714 uses the full Latin alphabet
# GB 32100 position 1: registration authority. We follow the standard (A is legal), not
# python-stdnum's digits-only rule.
AUTHORITIES = set("123456789ANY")

def normalise_code(text: str) -> str:
    """NFKC folds every full-width form (small letters and the hyphen too); any whitespace, the
    ideographic space included, and the hyphens people write for readability go."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(text.split()).replace("-", "").upper()


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    total = sum(ORG_ALPHABET.index(ch) * w for ch, w in zip(body8, ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def validate_uscc(text: str, *, field: str = "统一社会信用代码", key: str = "credit_code") -> str:
    """Return the normalised code or raise a DomainError that says exactly what is wrong.
    ``field`` is the label people read in the message, ``key`` the form/API field it belongs to."""
    code = normalise_code(text)
    if len(code) != 18:
        raise DomainError(f"{field}应为18位，“{text}”是{len(code)}位。", field=key, code="length")
    bad = sorted({ch for ch in code if ch not in USCC_ALPHABET})
    if bad:
        raise DomainError(
            f"{field}含有不允许的字符“{''.join(bad)}”（代码不使用字母 I、O、Z、S、V）。",
            field=key,
            code="charset",
        )
    if code[0] not in AUTHORITIES:
        raise DomainError(f"{field}第1位“{code[0]}”不是有效的登记管理部门代码。", field=key, code="format")
    if not code[2:8].isdigit():
        raise DomainError(f"{field}第3—8位应为行政区划代码（6位数字）。", field=key, code="format")
    expected = uscc_check_char(code[:17])
    if expected != code[17]:
        raise DomainError(
            f"{field}“{code}”校验位错误：按GB 32100计算，第18位应为“{expected}”，请核对是否抄错。",
            field=key,
            code="checksum",
        )
    org = code[8:17]
    if org_code_check_char(org[:8]) != org[8]:
        raise DomainError(
            f"{field}第9—17位的组织机构代码校验位不符，请核对代码。", field=key, code="org_checksum"
        )
    return code


def is_valid_uscc(text: str) -> bool:
    try:
        validate_uscc(text)
    except DomainError:
        return False
    return True


def make_uscc(first17: str) -> str:
    """Complete a 17-character prefix with its check character (used by demo and test data)."""
    return first17 + uscc_check_char(first17)


def make_org_code(body8: str) -> str:
    return body8 + org_code_check_char(body8)


def org_code_of(uscc: str) -> str:
    """The 组织机构代码 inside a (valid) credit code, characters 9-17, written "XXXXXXXX-X"."""
    return f"{uscc[8:16]}-{uscc[16]}"


def validate_org_code(text: str, *, field: str = "组织机构代码", key: str = "org_code") -> str:
    """A 组织机构代码 entered on its own (records older than credit codes), as "XXXXXXXX-X"."""
    code = normalise_code(text)
    if len(code) != 9 or any(ch not in ORG_ALPHABET for ch in code[:8]) or code[8] not in "0123456789X":
        raise DomainError(f"{field}应为9位（8位本体+1位校验码），如“MA01ABCD-1”。", field=key, code="format")
    if org_code_check_char(code[:8]) != code[8]:
        raise DomainError(f"{field}“{code[:8]}-{code[8]}”校验码错误。", field=key, code="checksum")
    return f"{code[:8]}-{code[8]}"
