"""Notices to families (sổ liên lạc): phone numbers, SMS length, templates, retry back-off. Pure rules.

**Why SMS text goes without diacritics.** An SMS carries 160 characters in the GSM-7 alphabet, but only 70
in UCS-2, the encoding a phone must switch to as soon as one character is outside GSM-7, and every
Vietnamese letter with a mark (ă, ơ, ệ, đ …) is. A notice such as "Em Nguyễn Văn An lớp 6A1 nghỉ học không
phép buổi sáng ngày 02/12/2024 …" does not fit 70 characters, and a 2- or 3-part message costs 2–3 times as
much and may arrive cut on old phones. So the SMS channel sends the text with its marks removed
(`sms_text`: "Em Nguyen Van An lop 6A1 nghi hoc ...", the way Vietnamese schools' SMS have long been
written) and allows one GSM-7 message of 160 characters; the printed slip and the Excel export keep the
full Vietnamese text. The form shows the count of the text that will be sent.
"""
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["GSM7_LIMIT", "UCS2_LIMIT", "SmsLength", "sms_text", "sms_length", "normalise_mobile",
           "fill_template", "PLACEHOLDERS", "backoff_seconds", "template_problem"]

GSM7_LIMIT = 160  # one SMS, GSM 03.38 default alphabet (7-bit)
UCS2_LIMIT = 70  # one SMS as soon as one character is outside it (16-bit)

# GSM 03.38 basic character set (each counts 1) and its extension table (escape + char: counts 2)
_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
_GSM7_EXTENDED = set("^{}\\[~]|€\f")

# marks that do not decompose, and typographic characters a template may hold, mapped into GSM-7
_FOLD = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "–": "-", "—": "-", "‘": "'", "’": "'",
                       "“": '"', "”": '"', "…": "...", "\u00a0": " ", "\t": " "})


def sms_text(text: str) -> str:
    """The text as the SMS channel sends it: Vietnamese without diacritics, spaces collapsed.

    >>> sms_text("Em Nguyễn Văn An lớp 6A1 nghỉ học – Đề nghị")
    'Em Nguyen Van An lop 6A1 nghi hoc - De nghi'
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", plain).split())


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    count: int  # characters as the network counts them (an extension character counts 2 in GSM-7)
    limit: int

    @property
    def fits(self) -> bool:
        return self.count <= self.limit

    @property
    def label(self) -> str:
        return f"{self.count}/{self.limit} ký tự ({self.encoding})"


def sms_length(text: str) -> SmsLength:
    """How long `text` is as one SMS: GSM-7 when every character is in the alphabet, else UCS-2."""
    if all(ch in _GSM7_BASIC or ch in _GSM7_EXTENDED for ch in text):
        return SmsLength("GSM-7", sum(2 if ch in _GSM7_EXTENDED else 1 for ch in text), GSM7_LIMIT)
    # UCS-2 counts UTF-16 code units: a character beyond the BMP (an emoji) takes two
    return SmsLength("UCS-2", len(text.encode("utf-16-le")) // 2, UCS2_LIMIT)


# Vietnamese mobile prefixes since the 2018 renumbering: 03x (Viettel), 05x (Vietnamobile, Gmobile),
# 07x (MobiFone), 08x (VinaPhone, Viettel, …), 09x (all networks)
_MOBILE = re.compile(r"0[35789]\d{8}")


def normalise_mobile(raw: str) -> str:
    """A Vietnamese mobile number as 10 digits starting 0 (03x/05x/07x/08x/09x); +84/84 prefixes and
    spaces, dots, dashes and brackets are accepted. Raises ValueError with a message for the school.

    >>> normalise_mobile("+84 912.345.678")
    '0912345678'
    """
    text = (raw or "").strip()
    if not text:
        raise ValueError("Chưa có số điện thoại của gia đình.")
    digits = re.sub(r"[\s.\-()]", "", text)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("84"):
            raise ValueError(f"Số “{text}” không phải số di động Việt Nam (mã quốc gia phải là +84).")
    if not digits.isdigit():
        raise ValueError(f"Số “{text}” có ký tự không phải chữ số.")
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) != 10:
        raise ValueError(f"Số “{text}” phải có 10 chữ số (ví dụ 0912 345 678), số này có {len(digits)}.")
    if not _MOBILE.fullmatch(digits):
        raise ValueError(f"Số “{text}” không phải số di động Việt Nam: đầu số phải là 03, 05, 07, 08 hoặc 09.")
    return digits


# placeholders a template may use, with what they stand for (shown on the admin's template page)
PLACEHOLDERS = {
    "hoc_sinh": "Họ và tên học sinh",
    "lop": "Tên lớp",
    "ngay": "Ngày (dd/mm/yyyy)",
    "thang": "Tháng (mm/yyyy)",
    "noi_dung": "Nội dung riêng của thông báo (buổi nghỉ, vi phạm, nhận xét …)",
    "truong": "Tên trường",
    "gvcn": "Họ tên giáo viên chủ nhiệm",
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def template_problem(template: str) -> str | None:
    """Why a template cannot be used (an unknown placeholder, a stray brace), or None."""
    if not template.strip():
        return "Mẫu tin không được để trống."
    unknown = sorted({name for name in _PLACEHOLDER.findall(template) if name not in PLACEHOLDERS})
    if unknown:
        return "Mẫu tin có chỗ trống không biết: " + ", ".join("{" + n + "}" for n in unknown) + "."
    if "{" in _PLACEHOLDER.sub("", template) or "}" in _PLACEHOLDER.sub("", template):
        return "Mẫu tin có dấu ngoặc nhọn lẻ: mỗi chỗ trống viết như {hoc_sinh}."
    return None


def fill_template(template: str, values: dict[str, str]) -> str:
    """The template with each {placeholder} replaced; a placeholder without a value becomes empty."""
    text = _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "")), template)
    return " ".join(text.split())


def backoff_seconds(attempts: int, base: float = 30.0, cap: float = 3600.0) -> float:
    """Wait before the next try after `attempts` failed ones: 30 s, 60 s, 120 s … at most an hour."""
    if attempts <= 0:
        return 0.0
    return min(cap, base * 2 ** (attempts - 1))
