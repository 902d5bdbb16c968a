"""Admin pages (being written)."""
from flask import render_template

from blueprints.admin import bp


@bp.route("/accounts")
def accounts():
    """Placeholder until this area lands."""
    return render_template("error.html", status=200, title="Đang xây dựng", text="Trang này đang được xây dựng.")
