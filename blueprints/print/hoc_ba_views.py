"""Học bạ of one student and year: print view and PDF."""
import io

from flask import abort, current_app, request, url_for

from blueprints.downloads import pdf_download
from blueprints.guards import printable_student
from blueprints.print import bp
from models.people.records import Student
from models.printing import hoc_ba
from models.printing.renderer import PrintError
from models.school.structure import SchoolYear


def _page(student_id: int) -> hoc_ba.HocBaPage:
    """The student's page for ?year= (default: the current year), if the person may print it; else 403/404."""
    student = Student.get_or_none(Student.id == student_id)
    name = request.args.get("year", "")
    year = SchoolYear.get_or_none(SchoolYear.name == name) if name else SchoolYear.current()
    if student is None or year is None:
        abort(404)
    printable_student(student)
    page = hoc_ba.student_page(student, year)
    if page is None:
        abort(404)
    return page


@bp.route("/hoc-ba/<int:student_id>", endpoint="hoc_ba")
def hoc_ba_view(student_id: int):
    """The student's học bạ for a school year as the browser prints it (A4 portrait), with "Tải PDF"."""
    page = _page(student_id)
    return hoc_ba.html([page], pdf_url=url_for("print.hoc_ba_pdf", student_id=student_id, year=page.year_name),
                       back_url=url_for("auth.index"))


@bp.route("/hoc-ba/<int:student_id>.pdf")
def hoc_ba_pdf(student_id: int):
    """The student's học bạ for a school year as a PDF download."""
    page = _page(student_id)
    try:
        data = hoc_ba.pdf([page])
    except PrintError as failure:
        current_app.logger.error("học bạ PDF failed: %s", failure)
        abort(500)
    return pdf_download(io.BytesIO(data), hoc_ba.download_name(page))
