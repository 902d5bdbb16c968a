"""Monthly attendance sheets as PDF on the demo school: one A3 sheet (target ≤ 1 s) and the whole
school's month, 40 classes (target ≤ 25 s, both cores), built two ways: models.printing.attendance_sheet.
school_month_pdf (what the worker does: each class rendered on its own by one process per core, merged
with each font kept once), and one HTML with <pdf:nextpage/> between classes in one process.

    PYTHONPATH=. [BENCH_DATABASE_URL=sqlite:////tmp/demo.db] python bench/attendance_pdf.py [YYYY-MM]
"""
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the demo as it stands on this day: semester I complete, so October's sheets are full and figures comparable
DEMO_DAY = "2025-01-19"
sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    """CPU seconds of this process and of the render processes it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    year_month = sys.argv[1] if len(sys.argv) > 1 else "2024-10"
    with tempfile.TemporaryDirectory() as folder:
        # BENCH_DATABASE_URL: an already seeded demo school (seed-demo takes minutes on a busy machine)
        db_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.db"
        if not os.environ.get("BENCH_DATABASE_URL"):
            env = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY="bench")
            subprocess.run([sys.executable, "-m", "flask", "--app", "app", "seed-demo", "--today", DEMO_DAY], cwd=ROOT, env=env,
                           check=True, capture_output=True)
        from app import create_app
        from models.attendance.register import AttendanceMark
        from models.core import db
        from models.printing.attendance_sheet import (
            SHEET_TEMPLATE,
            school_classes,
            school_month_pdf,
            sheet_context,
            sheet_for,
        )
        from models.printing.renderer import html_to_pdf, render_pdf
        from models.school.structure import SchoolYear

        app = create_app({"DATABASE_URL": db_url, "SECRET_KEY": "bench", "PRINT_CACHE_DIR": f"{folder}/cache"})
        with app.app_context(), db.connection_context():
            classes = school_classes(SchoolYear.current())
            marks = AttendanceMark.select().where(AttendanceMark.value.is_null(False)).count()
            sizes = [len(sheet_for(c, year_month).rows) for c in classes]
            print(f"demo school: {len(classes)} classes, {sum(sizes)} students (largest class {max(sizes)}), "
                  f"{marks} absence marks in the database; month {year_month}")

            biggest = classes[sizes.index(max(sizes))]
            times = []
            for _ in range(5):
                started = time.perf_counter()
                sheet = sheet_for(biggest, year_month)
                render_pdf(SHEET_TEMPLATE, **sheet_context(sheet))
                times.append(time.perf_counter() - started)
            print(f"one A3 sheet ({biggest.name}, {len(sheet.rows)} students): first {times[0]:.2f} s, "
                  f"median {statistics.median(times):.2f} s (target ≤ 1 s)")

            cpu = _cpu()
            started = time.perf_counter()
            merged = school_month_pdf(classes, year_month)
            separate = time.perf_counter() - started
            print(f"whole school, school_month_pdf ({os.cpu_count()} render processes, merged): {separate:.1f} s "
                  f"wall, {_cpu() - cpu:.1f} s CPU, {len(merged) // 1024} KB (target ≤ 25 s)")

            started = time.perf_counter()
            env_ = app.jinja_env
            body = []
            for i, c in enumerate(classes):
                page = env_.get_template("print/_attendance_page.html").render(
                    pdf=True, **sheet_context(sheet_for(c, year_month)))
                body.append(("<pdf:nextpage/>" if i else "") + page)
            html = (env_.get_template(SHEET_TEMPLATE).render(pdf=True, **sheet_context(sheet_for(classes[0], year_month)))
                    .split("<body", 1)[0] + "<body>" + "".join(body) + "</body></html>")
            one = html_to_pdf(unicodedata.normalize("NFC", html))
            single = time.perf_counter() - started
            print(f"whole school, one HTML with <pdf:nextpage/>: {single:.1f} s, {len(one) // 1024} KB")


if __name__ == "__main__":
    main()
