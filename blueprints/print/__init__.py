"""Print views and PDFs (monthly attendance sheets, whole-school jobs); each view checks who may print what."""
from flask import Blueprint
from flask_login import login_required

bp = Blueprint("print", __name__, url_prefix="/print")


@bp.before_request
@login_required
def _signed_in():
    """Every print route needs a signed-in person; the views check the object."""
    return None


from blueprints.print import views  # noqa: E402,F401
