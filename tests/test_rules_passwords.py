"""Tests for models.rules.passwords: new-password checks, 6-month expiry and login lock-out."""

import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.rules.passwords import (
    LOCKOUT_MINUTES,
    LOCKOUT_THRESHOLD,
    MIN_LENGTH,
    add_months,
    check_new_password,
    is_locked_out,
    password_expired,
)


def test_constants() -> None:
    assert (MIN_LENGTH, LOCKOUT_THRESHOLD, LOCKOUT_MINUTES) == (8, 5, 15)


# --- guessable passwords (zxcvbn) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "hint"),
    [
        ("12345678", "thông dụng"),
        ("        x", "lặp lại"),
        ("password1", "thông dụng"),
        ("qwertyuiop", ""),
        ("abcd1234", ""),
        ("01/01/1990", "ngày tháng"),
        ("matkhau123", ""),  # "mật khẩu" is Vietnamese for "password"
        ("Mật khẩu 123", ""),  # the same with its accents
        ("sotruong2024", ""),
        ("gv.lan2024", ""),  # the username and a year
        ("cá-heo-đạp-xe-lúc-7-giờ", ""),  # the hint's own example, copied
    ],
)
def test_guessable_passwords_are_refused_with_a_vietnamese_hint(password: str, hint: str) -> None:
    with pytest.raises(ValueError, match="quá dễ đoán") as info:
        check_new_password(password, "gv.lan")
    assert hint in str(info.value)
    assert "ví dụ" in str(info.value)


@pytest.mark.parametrize("password", ["k7mq-x2pa-9hdt", "Ngọn-đèn-biển-2024", "ngày-mai-trời-mưa", "con ngựa ô thích ăn xoài"])
def test_passphrases_and_temporary_passwords_pass(password: str) -> None:
    check_new_password(password, "gv.lan")


def test_the_temporary_passwords_the_admin_hands_out_always_pass() -> None:
    from models.people.accounts import temporary_password

    for _ in range(50):
        check_new_password(temporary_password(), "gv.lan")


def test_only_the_start_of_a_very_long_password_is_scored() -> None:
    check_new_password("k7mq-x2pa-9hdt" + "a" * 10_000, "gv.lan")


def test_address_lockout_needs_many_more_failures_than_an_account_lockout() -> None:
    from models.rules.passwords import ADDRESS_LOCKOUT_THRESHOLD

    assert ADDRESS_LOCKOUT_THRESHOLD >= 5 * LOCKOUT_THRESHOLD
    now = datetime(2024, 10, 1, 8, 0)
    failures = [now - timedelta(seconds=i) for i in range(ADDRESS_LOCKOUT_THRESHOLD - 1)]
    assert is_locked_out(failures, now, ADDRESS_LOCKOUT_THRESHOLD) is None
    assert is_locked_out(failures + [now], now, ADDRESS_LOCKOUT_THRESHOLD) is not None


@pytest.mark.parametrize(
    ("password", "username", "old"),
    [
        ("k7mq-x2pa", "gv.lan", None),  # exactly 8 characters
        ("Mật khẩu mới 2024", "gv.lan", "Mật khẩu cũ 2023"),
        ("gv.lan-đạp-xe-2024", "gv.lan", None),  # contains the username but is not equal to it
        ("  ngựa ô thích xoài  ", "gv.lan", None),  # spaces inside and around
    ],
)
def test_acceptable_passwords(password: str, username: str, old: str | None) -> None:
    check_new_password(password, username, old)


@pytest.mark.parametrize(
    ("password", "username", "old", "message"),
    [
        ("", "gv.lan", None, "khoảng trắng"),
        ("        ", "gv.lan", None, "khoảng trắng"),  # 8 spaces
        ("\t\n \u00a0\u3000   ", "gv.lan", None, "khoảng trắng"),
        ("abc1234", "gv.lan", None, "ít nhất 8 ký tự"),
        ("Mật5", "gv.lan", None, "ít nhất 8 ký tự"),
        # 7 letters typed as NFD are still 7 characters, even though they are 10 code points
        (unicodedata.normalize("NFD", "Hồ Ngọc"), "gv.lan", None, "ít nhất 8 ký tự"),
        ("hieutruong", "hieutruong", None, "tên đăng nhập"),
        ("HieuTruong", "hieutruong", None, "tên đăng nhập"),
        ("hieutruong", " HIEUTRUONG ", None, "tên đăng nhập"),
        (" hieutruong ", "hieutruong", None, "tên đăng nhập"),
        ("Nguyễnvăn", unicodedata.normalize("NFD", "nguyễnVăn"), None, "tên đăng nhập"),
        ("matkhau123", "gv.lan", "matkhau123", "khác mật khẩu cũ"),
        ("Mậtkhẩu123", "gv.lan", unicodedata.normalize("NFD", "Mậtkhẩu123"), "khác mật khẩu cũ"),
        # differs from the old one by accents only: as easy to guess as the old one
        ("ĐổiMậtKhẩu-Mùa-Thu", "admin", "doimatkhau-mua-thu", "dễ đoán"),
    ],
)
def test_rejected_passwords(password: str, username: str, old: str | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_new_password(password, username, old)


def test_old_password_comparison_is_case_sensitive() -> None:
    check_new_password("Ngọn-Đèn-Biển-2024", "gv.lan", "ngọn-đèn-biển-2024")


def test_messages_are_nfc_vietnamese() -> None:
    for password, username, old in [
        ("", "u", None),
        ("short", "u", None),
        ("username1", "username1", None),
        ("samesame1", "u", "samesame1"),
        ("12345678", "u", None),
    ]:
        with pytest.raises(ValueError) as info:
            check_new_password(password, username, old)
        text = str(info.value)
        assert unicodedata.is_normalized("NFC", text) and not text.isascii()


# --- expiry ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changed_at", "now", "expired"),
    [
        (None, datetime(2024, 9, 5), True),
        (datetime(2024, 3, 5, 8, 0), datetime(2024, 9, 5, 7, 59), False),
        (datetime(2024, 3, 5, 8, 0), datetime(2024, 9, 5, 8, 0), True),  # exactly 6 months
        (datetime(2024, 3, 5), datetime(2024, 9, 4), False),  # 183 days but not yet 6 months
        (datetime(2024, 8, 31), datetime(2025, 2, 27), False),
        (datetime(2024, 8, 31), datetime(2025, 2, 28), True),  # clamped to the end of February
        (datetime(2023, 8, 31), datetime(2024, 2, 29), True),  # leap year end of February
        (datetime(2023, 8, 31), datetime(2024, 2, 28), False),
        (datetime(2024, 7, 15), datetime(2025, 1, 15), True),  # across the new year
        (datetime(2024, 7, 15), datetime(2025, 1, 14), False),
        (datetime(2025, 1, 1), datetime(2024, 9, 5), False),  # changed "in the future" (clock skew)
    ],
)
def test_password_expired(changed_at: datetime | None, now: datetime, expired: bool) -> None:
    assert password_expired(changed_at, now) is expired


def test_password_expired_custom_months_and_aware_datetimes() -> None:
    tz = timezone(timedelta(hours=7))
    changed = datetime(2024, 1, 31, 10, 0, tzinfo=tz)
    assert not password_expired(changed, datetime(2024, 2, 29, 9, 59, tzinfo=tz), months=1)
    assert password_expired(changed, datetime(2024, 2, 29, 10, 0, tzinfo=tz), months=1)
    assert password_expired(changed, datetime(2024, 2, 29, 3, 0, tzinfo=UTC), months=1)


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2024, 1, 31, 13, 45), 1, datetime(2024, 2, 29, 13, 45)),
        (datetime(2024, 10, 15), 6, datetime(2025, 4, 15)),
        (datetime(2024, 12, 31), 2, datetime(2025, 2, 28)),
        (datetime(2024, 3, 31), -1, datetime(2024, 2, 29)),
        (datetime(2024, 5, 10), 0, datetime(2024, 5, 10)),
        (datetime(2024, 5, 10), 12, datetime(2025, 5, 10)),
    ],
)
def test_add_months(moment: datetime, months: int, expected: datetime) -> None:
    assert add_months(moment, months) == expected


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)), st.integers(1, 24))
def test_expiry_boundary_is_sharp(changed_at: datetime, months: int) -> None:
    boundary = add_months(changed_at, months)
    assert boundary > changed_at + timedelta(days=27 * months)
    assert password_expired(changed_at, boundary, months)
    assert not password_expired(changed_at, boundary - timedelta(microseconds=1), months)


# --- lock-out ------------------------------------------------------------------------------------

T0 = datetime(2024, 9, 5, 8, 0)


def at(*minutes: float) -> list[datetime]:
    return [T0 + timedelta(minutes=m) for m in minutes]


@pytest.mark.parametrize(
    ("failures", "now_minutes", "expected_minutes"),
    [
        ([], 0, None),
        (at(0, 1, 2, 3), 3, None),  # four failures do not lock
        (at(0, 1, 2, 3, 4), 4, 19),  # the fifth locks for 15 minutes from itself
        (at(0, 1, 2, 3, 4), 18.99, 19),
        (at(0, 1, 2, 3, 4), 19, None),  # lock over exactly 15 minutes after the fifth failure
        (at(0, 1, 2, 3, 4), 30, None),
        (at(0, 5, 10, 14, 15), 15, 30),  # first and fifth exactly 15 minutes apart: locks
        (at(0, 5, 10, 14, 15.01), 15.01, None),  # just over 15 minutes apart: no lock
        (at(0, 20, 40, 60, 80, 100), 100, None),  # slow, spread-out failures never lock
        (at(0, 20, 21, 22, 23, 24), 24, 39),  # the last five fall in a window
        (at(4, 0, 3, 1, 2), 10, 19),  # order of the input does not matter
        (at(0, 1, 2, 3, 4, 10), 10, 25),  # a failure while locked extends the lock
        (at(0, 1, 2, 3, 4, 30), 30, None),  # an old burst no longer locks
        (at(0, 1, 2, 3, 4, 30, 31, 32, 33), 33, None),  # the new burst has only four failures
        (at(0, 1, 2, 3, 4, 30, 31, 32, 33, 34), 34, 49),
        (at(0, 1, 2, 3, 10), 5, None),  # a failure recorded after "now" is ignored
    ],
)
def test_is_locked_out(failures: list[datetime], now_minutes: float, expected_minutes: float | None) -> None:
    now = T0 + timedelta(minutes=now_minutes)
    expected = None if expected_minutes is None else T0 + timedelta(minutes=expected_minutes)
    assert is_locked_out(failures, now) == expected


def test_is_locked_out_accepts_tuples_and_aware_datetimes() -> None:
    tz = timezone(timedelta(hours=7))
    failures = tuple(datetime(2024, 9, 5, 8, m, tzinfo=tz) for m in range(5))
    assert is_locked_out(failures, datetime(2024, 9, 5, 1, 10, tzinfo=UTC)) == datetime(
        2024, 9, 5, 8, 19, tzinfo=tz
    )


@given(st.lists(st.integers(min_value=0, max_value=120 * 60), max_size=15), st.integers(0, 150 * 60))
def test_lockout_properties(seconds: list[int], now_seconds: int) -> None:
    failures = [T0 + timedelta(seconds=s) for s in seconds]
    now = T0 + timedelta(seconds=now_seconds)
    until = is_locked_out(failures, now)
    past = [f for f in failures if f <= now]
    if len(past) < LOCKOUT_THRESHOLD:
        assert until is None
    if until is not None:
        # Locked only after a real failure, for at most LOCKOUT_MINUTES from it.
        assert now < until <= now + timedelta(minutes=LOCKOUT_MINUTES)
        assert until - timedelta(minutes=LOCKOUT_MINUTES) in past
    if past:
        # Whatever happened before, LOCKOUT_MINUTES after the last failure the lock is over.
        assert is_locked_out(past, max(past) + timedelta(minutes=LOCKOUT_MINUTES)) is None
