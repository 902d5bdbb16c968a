"""The printed class log (sổ ghi đầu bài) of a class: one school week per spread, A4 portrait
(templates/print/class_log.html), through the one renderer; the year-end archive keeps the whole year.

Each page (a week's left half, Monday to Wednesday, or its right half, Thursday to Saturday with the
signatures) carries the verification code of exactly what it prints (models/printing/verification.py):
the template prints the strings built here, and the same strings are the page's data.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from models.printing import verification
from models.printing.renderer import render_pdf
from models.rules import timetable as tt
from models.rules.dates import format_date
from models.school.structure import School, SchoolClass
from models.teaching import class_log

DOCUMENT = "class_log"
TITLE = "Sổ ghi đầu bài"
LEFT, RIGHT = 1, 2  # the two pages of a week's spread


def _header() -> dict:
    """The school's header lines of a print (the teaching schedule's too)."""
    school = School.current()
    return {"school_name": school.name if school else "", "header_line_1": school.header_line_1 if school else "",
            "header_line_2": school.header_line_2 if school else "", "place_name": school.place_name if school else ""}


@dataclass
class LogRow:
    """One period as printed: every cell's text (empty cells when the period was not written)."""

    key: str
    label: str  # "Thứ Hai 02/12, Tiết 1 (sáng)": how /verify names the row
    period: str  # "1", or "1 (C)" for the afternoon's first
    subject: str
    lesson_no: str = ""
    title: str = ""
    absent: str = ""
    remarks: str = ""
    rating: str = ""
    not_taught: str = ""  # the reason, printed across the lesson's cells
    teacher: str = ""

    @property
    def data(self) -> dict:
        return {"key": self.key, "label": self.label, "Tiết": self.period, "Môn": self.subject,
                "Tiết PPCT": self.lesson_no, "Tên bài": self.title, "Học sinh vắng": self.absent,
                "Nhận xét": self.remarks, "Xếp loại": self.rating, "Không dạy": self.not_taught,
                "Chữ ký GV": self.teacher}


@dataclass
class LogDay:
    weekday: str
    day: str  # dd/mm
    iso: str
    rows: list[LogRow]


@dataclass
class LogPage:
    """One printed page of the book with the data its code is computed from."""

    school_class: SchoolClass
    monday: date
    side: int
    days: list[LogDay]
    homeroom: str = ""  # the right page's signatures
    signed_on: str = ""
    signed_by: str = ""
    school_name: str = ""
    code: str = ""
    data: dict = field(default_factory=dict)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def page_key(self) -> str:
        return f"Tuần {format_date(self.monday)}, trang {self.side}"

    @property
    def params(self) -> dict:
        return {"class_id": self.school_class.id, "week": self.monday.isoformat(), "page_key": self.page_key}


def _row(view: class_log.PeriodView, names: dict[int, str], weekday: str, day: str) -> LogRow:
    shown = str(tt.period_in_session(view.period)) + (" (C)" if tt.session_of(view.period) == 2 else "")
    row = LogRow(key=f"{view.day.isoformat()}-{view.period}", label=f"{weekday} {day}, {tt.period_label(view.period)}",
                 period=shown, subject=view.subject.name)
    entry = view.entry
    if entry is None:
        return row
    row.teacher = entry.teacher.full_name + (" (dạy thay)" if entry.is_substitute else "")
    if entry.not_taught:
        row.not_taught = entry.not_taught
        return row
    row.lesson_no = str(entry.lesson_no) if entry.lesson_no else ""
    row.title = entry.title
    row.absent = ", ".join(names.get(i, "?") for i in entry.absent_ids)
    row.remarks = entry.remarks
    row.rating = entry.rating_label
    return row


def _data(page: LogPage) -> dict:
    rows = []
    for d in page.days:
        rows += [r.data for r in d.rows] or [{"key": d.iso, "label": f"{d.weekday} {d.day}", "Tiết": "Không có tiết"}]
    c = page.school_class
    data = {"page_key": page.page_key, "Trường": page.school_name, "Lớp": c.name, "Năm học": c.year.name,
            "Tuần": f"{format_date(page.monday)} – {format_date(page.sunday)}", "rows": rows}
    if page.side == RIGHT:
        data |= {"Giáo viên chủ nhiệm": page.homeroom, "Ngày ký duyệt": page.signed_on, "Người ký duyệt": page.signed_by}
    return data


def pages(school_class: SchoolClass, mondays: list[date]) -> list[LogPage]:
    """The printed pages of the given weeks, each with its data (no code yet)."""
    names = class_log.student_names(school_class)
    school_name = _header()["school_name"]
    homeroom = school_class.homeroom_teacher.full_name if school_class.homeroom_teacher else ""
    out = []
    for monday, side, weeks, signed in class_log.print_pages(school_class, mondays):
        days = []
        for day, views in weeks:
            weekday, shown = tt.WEEKDAY_LABELS[day.weekday()], day.strftime("%d/%m")
            days.append(LogDay(weekday, shown, day.isoformat(), [_row(v, names, weekday, shown) for v in views]))
        page = LogPage(school_class, monday, side, days, school_name=school_name)
        if side == RIGHT:
            page.homeroom = homeroom
            if signed:
                page.signed_on, page.signed_by = format_date(signed.signed_at), signed.signed_by.full_name
        page.data = _data(page)
        out.append(page)
    return out


def pdf(school_class: SchoolClass, mondays: list[date], now: datetime | None = None) -> bytes:
    """The given weeks of the class's book, each page's code recorded with the data it prints."""
    now = now or datetime.now()
    printed = pages(school_class, mondays)
    codes = verification.page_codes(DOCUMENT, [(p.params, p.data) for p in printed], now=now)
    for page, code in zip(printed, codes, strict=True):
        page.code = code
    return render_pdf("print/class_log.html", school_class=school_class, pages=printed, generated_at=now,
                      footer_title=f"{TITLE} lớp {school_class.name} — {school_class.year.name}", **_header())


def year_pdf(school_class: SchoolClass, until: date | None = None, now: datetime | None = None) -> bytes | None:
    """Every week of the year up to `until` (the year's end by default); None when nothing was written."""
    if not class_log.ClassLogEntry.select().where(class_log.ClassLogEntry.school_class == school_class).exists():
        return None
    return pdf(school_class, class_log.weeks_of_year(school_class, until or date.max), now=now)


def _builder(params: dict) -> list[dict]:
    """Today's pages of the printed week (check_code finds the page by its page_key)."""
    school_class = SchoolClass.get_or_none(SchoolClass.id == params.get("class_id"))
    try:
        monday = date.fromisoformat(str(params.get("week")))
    except ValueError:
        return []
    if school_class is None:
        return []
    return [p.data for p in pages(school_class, [monday])]


verification.register_page_builder(DOCUMENT, _builder, label=TITLE)
