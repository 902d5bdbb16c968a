"""Admin (quản trị / văn thư) pages: school structure, people, accounts, audit log."""
from flask import Blueprint

from blueprints.guards import require_roles

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_roles("admin"))

from blueprints.admin import views  # noqa: E402,F401
