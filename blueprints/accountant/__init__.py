"""Accountant (kế toán) pages."""
from flask import Blueprint

from blueprints.guards import require_roles

bp = Blueprint("accountant", __name__, url_prefix="/accountant")
bp.before_request(require_roles("accountant"))

from blueprints.accountant import views  # noqa: E402,F401
