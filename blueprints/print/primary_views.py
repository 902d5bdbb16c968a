"""The Sổ THKQGD of a primary class (A3): print view and PDF, for its homeroom teacher and the office."""
import io

from flask import abort, current_app, url_for
from flask_login import current_user

from blueprints.guards import own_homeroom_class
from blueprints.print import bp
from blueprints.print.views import OFFICE, _pdf_download
from models.primary.assessments import is_primary_class
from models.printing import primary_summary
from models.printing.renderer import PrintError
from models.rules import tt27
from models.school.structure import SchoolClass


def _summary_class(class_id: int, moment: str) -> SchoolClass:
    if current_user.has_role(*OFFICE):
        school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
        if school_class is None:
            abort(404)
    else:
        school_class = own_homeroom_class(class_id)
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
    return _pdf_download(io.BytesIO(data), primary_summary.download_name(sheet))
