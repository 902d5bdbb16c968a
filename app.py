"""SổTrường: the application factory. `python app.py` serves it with waitress."""
import logging
import os
import secrets
from pathlib import Path

from flask import Flask
from peewee import DatabaseError

from models.core import db, sealed
from models.core.database import bind_database, migrate, open_database, sqlite_url_for

ROOT = Path(__file__).resolve().parent


def _secret_key(instance_path: str) -> str:
    """Read the instance's secret key, creating a random one on first start."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        os.chmod(path, 0o600)
    return path.read_text().strip()


def create_app(config: dict | None = None) -> Flask:
    from blueprints.nfc_request import NFCRequest

    app = Flask(__name__, instance_path=str(ROOT / "instance"), instance_relative_config=True)
    app.request_class = NFCRequest
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=sqlite_url_for(Path(app.instance_path) / "sotruong.db"),
        WTF_CSRF_TIME_LIMIT=None,  # a grade page left open all evening must still save
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="sotruong_session",
        # the idle check keeps its own timestamp; re-signing the cookie on every cell save costs time
        SESSION_REFRESH_EACH_REQUEST=False,
        REMEMBER_COOKIE_HTTPONLY=True,
        IDLE_MINUTES=120,  # an idle session ends after this many minutes
        MAX_CONTENT_LENGTH=12 * 1024 * 1024,
        UPLOAD_DIR=str(Path(app.instance_path) / "uploads"),
        AUTO_MIGRATE=True,
    )
    app.config.from_pyfile("config.py", silent=True)
    for key in ("DATABASE_URL", "SECRET_KEY"):
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    # any other setting from the environment: SOTRUONG_OFFICE_HOURS=07:00-17:30 sets OFFICE_HOURS
    app.config.from_prefixed_env("SOTRUONG")
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.instance_path)
    sealed.configure(app.config["SECRET_KEY"])  # secrets the app reads back (the SMS phone's password)

    bind_database(open_database(app.config["DATABASE_URL"]))
    if app.config["AUTO_MIGRATE"]:
        try:
            with db.connection_context():
                migrate()
        except DatabaseError as e:  # a damaged file: a message for the IT person, not a traceback
            raise SystemExit(f"Không mở được cơ sở dữ liệu ({e}). Cơ sở dữ liệu có thể đã hỏng: hãy khôi phục "
                             "từ bản sao lưu gần nhất (flask --app app restore <tệp sao lưu>).") from None

    from blueprints import init_app

    init_app(app)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    return app


def serve() -> None:
    from waitress import serve as waitress_serve

    from models.backup.backups import start_nightly_backups

    app = create_app()
    start_nightly_backups(app)  # a daemon thread: a backup every night at BACKUP_AT while serving
    port = int(os.environ.get("PORT", "8080"))
    # every browser keeps a few connections open; waitress's default limit of 100 would make the
    # 101st wait on a deadline night with a whole staff signed in
    waitress_serve(app, host=os.environ.get("HOST", "0.0.0.0"), port=port,
                   threads=int(os.environ.get("WAITRESS_THREADS", "8")),
                   connection_limit=int(os.environ.get("WAITRESS_CONNECTIONS", "1000")), ident="SoTruong")


if __name__ == "__main__":
    serve()
