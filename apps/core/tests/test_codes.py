import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core.codes import (
    USCC_ALPHABET,
    is_valid_uscc,
    make_uscc,
    org_code_check_char,
    uscc_check_char,
    validate_uscc,
)
from apps.core.errors import DomainError

VALID = [
    "91500000202869177Y",  # 重庆银行
    "9150000020286320X6",  # 长安汽车
    "91110000600037341L",
    "91310115MA1K3BTP2B",
    "121200004013590816",
    "92340602MA2PBMEM24",
    "91340600MA2PBP2120",  # check value 0
]


@pytest.mark.parametrize("code", VALID)
def test_real_codes_pass(code):
    assert validate_uscc(code) == code


def test_full_width_and_spaces_are_normalised():
    assert validate_uscc("９１５０００００２０２８６９１７７Ｙ ") == "91500000202869177Y"


def test_wrong_check_character_names_the_expected_one():
    with pytest.raises(DomainError) as exc:
        validate_uscc("91110000600037341N")
    assert "校验位" in exc.value.message and "“L”" in exc.value.message


@pytest.mark.parametrize(
    ("code", "words"),
    [("9111000060003IOZSV", "不允许的字符"), ("12345", "18位"), ("91350100M000100Y4Z", "不允许的字符")],
)
def test_malformed_codes_say_what_is_wrong(code, words):
    with pytest.raises(DomainError) as exc:
        validate_uscc(code)
    assert words in exc.value.message


def test_gb_worked_example_check_value_is_3():
    assert uscc_check_char("91350100M000100Y4") == "3"


def test_org_code_check_characters():
    assert org_code_check_char("20286320") == "X"
    assert org_code_check_char("20286917") == "7"


@given(st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8), st.text(alphabet="0123456789", min_size=6, max_size=6))
def test_a_single_changed_character_is_always_caught(body, region):
    first8 = body[:8]
    prefix = "91" + region + first8 + org_code_check_char(first8)
    code = make_uscc(prefix)
    assert is_valid_uscc(code)
    for i in range(18):
        for ch in "0A":
            if code[i] != ch:
                changed = code[:i] + ch + code[i + 1:]
                assert not is_valid_uscc(changed) or changed == code
