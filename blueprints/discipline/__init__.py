"""Giám thị / ban thi đua pages: daily conduct (nề nếp) of the classes and the school's list of conduct items."""
from flask import Blueprint

from blueprints.guards import require_discipline_access

bp = Blueprint("discipline", __name__, url_prefix="/discipline")
bp.before_request(require_discipline_access())

from blueprints.discipline import views  # noqa: E402,F401
