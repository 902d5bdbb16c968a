"""Browser tests: the demo school served by `python app.py` in its own process, driven in Debian's Chromium."""
import contextlib
import json
import os
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
# a CI machine runs two test workers, each with its server and browser, on two cores: a row of fifteen
# saves sent one after another can take longer than Playwright's 5 s default before the page shows it
expect.set_options(timeout=15_000)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# the demo as of a fixed day, so that every run sees the same school: 2024-2025 with semester I's marks
# entered before 02/12/2024, semester II empty, attendance from September to November
DEMO_DAY = "2024-12-02"
OPEN_THE_BOOK = """
from app import create_app
from models.core import db, write_transaction
from models.gradebook.locks import switch_lock
from models.school.structure import Semester
app = create_app()
with db.connection_context(), write_transaction():
    for semester in Semester.select():
        switch_lock("school", "", False, "Kiểm thử: mở sổ điểm để gõ", None, semester=semester)
"""


class DemoServer(str):
    """The server's base address (a str, as the tests use it) that also knows its database."""

    db_path: Path
    db_url: str


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """The demo school on a fresh database, served by waitress in a child process."""
    folder = tmp_path_factory.mktemp("e2e")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder}/e2e.db", SECRET_KEY="e2e-secret",
               HOST="127.0.0.1", PORT=str(_free_port()),
               # settings (app.config.from_prefixed_env): office hours all day, so that the admin can
               # apply a correction whenever the tests run; uploads and print caches in the temp folder
               SOTRUONG_OFFICE_HOURS="00:00-23:59", SOTRUONG_OFFICE_DAYS="7", SOTRUONG_UPLOAD_DIR=str(folder / "uploads"),
               SOTRUONG_PRINT_CACHE_DIR=str(folder / "print_cache"))
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    subprocess.run(flask + ["seed-demo", "--today", DEMO_DAY], cwd=ROOT, env=env, check=True, capture_output=True)
    # that year lies in the past of the tests' clock, where every entry window is closed: open the book
    subprocess.run([sys.executable, "-c", OPEN_THE_BOOK], cwd=ROOT, env=env, check=True, capture_output=True)
    log = open(folder / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = DemoServer(f"http://127.0.0.1:{env['PORT']}")
    base.db_path, base.db_url = folder / "e2e.db", env["DATABASE_URL"]
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", int(env["PORT"])), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("the demo server did not start: " + (folder / "server.log").read_text())
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run must install Debian's chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    return page


@pytest.fixture
def page(browser):
    page = _new_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def new_page(browser):
    """Another browser (its own context: its own cookies) on demand; all closed after the test."""
    pages = []

    def make():
        pages.append(_new_page(browser))
        return pages[-1]

    yield make
    for p in pages:
        p.context.close()


def login(page, base, username, password="sotruong-demo"):
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-btn")
    page.wait_for_load_state("networkidle")


def ready(page):
    """Wait until the page now shown has run its deferred scripts (htmx and the grid's keys are live).
    Call it after checking something only the new page has: a click returns before the next page loads,
    and a key pressed before the grid's script attaches is lost (a flaky CI run of the conduct grid)."""
    # the load event of the document now shown comes after its deferred scripts and their DOMContentLoaded
    # work (htmx processes the page then); no wait_for_function: its polling evaluates a string, which the
    # app's Content Security Policy (no 'unsafe-eval') refuses
    page.wait_for_load_state("load")


def csrf_headers(page) -> dict:
    """The CSRF header every htmx request of the page carries (hx-headers on <body>)."""
    return json.loads(page.locator("body").get_attribute("hx-headers"))


def run_python(server: DemoServer, code: str) -> str:
    """Set up what has no UI worth clicking: `code` runs in a child process on the server's database,
    after `app = create_app()` and inside a database connection."""
    script = "from app import create_app\nfrom models.core import db\napp = create_app()\nwith db.connection_context():\n"
    script += "".join(f"    {line}\n" for line in textwrap.dedent(code).strip().splitlines())
    env = dict(os.environ, DATABASE_URL=server.db_url, SECRET_KEY="e2e-secret")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr)
    return out.stdout


def query(server: DemoServer, sql: str, *params):
    """Read the server's database directly (what is stored, whatever the page shows)."""
    with contextlib.closing(sqlite3.connect(server.db_path, timeout=10)) as conn:
        return conn.execute(sql, params).fetchall()


def tiny_png(path: Path) -> Path:
    """A valid 1×1 PNG (evidence for a correction request)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    return path
