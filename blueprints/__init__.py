"""Extensions, and init_app: the request hooks, the error pages, the template globals, the blueprints."""
import json

from flask import Flask
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

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


def init_app(app: Flask) -> None:
    from blueprints import error_pages, request_hooks, template_globals

    request_hooks.install(app)
    error_pages.install(app)
    template_globals.install(app)
    register_blueprints(app)


def register_blueprints(app: Flask) -> None:
    """Every role's blueprint, print/ and corrections/, and the `flask --app app …` commands."""
    from blueprints.accountant import bp as accountant_bp
    from blueprints.admin import bp as admin_bp
    from blueprints.auth import bp as auth_bp
    from blueprints.corrections import bp as corrections_bp
    from blueprints.discipline import bp as discipline_bp
    from blueprints.homeroom import bp as homeroom_bp
    from blueprints.nurse import bp as nurse_bp
    from blueprints.print import bp as print_bp
    from blueprints.print.verify_views import bp as verify_bp
    from blueprints.teacher import bp as teacher_bp
    from blueprints.vice_principal import bp as vice_principal_bp

    for bp in (auth_bp, teacher_bp, homeroom_bp, vice_principal_bp, admin_bp, nurse_bp, accountant_bp, discipline_bp,
               print_bp, corrections_bp, verify_bp):
        app.register_blueprint(bp)

    from blueprints.commands import register_commands
    from blueprints.family_commands import register_family_commands

    register_commands(app)
    register_family_commands(app)
