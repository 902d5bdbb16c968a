"""Monthly attendance sheets as PDF on the demo school: one A3 sheet (target ≤ 1 s) and the whole
school's month, 40 classes (target ≤ 30 s), built two ways: each class rendered on its own and merged
with pypdf (what the worker does), and one HTML with <pdf:nextpage/> between classes.

    PYTHONPATH=. python bench/attendance_pdf.py [YYYY-MM]
"""
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEMO_DAY = "2025-01-19"  # as bench/common.py: the demo as of a fixed day, figures comparable over time


def main() -> None:
    year_month = sys.argv[1] if len(sys.argv) > 1 else "2024-10"
    with tempfile.TemporaryDirectory() as folder:
        db_url = f"sqlite:///{folder}/bench.db"
        import os

        env = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY="bench")
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", "seed-demo", "--today", DEMO_DAY], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        from app import create_app
        from models.attendance.register import AttendanceMark
        from models.core import db
        from models.printing.attendance_sheet import SHEET_TEMPLATE, school_classes, sheet_context, sheet_for
        from models.printing.renderer import html_to_pdf, merge_pdfs, render_pdf
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

            started = time.perf_counter()
            parts = [render_pdf(SHEET_TEMPLATE, **sheet_context(sheet_for(c, year_month))) for c in classes]
            merged = merge_pdfs(parts)
            separate = time.perf_counter() - started
            print(f"whole school, per class + pypdf merge: {separate:.1f} s, {len(merged) // 1024} KB "
                  f"(target ≤ 30 s)")

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
