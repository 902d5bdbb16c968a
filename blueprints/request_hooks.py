"""The hooks every request passes through, in order: the input boundary, the session and sign-in, the
database connection, the audit actor and the idle clock, the forced password change; and the security headers
on every answer."""
from datetime import datetime

from flask import Flask, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from blueprints import app_response, csrf, csrf_check, htmx, login_manager
from blueprints.nfc_request import Int64Converter
from blueprints.security_headers import SecurityHeaders
from blueprints.session_cookie import RememberingSessionInterface
from models.audit.log import Actor, reset_actor, set_actor
from models.core import db

# the session key holding the account's session epoch at sign-in (models.people.accounts.end_sessions)
SESSION_EPOCH_KEY = "epoch"

# the idle clock is kept to this precision; rewriting the session cookie on every request costs more
SEEN_RESOLUTION_SECONDS = 30


def install(app: Flask) -> None:
    # before any blueprint adds its rules: every <int:...> in a URL is bounded to 64 bits
    app.url_map.converters["int"] = Int64Converter
    app.session_interface = RememberingSessionInterface()

    @app.before_request
    def _check_boundary():
        # first of all hooks: a NUL in the path, the query or the form never reaches the database
        request.check_boundary()

    csrf.init_app(app)
    csrf_check.install(app, csrf)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    from models.people.accounts import load_user_with_roles

    @login_manager.user_loader
    def load_user(user_id: str):
        user = load_user_with_roles(int(user_id)) if user_id.isdigit() and len(user_id) < 19 else None
        # a cookie signed in before the account's last sign-out or password change is dead
        if user is not None and not user.session_is_current(session.get(SESSION_EPOCH_KEY)):
            return None
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        target = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
        if htmx:
            # a 302 inside an htmx request would swap the login page into a cell
            resp = app_response("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.", 200)
            resp.headers["HX-Redirect"] = target
            return resp
        flash(login_manager.login_message, "info")
        return redirect(target)

    @app.before_request
    def _open_db():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close_db(exc):
        if not db.is_closed():
            db.close()

    @app.before_request
    def _actor_and_idle():
        address = request.remote_addr or ""
        user = current_user._get_current_object()
        if user.is_authenticated:
            now = datetime.now().timestamp()
            last = session.get("seen")
            if last and now - last > app.config["IDLE_MINUTES"] * 60:
                logout_user()
                session.clear()
                flash("Phiên làm việc đã kết thúc vì lâu không thao tác. Vui lòng đăng nhập lại.", "info")
                return unauthorized()
            if not last or now - last >= SEEN_RESOLUTION_SECONDS:
                session["seen"] = now  # a new signed cookie: not on every grade-cell save
            request.audit_token = set_actor(Actor(user.id, user.username, address))
        else:
            request.audit_token = set_actor(Actor(None, "khách", address))

    @app.teardown_request
    def _reset_actor(exc):
        token = getattr(request, "audit_token", None)
        if token is not None:
            reset_actor(token)

    @app.before_request
    def _force_password_change():
        user = current_user._get_current_object()
        if not user.is_authenticated or request.endpoint in ("auth.change_password", "auth.logout", "static"):
            return None
        if user.must_change_password or user.password_expired():
            if htmx:
                return unauthorized()
            return redirect(url_for("auth.change_password"))
        return None

    app.wsgi_app = SecurityHeaders(app.wsgi_app)
