"""The homeroom book (sổ chủ nhiệm) printed: the class's homeroom teacher, the principal, the vice-principals and the
admin read and print it (guards.book_class)."""
from urllib.parse import quote

from flask import Response, abort, url_for
from flask_login import current_user

from blueprints.guards import book_class
from blueprints.print import bp
from models.homeroom_book.book import NOTES, SECTIONS
from models.printing import homeroom_book
from models.printing.renderer import PrintError, ascii_name, render_print_html


@bp.route("/class/<int:class_id>/homeroom-book")
def homeroom_book_page(class_id: int):
    """The book as the browser prints it (A4)."""
    school_class = book_class(class_id)
    own = school_class.homeroom_teacher_id is not None and school_class.homeroom_teacher_id == current_user.staff_id
    back = (url_for("homeroom.book", class_id=class_id) if own
            else url_for("vice_principal.classes") if current_user.has_role("principal", "vice_principal") else None)
    return render_print_html("print/homeroom_book.html", hb=homeroom_book.build(school_class), labels=SECTIONS,
                             note_kinds=NOTES, pdf_url=url_for("print.homeroom_book_pdf", class_id=class_id),
                             back_url=back)


@bp.route("/class/<int:class_id>/homeroom-book.pdf")
def homeroom_book_pdf(class_id: int):
    """The book as an A4 PDF through the one print renderer."""
    school_class = book_class(class_id)
    try:
        data = homeroom_book.pdf(homeroom_book.build(school_class))
    except PrintError:
        abort(500)
    name = f"Sổ chủ nhiệm {school_class.name} {school_class.year.name}.pdf"
    resp = Response(data, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f"inline; filename={ascii_name(name)}; filename*=UTF-8''{quote(name)}"
    return resp
