"""Admin pages (being written)."""
from flask import render_template

from blueprints.admin import bp


@bp.route("/school")
def school_settings():
    """Placeholder until this area lands."""
    return render_template("error.html", status=200, title="Đang xây dựng", text="Trang này đang được xây dựng.")


@bp.route("/years")
def years():
    """Placeholder until this area lands."""
    return render_template("error.html", status=200, title="Đang xây dựng", text="Trang này đang được xây dựng.")


@bp.route("/subjects")
def subjects():
    """Placeholder until this area lands."""
    return render_template("error.html", status=200, title="Đang xây dựng", text="Trang này đang được xây dựng.")


@bp.route("/departments")
def departments():
    """Placeholder until this area lands."""
    return render_template("error.html", status=200, title="Đang xây dựng", text="Trang này đang được xây dựng.")


@bp.route("/classes")
def classes():
    """Placeholder until this area lands."""
    return render_template("error.html", status=200, title="Đang xây dựng", text="Trang này đang được xây dựng.")


@bp.route("/assignments")
def assignments():
    """Placeholder until this area lands."""
    return render_template("error.html", status=200, title="Đang xây dựng", text="Trang này đang được xây dựng.")
