"""Property tests for apps/core/codes.py: 统一社会信用代码 (GB 32100-2015) and 组织机构代码 (GB 11714).

Codes are built the way the standard describes them (authority, type, 6-digit region, 8-character body
+ its GB 11714 check character, GB 32100 check character), then broken one character at a time."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from apps.core.codes import (
    AUTHORITIES,
    ORG_ALPHABET,
    USCC_ALPHABET,
    is_valid_uscc,
    make_org_code,
    make_uscc,
    normalise_code,
    org_code_check_char,
    validate_uscc,
)
from apps.core.errors import DomainError

FORBIDDEN = "IOZSV"


@st.composite
def valid_codes(draw):
    authority = draw(st.sampled_from(sorted(AUTHORITIES)))
    kind = draw(st.sampled_from(USCC_ALPHABET))
    region = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    body = draw(st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8))
    return make_uscc(authority + kind + region + make_org_code(body))


@given(valid_codes())
@settings(max_examples=500)
def test_every_code_built_by_make_uscc_validates(code):
    assert len(code) == 18
    assert set(code) <= set(USCC_ALPHABET)
    assert validate_uscc(code) == code
    assert is_valid_uscc(code)


@given(valid_codes(), st.integers(min_value=0, max_value=17), st.sampled_from(USCC_ALPHABET))
@settings(max_examples=1000)
def test_changing_any_one_character_is_rejected(code, position, replacement):
    assume(code[position] != replacement)
    broken = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(DomainError) as exc:
        validate_uscc(broken)
    if position == 0 and replacement not in AUTHORITIES:
        expected = "format"  # not a registration authority
    elif 2 <= position <= 7 and not replacement.isdigit():
        expected = "format"  # the region part is digits only
    else:
        expected = "checksum"
    assert exc.value.code == expected
    assert exc.value.field == "credit_code"
    if expected == "checksum":
        assert f"第18位应为“{make_uscc(broken[:17])[17]}”" in exc.value.message


@given(valid_codes(), st.integers(min_value=0, max_value=17), st.sampled_from(FORBIDDEN + FORBIDDEN.lower()))
@settings(max_examples=500)
def test_a_forbidden_letter_anywhere_is_named_in_the_message(code, position, letter):
    broken = code[:position] + letter + code[position + 1 :]
    with pytest.raises(DomainError) as exc:
        validate_uscc(broken, field="委托方代码", key="client_code")
    assert exc.value.code == "charset"
    assert exc.value.field == "client_code"
    assert f"“{letter.upper()}”" in exc.value.message
    assert exc.value.message.startswith("委托方代码")
    assert "I、O、Z、S、V" in exc.value.message


@given(st.text(alphabet=ORG_ALPHABET, min_size=8, max_size=8))
@settings(max_examples=500)
def test_org_code_check_char_round_trip(body):
    check = org_code_check_char(body)
    assert check in "0123456789X"
    assert make_org_code(body) == body + check
    assert org_code_check_char(make_org_code(body)[:8]) == check
    # GB 11714: Σ Ci·Wi + C9 ≡ 0 (mod 11), with X = 10
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(ORG_ALPHABET.index(ch) * w for ch, w in zip(body, weights, strict=True))
    assert (total + (10 if check == "X" else int(check))) % 11 == 0


@pytest.mark.parametrize(
    ("body", "check"), [("20286320", "X"), ("20286917", "7"), ("60003734", "1")],
)
def test_org_code_reference_vectors(body, check):
    assert org_code_check_char(body) == check


_FULL_WIDTH = {ch: chr(ord(ch) + 0xFEE0) for ch in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


@given(
    valid_codes(),
    st.lists(st.booleans(), min_size=18, max_size=18),
    st.lists(st.integers(min_value=0, max_value=18), max_size=6),
    st.booleans(),
)
@settings(max_examples=500)
def test_normalise_code_accepts_full_width_spaces_and_lower_case(code, widen, space_at, lower):
    chars = [_FULL_WIDTH[ch] if wide else ch for ch, wide in zip(code, widen, strict=True)]
    for position in sorted(space_at, reverse=True):
        chars.insert(position, " ")
    typed = "".join(chars)
    if lower:
        typed = typed.lower()  # full-width small letters (ａ) fold too
    assert normalise_code(typed) == code
    assert validate_uscc(typed) == code


def test_normalise_code_accepts_the_display_hyphen_and_surrounding_whitespace():
    assert normalise_code(" 91500000-20286917-7Y\n") == "91500000202869177Y"
    assert validate_uscc("\t91500000202869177y ") == "91500000202869177Y"
    assert normalise_code(None) == ""


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("91350100M000100Y4Z", "charset"),  # Z is not in the alphabet (and the check character is 3)
        (make_uscc("91110000" + "600037342"), "org_checksum"),  # right 18th character, wrong 17th
        ("91110000600037341N", "checksum"),
        ("9111000060003IOZSV", "charset"),
        ("12345", "length"),
        ("B1110000600037341L", "format"),
    ],
)
def test_reference_invalid_vectors(code, error):
    with pytest.raises(DomainError) as exc:
        validate_uscc(code)
    assert exc.value.code == error


@pytest.mark.parametrize(
    "code",
    ["91500000202869177Y", "9150000020286320X6", "91110000600037341L", "91310115MA1K3BTP2B",
     "121200004013590816", "92340602MA2PBMEM24", "91340600MA2PBP2120", "91350100M000100Y43"],
)
def test_reference_valid_vectors(code):
    # the GB worked example 91350100M000100Y4Z is valid once its 18th character is the computed "3"
    assert validate_uscc(code) == code
