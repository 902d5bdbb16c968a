"""The printed weekly teaching schedule (lịch báo giảng) of a teacher, A4 portrait, through the one renderer.

The week is one printed page (a long week may run over a second sheet, which carries the same footer); its
verification code is computed from exactly what it prints (models/printing/verification.py): the template
prints the strings built here, and the same strings are the page's data.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from models.people.records import Staff
from models.printing import verification
from models.printing.class_log_book import _header
from models.printing.renderer import render_pdf
from models.rules import timetable as tt
from models.rules.dates import format_date
from models.school.structure import SchoolYear
from models.teaching import schedule

DOCUMENT = "teaching_schedule"
TITLE = "Lịch báo giảng"


@dataclass
class ScheduleRow:
    key: str
    label: str  # "Thứ Hai 02/12/2024, Tiết 1 (sáng)": how /verify names the row
    period: str
    class_name: str
    subject: str
    lesson_no: str
    title: str
    note: str

    @property
    def data(self) -> dict:
        return {"key": self.key, "label": self.label, "Tiết": self.period, "Lớp": self.class_name,
                "Môn": self.subject, "Tiết PPCT": self.lesson_no, "Tên bài dạy": self.title, "Ghi chú": self.note}


@dataclass
class ScheduleDay:
    weekday: str
    day: str  # dd/mm/yyyy
    iso: str
    rows: list[ScheduleRow]


@dataclass
class SchedulePage:
    """The printed week with the data its code is computed from."""

    staff: Staff
    year: SchoolYear
    monday: date
    days: list[ScheduleDay]
    submitted_at: str = ""  # "HH:MM dd/mm/yyyy" once submitted
    header: dict = field(default_factory=dict)
    code: str = ""
    data: dict = field(default_factory=dict)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def page_key(self) -> str:
        return f"Tuần {format_date(self.monday)}"

    @property
    def params(self) -> dict:
        return {"staff_id": self.staff.id, "year_id": self.year.id, "week": self.monday.isoformat(),
                "page_key": self.page_key}


def _data(page: SchedulePage) -> dict:
    rows = []
    for d in page.days:
        rows += [r.data for r in d.rows] or [{"key": d.iso, "label": f"{d.weekday} {d.day}", "Tiết": "Không có tiết"}]
    h = page.header
    return {"page_key": page.page_key, "Trường": h["school_name"],
            "Cơ quan chủ quản": [line for line in (h["header_line_1"], h["header_line_2"]) if line],
            "Giáo viên": page.staff.full_name, "Tuần": f"{format_date(page.monday)} – {format_date(page.sunday)}",
            "Đã nộp lúc": page.submitted_at, "rows": rows, "Địa danh": h["place_name"]}


def build(staff: Staff, monday: date, year: SchoolYear) -> SchedulePage:
    """The week as it prints today (no code yet)."""
    monday = tt.week_start(monday)
    stored = schedule.stored_week(staff.id, monday)
    notes = {(r.day, r.period): r.note for r in schedule.stored_rows(stored)} if stored else {}
    lessons = schedule.week_lessons(staff, monday)
    days = []
    for day in schedule.school_days(year, monday, monday + timedelta(days=6)):
        weekday, shown, rows = tt.WEEKDAY_LABELS[day.weekday()], format_date(day), []
        for x in (x for x in lessons if x.day == day):
            key = f"{day.isoformat()}-{x.period}"
            if any(r.key == key for r in rows):  # two classes in one period: keep both rows apart
                key += f"-{x.school_class.id}"
            rows.append(ScheduleRow(key, f"{weekday} {shown}, {tt.period_label(x.period)}", tt.period_label(x.period),
                                    x.school_class.name, x.subject.name,
                                    "" if x.lesson_no is None else str(x.lesson_no), x.title,
                                    notes.get((x.day, x.period), "")))
        days.append(ScheduleDay(weekday, shown, day.isoformat(), rows))
    submitted = stored.submitted_at.strftime("%H:%M %d/%m/%Y") if stored and stored.submitted_at else ""
    page = SchedulePage(staff, year, monday, days, submitted, _header())
    page.data = _data(page)
    return page


def pdf(staff: Staff, monday: date, year: SchoolYear, now: datetime | None = None) -> bytes:
    """The week's A4 print, its code recorded with the data it prints."""
    now = now or datetime.now()
    page = build(staff, monday, year)
    page.code = verification.page_code(DOCUMENT, page.params, page.data, now=now)
    return render_pdf("print/teaching_schedule.html", page=page, staff=staff, generated_at=now,
                      footer_title=f"{TITLE} {staff.full_name}", **page.header)


def _builder(params: dict) -> list[dict]:
    """Today's print of the week (one page)."""
    staff = Staff.get_or_none(Staff.id == params.get("staff_id"))
    year = SchoolYear.get_or_none(SchoolYear.id == params.get("year_id"))
    try:
        monday = date.fromisoformat(str(params.get("week")))
    except ValueError:
        return []
    if staff is None or year is None:
        return []
    return [build(staff, monday, year).data]


verification.register_page_builder(DOCUMENT, _builder, label=TITLE)
