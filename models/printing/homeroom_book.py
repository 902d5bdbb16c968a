"""The homeroom book (sổ chủ nhiệm) printed as an A4 book: cover, class profile and committee, the year's plan, each
month's plan and review, the class meetings, the parents' meetings, contacts with families, students' progress and
the year's review. One template (templates/print/homeroom_book.html) for the browser and the PDF."""
from dataclasses import dataclass, field

from models.homeroom_book import book
from models.homeroom_book.book import ClassProfile, HomeroomNote
from models.printing.renderer import render_pdf
from models.school.structure import School, SchoolClass


@dataclass
class HomeroomBook:
    school: School
    school_class: SchoolClass
    profile: ClassProfile
    sections: dict[tuple[str, str], str]
    months: list[str]
    notes: dict[str, list[HomeroomNote]] = field(default_factory=dict)

    def text(self, kind: str, period: str = "") -> str:
        return self.sections.get((kind, period), "")


def build(school_class: SchoolClass) -> HomeroomBook:
    """Everything the printed book shows, read once; notes oldest first, as a book is written."""
    sections = {key: s.text for key, s in book.sections_of(school_class).items()}
    notes = {kind: list(reversed(book.notes_of(school_class, kind))) for kind in book.NOTES}
    return HomeroomBook(School.current(), school_class, book.profile(school_class), sections,
                        book.year_months(school_class), notes)


def pdf(homeroom_book: HomeroomBook) -> bytes:
    return render_pdf("print/homeroom_book.html", hb=homeroom_book, labels=book.SECTIONS, note_kinds=book.NOTES)
