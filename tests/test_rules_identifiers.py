"""Tests for models.rules.identifiers: person codes, số định danh, mã ngành and phone numbers."""

import random
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.rules.identifiers import (
    CODE_ALPHABET,
    CODE_LENGTH,
    PERSON_KINDS,
    is_valid_person_code,
    new_person_code,
    normalize_person_code,
    validate_personal_id,
    validate_phone,
    validate_sector_code,
)

UPPER_ALNUM = string.ascii_uppercase + string.digits


def test_alphabet_has_no_ambiguous_characters() -> None:
    assert len(CODE_ALPHABET) == len(set(CODE_ALPHABET)) == 31
    assert not set(CODE_ALPHABET) & set("01OIL")
    assert set(CODE_ALPHABET) <= set(UPPER_ALNUM)


@pytest.mark.parametrize("kind", ["HS", "GV", "NV"])
@pytest.mark.parametrize("year", [1000, 2010, 2024, 9999])
def test_new_code_layout(kind: str, year: int) -> None:
    code = new_person_code(kind, year)
    assert len(code) == CODE_LENGTH == 20
    assert code.startswith(f"{kind}{year}")
    assert all(ch in CODE_ALPHABET for ch in code[6:])
    assert is_valid_person_code(code)


def test_seeded_generation_is_deterministic() -> None:
    first = [new_person_code("HS", 2024, random.Random(42)) for _ in range(3)]
    second = [new_person_code("HS", 2024, random.Random(42)) for _ in range(3)]
    assert first == second
    rng = random.Random(42)
    assert len({new_person_code("HS", 2024, rng) for _ in range(50)}) == 50


def test_default_generation_is_random() -> None:
    assert len({new_person_code("GV", 2024) for _ in range(50)}) == 50


@pytest.mark.parametrize(
    ("kind", "year"), [("XX", 2024), ("hs", 2024), ("", 2024), ("HS", 999), ("HS", 10000)]
)
def test_new_code_rejects_bad_arguments(kind: str, year: int) -> None:
    with pytest.raises(ValueError):
        new_person_code(kind, year)


VALID = new_person_code("HS", 2024, random.Random(7))


@pytest.mark.parametrize(
    "code",
    [
        "",
        VALID[:-1],
        VALID + "2",
        VALID.lower(),
        "XX" + VALID[2:],  # unknown kind
        VALID[:2] + "2O24" + VALID[6:],  # letter in the year
        VALID[:10] + "0" + VALID[11:],  # ambiguous character in the random part
        VALID[:10] + "-" + VALID[11:],
        VALID[:-1] + ("2" if VALID[-1] != "2" else "3"),  # wrong check character
        VALID[:6] + VALID[7] + VALID[6] + VALID[8:],  # swapped neighbours (if they differ)
    ],
)
def test_invalid_codes(code: str) -> None:
    if code == VALID:  # the swap case when the two neighbours happen to be equal
        pytest.skip("swapped characters are identical")
    assert not is_valid_person_code(code)


def test_non_string_is_invalid() -> None:
    assert not is_valid_person_code(None)  # type: ignore[arg-type]
    assert not is_valid_person_code(12345678901234567890)  # type: ignore[arg-type]


def test_normalize_person_code() -> None:
    spaced = f" {VALID[:6].lower()} {VALID[6:13]}-{VALID[13:]} "
    assert normalize_person_code(spaced) == VALID
    assert is_valid_person_code(normalize_person_code(spaced))


codes = st.builds(
    new_person_code,
    st.sampled_from(PERSON_KINDS),
    st.integers(min_value=1000, max_value=9999),
    st.randoms(use_true_random=False),
)


@given(codes)
def test_generated_codes_are_valid(code: str) -> None:
    assert len(code) == 20 and code.isascii() and code.isupper() and code.isalnum()
    assert is_valid_person_code(code)


@given(codes, st.integers(min_value=0, max_value=CODE_LENGTH - 1), st.sampled_from(UPPER_ALNUM + "a-é "))
def test_single_changed_character_is_detected(code: str, position: int, replacement: str) -> None:
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code:
        assert not is_valid_person_code(changed)


@given(
    codes,
    st.integers(min_value=0, max_value=CODE_LENGTH - 1),
    st.integers(min_value=0, max_value=CODE_LENGTH - 1),
)
def test_transposition_is_detected(code: str, i: int, j: int) -> None:
    chars = list(code)
    chars[i], chars[j] = chars[j], chars[i]
    swapped = "".join(chars)
    if swapped != code:
        assert not is_valid_person_code(swapped)


# --- số định danh cá nhân -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("001203004567", "001203004567"),
        (" 001 203 004 567 ", "001203004567"),
        ("079\u00a0305\t012345", "079305012345"),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_personal_id_valid(value: str | None, expected: str) -> None:
    assert validate_personal_id(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "00120300456",
        "0012030045678",
        "00120300456A",
        "001-203-004-567",
        "００１２０３００４５６７",
        "١٢٣٤٥٦٧٨٩٠١٢",
    ],
)
def test_personal_id_invalid(value: str) -> None:
    with pytest.raises(ValueError, match="^Số định danh cá nhân phải gồm đúng 12 chữ số.$"):
        validate_personal_id(value)


# --- mã ngành -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7901234567", "7901234567"),
        ("  HS79ab01 ", "HS79ab01"),
        ("A" * 20, "A" * 20),
        ("", ""),
        (None, ""),
    ],
)
def test_sector_code_valid(value: str | None, expected: str) -> None:
    assert validate_sector_code(value) == expected


@pytest.mark.parametrize("value", ["A" * 21, "79 0123", "79-0123", "Đ123", "mã1", "12_34"])
def test_sector_code_invalid(value: str) -> None:
    with pytest.raises(ValueError, match="tối đa 20 ký tự"):
        validate_sector_code(value)


# --- số điện thoại ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("091-234-5678", "0912345678"),
        (" +84 912 345 678 ", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 0912 345 678", "0912345678"),
        ("0387654321", "0387654321"),
        ("", ""),
        ("  ", ""),
        (None, ""),
    ],
)
def test_phone_valid(value: str | None, expected: str) -> None:
    assert validate_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "912345678",  # 9 digits, no leading 0
        "09123456789",  # 11 digits
        "1912345678",  # does not start with 0
        "+1 212 555 0100",  # foreign number
        "84912345678",  # country code without +
        "+84 91234567",  # too short after +84
        "0912-345-67a",
        "(091) 234 5678",
        "0912 345 678 +84",
        "++84912345678",
        "-0912345678",
    ],
)
def test_phone_invalid(value: str) -> None:
    with pytest.raises(ValueError, match="Số điện thoại"):
        validate_phone(value)
