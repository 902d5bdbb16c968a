"""The printed weekly teaching schedule (lịch báo giảng) of a teacher, A4 portrait, through the one renderer."""
from datetime import date, timedelta

from models.people.records import Staff
from models.printing.class_log_book import _header
from models.printing.renderer import render_pdf
from models.rules import timetable as tt
from models.school.structure import SchoolYear
from models.teaching import schedule


def pdf(staff: Staff, monday: date, year: SchoolYear) -> bytes:
    monday = tt.week_start(monday)
    stored = schedule.stored_week(staff.id, monday)
    notes = {(r.day, r.period): r.note for r in schedule.stored_rows(stored)} if stored else {}
    return render_pdf("print/teaching_schedule.html", staff=staff, monday=monday, sunday=monday + timedelta(days=6),
                      days=schedule.school_days(year, monday, monday + timedelta(days=6)),
                      lessons=schedule.week_lessons(staff, monday), notes=notes, week=stored,
                      period_label=tt.period_label, weekday=tt.WEEKDAY_LABELS, **_header())
