"""The reference for the capacity figure: a bare Flask endpoint with login, CSRF and one SQLite upsert,
set up as docs/measurements.md §3 measured it: pooled connections, one process-wide write lock, the
endpoint refuses a request that is not htmx's (flask-htmx) and answers with a cell rendered by
render_template from a template file (bare_templates/_cell.html)."""
import os
import threading

from flask import Flask, abort, render_template, render_template_string, request
from flask_htmx import HTMX
from flask_login import LoginManager, UserMixin, login_required, login_user
from flask_wtf.csrf import CSRFProtect
from peewee import CharField, IntegerField, Model
from playhouse.pool import PooledSqliteDatabase
from waitress import serve

db = PooledSqliteDatabase(os.environ["BARE_DB"], pragmas={"journal_mode": "wal", "foreign_keys": 1,
                                                          "synchronous": "full"},
                          timeout=10, lock_type="IMMEDIATE", check_same_thread=False, max_connections=32)
lock = threading.Lock()


class Cell(Model):
    student = IntegerField()
    col = CharField()
    value = CharField()

    class Meta:
        database = db
        indexes = ((("student", "col"), True),)


class User(UserMixin):
    id = "1"


app = Flask(__name__, template_folder="bare_templates")
htmx = HTMX(app)
app.config.update(SECRET_KEY="bare", WTF_CSRF_TIME_LIMIT=None, SESSION_COOKIE_NAME="sotruong_session")
CSRFProtect(app)
login_manager = LoginManager(app)
login_manager.user_loader(lambda _: User())
LOGIN = ('<form method="post"><input name="csrf_token" type="hidden" value="{{ csrf_token() }}">'
         '<input name="username"><input name="password"></form>')
ACCOUNT = """<body hx-headers='{{ {"X-CSRFToken": csrf_token()}|tojson }}'></body>"""


@app.before_request
def _open():
    db.connect(reuse_if_open=True)


@app.teardown_request
def _close(exc):
    if not db.is_closed():
        db.close()


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        login_user(User())
        return "", 302, {"Location": "/account"}
    return render_template_string(LOGIN)


@app.route("/account")
@login_required
def account():
    return render_template_string(ACCOUNT)


@app.route("/cell", methods=["POST"])
@login_required
def cell():
    if not htmx:
        abort(400)
    student, col, value = int(request.form["student_id"]), request.form["kind"], request.form["value"]
    with lock, db.atomic():
        (Cell.insert(student=student, col=col, value=value)
         .on_conflict(conflict_target=[Cell.student, Cell.col], update={Cell.value: value}).execute())
    return render_template("_cell.html", value=value)


if __name__ == "__main__":
    db.create_tables([Cell])
    serve(app, host="127.0.0.1", port=int(os.environ["PORT"]), threads=8)
