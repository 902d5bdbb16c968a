"""The homeroom book (sổ chủ nhiệm, seed 002 Điều 4.4; seed 004 B.III.8): what the class's homeroom teacher keeps
of the year. Two kinds of content:

- sections, one text each, edited in place with an optimistic version (two editors never overwrite each other):
  the class committee (ban cán sự), the year's plan and review, each month's plan and review;
- dated notes, added and kept (a mistake is put right by a later note): the weekly class meeting (sinh hoạt lớp),
  the parents' meetings (with how many families came), contacts with families, students' progress notes.

The class profile (sĩ số, boys and girls, ethnic minorities, policy families, students needing attention) is not
typed: profile() computes it from the class list, attendance and conduct records.
"""
from dataclasses import dataclass
from datetime import date, datetime

from peewee import JOIN, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField, fn

from models.attendance.register import AttendanceMark
from models.audit.log import record
from models.core import BaseModel, KeptModel, write_transaction
from models.discipline.conduct import tallies, year_bounds
from models.people.records import Student
from models.school.structure import SchoolClass, class_roster

# section kind → label; "month_*" sections have a period yyyy-mm, the others none
SECTIONS = {
    "committee": "Ban cán sự lớp",
    "year_plan": "Kế hoạch chủ nhiệm năm học",
    "year_review": "Đánh giá, tổng kết công tác chủ nhiệm năm học",
    "month_plan": "Kế hoạch tháng",
    "month_review": "Nhận xét, đánh giá tháng",
}
YEAR_SECTIONS = ("committee", "year_plan", "year_review")
MONTH_SECTIONS = ("month_plan", "month_review")
NOTES = {
    "class_meeting": "Sinh hoạt lớp",
    "parents_meeting": "Họp cha mẹ học sinh",
    "family_contact": "Liên hệ với gia đình",
    "progress": "Theo dõi sự tiến bộ của học sinh",
}
CONTACT_CHANNELS = ("Gặp trực tiếp", "Điện thoại", "Tin nhắn", "Thăm gia đình", "Sổ liên lạc")
MAX_TEXT = 5000
# a student needs attention from this many violations in the year, or this many unexcused absent sessions
ATTENTION_VIOLATIONS = 3
ATTENTION_UNEXCUSED = 3


class StaleSection(Exception):
    """Someone saved the section since the form was opened."""


class HomeroomBookSection(BaseModel):
    school_class = ForeignKeyField(SchoolClass, backref="+")
    kind = CharField(max_length=16)  # SECTIONS
    period = CharField(max_length=7, default="")  # yyyy-mm for a month's section
    text = TextField(default="")
    version = IntegerField(default=0)
    updated_at = DateTimeField(null=True)
    updated_by = IntegerField(null=True)

    class Meta:
        indexes = ((("school_class", "kind", "period"), True),)


class HomeroomNote(KeptModel):
    school_class = ForeignKeyField(SchoolClass, backref="+")
    kind = CharField(max_length=16)  # NOTES
    day = DateField()
    student = ForeignKeyField(Student, null=True, backref="+")
    channel = CharField(max_length=40, default="")  # a family contact's channel; a meeting's topic
    present = IntegerField(null=True)  # parents' meeting: families who came
    expected = IntegerField(null=True)  # parents' meeting: families invited
    text = TextField()
    entered_by = IntegerField(null=True)
    entered_at = DateTimeField(default=datetime.now)

    class Meta:
        indexes = ((("school_class", "kind", "day"), False),)

    @property
    def kind_label(self) -> str:
        return NOTES.get(self.kind, self.kind)


def year_months(school_class: SchoolClass) -> list[str]:
    """yyyy-mm of every month of the class's school year (from its semesters)."""
    bounds = year_bounds(school_class.year)
    if bounds is None:
        return []
    (first, last), months = bounds, []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


# --- sections ----------------------------------------------------------------------------------------------

def _section_key(kind: str, period: str) -> str:
    if kind not in SECTIONS:
        raise ValueError("Mục sổ chủ nhiệm không hợp lệ.")
    if kind in MONTH_SECTIONS:
        if len(period) != 7 or period[4] != "-" or not (period[:4] + period[5:]).isdigit() \
                or not 1 <= int(period[5:]) <= 12:
            raise ValueError("Chọn tháng của kế hoạch, nhận xét.")
        return period
    return ""


def section(school_class: SchoolClass, kind: str, period: str = "") -> HomeroomBookSection:
    """The section (an unsaved empty one, version 0, if nothing was written yet)."""
    period = _section_key(kind, period)
    found = HomeroomBookSection.get_or_none((HomeroomBookSection.school_class == school_class)
                                            & (HomeroomBookSection.kind == kind)
                                            & (HomeroomBookSection.period == period))
    return found or HomeroomBookSection(school_class=school_class, kind=kind, period=period, text="", version=0)


def save_section(school_class: SchoolClass, kind: str, period: str, text: str, version: int,
                 user=None) -> HomeroomBookSection:
    """Write a section if nobody saved it since `version` (StaleSection otherwise)."""
    period = _section_key(kind, period)
    text = (text or "").strip().replace("\r\n", "\n")
    if len(text) > MAX_TEXT:
        raise ValueError(f"Nội dung: tối đa {MAX_TEXT} kí tự.")
    with write_transaction():
        current = section(school_class, kind, period)
        if current.version != version:
            raise StaleSection("Mục này vừa được người khác lưu; tải lại trang để xem bản mới rồi sửa lại.")
        if current.text == text:
            return current
        now = datetime.now()
        before = {"text": current.text} if current.id is not None else None
        if current.id is None:
            current = HomeroomBookSection.create(school_class=school_class, kind=kind, period=period, text=text,
                                                 version=1, updated_at=now, updated_by=getattr(user, "id", None))
        else:
            (HomeroomBookSection.update(text=text, version=HomeroomBookSection.version + 1, updated_at=now,
                                        updated_by=getattr(user, "id", None))
             .where(HomeroomBookSection.id == current.id).execute())
        record("update", "homeroom_book", f"{school_class.id}/{kind}/{period}",
               before=before, after={"text": text})
    return section(school_class, kind, period)


def sections_of(school_class: SchoolClass) -> dict[tuple[str, str], HomeroomBookSection]:
    """(kind, period) → section, for every section written."""
    return {(s.kind, s.period): s for s in
            HomeroomBookSection.select().where(HomeroomBookSection.school_class == school_class)}


# --- notes -------------------------------------------------------------------------------------------------

def add_note(school_class: SchoolClass, kind: str, day: date, text: str, *, student: Student | None = None,
             channel: str = "", present: int | None = None, expected: int | None = None, user=None,
             today: date | None = None) -> HomeroomNote:
    """Add a dated note; ValueError (Vietnamese) for what is missing or impossible."""
    today = today or date.today()
    if kind not in NOTES:
        raise ValueError("Loại ghi chép không hợp lệ.")
    if day > today:
        raise ValueError("Không ghi cho ngày chưa tới.")
    text = (text or "").strip().replace("\r\n", "\n")
    if not text:
        raise ValueError("Nhập nội dung.")
    if len(text) > MAX_TEXT:
        raise ValueError(f"Nội dung: tối đa {MAX_TEXT} kí tự.")
    channel = (channel or "").strip()
    if len(channel) > 40:
        raise ValueError("Hình thức, chủ đề: tối đa 40 kí tự.")
    if kind in ("family_contact", "progress") and student is None:
        raise ValueError("Chọn học sinh.")
    if kind == "parents_meeting":
        if present is None or expected is None:
            raise ValueError("Nhập số phụ huynh dự họp và số được mời.")
        if present < 0 or expected <= 0 or present > expected:
            raise ValueError("Số phụ huynh dự họp phải từ 0 đến số được mời.")
    else:
        present = expected = None
    with write_transaction():
        note = HomeroomNote.create(school_class=school_class, kind=kind, day=day, student=student, channel=channel,
                                   present=present, expected=expected, text=text,
                                   entered_by=getattr(user, "id", None))
        after = {"class": school_class.name, "kind_note": kind, "day": day, "text": text}
        if student is not None:
            after["student"] = student.code
        if present is not None:
            after["present"], after["expected"] = present, expected
        record("create", "homeroom_note", note.id, after=after)
    return note


def notes_of(school_class: SchoolClass, kind: str | None = None) -> list[HomeroomNote]:
    """The class's notes (of one kind), newest first."""
    where = HomeroomNote.school_class == school_class
    if kind:
        where &= HomeroomNote.kind == kind
    return list(HomeroomNote.select(HomeroomNote, Student).join(Student, join_type=JOIN.LEFT_OUTER)
                .where(where).order_by(HomeroomNote.day.desc(), HomeroomNote.id.desc()))


# --- the class profile -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attention:
    student: Student
    reasons: list[str]


@dataclass(frozen=True)
class ClassProfile:
    size: int
    boys: int
    girls: int
    minorities: int
    policy_families: int
    attention: list[Attention]


def profile(school_class: SchoolClass) -> ClassProfile:
    """The class's profile computed from its list, attendance and conduct (never typed by hand)."""
    present = [e.student for e in class_roster(school_class) if not e.has_left]
    ids = [s.id for s in present]
    unexcused = dict(AttendanceMark.select(AttendanceMark.student, fn.COUNT(AttendanceMark.id))
                     .where(AttendanceMark.student.in_(ids) & (AttendanceMark.school_class == school_class)
                            & (AttendanceMark.value == "K"))
                     .group_by(AttendanceMark.student).tuples()) if ids else {}
    conduct = tallies(school_class)
    attention = []
    for student in present:
        reasons = []
        tally = conduct.get(student.id)
        if tally and tally.violations >= ATTENTION_VIOLATIONS:
            reasons.append(f"{tally.violations} lần vi phạm nề nếp")
        if unexcused.get(student.id, 0) >= ATTENTION_UNEXCUSED:
            reasons.append(f"nghỉ không phép {unexcused[student.id]} buổi")
        if reasons:
            attention.append(Attention(student, reasons))
    return ClassProfile(
        size=len(present),
        boys=sum(1 for s in present if s.gender == "Nam"),
        girls=sum(1 for s in present if s.gender == "Nữ"),
        minorities=sum(1 for s in present if (s.ethnicity or "Kinh").strip() not in ("", "Kinh")),
        policy_families=sum(1 for s in present if s.policy_family),
        attention=attention)
