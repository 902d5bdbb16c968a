"""The printed class log (sổ ghi đầu bài) of a class: one school week per spread, A4 portrait
(templates/print/class_log.html), through the one renderer; the year-end archive keeps the whole year."""
from datetime import date, timedelta

from models.printing.renderer import render_pdf
from models.rules import timetable as tt
from models.school.structure import School, SchoolClass
from models.teaching import class_log


def _header() -> dict:
    """The school's header lines of a print (the teaching schedule's too)."""
    school = School.current()
    return {"school_name": school.name if school else "", "header_line_1": school.header_line_1 if school else "",
            "header_line_2": school.header_line_2 if school else "", "place_name": school.place_name if school else ""}


def pdf(school_class: SchoolClass, mondays: list[date]) -> bytes:
    """The given weeks of the class's book."""
    return render_pdf("print/class_log.html", school_class=school_class,
                      pages=class_log.print_pages(school_class, mondays), names=class_log.student_names(school_class),
                      weekday=tt.WEEKDAY_LABELS, one_week=timedelta(days=6), **_header())


def year_pdf(school_class: SchoolClass, until: date | None = None) -> bytes | None:
    """Every week of the year up to `until` (the year's end by default); None when nothing was written."""
    if not class_log.ClassLogEntry.select().where(class_log.ClassLogEntry.school_class == school_class).exists():
        return None
    return pdf(school_class, class_log.weeks_of_year(school_class, until or date.max))
