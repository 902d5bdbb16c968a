"""Print views and PDFs (monthly attendance sheets, whole-school jobs); each view checks who may print what."""
from flask import Blueprint
from flask_login import login_required

bp = Blueprint("print", __name__, url_prefix="/print")


@bp.before_request
@login_required
def _signed_in():
    """Every print route needs a signed-in person; the views check the object."""
    return None


@bp.app_template_filter("verify_qr")
def _verify_qr(code: str) -> str:
    """{{ code|verify_qr }}: the QR code (data: URI) that opens /verify/<code> on the school's address."""
    from models.printing.verify_qr import qr_data_uri

    return qr_data_uri(code)


from blueprints.print import disclosure_views, emulation_views, homeroom_book_views, views  # noqa: E402,F401
