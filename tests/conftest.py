"""Fixtures: an app on a fresh database per test, a small school, and login_as(username).

The database is a temp SQLite file, or PostgreSQL when SOTRUONG_TEST_DATABASE_URL names one
(its public schema is emptied before each test; ./test.sh runs the suite on both when it is set).

Speed (issue #10, a thousand tests in minutes): on SQLite each pytest(-xdist) worker migrates one
database and builds the small school once, and every test gets a file copy of the one it needs; the
test accounts use a cheap scrypt (PASSWORD_HASH_METHOD); werkzeug's compiled URL builders and
Jinja's compiled templates are reused between the apps of the session. Each test still gets its own app on its own database.
"""
import os
import re
import shutil
import sqlite3

import pytest
from jinja2 import BytecodeCache
from werkzeug.routing.rules import Rule

from app import create_app
from models.core import BaseModel, db
from models.core.database import sqlite_url_for
from tests.factories import PASSWORD, TEST_PASSWORD_HASH_METHOD, build_school

POSTGRES_URL = os.environ.get("SOTRUONG_TEST_DATABASE_URL", "")


_WORKER_URLS: dict[str, str] = {}


def postgres_url() -> str:
    """The PostgreSQL database of this test process: under pytest-xdist each worker has its own
    (`<name>_gw0`, …, created on the same server), so workers never empty each other's schema."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not POSTGRES_URL or not worker:
        return POSTGRES_URL
    if worker not in _WORKER_URLS:
        import psycopg

        base, _, name = POSTGRES_URL.rpartition("/")
        name, _, query = name.partition("?")
        own = f"{name}_{worker}"
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (own,)).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{own}"')
        _WORKER_URLS[worker] = f"{base}/{own}" + (f"?{query}" if query else "")
    return _WORKER_URLS[worker]


def _empty_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


# with --dist loadgroup (test.sh), tests that share one costly module- or session-wide set-up run on
# one worker: the browser tests share a demo server and Chromium, the live tests one seeded demo school
SHARED_SETUP_GROUPS = {"tests/e2e/": "e2e", "tests/test_load_and_crash.py": "live",
                       "tests/test_demo_data.py": "demo_data"}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    root = str(config.rootpath) + os.sep
    for item in items:
        path = str(item.path).removeprefix(root).replace(os.sep, "/")
        for prefix, group in SHARED_SETUP_GROUPS.items():
            if path.startswith(prefix):
                item.add_marker(pytest.mark.xdist_group(group))


sqlite_only = pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite-specific (the PostgreSQL run skips it)")


def _reuse_compiled_url_builders() -> None:
    """create_app compiles a Python function per URL rule (werkzeug builds it with ast and compile()),
    most of a test app's set-up; the function depends only on the rule's text, trace and defaults,
    so the session compiles each rule once."""
    compile_builder = Rule._compile_builder
    compiled = {}

    def cached(self, append_unknown=True):
        try:
            key = (self.rule, tuple(self._trace), tuple(sorted((self.defaults or {}).items())), append_unknown)
            hash(key)
        except TypeError:  # unhashable defaults: compile as usual
            return compile_builder(self, append_unknown)
        if key not in compiled:
            compiled[key] = compile_builder(self, append_unknown)
        return compiled[key]

    Rule._compile_builder = cached


_reuse_compiled_url_builders()


class SessionBytecodeCache(BytecodeCache):
    """Every test app compiles the same templates; the session keeps the bytecode in memory, checked
    against the template source's checksum as Jinja's own file cache does."""

    def __init__(self):
        self.stored = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.stored:
            bucket.bytecode_from_string(self.stored[bucket.key])

    def dump_bytecode(self, bucket):
        self.stored[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_BYTECODE = SessionBytecodeCache()


def app_config(tmp_path, database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "PRINT_CACHE_DIR": str(tmp_path / "print_cache"),
        "PRINT_JOBS_DIR": str(tmp_path / "print_jobs"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH_METHOD,
    }


def _close_database() -> None:
    if not db.is_closed():
        db.close()
    db.obj.close_all()


def _as_refs(value):
    """The school's objects as (model, id) pairs, to fetch again from a copy of the database."""
    if isinstance(value, BaseModel):
        return (type(value), value.id)
    if isinstance(value, dict):
        return {k: _as_refs(v) for k, v in value.items()}
    return value


def _from_refs(value):
    if isinstance(value, tuple):
        model, pk = value
        return model.get_by_id(pk)
    if isinstance(value, dict):
        return {k: _from_refs(v) for k, v in value.items()}
    return value


def _checkpointed(path) -> None:
    """Fold the WAL into the file itself, so that copying the one file copies everything."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory):
    """Built once per worker: a migrated database, and a copy of it holding the small school."""
    folder = tmp_path_factory.mktemp("templates")
    migrated, with_school = folder / "migrated.db", folder / "school.db"
    create_app(app_config(folder, sqlite_url_for(migrated)))
    _close_database()
    _checkpointed(migrated)
    shutil.copyfile(migrated, with_school)
    create_app(app_config(folder, sqlite_url_for(with_school)))
    with db.connection_context():
        refs = _as_refs(build_school())
    _close_database()
    _checkpointed(with_school)
    return {"migrated": migrated, "school": with_school, "school_refs": refs}


@pytest.fixture
def app(request, tmp_path):
    school_refs = None
    if POSTGRES_URL:
        url = postgres_url()
        _empty_postgres(url)
    else:
        templates = request.getfixturevalue("sqlite_templates")
        # a test that uses the small school starts from the copy that already holds it
        wants_school = "school" in request.fixturenames
        shutil.copyfile(templates["school" if wants_school else "migrated"], tmp_path / "test.db")
        url = sqlite_url_for(tmp_path / "test.db")
        school_refs = templates["school_refs"] if wants_school else None
    app = create_app(app_config(tmp_path, url))
    app.jinja_env.bytecode_cache = TEMPLATE_BYTECODE
    app.test_school_refs = school_refs
    db.connect(reuse_if_open=True)
    yield app
    _close_database()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def school(app):
    if app.test_school_refs is not None:
        return _from_refs(app.test_school_refs)
    return build_school()


def finished_job(job_id: int, seconds: float):
    """The print job once its worker process has finished it (done or failed), or as it is after `seconds`."""
    import time

    from models.printing.jobs import PrintJob

    deadline = time.monotonic() + seconds
    job = PrintJob.get_by_id(job_id)
    while job.status not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.3)
        job = PrintJob.get_by_id(job_id)
    return job


def csrf_token(client, path="/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html) or re.search(r'"X-CSRFToken": "([^"]+)"', html)
    assert match, f"no csrf token on {path}"
    return match.group(1)


class Auth:
    def __init__(self, client):
        self.client = client
        self.token = None

    def login(self, username, password=PASSWORD):
        token = csrf_token(self.client, "/login")
        resp = self.client.post("/login", data={"username": username, "password": password, "csrf_token": token})
        # signing in starts a new session, so the form token changes
        self.token = csrf_token(self.client, "/account/password") if resp.status_code == 302 else token
        return resp

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.token})

    def post(self, path, data=None, **kwargs):
        """POST with the session's CSRF token, as a form would."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.token)
        return self.client.post(path, data=data, **kwargs)

    def htmx_post(self, path, data=None, **kwargs):
        headers = {"HX-Request": "true", "X-CSRFToken": self.token}
        headers.update(kwargs.pop("headers", {}))
        return self.client.post(path, data=data or {}, headers=headers, **kwargs)


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def login_as(client, school):
    """login_as("giaovien") signs the test client in as that account of the small school."""
    auth = Auth(client)

    def _login(username):
        resp = auth.login(username)
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return auth

    return _login


@pytest.fixture
def switch(client, login_as):
    """switch("totruong") signs the one test client out and in again as that account (the steps of a workflow)."""
    state = {"auth": None}

    def _as(username):
        if state["auth"] is not None:
            state["auth"].logout()
        state["auth"] = login_as(username)
        return state["auth"]

    return _as
