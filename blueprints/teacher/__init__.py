"""Subject teacher (GVBM) and head of department pages."""
from flask import Blueprint

from blueprints.guards import require_roles

bp = Blueprint("teacher", __name__, url_prefix="/teacher")
bp.before_request(require_roles("teacher", "head_of_department"))

from blueprints.teacher import views  # noqa: E402,F401
