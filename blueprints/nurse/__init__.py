"""School nurse (y tế) pages."""
from flask import Blueprint

from blueprints.guards import require_roles

bp = Blueprint("nurse", __name__, url_prefix="/nurse")
bp.before_request(require_roles("nurse"))

from blueprints.nurse import views  # noqa: E402,F401
