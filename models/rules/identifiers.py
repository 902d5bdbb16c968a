"""Identifiers: the school's own person codes and validation of official numbers and phones.

Everything here is pure: no database, no Flask.
"""

import random
import re
import secrets

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "PERSON_KINDS",
    "is_valid_person_code",
    "new_person_code",
    "normalize_person_code",
    "validate_personal_id",
    "validate_phone",
    "validate_sector_code",
]

# Mã định danh layout (20 characters): KIND(2) + YEAR(4) + RANDOM(13) + CHECK(1).
PERSON_KINDS = ("HS", "GV", "NV")  # học sinh, giáo viên, nhân viên
CODE_LENGTH = 20
_RANDOM_LENGTH = 13
# 31 symbols: digits and upper-case letters without the look-alikes 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
assert len(CODE_ALPHABET) == 31 and len(set(CODE_ALPHABET)) == 31
_MODULUS = len(CODE_ALPHABET)  # 31, a prime
_SYMBOL_VALUE = {ch: i for i, ch in enumerate(CODE_ALPHABET)}


def _check_char(body: str) -> str:
    """Check character over the first 19 characters.

    Weighted sum modulo 31 with weights 1..19 (all distinct and non-zero mod 31). Year digits are
    valued 0..9, every other position by its index in CODE_ALPHABET, so within one position distinct
    characters have distinct values mod 31: any single substitution and any swap of two different
    characters changes the check character.
    """
    total = 0
    for position, ch in enumerate(body):
        value = int(ch) if 2 <= position < 6 else _SYMBOL_VALUE[ch]
        total += (position + 1) * value
    return CODE_ALPHABET[total % _MODULUS]


def new_person_code(kind: str, year: int, rand: random.Random | None = None) -> str:
    """A new 20-character mã định danh for a student ("HS") or staff member ("GV", "NV").

    ``year`` is the enrolment/hiring year. Random characters come from :mod:`secrets` unless a
    seeded ``rand`` is given (deterministic demo data). Uniqueness is the caller's job (unique index
    and retry); with 31**13 possibilities per kind and year a collision is practically impossible.
    """
    if kind not in PERSON_KINDS:
        raise ValueError(f"Loại mã định danh không hợp lệ: {kind!r} (chỉ nhận HS, GV hoặc NV).")
    if not 1000 <= year <= 9999:
        raise ValueError(f"Năm trong mã định danh phải gồm 4 chữ số: {year}.")
    choice = rand.choice if rand is not None else secrets.choice
    body = f"{kind}{year:04d}" + "".join(choice(CODE_ALPHABET) for _ in range(_RANDOM_LENGTH))
    return body + _check_char(body)


def normalize_person_code(value: str) -> str:
    """Clean a code as typed by a user: spaces and dashes removed, upper-cased."""
    return re.sub(r"[\s-]+", "", value).upper()


def is_valid_person_code(code: str) -> bool:
    """True for a well-formed mã định danh: length, kind, year digits, alphabet and check character.

    Strict: lower-case or spaced input is rejected; pass it through :func:`normalize_person_code`
    first when it comes from a form.
    """
    if not isinstance(code, str) or len(code) != CODE_LENGTH:
        return False
    kind, year, rest = code[:2], code[2:6], code[6:]
    if kind not in PERSON_KINDS:
        return False
    if not all(ch in "0123456789" for ch in year):
        return False
    if not all(ch in _SYMBOL_VALUE for ch in rest):
        return False
    return _check_char(code[:-1]) == code[-1]


_PERSONAL_ID_RE = re.compile(r"[0-9]{12}")


def validate_personal_id(value: str | None) -> str:
    """Số định danh cá nhân (CCCD number): exactly 12 digits once spaces are removed.

    Returns the cleaned digits, or "" for an empty (optional) value.
    """
    cleaned = re.sub(r"\s+", "", value or "")
    if not cleaned:
        return ""
    if not _PERSONAL_ID_RE.fullmatch(cleaned):
        raise ValueError("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    return cleaned


_SECTOR_CODE_RE = re.compile(r"[0-9A-Za-z]{1,20}")


def validate_sector_code(value: str | None) -> str:
    """Optional mã ngành (identifier issued by the education sector database).

    Up to 20 ASCII letters and digits; surrounding whitespace is stripped, the case is kept as
    issued. Returns "" for an empty value.
    """
    cleaned = (value or "").strip()
    if not cleaned:
        return ""
    if not _SECTOR_CODE_RE.fullmatch(cleaned):
        raise ValueError("Mã định danh ngành chỉ gồm chữ cái không dấu và chữ số, tối đa 20 ký tự.")
    return cleaned


_PHONE_CHARS_RE = re.compile(r"\+?[0-9][0-9 .\-]*")
_PHONE_RE = re.compile(r"0[0-9]{9}")


def validate_phone(value: str | None) -> str:
    """Vietnamese phone number, returned as 10 digits starting with 0 ("" for an empty value).

    Accepts digits separated by spaces, dots or dashes, with an optional leading +84 that stands
    for the 0 ("+84 912 345 678" -> "0912345678"; "+84 0912 345 678" is tolerated too).
    Eleven-digit landline numbers (024 3xxx xxxx) are not accepted.
    """
    text = (value or "").strip()
    if not text:
        return ""
    if not _PHONE_CHARS_RE.fullmatch(text):
        raise ValueError(
            "Số điện thoại chỉ được gồm chữ số, dấu cách, dấu chấm, dấu gạch ngang và +84 ở đầu."
        )
    digits = re.sub(r"[ .\-]", "", text)
    if digits.startswith("+"):
        if not digits.startswith("+84"):
            raise ValueError("Số điện thoại quốc tế phải bắt đầu bằng +84.")
        national = digits[3:]
        digits = national if national.startswith("0") else "0" + national
    if not _PHONE_RE.fullmatch(digits):
        raise ValueError("Số điện thoại phải gồm 10 chữ số và bắt đầu bằng 0 (hoặc +84).")
    return digits
