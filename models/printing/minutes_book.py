"""Sổ ghi chép nội dung sinh hoạt chuyên môn as an A4 book: a cover, then one section per closed meeting of the
department in the year (date, chair, who attended and who did not, agenda, discussion, the chair's conclusions, the
agreed points), each with the verification code of exactly what it prints (models/printing/verification.py)."""
from dataclasses import dataclass, field
from datetime import datetime

from models.printing import verification
from models.school.structure import Department, School, SchoolYear, department_head
from models.teaching import minutes

DOCUMENT = "minutes_book"
TITLE = "Sổ ghi chép nội dung sinh hoạt chuyên môn"


@dataclass
class MeetingPage:
    meeting: object
    attendees: list[str]
    absent: list[str]
    data: dict
    code: str = ""


@dataclass
class MinutesBook:
    school: School
    department: Department
    year: SchoolYear
    generated_at: datetime
    meetings: list[MeetingPage] = field(default_factory=list)
    head: str = ""
    members: int = 0


def _params(department_id: int, year_id: int, meeting_id: int) -> dict:
    return {"department": department_id, "year": year_id, "page_key": f"meeting:{meeting_id}"}


def _pages(department: Department, year: SchoolYear) -> list[MeetingPage]:
    everyone = minutes.members(department)
    pages = []
    for meeting in minutes.meetings_of(department, year):
        if meeting.state != minutes.CLOSED:
            continue
        present = minutes.attendees(meeting)
        present_ids = {s.id for s in present}
        names = [s.full_name for s in present]
        absent = [s.full_name for s in everyone if s.id not in present_ids]
        data = {"page_key": f"meeting:{meeting.id}", "Ngày họp": meeting.meeting_date.isoformat(),
                "Chủ trì": meeting.chair.full_name if meeting.chair else "", "Người dự": ", ".join(names),
                "Dự kiến nội dung": meeting.agenda, "Nội dung thảo luận": meeting.discussion,
                "Kết luận của chủ trì": meeting.conclusions, "Nội dung đã thống nhất": meeting.agreed}
        pages.append(MeetingPage(meeting, names, absent, data))
    return pages


def build(department: Department, year: SchoolYear, now: datetime | None = None) -> MinutesBook:
    """The book as printed now: each meeting's code recorded with the data it prints."""
    now = now or datetime.now()
    head = department_head(department)
    book = MinutesBook(School.current(), department, year, now, _pages(department, year),
                       head.full_name if head else "", len(minutes.members(department)))
    codes = verification.page_codes(DOCUMENT, [(_params(department.id, year.id, p.meeting.id), p.data)
                                               for p in book.meetings], now=now)
    for page, code in zip(book.meetings, codes, strict=True):
        page.code = code
    return book


def _builder(params: dict) -> list[dict]:
    department = Department.get_or_none(Department.id == params.get("department"))
    year = SchoolYear.get_or_none(SchoolYear.id == params.get("year"))
    if department is None or year is None:
        return []
    return [p.data for p in _pages(department, year)]


verification.register_page_builder(DOCUMENT, _builder, label=TITLE)
