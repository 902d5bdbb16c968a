"""Attendance speed (issue 4): the month grid of a 45-student class and a cell save, through waitress.

Run: .venv/bin/python bench/attendance_grid.py [--seconds 10]
Targets: the month grid renders in ≤ 50 ms median; a cell save as fast as a mark (compare with
bench/grade_saves.py). The PDF figures are in bench/attendance_pdf.py.
"""
import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Session, percentile, run_python, seed_demo, serve  # noqa: E402

PLAN = """
import json
from datetime import date
from app import create_app
from models.core import db
from models.people.accounts import User
from models.attendance.register import AttendanceMark
from models.school.calendar import year_calendar
from models.people.records import Student
from models.school.structure import Enrolment, SchoolClass
app = create_app()
with db.connection_context():
    user = User.get(User.username == "chunhiem")
    c = SchoolClass.get(SchoolClass.homeroom_teacher == user.staff_id)
    students = [s.id for s in Student.select().join(Enrolment).where(
        (Enrolment.school_class == c) & Enrolment.left_on.is_null() & (Student.status == "dang_hoc"))]
    taken = {(m.student_id, m.day.isoformat()) for m in AttendanceMark.select().where(AttendanceMark.school_class == c)}
    days = [d for d in range(1, 32) if date(2025, 3, d).weekday() < 6]
    print(json.dumps({"class_id": c.id, "students": students, "days": days,
                      "taken": [list(t) for t in taken]}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-att-"))
    db_url = seed_demo(folder)
    plan = json.loads(run_python(db_url, PLAN))
    proc, port = serve(db_url)
    try:
        session = Session(port)
        session.login("chunhiem")
        grid_path = f"/homeroom/class/{plan['class_id']}/attendance/2024-10"
        samples = []
        for _ in range(30):
            t = time.perf_counter()
            status, _ = session.request("GET", grid_path)
            samples.append(time.perf_counter() - t)
            assert status == 200, status
        # March 2025: no demo marks, every (student, day) a fresh cell at version 0
        cells = [(s, d) for d in plan["days"] for s in plan["students"]]
        sessions = []
        for _ in range(8):
            s = Session(port)
            s.login("chunhiem")
            sessions.append(s)
        lat: list[float] = []
        errors = []
        stop = time.perf_counter() + args.seconds
        lock = threading.Lock()

        def run(s: Session):
            while time.perf_counter() < stop:
                with lock:
                    if not cells:
                        return
                    student, day = cells.pop()
                t = time.perf_counter()
                status, body = s.htmx_post(f"/homeroom/class/{plan['class_id']}/attendance/2025-03/cell",
                                           {"student_id": student, "day": day, "session": 1, "value": "P",
                                            "version": 0})
                with lock:
                    lat.append(time.perf_counter() - t)
                    if status != 200:
                        errors.append(f"{status} {body[:100]}")

        threads = [threading.Thread(target=run, args=(s,)) for s in sessions]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        proc.terminate()
        proc.wait()
    print(f"attendance month grid, {len(plan['students'])} students: median {percentile(samples, 50) * 1000:.1f} ms "
          f"(target ≤ 50)")
    print(f"attendance cell saves, 8 connections back to back: {len(lat) / args.seconds:.0f} saves/s, "
          f"median {percentile(lat, 50) * 1000:.1f} ms, p95 {percentile(lat, 95) * 1000:.1f} ms, errors {len(errors)}"
          + (f" (first: {errors[0]})" if errors else ""))


if __name__ == "__main__":
    main()
