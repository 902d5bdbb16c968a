"""Benchmark: the school summary (thống kê toàn trường, issue 13) on the demo school at the end of the year (both
semesters' marks), per period: the aggregate reading (models/yearend/school_counts.py) against the class-by-class
sheets it replaced, and the leaders' page over HTTP (test client). Prints seconds, medians of a few runs.

Usage: DATABASE_URL=sqlite:////tmp/x.db python -m bench.yearend_summary   (a demo seeded with
       `flask --app app seed-demo --today 2025-05-30`; without DATABASE_URL one is seeded in a temp folder)

First figures (SQLite, 40 classes, 1 703 students, 2025-05-30; 2 cores shared with other work, so they move):
quiet machine, aggregate: year 0,46 s, HK I 0,24 s, HK II 0,25 s (class sheets: 1,5 s, 2,6 s, 1,9 s);
loaded (load ~5): class sheets → aggregate: year 5,4 → 1,1 s, HK I 5,6 → 0,7 s, HK II 3,3 → 0,5 s; the page adds
~0,1–0,4 s (template).
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3


def _median(action) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _by_sheets(year, period):
    """The way the summary was read before: every class's whole sheet."""
    from models.school.structure import SchoolClass
    from models.yearend import results

    return [len(results.class_sheet(c, period).active_rows) for c in SchoolClass.select().where(SchoolClass.year == year)]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp()
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.db"
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", "seed-demo", "--today", "2025-05-30"],
                       cwd=ROOT, check=True, capture_output=True, env=dict(os.environ, SECRET_KEY="bench"))
    os.environ.setdefault("SECRET_KEY", "bench")
    from app import create_app
    from models.core import db
    from models.school.structure import SchoolYear
    from models.yearend import reports

    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/login", data={"username": "hieutruong", "password": "sotruong-demo"})
    with db.connection_context():
        year = SchoolYear.current()
    print(f"Năm học {year.name}")

    def connected(action):
        def run():
            with db.connection_context():
                action()
        return run

    for period, label in ((1, "HK I"), (2, "HK II"), (None, "Cả năm")):
        now = _median(connected(partial(reports.school_summary, year, period)))
        before = _median(connected(partial(_by_sheets, year, period)))
        query = f"?year={year.id}" + (f"&period={period}" if period else "")
        page = _median(partial(client.get, f"/vice-principal/year-end/summary{query}"))
        print(f"{label:7} aggregate {now:6.2f} s   class sheets {before:6.2f} s   page {page:6.2f} s")

if __name__ == "__main__":
    main()
