"""Regenerate the README's screenshots under docs/: the demo school in headless Chromium.

Run: .venv/bin/python scripts/screenshots.py [--today YYYY-MM-DD] [name.png,username,path …]
(the demo is seeded as of today, or of the given day; the A3 sheet is the last month with school days)
"""
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# (file name, username, path, link to follow on that page or None)
SHOTS = [
    ("login.png", None, "/login", None),
    ("admin-home.png", "admin", "/admin/", None),
    ("admin-students.png", "admin", "/admin/students", None),
    ("homeroom-class.png", "chunhiem", "/homeroom/", None),
    ("gradebook-grid.png", "giaovien", "/teacher/gradebook", "text=Mở sổ >> nth=0"),
    ("attendance-grid.png", "chunhiem", "/homeroom/attendance", None),
    ("vp-distribution.png", "phohieutruong", "/vice-principal/distribution", None),
    ("class-log-day.png", "giaovien", "/teacher/class-log", None),
    ("lesson-plans-review.png", "totruong", "/teacher/department/lesson-plans", None),
    ("discipline-entry.png", "giamthi", "/discipline/", None),
    ("family-notices.png", "chunhiem", "/homeroom/notices", None),
    ("emulation-week.png", "phohieutruong", "/print/emulation", "text=← Tuần trước"),
]


def sheet_month(today: date) -> str:
    """The month the A3 sheet shows: the one before `today`, or May in summer, or September in September."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    if month in (6, 7, 8):
        year, month = today.year, 5
    if today.month == 9:
        year, month = today.year, 9
    return f"{year:04d}-{month:02d}"


def main() -> None:
    args = sys.argv[1:]
    today = date.today()
    if "--today" in args:
        at = args.index("--today")
        today = date.fromisoformat(args[at + 1])
        del args[at:at + 2]
    folder = Path(tempfile.mkdtemp())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder}/shots.db", SECRET_KEY="shots", HOST="127.0.0.1",
               PORT=str(port))
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "seed-demo", "--today", today.isoformat()],
                   cwd=ROOT, env=env, check=True)
    extra = list(args)
    server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        time.sleep(1.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for name, username, path, follow in SHOTS + [tuple(x.split(",")) + (None,) for x in extra]:
                page = browser.new_page(viewport={"width": 1280, "height": 820}, locale="vi-VN")
                if username:
                    page.goto(base + "/login")
                    page.fill("#username", username)
                    page.fill("#password", "sotruong-demo")
                    page.click("#login-btn")
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                if follow:
                    page.click(follow)
                    page.wait_for_load_state("networkidle")
                page.screenshot(path=str(ROOT / "docs" / name))
                page.close()
                print("docs/" + name)
            browser.close()
        # the A3 monthly sheet as the office prints it
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", "print-attendance", "--class", "6A1",
                        "--month", sheet_month(today), "--out", str(folder / "sheet.pdf")], cwd=ROOT, env=env, check=True)
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(folder / "sheet.pdf"),
                        str(ROOT / "docs" / "attendance-sheet")], check=True)
        print("docs/attendance-sheet.png")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
