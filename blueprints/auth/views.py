"""Sign-in, sign-out, the landing redirect and the account page."""
from urllib.parse import urlparse

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from blueprints.auth import bp
from blueprints.auth.forms import ChangePasswordForm, LoginForm
from blueprints.navigation import home_endpoint
from blueprints.request_hooks import SESSION_EPOCH_KEY
from models.core import write_transaction
from models.demo.school import DEMO_ACCOUNTS, DEMO_PASSWORD
from models.people.accounts import LoginRefused, authenticate, change_password, end_sessions
from models.rules.text import nfc
from models.school.structure import School


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/")
@login_required
def index():
    """Send each person to the home of their main role."""
    endpoint = home_endpoint(current_user)
    if endpoint is None:
        return render_template("auth/no_role.html")
    return redirect(url_for(endpoint))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in page; shows the demo accounts while the school is a demo."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = authenticate(nfc(form.username.data) or "", form.password.data, request.remote_addr or "")
        except LoginRefused as refused:
            error = str(refused)
        else:
            session.clear()
            login_user(user)
            session[SESSION_EPOCH_KEY] = user.session_epoch
            session.permanent = True
            target = _safe_next(request.args.get("next"))
            if user.must_change_password or user.password_expired():
                return redirect(url_for("auth.change_password"))
            return redirect(target or url_for("auth.index"))
    school = School.current()
    demo = DEMO_ACCOUNTS if school is not None and school.is_demo else None
    status = 200 if error is None else 401
    return render_template("auth/login.html", form=form, error=error, demo=demo,
                           demo_password=DEMO_PASSWORD), status


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (a POST, so another site cannot sign someone out); a copy of the cookie dies with it.

    The whole account's sessions end (one epoch per account, no session table), as on a shared
    staff-room computer one expects.
    """
    if current_user.is_authenticated:
        with write_transaction():
            end_sessions(current_user)
    logout_user()
    session.clear()
    flash("Bạn đã đăng xuất.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/account")
@login_required
def account():
    """The person's own account: roles, classes, last sign-in."""
    return render_template("auth/account.html")


@bp.route("/account/password", methods=["GET", "POST"], endpoint="change_password")
@login_required
def change_password_view():
    """Change one's own password (forced at first sign-in and every six months)."""
    form = ChangePasswordForm()
    error = None
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.new.data)
        except ValueError as refused:
            error = str(refused)
        else:
            session[SESSION_EPOCH_KEY] = current_user.session_epoch  # this session goes on, the others end
            flash("Đã đổi mật khẩu.", "success")
            return redirect(url_for("auth.index"))
    reason = None
    if current_user.must_change_password:
        reason = "Đây là lần đăng nhập đầu tiên hoặc mật khẩu vừa được đặt lại: vui lòng đặt mật khẩu mới."
    elif current_user.password_expired():
        reason = "Mật khẩu đã dùng quá 6 tháng: vui lòng đổi mật khẩu mới."
    status = 200 if error is None and not form.errors else 422
    return render_template("auth/change_password.html", form=form, error=error, reason=reason), status

