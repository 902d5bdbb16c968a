"""Password rules: strength of a new password, periodic change and login lock-out.

Hashing is done elsewhere. Everything here is pure: no database, no Flask.
"""

import calendar
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta

__all__ = [
    "LOCKOUT_MINUTES",
    "LOCKOUT_THRESHOLD",
    "MIN_LENGTH",
    "PASSWORD_MAX_AGE_MONTHS",
    "add_months",
    "check_new_password",
    "is_locked_out",
    "password_expired",
]

MIN_LENGTH = 8


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def check_new_password(password: str, username: str, old_password: str | None = None) -> None:
    """Raise ValueError (Vietnamese message) when ``password`` is not acceptable as a new password.

    Rejected: only whitespace (or empty), fewer than MIN_LENGTH characters (counted in NFC), equal
    to the username ignoring case and surrounding spaces, or the same as the old password.
    """
    if not password.strip():
        raise ValueError("Mật khẩu không được để trống hoặc chỉ gồm khoảng trắng.")
    normalized = _nfc(password)
    if len(normalized) < MIN_LENGTH:
        raise ValueError(f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự.")
    if username and normalized.strip().casefold() == _nfc(username).strip().casefold():
        raise ValueError("Mật khẩu không được trùng với tên đăng nhập.")
    if old_password is not None and normalized == _nfc(old_password):
        raise ValueError("Mật khẩu mới phải khác mật khẩu cũ.")


PASSWORD_MAX_AGE_MONTHS = 6


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus calendar months, the day clamped to the month's end (31/08 + 6 → 28/02 or 29/02)."""
    index = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def password_expired(
    changed_at: datetime | None, now: datetime, months: int = PASSWORD_MAX_AGE_MONTHS
) -> bool:
    """True when the password was never changed or was changed ``months`` calendar months ago or more.

    ``changed_at`` and ``now`` must both be naive or both aware.
    """
    if changed_at is None:
        return True
    return now >= add_months(changed_at, months)


LOCKOUT_THRESHOLD = 5
LOCKOUT_MINUTES = 15


def is_locked_out(failures: Sequence[datetime], now: datetime) -> datetime | None:
    """Until when an account (or address) is locked, or None when it is not locked at ``now``.

    ``failures`` are the times of the consecutive failed logins since the last successful one, in
    any order. Whenever LOCKOUT_THRESHOLD failures fall within LOCKOUT_MINUTES (the first and the
    last of them at most that far apart), the last of them locks for LOCKOUT_MINUTES from its own
    time. Failures recorded after ``now`` are ignored. If the caller also records attempts made
    while locked, each one that again completes a burst extends the lock.
    """
    window = timedelta(minutes=LOCKOUT_MINUTES)
    times = sorted(t for t in failures if t <= now)
    locked_until: datetime | None = None
    for i in range(LOCKOUT_THRESHOLD - 1, len(times)):
        if times[i] - times[i - LOCKOUT_THRESHOLD + 1] <= window:
            locked_until = times[i] + window  # times are sorted: the last burst locks longest
    if locked_until is not None and now < locked_until:
        return locked_until
    return None
