"""Password rules: strength of a new password, periodic change and login lock-out.

Hashing is done elsewhere. Everything here is pure: no database, no Flask.
"""

import calendar
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta

from zxcvbn import zxcvbn

__all__ = [
    "ADDRESS_LOCKOUT_THRESHOLD",
    "LOCKOUT_MINUTES",
    "LOCKOUT_THRESHOLD",
    "MIN_LENGTH",
    "MIN_STRENGTH",
    "PASSWORD_MAX_AGE_MONTHS",
    "add_months",
    "check_new_password",
    "is_locked_out",
    "password_expired",
]

MIN_LENGTH = 8


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


# zxcvbn's score, 0-4: 3 means about 10^8 guesses, out of reach of guessing online and slow offline
MIN_STRENGTH = 3
# only the start of a very long password is scored: zxcvbn's matching grows fast with length
_SCORED_LENGTH = 64

# words zxcvbn's English lists do not know and a Vietnamese school's staff would try first
GUESSABLE_WORDS = (
    "matkhau", "doimatkhau", "sotruong", "truong", "truonghoc", "thcs", "thpt", "tieuhoc", "giaovien",
    "hocsinh", "hieutruong", "phohieutruong", "quantri", "ketoan", "yte", "chunhiem", "totruong", "vanthu",
    "admin", "lophoc", "vietnam", "hanoi", "saigon", "hochiminh", "anhyeuem", "emyeuanh", "xinchao",
)

# shown in the hint; a person who copies it gets a refusal, so it is one of the known words too
HINT_EXAMPLE = "cá-heo-đạp-xe-lúc-7-giờ"

# zxcvbn's pattern names → what a person is told was guessable
_PATTERN_HINTS = {
    "dictionary": "có từ hoặc mật khẩu thông dụng",
    "sequence": "có dãy liên tiếp như 1234, abcd",
    "repeat": "có ký tự hoặc cụm lặp lại",
    "spatial": "có dãy phím liền nhau như qwerty",
    "date": "có ngày tháng",
    "regex": "có năm hoặc dãy số dễ đoán",
    "bruteforce": "quá ngắn",
}


def _without_accents(value: str) -> str:
    """'Mật khẩu' → 'Mat khau': zxcvbn's lists know the words only without Vietnamese accents."""
    value = unicodedata.normalize("NFD", value).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in value if not unicodedata.combining(c))


def password_weakness(password: str, username: str = "", extra_words: Sequence[str] = ()) -> str | None:
    """Why ``password`` is guessable (a Vietnamese phrase), or None when zxcvbn scores it MIN_STRENGTH or more."""
    known = [u for u in (username, *extra_words, *GUESSABLE_WORDS, _without_accents(HINT_EXAMPLE)) if u]
    folded = _without_accents(_nfc(password))[:_SCORED_LENGTH]
    # "Mật khẩu 123": spaces hide the words from zxcvbn's lists, so the text without them is scored too
    result = zxcvbn(folded, user_inputs=known)
    squeezed = "".join(folded.split())
    if result["score"] >= MIN_STRENGTH and squeezed != folded:
        result = zxcvbn(squeezed, user_inputs=known)
    if result["score"] >= MIN_STRENGTH:
        return None
    patterns = [m["pattern"] for m in result["sequence"]]
    reasons = list(dict.fromkeys(_PATTERN_HINTS[p] for p in patterns if p in _PATTERN_HINTS and p != "bruteforce"))
    return ", ".join(reasons) if reasons else _PATTERN_HINTS["bruteforce"]


def check_new_password(password: str, username: str, old_password: str | None = None) -> None:
    """Raise ValueError (Vietnamese message) when ``password`` is not acceptable as a new password.

    Rejected: only whitespace (or empty), fewer than MIN_LENGTH characters (counted in NFC), equal
    to the username ignoring case and surrounding spaces, the same as the old password, or easy to
    guess (zxcvbn below MIN_STRENGTH, with the username and GUESSABLE_WORDS as known words).
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
    weakness = password_weakness(normalized, username, [old_password] if old_password else [])
    if weakness:
        raise ValueError(f"Mật khẩu quá dễ đoán ({weakness}). Hãy ghép ba, bốn từ không liên quan với nhau, "
                         f"ví dụ kiểu “{HINT_EXAMPLE}” (nhưng đừng dùng đúng cụm này), hoặc dùng cụm từ dài từ 12 ký tự trở lên.")


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
# per computer (address): a staff room shares one computer and the whole school one NAT address, so a
# few people's typos must not lock everyone out; this stops a machine trying many accounts
ADDRESS_LOCKOUT_THRESHOLD = 50


def is_locked_out(failures: Sequence[datetime], now: datetime,
                  threshold: int = LOCKOUT_THRESHOLD) -> datetime | None:
    """Until when an account (or address) is locked, or None when it is not locked at ``now``.

    ``failures`` are the times of the consecutive failed logins since the last successful one, in
    any order. Whenever ``threshold`` failures fall within LOCKOUT_MINUTES (the first and the
    last of them at most that far apart), the last of them locks for LOCKOUT_MINUTES from its own
    time. Failures recorded after ``now`` are ignored. If the caller also records attempts made
    while locked, each one that again completes a burst extends the lock.
    """
    window = timedelta(minutes=LOCKOUT_MINUTES)
    times = sorted(t for t in failures if t <= now)
    locked_until: datetime | None = None
    for i in range(threshold - 1, len(times)):
        if times[i] - times[i - threshold + 1] <= window:
            locked_until = times[i] + window  # times are sorted: the last burst locks longest
    if locked_until is not None and now < locked_until:
        return locked_until
    return None
