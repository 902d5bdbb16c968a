"""Corrections after the lock (đề nghị sửa điểm, sửa điểm danh): one workflow, several actors.

The guard only asks for a signed-in person; each view checks who may act on which request.
"""
from flask import Blueprint
from flask_login import login_required

bp = Blueprint("corrections", __name__, url_prefix="/corrections")


@bp.before_request
@login_required
def _signed_in():
    return None


from blueprints.corrections import views  # noqa: E402,F401
