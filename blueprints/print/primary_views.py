"""Primary prints: the Sổ THKQGD of a class (A3) and a pupil's học bạ (A4), for the homeroom teacher and the office."""
import io

from flask import abort, current_app, url_for
from flask_login import current_user

from blueprints.downloads import pdf_download
from blueprints.guards import OFFICE, book_class, printable_student
from blueprints.print import bp
from models.primary.assessments import is_primary_class
from models.printing import primary_hoc_ba as primary_hoc_ba_pages
from models.printing import primary_summary
from models.printing.renderer import PrintError
from models.rules import tt27
from models.school.structure import SchoolClass


def _summary_class(class_id: int, moment: str) -> SchoolClass:
    school_class = book_class(class_id)
    if moment not in tt27.MOMENTS or not is_primary_class(school_class):
        abort(404)
    return school_class


@bp.route("/primary-summary/<int:class_id>/<moment>")
def primary_summary_page(class_id: int, moment: str):
    """Bảng tổng hợp kết quả đánh giá giáo dục at one moment, as the browser prints it."""
    school_class = _summary_class(class_id, moment)
    sheet = primary_summary.summary_sheet(school_class, moment)
    return primary_summary.html(sheet, pdf_url=url_for("print.primary_summary_pdf", class_id=class_id, moment=moment),
                                back_url=url_for("homeroom.primary_traits", class_id=class_id, moment=moment)
                                if not current_user.has_role(*OFFICE) else None)


@bp.route("/primary-summary/<int:class_id>/<moment>.pdf")
def primary_summary_pdf(class_id: int, moment: str):
    """The same sheet as a PDF (A3 landscape)."""
    school_class = _summary_class(class_id, moment)
    sheet = primary_summary.summary_sheet(school_class, moment)
    try:
        data = primary_summary.pdf(sheet)
    except PrintError as failure:
        current_app.logger.error("primary summary PDF failed: %s", failure)
        abort(500)
    return pdf_download(io.BytesIO(data), primary_summary.download_name(sheet))


def _hoc_ba_class(student_id: int):
    """The pupil and their primary class this year, if the person is in the office or their homeroom teacher."""
    from models.people.records import Student
    from models.school.structure import SchoolYear, current_class_of

    student = Student.get_or_none(Student.id == student_id)
    year = SchoolYear.current()
    school_class = current_class_of(student, year) if student and year else None
    if school_class is None or not is_primary_class(school_class):
        abort(404)
    printable_student(student)
    return student, school_class


@bp.route("/primary-hoc-ba/<int:student_id>")
def primary_hoc_ba(student_id: int):
    """A pupil's primary học bạ for this year (A4 portrait), as the browser prints it."""
    student, school_class = _hoc_ba_class(student_id)
    pages = primary_hoc_ba_pages.class_pages(school_class, [student])
    return primary_hoc_ba_pages.html(pages, pdf_url=url_for("print.primary_hoc_ba_pdf", student_id=student_id))


@bp.route("/primary-hoc-ba/<int:student_id>.pdf")
def primary_hoc_ba_pdf(student_id: int):
    """The same học bạ as a PDF."""
    student, school_class = _hoc_ba_class(student_id)
    pages = primary_hoc_ba_pages.class_pages(school_class, [student])
    try:
        data = primary_hoc_ba_pages.pdf(pages)
    except PrintError as failure:
        current_app.logger.error("primary học bạ PDF failed: %s", failure)
        abort(500)
    return pdf_download(io.BytesIO(data), primary_hoc_ba_pages.download_name(pages[0]))
