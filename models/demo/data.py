"""A deterministic fictional THCS school (CT GDPT 2018): staff, classes, assignments, students.

Pure data: no database and no Flask. Everything comes from ``random.Random`` seeded with ``seed``
(default 2024), so two runs give equal output. Students are generated per class from a Random
seeded with the seed and the class name, so ``students("7A3")`` does not depend on call order.

The school is drawn for 2024-2025 (``BASE_START_YEAR``) and moved to the year asked for with
``start_year``: birth dates, the birth-year digits of personal IDs and the dates of status events
shift by whole years, so the same people are in the same classes at the same ages in any year.

Invariants (checked by tests/test_demo_data.py):
- 40 classes 6A1…9A10, 40–45 students each; ~70 staff, of whom 3 do not teach;
- every class × subject has exactly one coordinator (``is_coordinator``); two pairs are shared by two
  teachers who split the periods; a teacher's load is ``sum(periods_per_year) / 35`` a week, at
  most ``MAX_WEEKLY_PERIODS``;
- HĐTN-HN of a class is taught by its homeroom teacher, who also teaches it their main subject;
- all text is NFC.
"""
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

DEFAULT_SEED = 2024
BASE_START_YEAR = 2024  # the year the school is drawn for; other years are shifted copies
YEAR_STARTS_ON = date(2024, 9, 5)  # ngày khai giảng of the base year; ages are counted on this day
GRADES = (6, 7, 8, 9)
CLASSES_PER_GRADE = 10
WEEKS_PER_YEAR = 35
# weekly load cap: the norm is 19 periods (heads and homeroom duty earn reductions); 22 is the
# most a school would timetable before hiring
MAX_WEEKLY_PERIODS = 22
# the fixed demo logins; the seed code maps each to the staff member carrying it
DEMO_ACCOUNTS = ("hieutruong", "phohieutruong", "totruong", "giaovien", "chunhiem", "yte", "ketoan", "admin",
                 "giamthi")
PROFILES = ("normal", "weak", "excellent", "often_absent")


# ---------------------------------------------------------------------------------------------
# Data shapes
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DemoSchool:
    name: str
    code: str
    header_line_1: str
    header_line_2: str
    address: str
    level: str
    phone: str
    email: str
    place_name: str  # for "…, ngày … tháng … năm …"


@dataclass(frozen=True, slots=True)
class DemoDepartment:
    code: str
    name: str
    kind: str  # "professional" (tổ chuyên môn) or "office" (tổ văn phòng)
    display_order: int


@dataclass(frozen=True, slots=True)
class DemoSubject:
    code: str
    name: str
    short_name: str  # column header in printed books
    kind: str  # "scored" or "comment"
    department_code: str
    display_order: int
    periods_by_grade: tuple[int, int, int, int]  # periods per school year for grades 6, 7, 8, 9

    def periods(self, grade: int) -> int:
        return self.periods_by_grade[GRADES.index(grade)]


@dataclass(frozen=True, slots=True)
class DemoTeacher:
    """A staff member; non-teaching staff have no subject_codes."""

    username: str
    full_name: str
    gender: str  # "Nam" / "Nữ"
    date_of_birth: date
    phone: str
    personal_id: str
    subject_codes: tuple[str, ...]  # what they teach, main subject first ("HDTN" for homeroom teachers)
    department_code: str
    is_head_of_department: bool
    role: str  # principal, vice_principal, teacher, nurse, accountant, clerk, discipline
    position: str  # chức vụ as printed
    qualification: str
    demo_account: str | None = None

    @property
    def is_teacher(self) -> bool:
        return bool(self.subject_codes)


@dataclass(frozen=True, slots=True)
class DemoClass:
    name: str
    grade: int
    homeroom_teacher: str  # username
    size: int


@dataclass(frozen=True, slots=True)
class DemoAssignment:
    class_name: str
    subject_code: str
    teacher_username: str
    is_coordinator: bool  # exactly one per class × subject; the sole teacher when not shared
    periods_per_year: int  # this teacher's part; the parts of a shared pair add up to the subject's


class StatusEvent(NamedTuple):
    status: str  # chuyen_den, chuyen_di, nghi_hoc, thoi_hoc
    date: date
    reason: str
    other_school: str


@dataclass(frozen=True, slots=True)
class DemoStudent:
    class_name: str
    full_name: str
    gender: str
    date_of_birth: date
    ethnicity: str
    religion: str
    birthplace: str
    permanent_address: str
    current_address: str
    policy_family: bool
    father_name: str  # "" when absent
    father_job: str
    father_phone: str
    mother_name: str
    mother_job: str
    mother_phone: str
    guardian_name: str  # set only when neither parent is listed
    guardian_relationship: str
    guardian_job: str
    guardian_phone: str
    personal_id: str
    profile: str  # PROFILES
    status_events: list[StatusEvent] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# The school, departments and subjects
# ---------------------------------------------------------------------------------------------

SCHOOL = DemoSchool(
    name="Trường THCS Bình Minh",
    code="THCSBM",
    header_line_1="UBND QUẬN TÂN HOÀ",
    header_line_2="PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN TÂN HOÀ",
    address="215 đường Lạc Long Quân, Phường Tân Mỹ, Quận Tân Hoà, TP. Hồ Chí Minh",
    level="thcs",
    phone="028 3861 0215",
    email="thcsbinhminh@example.edu.vn",
    place_name="Tân Hoà",
)

DEPARTMENTS = (
    DemoDepartment("NGU_VAN", "Tổ Ngữ văn", "professional", 1),
    DemoDepartment("SU_DIA_GDCD", "Tổ Lịch sử – Địa lí – GDCD", "professional", 2),
    DemoDepartment("TOAN_TIN", "Tổ Toán – Tin học", "professional", 3),
    DemoDepartment("KHTN_CN", "Tổ Khoa học tự nhiên – Công nghệ", "professional", 4),
    DemoDepartment("NGOAI_NGU", "Tổ Ngoại ngữ", "professional", 5),
    DemoDepartment("NT_THE_CHAT", "Tổ Nghệ thuật – Thể chất", "professional", 6),
    DemoDepartment("VAN_PHONG", "Tổ Văn phòng", "office", 7),
)


def _subject(order: int, code: str, name: str, short: str, kind: str, dept: str,
             periods: int | tuple[int, int, int, int]) -> DemoSubject:
    if isinstance(periods, int):
        periods = (periods,) * 4
    return DemoSubject(code, name, short, kind, dept, order, periods)


# order and periods per year of the 2018 programme for THCS (lớp 6–9)
SUBJECTS = (
    _subject(1, "VAN", "Ngữ văn", "Ngữ văn", "scored", "NGU_VAN", 140),
    _subject(2, "TOAN", "Toán", "Toán", "scored", "TOAN_TIN", 140),
    _subject(3, "NN1", "Ngoại ngữ 1 (Tiếng Anh)", "Tiếng Anh", "scored", "NGOAI_NGU", 105),
    _subject(4, "GDCD", "Giáo dục công dân", "GDCD", "scored", "SU_DIA_GDCD", 35),
    _subject(5, "LSDL", "Lịch sử và Địa lí", "LS&ĐL", "scored", "SU_DIA_GDCD", 105),
    _subject(6, "KHTN", "Khoa học tự nhiên", "KHTN", "scored", "KHTN_CN", 140),
    _subject(7, "CN", "Công nghệ", "Công nghệ", "scored", "KHTN_CN", (35, 35, 35, 52)),
    _subject(8, "TIN", "Tin học", "Tin học", "scored", "TOAN_TIN", 35),
    _subject(9, "GDTC", "Giáo dục thể chất", "GDTC", "comment", "NT_THE_CHAT", 70),
    _subject(10, "NT_AN", "Nghệ thuật (Âm nhạc)", "Âm nhạc", "comment", "NT_THE_CHAT", 35),
    _subject(11, "NT_MT", "Nghệ thuật (Mĩ thuật)", "Mĩ thuật", "comment", "NT_THE_CHAT", 35),
    _subject(12, "HDTN", "Hoạt động trải nghiệm, hướng nghiệp", "HĐTN-HN", "comment", "SU_DIA_GDCD", 105),
    _subject(13, "GDDP", "Nội dung giáo dục của địa phương", "GDĐP", "comment", "SU_DIA_GDCD", 35),
)
SUBJECTS_BY_CODE = {s.code: s for s in SUBJECTS}
COMMENT_ONLY_CODES = frozenset(s.code for s in SUBJECTS if s.kind == "comment")


def subject_periods(code: str, grade: int) -> int:
    """Periods per school year of a subject in a grade (KeyError/ValueError when unknown)."""
    return SUBJECTS_BY_CODE[code].periods(grade)


def class_names() -> list[str]:
    return [f"{g}A{n}" for g in GRADES for n in range(1, CLASSES_PER_GRADE + 1)]


def _parse_class(name: str) -> tuple[int, int]:
    grade, _, number = name.partition("A")
    g, n = int(grade), int(number)
    if g not in GRADES or not 1 <= n <= CLASSES_PER_GRADE or name != f"{g}A{n}":
        raise ValueError(f"no such demo class: {name!r}")
    return g, n


# ---------------------------------------------------------------------------------------------
# Names and places
# ---------------------------------------------------------------------------------------------

def _weighted(spec: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """'Nguyễn:31 Trần:11' -> (names, weights)."""
    pairs = [item.rsplit(":", 1) for item in spec.split()]
    return tuple(p[0].replace("_", " ") for p in pairs), tuple(int(p[1]) for p in pairs)


# a school in the south: Huỳnh and Võ outnumber Hoàng and Vũ
_FAMILY = _weighted(
    "Nguyễn:310 Trần:110 Lê:95 Phạm:70 Huỳnh:40 Hoàng:20 Phan:45 Võ:35 Vũ:10 Đặng:21 Bùi:20 Đỗ:14 "
    "Hồ:13 Ngô:13 Dương:10 Lý:5 Đinh:6 Trương:8 Lâm:5 Mai:5 Đào:4 Lưu:4 Tô:3 Hà:3 Cao:3 Châu:3 "
    "Tạ:2 Thái:2 Lương:3 Kiều:1 Âu:1 Quách:1 La:1 Từ:1 Triệu:1 Tăng:1 Ưng:1"
)
_FAMILY_BY_ETHNICITY = {
    "Hoa": "Lâm Trương Quách Lý Mã Tăng Diệp Hứa Lưu Châu La Ông".split(),
    "Khmer": "Thạch Sơn Kim Danh Lâm Châu Lý".split(),
    "Tày": "Hoàng Nông Lương Bế Đàm Lục Ma".split(),
    "Mường": "Bùi Đinh Quách Hà Cao".split(),
    "Nùng": "Nông Hoàng Lục Vi Lý".split(),
    "Chăm": "Đàng Quảng Thành Thiên Từ".split(),
    "Thái": "Lò Cầm Lường Vi Quàng".split(),
    "Dao": "Triệu Bàn Lý Đặng".split(),
}

# adults (staff, parents: born 1966–2000)
_ADULT_MIDDLE = {
    "Nam": _weighted("Văn:30 Hữu:8 Minh:10 Quốc:8 Đức:7 Thanh:6 Công:5 Hoàng:4 Xuân:3 Ngọc:3 Anh:3 "
                     "Trọng:3 Tấn:4 Thành:3 Phước:2 Duy:2 Trung:2"),
    "Nữ": _weighted("Thị:45 Ngọc:10 Thu:6 Thanh:6 Kim:5 Hoài:3 Mỹ:4 Bích:3 Thuỳ:3 Hồng:4 Minh:3 "
                    "Phương:3 Diễm:1 Tuyết:2 Bảo:1 Như:2"),
}
_ADULT_GIVEN = {
    "Nam": ("Bình Cường Dũng Đạt Đông Giang Hải Hiếu Hoà Hùng Hưng Huy Khải Khánh Khoa Lâm Long Lợi "
            "Lực Minh Nam Nghĩa Nhân Phong Phúc Quang Quân Sơn Tài Tâm Thái Thắng Thành Thịnh Thông "
            "Tiến Toàn Trí Trung Tuấn Tùng Việt Vinh Vũ Hậu Nhơn Tín Kỳ Đức Hoàng Phát Tú Hiệp Định").split(),
    "Nữ": ("An Anh Ánh Bích Châu Chi Diễm Dung Duyên Đào Giang Hà Hạnh Hằng Hiền Hoa Hồng Huệ Huyền "
           "Hương Lan Liên Linh Loan Mai My Nga Ngân Nguyệt Nhung Oanh Phương Phượng Quyên Quỳnh Tâm "
           "Thảo Thơ Thu Thuỷ Thư Trang Trâm Tuyết Uyên Vân Xuân Yến Lệ Nhàn Hậu Diệu Ngọc Thoa").split(),
}
# children born 2009–2013
_CHILD_MIDDLE = {
    "Nam": _weighted("Minh:14 Gia:12 Quốc:7 Đức:6 Hoàng:7 Anh:6 Nhật:6 Văn:4 Hữu:3 Tuấn:4 Thành:4 "
                     "Trung:3 Bảo:6 Đăng:4 Khánh:4 Phúc:3 Thiên:3 Duy:4 Tấn:3 Công:2 Trọng:2 Hải:2 Thanh:3"),
    "Nữ": _weighted("Ngọc:14 Bảo:8 Khánh:7 Minh:6 Gia:6 Thảo:4 Phương:5 Thanh:5 Thu:4 Thị:7 Hoài:3 "
                    "Kim:4 Quỳnh:4 Mai:3 Tuệ:3 Yến:2 Như:3 Diệp:2 Cát:2 Hà:3 Anh:4"),
}
_CHILD_GIVEN = {
    "Nam": ("An Bảo Bình Cường Danh Duy Dũng Đạt Đăng Định Đông Đức Hải Hào Hiếu Hiển Hoàng Huy Hùng Hưng "
            "Khang Khải Khánh Khoa Khôi Kiên Kiệt Lâm Lộc Long Luân Minh Nam Nghĩa Nguyên Nhân Nhật Phát "
            "Phong Phúc Quang Quân Sang Sơn Tài Tâm Thái Thành Thịnh Thuận Tiến Toàn Trí Trọng Trung Tuấn "
            "Tùng Việt Vinh Vũ Vỹ Hậu Lợi Kỳ Ân Uy Thiện Tín Phước Quý Triết Thắng").split(),
    "Nữ": ("An Anh Ánh Bích Châu Chi Diễm Diệp Dung Duyên Đào Giang Hà Hân Hằng Hiền Hoa Huyền Hương "
           "Khánh Khuê Lan Linh Loan Mai My Mỹ Ngân Ngọc Nhi Như Nhung Oanh Phương Phượng Quyên Quỳnh "
           "Tâm Thảo Thơ Thư Thuỷ Trang Trâm Trân Uyên Vân Vy Xuân Yến Ý Hạ Đan Tiên Nguyên Thu").split(),
}

# names that make Vietnamese sorting hard; all go into 6A1, the demo homeroom class
TRICKY_STUDENTS = (
    ("Nguyễn Hoàng An", "Nam"),
    ("Đỗ Ngọc Bảo An", "Nữ"),
    ("Lê Thành An", "Nam"),
    ("Dương Minh Đức", "Nam"),  # D sorts before Đ
    ("Đặng Quốc Dũng", "Nam"),
    ("Phạm Anh Thu", "Nữ"),  # Thu before Thư
    ("Trương Anh Thư", "Nữ"),
    ("Huỳnh Ngọc Quỳnh", "Nữ"),  # Ỳ
    ("Ưng Hoàng Phúc", "Nam"),  # family name starting with Ư
    ("Phan Thanh Sơn", "Nam"),  # Ơ
    ("Lê Ngọc Thơ", "Nữ"),
    ("Trần Lê Bảo Ngọc", "Nữ"),  # four words
)

# (birthplace as written, personal-ID province code)
_PROVINCE_CODE = {
    "TP. Hà Nội": "001", "Cao Bằng": "004", "Lào Cai": "010", "Sơn La": "014", "Yên Bái": "015",
    "Hoà Bình": "017", "Lạng Sơn": "020", "Phú Thọ": "025", "Thái Bình": "034", "Nam Định": "036",
    "Thanh Hoá": "038", "Nghệ An": "040", "Hà Tĩnh": "042", "Thừa Thiên Huế": "046", "Quảng Nam": "049",
    "Quảng Ngãi": "051", "Bình Định": "052", "Ninh Thuận": "058", "Đắk Lắk": "066", "Tây Ninh": "072",
    "Bình Dương": "074", "Đồng Nai": "075", "Bà Rịa – Vũng Tàu": "077", "TP. Hồ Chí Minh": "079",
    "Long An": "080", "Tiền Giang": "082", "Bến Tre": "083", "Trà Vinh": "084", "Vĩnh Long": "086",
    "Đồng Tháp": "087", "An Giang": "089", "Kiên Giang": "091", "TP. Cần Thơ": "092", "Sóc Trăng": "094",
}
_KINH_BIRTHPLACE = _weighted(
    "TP._Hồ_Chí_Minh:700 Tiền_Giang:25 Long_An:25 Bến_Tre:20 Đồng_Tháp:15 An_Giang:15 TP._Cần_Thơ:12 "
    "Vĩnh_Long:10 Đồng_Nai:15 Bình_Dương:12 Bình_Định:15 Quảng_Ngãi:15 Quảng_Nam:12 Nghệ_An:12 "
    "Thanh_Hoá:12 Thái_Bình:8 Nam_Định:8 TP._Hà_Nội:10 Hà_Tĩnh:8 Thừa_Thiên_Huế:8 Đắk_Lắk:8 "
    "Bà_Rịa_–_Vũng_Tàu:8 Tây_Ninh:8 Kiên_Giang:8"
)
_HOMELAND = {
    "Hoa": ["TP. Hồ Chí Minh"],
    "Khmer": ["Sóc Trăng", "Trà Vinh", "Kiên Giang", "An Giang"],
    "Tày": ["Cao Bằng", "Lạng Sơn"],
    "Mường": ["Hoà Bình", "Thanh Hoá", "Phú Thọ"],
    "Nùng": ["Lạng Sơn", "Cao Bằng"],
    "Chăm": ["Ninh Thuận", "An Giang"],
    "Thái": ["Sơn La", "Nghệ An"],
    "Dao": ["Lào Cai", "Yên Bái"],
}
_ETHNICITY = _weighted("Kinh:930 Hoa:35 Khmer:12 Tày:6 Mường:5 Nùng:4 Chăm:3 Thái:2 Dao:2")
_RELIGION = _weighted("Không:78 Phật_giáo:13 Công_giáo:6 Tin_lành:1 Cao_Đài:1 Hoà_Hảo:1")

# the district and its wards are fictional; the street names are the usual national ones
DISTRICT = "Quận Tân Hoà"
CITY = "TP. Hồ Chí Minh"
_WARDS = ("Phường Tân Mỹ", "Phường Tân Hoà", "Phường Hoà Lợi", "Phường Phú Thạnh", "Phường Bình An")
_NEIGHBOUR_DISTRICT = "Quận Bình Xuân"
_NEIGHBOUR_WARDS = ("Phường Xuân Hiệp", "Phường Bình Khánh")
_STREETS = (
    "Lạc Long Quân", "Âu Cơ", "Lý Thường Kiệt", "Tô Hiến Thành", "Nguyễn Trãi", "Trần Hưng Đạo",
    "Hoàng Văn Thụ", "Lê Văn Sỹ", "Phan Đình Phùng", "Đinh Tiên Hoàng", "Ưng Văn Khiêm", "Bà Hạt",
    "Ỷ Lan", "Nguyễn Thị Minh Khai", "Hai Bà Trưng", "Lê Quang Định", "Phạm Văn Đồng", "Cách Mạng Tháng Tám",
    "Đường số 7", "Đường số 12", "Trương Công Định", "Huỳnh Tấn Phát", "Võ Thị Sáu", "Đặng Thai Mai",
)

_FATHER_JOBS = _weighted(
    "Công_nhân:22 Kinh_doanh:12 Buôn_bán:10 Tài_xế:9 Kỹ_sư:6 Lao_động_tự_do:10 Thợ_hồ:5 Thợ_điện:4 "
    "Nhân_viên_văn_phòng:7 Giáo_viên:2 Công_an:2 Bộ_đội:1 Bảo_vệ:3 Nông_dân:2 Bác_sĩ:1 Đầu_bếp:2 Công_chức:2"
)
_MOTHER_JOBS = _weighted(
    "Công_nhân:22 Nội_trợ:14 Buôn_bán:14 Kinh_doanh:10 Nhân_viên_văn_phòng:9 Thợ_may:5 Giáo_viên:4 "
    "Kế_toán:4 Lao_động_tự_do:8 Điều_dưỡng:2 Công_chức:2 Nông_dân:2 Bác_sĩ:1"
)
_GUARDIANS = (  # relationship, gender, shares the student's family name
    ("Bà nội", "Nữ", False), ("Ông nội", "Nam", True), ("Bà ngoại", "Nữ", False),
    ("Ông ngoại", "Nam", False), ("Cô ruột", "Nữ", True), ("Dì ruột", "Nữ", False), ("Chú ruột", "Nam", True),
)
_PHONE_PREFIXES = (
    "090 091 093 094 096 097 098 032 033 034 035 036 037 038 039 081 082 083 084 085 086 088 089"
).split()


def _pick(rng: random.Random, weighted: tuple[tuple[str, ...], tuple[int, ...]]) -> str:
    return rng.choices(weighted[0], weighted[1])[0]


def _adult_name(rng: random.Random, gender: str, family: str | None = None) -> str:
    family = family or _pick(rng, _FAMILY)
    while True:
        middle = _pick(rng, _ADULT_MIDDLE[gender])
        given = rng.choice(_ADULT_GIVEN[gender])
        if _ascii_fold(given) != _ascii_fold(middle):  # not "Phương Phượng"
            return f"{family} {middle} {given}"


def _child_name(rng: random.Random, gender: str, family: str, mother_family: str | None) -> str:
    while True:
        middle = _pick(rng, _CHILD_MIDDLE[gender])
        given = rng.choice(_CHILD_GIVEN[gender])
        if _ascii_fold(given) == _ascii_fold(middle):
            continue
        # about one in ten carries the mother's family name too: "Nguyễn Lê Minh Khôi"
        if mother_family and mother_family != family and rng.random() < 0.10:
            return f"{family} {mother_family} {middle} {given}"
        return f"{family} {middle} {given}"


def _phone(rng: random.Random) -> str:
    return rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}"


def _personal_id(province_code: str, gender: str, born: date, tail: str) -> str:
    """Số định danh cá nhân: province, century-and-gender digit, birth year (2 digits), 6 digits."""
    century = 0 if born.year < 2000 else 2
    return f"{province_code}{century + (gender == 'Nữ')}{born.year % 100:02d}{tail}"


def _ascii_fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def username_for(full_name: str, taken: set[str] | frozenset[str]) -> str:
    """'Nguyễn Thị Lan' -> 'nguyenthilan', or 'nguyenthilan2', 3… when taken."""
    base = "".join(ch for ch in _ascii_fold(full_name).lower() if ch.isascii() and ch.isalnum())
    candidate, n = base, 1
    while candidate in taken or candidate in DEMO_ACCOUNTS:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _birth_date(rng: random.Random, age: int) -> date:
    """A birthday giving exactly `age` on YEAR_STARTS_ON."""
    latest = date(YEAR_STARTS_ON.year - age, YEAR_STARTS_ON.month, YEAR_STARTS_ON.day)
    return latest - timedelta(days=rng.randrange(365))


# ---------------------------------------------------------------------------------------------
# Staff roster and teaching assignments
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Spec:
    department: str
    quotas: tuple[tuple[str, int], ...] = ()  # subject -> number of classes
    homeroom: bool = False
    role: str = "teacher"
    demo: str | None = None
    head: bool = False
    pref_grade: int | None = None
    major: str = ""  # field of the teacher's degree


def _specs() -> list[_Spec]:
    """The roster, sized so each subject's classes add up to exactly 40 (see _check_quotas)."""
    S = _Spec
    van, toan, tin, khtn, cn = "Ngữ văn", "Toán học", "Tin học", "Khoa học tự nhiên", "Công nghệ"
    out: list[_Spec] = []
    # Ngữ văn: 40 classes
    out += [S("NGU_VAN", (("VAN", 1),), role="vice_principal", demo="phohieutruong", major=van)]
    out += [S("NGU_VAN", (("VAN", 4),), head=True, major=van)]
    out += [S("NGU_VAN", (("VAN", 4),), homeroom=True, demo="chunhiem", major=van)]
    out += [S("NGU_VAN", (("VAN", 4),), homeroom=True, major=van)] * 7
    out += [S("NGU_VAN", (("VAN", 3),), homeroom=True, major=van)]
    # Toán – Tin: Toán 40, Tin 40
    out += [S("TOAN_TIN", (("TOAN", 4),), head=True, demo="totruong", major=toan)]
    out += [S("TOAN_TIN", (("TOAN", 4),), demo="giaovien", major=toan)]
    out += [S("TOAN_TIN", (("TOAN", 4),), homeroom=True, major=toan)] * 6
    out += [S("TOAN_TIN", (("TOAN", 4), ("TIN", 3)), major="Toán – Tin")] * 2
    out += [S("TOAN_TIN", (("TIN", 17),), major=tin)] * 2
    # KHTN – Công nghệ: KHTN 40, CN 40 (grade 9 CN goes to one teacher: 52 periods there)
    out += [S("KHTN_CN", (("KHTN", 1),), role="vice_principal", major=khtn)]
    out += [S("KHTN_CN", (("KHTN", 4),), head=True, major=khtn)]
    out += [S("KHTN_CN", (("KHTN", 4),), homeroom=True, major=khtn)] * 4
    out += [S("KHTN_CN", (("KHTN", 3),), homeroom=True, major=khtn)]
    out += [S("KHTN_CN", (("KHTN", 4), ("CN", 3)), major=khtn)] * 4
    out += [S("KHTN_CN", (("CN", 12),), pref_grade=9, major=cn)]
    out += [S("KHTN_CN", (("CN", 16),), homeroom=True, major=cn)]
    # Ngoại ngữ: 40
    out += [S("NGOAI_NGU", (("NN1", 5),), head=True, major="Tiếng Anh")]
    out += [S("NGOAI_NGU", (("NN1", 5),), homeroom=True, major="Tiếng Anh")] * 6
    out += [S("NGOAI_NGU", (("NN1", 5),), major="Tiếng Anh")]
    # Lịch sử – Địa lí – GDCD: LSDL 40, GDCD 40, GDĐP 40 (HĐTN goes to homeroom teachers)
    out += [S("SU_DIA_GDCD", (("GDCD", 2),), role="principal", demo="hieutruong", major="Giáo dục chính trị")]
    out += [S("SU_DIA_GDCD", (("LSDL", 4), ("GDDP", 3)), head=True, major="Lịch sử")]
    out += [S("SU_DIA_GDCD", (("LSDL", 4), ("GDDP", 3)), homeroom=True)] * 7
    out += [S("SU_DIA_GDCD", (("LSDL", 4), ("GDDP", 4)))] * 2
    out += [S("SU_DIA_GDCD", (("GDCD", 12), ("GDDP", 3)), homeroom=True, major="Giáo dục chính trị")] * 2
    out += [S("SU_DIA_GDCD", (("GDCD", 14), ("GDDP", 2)), major="Giáo dục chính trị")]
    # Nghệ thuật – Thể chất: GDTC 40, Âm nhạc 40, Mĩ thuật 40
    out += [S("NT_THE_CHAT", (("GDTC", 8),), head=True, major="Giáo dục thể chất")]
    out += [S("NT_THE_CHAT", (("GDTC", 8),), homeroom=True, major="Giáo dục thể chất")] * 2
    out += [S("NT_THE_CHAT", (("GDTC", 8),), major="Giáo dục thể chất")] * 2
    out += [S("NT_THE_CHAT", (("NT_AN", 13),), homeroom=True, major="Âm nhạc")]
    out += [S("NT_THE_CHAT", (("NT_AN", 14),), major="Âm nhạc"), S("NT_THE_CHAT", (("NT_AN", 13),), major="Âm nhạc")]
    out += [S("NT_THE_CHAT", (("NT_MT", 13),), homeroom=True, major="Mĩ thuật")]
    out += [S("NT_THE_CHAT", (("NT_MT", 14),), major="Mĩ thuật"), S("NT_THE_CHAT", (("NT_MT", 13),), major="Mĩ thuật")]
    # office
    out += [S("VAN_PHONG", role="nurse", demo="yte", major="Điều dưỡng")]
    out += [S("VAN_PHONG", role="accountant", demo="ketoan", head=True, major="Kế toán")]
    out += [S("VAN_PHONG", role="clerk", demo="admin", major="Quản trị văn phòng")]

    # KHTN and LSDL teachers come from single-science degrees: spread them evenly
    sciences = iter(("Vật lí", "Hoá học", "Sinh học") * 5)
    humanities = iter(("Lịch sử", "Địa lí") * 6)
    result = []
    for s in out:
        main = s.quotas[0][0] if s.quotas else ""
        if main == "KHTN" and s.role == "teacher":
            s = replace(s, major=next(sciences))
        elif main == "LSDL" and not s.major:
            s = replace(s, major=next(humanities))
        result.append(s)
    return result


_POSITIONS = {
    "principal": "Hiệu trưởng", "vice_principal": "Phó Hiệu trưởng", "teacher": "Giáo viên",
    "nurse": "Nhân viên y tế", "accountant": "Kế toán", "clerk": "Văn thư", "discipline": "Giám thị",
}


def _check_quotas(specs: list[_Spec]) -> None:
    total = {s.code: 0 for s in SUBJECTS if s.code != "HDTN"}
    for spec in specs:
        for code, n in spec.quotas:
            total[code] += n
    wrong = {c: n for c, n in total.items() if n != len(GRADES) * CLASSES_PER_GRADE}
    homerooms = sum(s.homeroom for s in specs)
    if wrong or homerooms != len(GRADES) * CLASSES_PER_GRADE:
        raise RuntimeError(f"demo roster does not cover the classes: {wrong}, {homerooms} homerooms")


def _qualification(rng: random.Random, spec: _Spec, age: int) -> str:
    if spec.role == "nurse":
        return "Cao đẳng Điều dưỡng"
    if spec.role in ("accountant", "clerk"):
        return f"Đại học {spec.major}"
    roll = rng.random()
    if spec.role in ("principal", "vice_principal") or roll < 0.12:
        return f"Thạc sĩ Lí luận và phương pháp dạy học bộ môn {spec.major}"
    if age >= 48 and roll < 0.40:
        return f"Cao đẳng Sư phạm {spec.major}"
    return f"Đại học Sư phạm {spec.major}"


def _teacher_age(rng: random.Random, spec: _Spec) -> int:
    if spec.role == "principal":
        return rng.randint(50, 56)
    if spec.role == "vice_principal":
        return rng.randint(43, 53)
    if spec.head:
        return rng.randint(38, 54)
    return max(24, min(58, int(rng.triangular(24, 58, 36))))


class _Staffing(NamedTuple):
    teachers: tuple[DemoTeacher, ...]
    classes: tuple[DemoClass, ...]
    assignments: tuple[DemoAssignment, ...]


def _class_rng(seed: int, class_name: str) -> random.Random:
    # a str seed is hashed with sha512 by random.seed, so this is stable across runs
    return random.Random(f"sotruong-demo:{seed}:{class_name}")


def _class_size(seed: int, class_name: str) -> int:
    return _class_rng(seed, class_name).randint(40, 45)


@lru_cache(maxsize=4)
def _staffing(seed: int) -> _Staffing:
    rng = random.Random(seed)
    specs = _specs()
    _check_quotas(specs)

    # people
    people: list[DemoTeacher] = []
    taken_names: set[str] = set()
    taken_users: set[str] = set()
    taken_phones: set[str] = set()
    for i, spec in enumerate(specs):
        female_share = 0.5 if spec.role in ("principal", "vice_principal") else 0.7
        gender = "Nữ" if spec.role == "nurse" or rng.random() < female_share else "Nam"
        name = _adult_name(rng, gender)
        while name in taken_names:
            name = _adult_name(rng, gender)
        taken_names.add(name)
        username = username_for(name, taken_users)
        taken_users.add(username)
        age = _teacher_age(rng, spec)
        born = _birth_date(rng, age)
        phone = _phone(rng)
        while phone in taken_phones:
            phone = _phone(rng)
        taken_phones.add(phone)
        province = _pick(rng, _KINH_BIRTHPLACE)
        # the middle digits encode the roster position, scrambled, so staff IDs are unique
        tail = f"{rng.randrange(10)}{i * 7919 % 10000:04d}{rng.randrange(10)}"
        subjects = tuple(code for code, _ in spec.quotas) + (("HDTN",) if spec.homeroom else ())
        position = _POSITIONS[spec.role]
        if spec.head and spec.role == "teacher":
            position = "Tổ trưởng chuyên môn"
        elif spec.head:
            position = f"{position}, Tổ trưởng Tổ Văn phòng"
        people.append(DemoTeacher(
            username=username, full_name=name, gender=gender, date_of_birth=born, phone=phone,
            personal_id=_personal_id(_PROVINCE_CODE[province], gender, born, tail),
            subject_codes=subjects, department_code=spec.department, is_head_of_department=spec.head,
            role=spec.role, position=position, qualification=_qualification(rng, spec, age),
            demo_account=spec.demo,
        ))

    # homeroom classes: deal homeroom teachers out to grades round-robin (grouped by subject, so
    # every grade gets a mix), then shuffle class numbers inside each grade; chunhiem gets 6A1
    homeroom_idx = sorted(
        (i for i, s in enumerate(specs) if s.homeroom),
        key=lambda i: (specs[i].demo != "chunhiem", SUBJECTS_BY_CODE[specs[i].quotas[0][0]].display_order, i),
    )
    by_grade: dict[int, list[int]] = {g: [] for g in GRADES}
    for k, i in enumerate(homeroom_idx):
        by_grade[GRADES[k % len(GRADES)]].append(i)
    homeroom_of: dict[int, str] = {}
    for g, members in by_grade.items():
        first, rest = (members[0], members[1:]) if g == 6 else (None, members)
        numbers = list(range(2 if first is not None else 1, CLASSES_PER_GRADE + 1))
        rng.shuffle(numbers)
        if first is not None:
            homeroom_of[first] = f"{g}A1"
        for i, n in zip(rest, numbers, strict=True):
            homeroom_of[i] = f"{g}A{n}"

    names = class_names()
    grade_of = {c: _parse_class(c)[0] for c in names}
    number_of = {c: _parse_class(c)[1] for c in names}
    teacher_of: dict[tuple[str, str], int] = {}
    for i, c in homeroom_of.items():
        teacher_of[(c, "HDTN")] = i

    for subject in SUBJECTS:
        code = subject.code
        if code == "HDTN":
            continue
        remaining = {i: n for i, s in enumerate(specs) for c, n in s.quotas if c == code}
        # a homeroom teacher teaches their own class their main subject
        for i in remaining:
            if i in homeroom_of and specs[i].quotas[0][0] == code:
                teacher_of[(homeroom_of[i], code)] = i
                remaining[i] -= 1
        order = sorted(remaining, key=lambda i: (specs[i].pref_grade is None, -remaining[i], i))
        for i in order:
            free = [c for c in names if (c, code) not in teacher_of]
            if specs[i].pref_grade:
                pref = specs[i].pref_grade
            elif i in homeroom_of:
                pref = grade_of[homeroom_of[i]]
            else:  # the grade with most classes still open
                open_count = {g: sum(grade_of[c] == g for c in free) for g in GRADES}
                pref = max(GRADES, key=lambda g: (open_count[g], -g))
            free.sort(key=lambda c: (abs(grade_of[c] - pref), grade_of[c], number_of[c]))
            for c in free[:remaining[i]]:
                teacher_of[(c, code)] = i

    rows: dict[tuple[str, str], list[DemoAssignment]] = {}
    for (c, code), i in teacher_of.items():
        periods = subject_periods(code, grade_of[c])
        rows[(c, code)] = [DemoAssignment(c, code, people[i].username, True, periods)]

    # two pairs shared by teachers of different backgrounds (TNT (docs/rules.md), 4.1): the coordinator keeps
    # part of the periods; the partner is the least loaded colleague of the other specialism
    def load(username: str) -> float:
        return sum(a.periods_per_year for r in rows.values() for a in r if a.teacher_username == username)

    for code, grade, partner_major in (("KHTN", 8, "Sinh học"), ("LSDL", 9, "Địa lí")):
        candidates = [c for c in names if grade_of[c] == grade]
        c = rng.choice(candidates)
        lead = rows[(c, code)][0]
        lead_major = specs[next(i for i, p in enumerate(people) if p.username == lead.teacher_username)].major
        partners = [
            p for p, s in zip(people, specs, strict=True)
            if s.role == "teacher" and code in p.subject_codes and s.major != lead_major
            and (s.major == partner_major or lead_major == partner_major)
        ]
        partner = min(partners, key=lambda p: (load(p.username), p.username))
        total = lead.periods_per_year
        rows[(c, code)] = [
            replace(lead, periods_per_year=total - total // 2),
            DemoAssignment(c, code, partner.username, False, total // 2),
        ]

    ordered = tuple(a for c in names for s in SUBJECTS for a in rows[(c, s.code)])
    homeroom_user = {c: people[i].username for i, c in homeroom_of.items()}
    klasses = tuple(
        DemoClass(c, grade_of[c], homeroom_user[c], _class_size(seed, c)) for c in names
    )
    # the giám thị comes last, drawn from their own generator: the rest of the staff and classes stay as they were
    return _Staffing(tuple(people) + (_discipline_officer(seed, people),), klasses, ordered)


def _discipline_officer(seed: int, people: list[DemoTeacher]) -> DemoTeacher:
    """The giám thị (ban thi đua) of the office, holding the demo login giamthi."""
    rng = random.Random(f"{seed}:giamthi")
    gender = "Nam"
    taken = {p.full_name for p in people}
    name = _adult_name(rng, gender)
    while name in taken:
        name = _adult_name(rng, gender)
    born = _birth_date(rng, 38)
    phone = _phone(rng)
    while phone in {p.phone for p in people}:
        phone = _phone(rng)
    tail = f"{rng.randrange(10)}{len(people) * 7919 % 10000:04d}{rng.randrange(10)}"
    return DemoTeacher(
        username=username_for(name, {p.username for p in people}), full_name=name, gender=gender,
        date_of_birth=born, phone=phone, personal_id=_personal_id("001", gender, born, tail),
        subject_codes=(), department_code="VAN_PHONG", is_head_of_department=False, role="discipline",
        position=_POSITIONS["discipline"], qualification="Đại học Sư phạm Giáo dục chính trị", demo_account="giamthi")


def _shift_date(day: date, years: int) -> date:
    """The same day `years` later (29/02 becomes 28/02 in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _moved(person, years: int):
    """A teacher or student of the base year as they are `years` later: born later, same age."""
    if not years:
        return person
    born = _shift_date(person.date_of_birth, years)
    changes = {"date_of_birth": born,
               "personal_id": _personal_id(person.personal_id[:3], person.gender, born, person.personal_id[-6:])}
    if isinstance(person, DemoStudent):
        changes["status_events"] = [e._replace(date=_shift_date(e.date, years)) for e in person.status_events]
    return replace(person, **changes)


def teachers(seed: int = DEFAULT_SEED, start_year: int = BASE_START_YEAR) -> list[DemoTeacher]:
    """All staff, teaching and not (nurse, accountant, clerk have no subject), as in the year `start_year`."""
    return [_moved(t, start_year - BASE_START_YEAR) for t in _staffing(seed).teachers]


def classes(seed: int = DEFAULT_SEED) -> list[DemoClass]:
    """The 40 classes 6A1…9A10 with homeroom teacher (username) and size."""
    return list(_staffing(seed).classes)


def assignments(seed: int = DEFAULT_SEED) -> list[DemoAssignment]:
    """Class × subject × teacher, ordered by class then subject; shared pairs list the coordinator first."""
    return list(_staffing(seed).assignments)


def weekly_periods(seed: int = DEFAULT_SEED) -> dict[str, float]:
    """Teaching load per username in periods a week (periods per year / 35); 0 for non-teaching staff."""
    load = {t.username: 0.0 for t in _staffing(seed).teachers}
    for a in _staffing(seed).assignments:
        load[a.teacher_username] += a.periods_per_year / WEEKS_PER_YEAR
    return load


def demo_account_holders(seed: int = DEFAULT_SEED) -> dict[str, DemoTeacher]:
    """Demo login -> the staff member it is mapped to."""
    return {t.demo_account: t for t in _staffing(seed).teachers if t.demo_account}


# ---------------------------------------------------------------------------------------------
# Students
# ---------------------------------------------------------------------------------------------

class _Events(NamedTuple):
    transfer_out: tuple[str, int]  # class, position in its list
    transfer_in: tuple[str, int]


@lru_cache(maxsize=4)
def _events(seed: int) -> _Events:
    rng = random.Random(f"sotruong-demo:{seed}:events")
    out_class = f"{rng.choice((7, 8))}A{rng.randint(2, CLASSES_PER_GRADE)}"
    in_class = f"{rng.choice((6, 9))}A{rng.randint(2, CLASSES_PER_GRADE)}"
    return _Events(
        (out_class, rng.randrange(_class_size(seed, out_class))),
        (in_class, rng.randrange(_class_size(seed, in_class))),
    )


_TRANSFER_OUT = StatusEvent(
    "chuyen_di", date(2024, 11, 18), "Gia đình chuyển nơi cư trú về quê",
    "Trường THCS Long Thạnh Đông, huyện Tân Phước Tây, tỉnh Tiền Giang",
)
_TRANSFER_IN = StatusEvent(
    "chuyen_den", date(2025, 2, 17), "Theo cha mẹ chuyển nơi làm việc",
    "Trường THCS Hưng Lộc Thượng, huyện Long Điền Tây, tỉnh Long An",
)


def _address(rng: random.Random) -> str:
    street = rng.choice(_STREETS)
    number = rng.randint(1, 480)
    house = f"{number}/{rng.randint(1, 60)}" if rng.random() < 0.55 else str(number)
    if rng.random() < 0.12:
        house = f"{house}/{rng.randint(1, 20)}"  # hẻm in hẻm
    if rng.random() < 0.08:
        return f"{house} {street}, {rng.choice(_NEIGHBOUR_WARDS)}, {_NEIGHBOUR_DISTRICT}, {CITY}"
    return f"{house} {street}, {rng.choice(_WARDS)}, {DISTRICT}, {CITY}"


def _student_birth(rng: random.Random, grade: int) -> date:
    year = 2019 - grade - (1 if rng.random() < 0.03 else 0)  # a few started late or repeated a year
    start = date(year, 1, 1)
    return start + timedelta(days=rng.randrange((date(year + 1, 1, 1) - start).days))


def students(class_name: str, seed: int = DEFAULT_SEED, start_year: int = BASE_START_YEAR) -> list[DemoStudent]:
    """The class list of one class in the year `start_year`, in enrolment order (not sorted)."""
    return [_moved(s, start_year - BASE_START_YEAR) for s in _base_students(class_name, seed)]


def _base_students(class_name: str, seed: int) -> list[DemoStudent]:
    grade, number = _parse_class(class_name)
    rng = _class_rng(seed, class_name)
    size = rng.randint(40, 45)  # the same first draw as _class_size
    class_index = (grade - GRADES[0]) * CLASSES_PER_GRADE + number - 1

    tricky = list(TRICKY_STUDENTS) if class_name == "6A1" else []
    tricky_at = dict(zip(rng.sample(range(size), len(tricky)), tricky, strict=True))

    out: list[DemoStudent] = []
    full_names: set[str] = set()
    for k in range(size):
        forced = tricky_at.get(k)
        gender = forced[1] if forced else rng.choice(("Nam", "Nữ"))
        ethnicity = "Kinh" if forced else _pick(rng, _ETHNICITY)
        if forced:
            family = forced[0].split()[0]
        elif ethnicity == "Kinh":
            family = _pick(rng, _FAMILY)
        else:
            family = rng.choice(_FAMILY_BY_ETHNICITY[ethnicity])
        mother_family = _pick(rng, _FAMILY)
        name = forced[0] if forced else _child_name(rng, gender, family, mother_family)
        while name in full_names or (not forced and name in {t[0] for t in TRICKY_STUDENTS}):
            name = _child_name(rng, gender, family, mother_family)
        full_names.add(name)

        born = _student_birth(rng, grade)
        if ethnicity == "Kinh" or rng.random() < 0.5:
            birthplace = _pick(rng, _KINH_BIRTHPLACE) if ethnicity == "Kinh" else "TP. Hồ Chí Minh"
        else:
            birthplace = rng.choice(_HOMELAND[ethnicity])
        religion = _pick(rng, _RELIGION)
        if ethnicity == "Khmer":
            religion = "Phật giáo"
        address = _address(rng)
        current = address if rng.random() < 0.9 else _address(rng)

        father = mother = guardian = ("", "", "")
        relationship = ""
        household = rng.random()
        if household < 0.03:  # grandparents or an aunt/uncle bring the child up
            relationship, g_gender, same_family = rng.choice(_GUARDIANS)
            g_job = "Hưu trí" if relationship.startswith(("Ông", "Bà")) else _pick(rng, _MOTHER_JOBS)
            guardian = (_adult_name(rng, g_gender, family if same_family else None), g_job, _phone(rng))
        else:
            if not 0.045 <= household < 0.105:  # 6 % live with their mother only
                father = (_adult_name(rng, "Nam", family), _pick(rng, _FATHER_JOBS), _phone(rng))
            if not 0.03 <= household < 0.045:  # 1.5 % with their father only
                mother = (_adult_name(rng, "Nữ", mother_family), _pick(rng, _MOTHER_JOBS), _phone(rng))

        # unique inside the school: the 4 middle digits encode class and position, scrambled
        serial = (class_index * 50 + k) * 7919 % 10000
        tail = f"{rng.randrange(10)}{serial:04d}{rng.randrange(10)}"
        out.append(DemoStudent(
            class_name=class_name, full_name=name, gender=gender, date_of_birth=born,
            ethnicity=ethnicity, religion=religion, birthplace=birthplace,
            permanent_address=address, current_address=current, policy_family=rng.random() < 0.03,
            father_name=father[0], father_job=father[1], father_phone=father[2],
            mother_name=mother[0], mother_job=mother[1], mother_phone=mother[2],
            guardian_name=guardian[0], guardian_relationship=relationship,
            guardian_job=guardian[1], guardian_phone=guardian[2],
            personal_id=_personal_id(_PROVINCE_CODE[birthplace], gender, born, tail),
            profile="normal",
        ))

    # status history: the chosen students keep a normal profile
    events = _events(seed)
    moved: set[int] = set()
    for (c, k), event in ((events.transfer_out, _TRANSFER_OUT), (events.transfer_in, _TRANSFER_IN)):
        if c == class_name:
            moved.add(k)
            s = out[k]
            if event.status == "chuyen_den":  # came from Long An: born there too
                pid = _personal_id(_PROVINCE_CODE["Long An"], s.gender, s.date_of_birth, s.personal_id[-6:])
                s = replace(s, birthplace="Long An", personal_id=pid)
            out[k] = replace(s, status_events=[event])

    open_positions = [k for k in range(size) if k not in moved]
    counts = (("weak", rng.randint(2, 4)), ("excellent", rng.randint(2, 5)), ("often_absent", rng.randint(1, 3)))
    picks = iter(rng.sample(open_positions, sum(n for _, n in counts)))
    for profile, n in counts:
        for _ in range(n):
            k = next(picks)
            out[k] = replace(out[k], profile=profile)
    return out


def all_students(seed: int = DEFAULT_SEED, start_year: int = BASE_START_YEAR) -> dict[str, list[DemoStudent]]:
    """Every class's list, keyed by class name."""
    return {c: students(c, seed, start_year) for c in class_names()}
