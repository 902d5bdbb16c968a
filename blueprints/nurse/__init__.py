"""School nurse (y tế) pages; the principal and vice-principals may read them."""
from flask import Blueprint

from blueprints.guards import require_health_access

bp = Blueprint("nurse", __name__, url_prefix="/nurse")
bp.before_request(require_health_access())

from blueprints.nurse import checks_views, clinic_views, report_views, views  # noqa: E402,F401
