"""Fixtures: an app on a fresh database per test, a small school, and login_as(username).

The database is a temp SQLite file, or PostgreSQL when SOTRUONG_TEST_DATABASE_URL names one
(its public schema is emptied before each test; ./test.sh runs the suite on both when it is set).
"""
import os
import re

import pytest

from app import create_app
from models.core import db
from models.core.database import sqlite_url_for
from tests.factories import PASSWORD, build_school

POSTGRES_URL = os.environ.get("SOTRUONG_TEST_DATABASE_URL", "")


def _empty_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def database_url_for_test(tmp_path) -> str:
    if POSTGRES_URL:
        _empty_postgres(POSTGRES_URL)
        return POSTGRES_URL
    return sqlite_url_for(tmp_path / "test.db")


sqlite_only = pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite-specific (the PostgreSQL run skips it)")


@pytest.fixture
def app(tmp_path):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url_for_test(tmp_path),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "PRINT_CACHE_DIR": str(tmp_path / "print_cache"),
        "PRINT_JOBS_DIR": str(tmp_path / "print_jobs"),
        "BACKUP_DIR": str(tmp_path / "backups"),
    })
    db.connect(reuse_if_open=True)
    yield app
    if not db.is_closed():
        db.close()
    db.obj.close_all()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def school(app):
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
