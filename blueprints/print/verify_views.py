"""/verify/<code>: does a printed page still match today's data, and if not, what changed (staff only)."""
from flask import Blueprint, redirect, render_template, request, url_for

from blueprints.guards import require_roles
from models.printing.verification import check_code, clean_code

bp = Blueprint("verify", __name__)
STAFF_ROLES = ("admin", "principal", "vice_principal", "head_of_department", "teacher")


# logged-in staff only: the page shows marks of students
bp.before_request(require_roles(*STAFF_ROLES))


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
