"""Reading the accountant's forms: each parser returns clean values or raises ValueError in Vietnamese."""
from datetime import date

from models.rules.dates import parse_date
from models.rules.money import parse_vnd


def optional_date(text: str) -> date | None:
    return parse_date(text) if (text or "").strip() else None


def grades_of(values: list[str]) -> list[int]:
    try:
        return [int(v) for v in values]
    except ValueError:
        raise ValueError("Khối không hợp lệ.") from None


def id_of(text: str, what: str) -> int:
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise ValueError(f"Chưa chọn {what}.") from None
    if not 0 < value < 2**31:
        raise ValueError(f"Chưa chọn {what}.")
    return value


def payment_lines(form) -> dict[int, int]:
    """The amounts typed against each charge ("line-<charge id>"); an empty box means nothing paid."""
    lines = {}
    for key, text in form.items():
        if key.startswith("line-") and text.strip():
            lines[id_of(key[5:], "khoản thu")] = parse_vnd(text)
    return lines
