"""Money as the school's books keep it: whole đồng (VND) in integers, never floats.

Pure: no database, no Flask. Amounts read "1.250.000 đ" (a dot between thousands, no decimals: the đồng
has no smaller unit in use).
"""
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

__all__ = ["format_vnd", "parse_vnd", "parse_percent", "after_reduction", "reduction_of", "vnd_in_words"]

# "1250000" or "1.250.000", optionally followed by "đ", "vnđ" or "vnd"
_AMOUNT = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)(?:\s*(?:đ|vnđ|vnd))?", re.IGNORECASE)
_PERCENT = re.compile(r"(\d{1,3})(?:[.,](\d{1,2}))?\s*%?")


def format_vnd(amount: int) -> str:
    """1250000 → "1.250.000 đ"; -35000 → "-35.000 đ"."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("amounts are whole đồng (int)")
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,} đ".replace(",", ".")


def parse_vnd(text: str) -> int:
    """What a person typed as an amount → đồng; a clear Vietnamese ValueError for anything else."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise ValueError("Chưa nhập số tiền.")
    if cleaned.startswith("-"):
        raise ValueError("Số tiền không được âm.")
    if "," in cleaned:
        raise ValueError("Số tiền tính bằng đồng, không có phần thập phân (ví dụ 1.250.000).")
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"Số tiền “{cleaned}” không hợp lệ: nhập số đồng, ví dụ 1.250.000 hoặc 1250000.")
    return int(match.group(1).replace(".", ""))


def _exact_percent(percent) -> Fraction:
    if isinstance(percent, bool) or isinstance(percent, float):
        raise TypeError("percentages are exact (int, Decimal or text), never float")
    if isinstance(percent, str):
        return Fraction(parse_percent(percent))
    try:
        value = Fraction(percent)
    except (TypeError, ValueError, InvalidOperation) as exc:
        raise ValueError("Tỉ lệ miễn giảm không hợp lệ.") from exc
    if not 0 <= value <= 100:
        raise ValueError("Tỉ lệ miễn giảm phải từ 0 đến 100%.")
    return value


def parse_percent(text: str) -> Decimal:
    """"50", "12,5", "12.5 %" → Decimal; 0–100 with at most two decimals."""
    cleaned = (text or "").strip()
    match = _PERCENT.fullmatch(cleaned)
    if not cleaned:
        raise ValueError("Chưa nhập tỉ lệ miễn giảm.")
    if match is None:
        raise ValueError(f"Tỉ lệ “{cleaned}” không hợp lệ: nhập số từ 0 đến 100, ví dụ 50 hoặc 12,5.")
    value = Decimal(match.group(1) + ("." + match.group(2) if match.group(2) else ""))
    if value > 100:
        raise ValueError("Tỉ lệ miễn giảm phải từ 0 đến 100%.")
    return value


def after_reduction(amount: int, percent) -> int:
    """The amount left to pay after a reduction of `percent` % (0–100), rounded half up to the đồng."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("amounts are whole đồng (int)")
    if amount < 0:
        raise ValueError("Số tiền không được âm.")
    exact = Fraction(amount) * (100 - _exact_percent(percent)) / 100
    # half up: floor(x + 1/2) on a non-negative exact fraction
    return int((exact + Fraction(1, 2)).__floor__())


def reduction_of(amount: int, percent) -> int:
    """The đồng taken off: amount − after_reduction, so the two always add back to the amount."""
    return amount - after_reduction(amount, percent)


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_SCALES = ["", " nghìn", " triệu", " tỷ"]


def _three(n: int, full: bool) -> str:
    """0–999 in words; `full` when a higher group precedes it ("không trăm linh năm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens > 0:
            words.append("lăm")
        elif units == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(_DIGITS[units])
    return " ".join(words)


def vnd_in_words(amount: int) -> str:
    """The amount as a receipt writes it out (số tiền viết bằng chữ): 1250000 → "Một triệu hai trăm năm mươi
    nghìn đồng"."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("amounts are whole đồng (int)")
    if amount == 0:
        return "Không đồng"
    sign, rest = ("Âm ", -amount) if amount < 0 else ("", amount)
    groups = []
    while rest:
        groups.append(rest % 1000)
        rest //= 1000
    parts = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        # beyond a billion the scale words repeat: "nghìn tỷ"
        scale = _SCALES[index % 3 if index >= 4 else index] + (" tỷ" if index >= 4 else "")
        parts.append(_three(group, full=index < len(groups) - 1) + scale)
    text = " ".join(parts) + " đồng"
    return sign + text[0].upper() + text[1:] if not sign else sign + text
