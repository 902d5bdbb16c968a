"""Extensions, request hooks, error pages and the role blueprints, bound to the app in init_app."""
import json
from datetime import datetime

from flask import Flask, flash, redirect, render_template, request, session, url_for
from flask_htmx import HTMX
from flask_login import LoginManager, current_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from peewee import OperationalError

from blueprints import csrf_check
from blueprints.nfc_request import ControlCharacterRefused, Int64Converter
from blueprints.security_headers import SecurityHeaders
from blueprints.session_cookie import RememberingSessionInterface
from models.audit.log import Actor, reset_actor, set_actor
from models.core import db
from models.rules.dates import format_date, format_datetime
from models.rules.numbers import format_count, format_size

csrf = CSRFProtect()
login_manager = LoginManager()
htmx = HTMX()



def message_response(text: str, status: int, level: str = "error"):
    """A short answer for htmx: the text in the body and a toast event in HX-Trigger (JSON, ASCII-safe)."""
    resp = app_response(text, status)
    resp.headers["HX-Trigger"] = json.dumps({"showMessage": {"level": level, "text": text}})
    return resp


def app_response(body: str, status: int):
    from flask import make_response

    return make_response(body, status, {"Content-Type": "text/plain; charset=utf-8"})


# the session key holding the account's session epoch at sign-in (models.people.accounts.end_sessions)
SESSION_EPOCH_KEY = "epoch"

# the idle clock is kept to this precision; rewriting the session cookie on every request costs more
SEEN_RESOLUTION_SECONDS = 30


def _per_request(name: str, compute):
    """A template global computed on first use in a request, then kept in `g` for the rest of it."""
    from flask import g
    from werkzeug.local import LocalProxy

    key = "_layout_" + name

    def get():
        if key not in g:
            setattr(g, key, compute())
        return getattr(g, key)

    return LocalProxy(get)


def init_app(app: Flask) -> None:
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

    def _error(status: int, title: str, text: str):
        if htmx:
            return message_response(text, status)
        return render_template("error.html", status=status, title=title, text=text), status

    @app.errorhandler(403)
    def forbidden(e):
        return _error(403, "Không có quyền truy cập",
                      "Tài khoản của bạn không được phép mở trang này hoặc thao tác này.")

    @app.errorhandler(404)
    def not_found(e):
        return _error(404, "Không tìm thấy trang", "Địa chỉ này không tồn tại hoặc đã được chuyển đi.")

    @app.errorhandler(405)
    def not_allowed(e):
        return _error(405, "Thao tác không hợp lệ", "Trang này không nhận thao tác bạn vừa gửi.")

    @app.errorhandler(413)
    def too_large(e):
        if request.mimetype != "multipart/form-data":
            return _error(413, "Dữ liệu quá lớn", "Nội dung gửi lên quá lớn nên không được xử lý.")
        return _error(413, "Tệp quá lớn", "Tệp gửi lên vượt quá dung lượng cho phép.")

    @app.errorhandler(ControlCharacterRefused)
    def control_character(e):
        return _error(400, "Yêu cầu không hợp lệ", e.description)

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return _error(400, "Phiên biểu mẫu không hợp lệ",
                      "Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ. Vui lòng tải lại trang rồi thử lại.")

    @app.errorhandler(400)
    def bad_request(e):
        return _error(400, "Yêu cầu không hợp lệ", "Dữ liệu gửi lên không hợp lệ.")

    @app.errorhandler(OperationalError)
    def database_unavailable(e):
        # database locked past the busy timeout, disk full, file unreadable: nothing was written
        app.logger.error("database error: %s", e)
        return _error(503, "Cơ sở dữ liệu tạm thời không ghi được",
                      "Máy chủ không ghi được dữ liệu lúc này (cơ sở dữ liệu đang bận hoặc ổ đĩa đã đầy). "
                      "Thao tác vừa rồi chưa được lưu; vui lòng thử lại sau ít phút.")

    @app.errorhandler(500)
    def server_error(e):
        return _error(500, "Lỗi máy chủ",
                      "Máy chủ gặp sự cố khi xử lý yêu cầu. Dữ liệu của thao tác này chưa được lưu.")

    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["thousands"] = format_count
    app.jinja_env.filters["filesize"] = format_size
    from models.rules.money import format_vnd

    app.jinja_env.filters["vnd"] = format_vnd
    from blueprints.form_rendering import leave_checks_to_the_server

    leave_checks_to_the_server()

    from blueprints.navigation import navigation_for
    from models.people.accounts import ROLES
    from models.school.structure import School, SchoolYear

    # the layout's values, as globals rather than a context processor run for every render: each is
    # read from the database only when a template uses it (an htmx fragment, a grade cell, uses none)
    app.jinja_env.globals.update(
        school=_per_request("school", School.current),
        current_year=_per_request("current_year", SchoolYear.current),
        nav=_per_request("nav", lambda: navigation_for(current_user) if current_user.is_authenticated else []),
        role_labels=ROLES,
    )

    from blueprints.accountant import bp as accountant_bp
    from blueprints.admin import bp as admin_bp
    from blueprints.auth import bp as auth_bp
    from blueprints.corrections import bp as corrections_bp
    from blueprints.homeroom import bp as homeroom_bp
    from blueprints.nurse import bp as nurse_bp
    from blueprints.print import bp as print_bp
    from blueprints.print.verify_views import bp as verify_bp
    from blueprints.teacher import bp as teacher_bp
    from blueprints.vice_principal import bp as vice_principal_bp

    for bp in (auth_bp, teacher_bp, homeroom_bp, vice_principal_bp, admin_bp, nurse_bp, accountant_bp, print_bp,
               corrections_bp, verify_bp):
        app.register_blueprint(bp)

    from blueprints.commands import register_commands

    register_commands(app)
