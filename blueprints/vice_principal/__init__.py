"""Vice-principal pages; the principal works in the same pages."""
from flask import Blueprint

from blueprints.guards import require_roles

bp = Blueprint("vice_principal", __name__, url_prefix="/vice-principal")
bp.before_request(require_roles("vice_principal", "principal"))

from blueprints.vice_principal import views  # noqa: E402,F401
