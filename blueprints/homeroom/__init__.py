"""Homeroom teacher (GVCN) pages: follows from being a class's homeroom teacher this year."""
from flask import Blueprint

from blueprints.guards import require_homeroom

bp = Blueprint("homeroom", __name__, url_prefix="/homeroom")
bp.before_request(require_homeroom())

from blueprints.homeroom import views  # noqa: E402,F401
