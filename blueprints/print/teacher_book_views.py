"""The teacher's book (Sổ theo dõi và đánh giá học sinh của giáo viên): print view and PDF."""
import io

from flask import abort, current_app, url_for

from blueprints.downloads import pdf_download
from blueprints.guards import printable_assignment
from blueprints.print import bp
from models.printing import teacher_book as books
from models.printing.renderer import PrintError


@bp.route("/teacher-book/<int:assignment_id>")
def teacher_book(assignment_id: int):
    """The teacher's book as the browser prints it (A4 portrait), with "Tải PDF"."""
    book = books.build(printable_assignment(assignment_id))
    return books.html(book, pdf_url=url_for("print.teacher_book_pdf", assignment_id=assignment_id),
                      back_url=url_for("auth.index"))


@bp.route("/teacher-book/<int:assignment_id>.pdf")
def teacher_book_pdf(assignment_id: int):
    """The teacher's book as a PDF download (reused from the cache while its data is unchanged)."""
    book = books.build(printable_assignment(assignment_id))
    try:
        data = books.pdf(book)
    except PrintError as failure:
        current_app.logger.error("teacher book PDF failed: %s", failure)
        abort(500)
    return pdf_download(io.BytesIO(data), books.download_name(book))
