"""/verify/<code>: does a printed page still match today's data, and if not, what changed (staff only)."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from models.printing.verification import check_code, clean_code

bp = Blueprint("verify", __name__)
STAFF_ROLES = ("admin", "principal", "vice_principal", "head_of_department", "teacher")


@bp.before_request
@login_required
def _staff_only():
    """Logged-in staff only: the page shows marks of students."""
    if not current_user.has_role(*STAFF_ROLES):
        abort(403)


@bp.route("/verify")
def verify_form():
    """A box to type the code printed in a page's footer."""
    code = request.args.get("code", "")
    if code.strip():
        return redirect(url_for("verify.verify_code", code=clean_code(code) or code.strip()))
    error = "Vui lòng nhập mã in ở chân trang." if "code" in request.args else None
    return render_template("print/verify.html", result=None, error=error), 422 if error else 200


@bp.route("/verify/<code>")
def verify_code(code: str):
    """The result of checking one verification code against today's data."""
    return render_template("print/verify.html", result=check_code(code))
