"""Shared by the benchmarks: a demo school served by waitress in its own process, and a tiny HTTP client."""
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "sotruong-demo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_python(db_url: str, code: str) -> str:
    env = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY="bench")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return out.stdout


# the demo as of a fixed day, so that figures stay comparable: 2024-2025 with semester I complete,
# semester II empty, attendance from September to mid-January (the school the figures were first taken on)
DEMO_DAY = "2025-01-19"


def seed_demo(folder: Path) -> str:
    """A fresh demo school in folder/bench.db, with the grade book opened for the whole school."""
    db_url = f"sqlite:///{folder}/bench.db"
    env = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY="bench")
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "seed-demo", "--today", DEMO_DAY], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    run_python(db_url, OPEN_BOOK)
    return db_url


OPEN_BOOK = """
from app import create_app
from models.core import db, write_transaction
from models.gradebook.locks import switch_lock
from models.school.structure import Semester
app = create_app()
with db.connection_context(), write_transaction():
    for semester in Semester.select():
        switch_lock("school", "", False, "Đo hiệu năng: mở sổ", None, semester=semester)
"""


# waitress accepts at most `connection_limit` (default 100) open connections and leaves the rest
# waiting in the listen backlog: 200 teachers, each with a keep-alive connection, never all get in.
# Until app.py sets it, the benchmark runs app.py unchanged with the limit raised.
CONNECTION_LIMIT = 1000
RUN_WITH_LIMIT = ("import functools, runpy, waitress; "
                  "waitress.serve = functools.partial(waitress.serve, connection_limit={limit}); "
                  "runpy.run_path({script!r}, run_name='__main__')")


def serve(db_url: str, threads: int = 8, script: str = "app.py", extra_env: dict | None = None):
    port = free_port()
    env = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY="bench", HOST="127.0.0.1", PORT=str(port),
               WAITRESS_THREADS=str(threads), **(extra_env or {}))
    command = [sys.executable, "-c", RUN_WITH_LIMIT.format(limit=CONNECTION_LIMIT, script=script)]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server did not start")


class Session:
    """One signed-in browser: a keep-alive connection, the session cookie and the CSRF token."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""
        self.token = ""

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        data = urllib.parse.urlencode(body) if body is not None else None
        h = {"Cookie": self.cookie} if self.cookie else {}
        if data is not None:
            h["Content-Type"] = "application/x-www-form-urlencoded"
        h.update(headers or {})
        self.conn.request(method, path, body=data, headers=h)
        resp = self.conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie" and value.startswith("sotruong_session="):
                self.cookie = value.split(";", 1)[0]
        return resp.status, text

    def login(self, username: str, password: str = PASSWORD, login_path: str = "/login") -> None:
        _, page = self.request("GET", login_path)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status, _ = self.request("POST", login_path, {"username": username, "password": password,
                                                      "csrf_token": token})
        assert status == 302, f"login {username}: {status}"
        _, page = self.request("GET", "/account")
        self.token = json.loads(re.search(r"hx-headers='([^']+)'", page).group(1))["X-CSRFToken"]

    def htmx_post(self, path: str, body: dict):
        return self.request("POST", path, body, {"HX-Request": "true", "X-CSRFToken": self.token})


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]
