"""The class's family notice slips (phiếu liên lạc) in one PDF: four A6 slips on each A4 page."""
from datetime import date

from models.families.notices import FamilyNotice
from models.people.records import Staff
from models.printing.renderer import render_pdf
from models.school.structure import School, SchoolClass

PER_PAGE = 4  # 2 × 2 A6 on A4 portrait


def slip_pages(notices: list[FamilyNotice]) -> list[list[list[FamilyNotice | None]]]:
    """Pages of two rows of two slips; the last page filled with empty slips."""
    pages = []
    for start in range(0, len(notices), PER_PAGE):
        chunk = list(notices[start:start + PER_PAGE]) + [None] * (PER_PAGE - len(notices[start:start + PER_PAGE]))
        pages.append([chunk[0:2], chunk[2:4]])
    return pages


def slips_context(school_class: SchoolClass, notices: list[FamilyNotice], printed_on: date) -> dict:
    teacher = (Staff.get_or_none(Staff.id == school_class.homeroom_teacher_id)
               if school_class.homeroom_teacher_id else None)
    return {"school_class": school_class, "school": School.select().first(), "pages": slip_pages(notices),
            "printed_on": printed_on, "teacher_name": teacher.full_name if teacher else ""}


def slips_pdf(school_class: SchoolClass, notices: list[FamilyNotice], printed_on: date) -> bytes:
    return render_pdf("print/family_slips.html", **slips_context(school_class, notices, printed_on))
