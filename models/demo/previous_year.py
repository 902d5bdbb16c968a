"""The demo school's previous school year, complete and not yet approved, so that year end can be tried on
any day: a few classes (one per grade, `chunhiem` homeroom teacher of 6A1 as this year) with both semesters'
marks, attendance, conduct levels with comments and the homeroom teacher's comments.

Each class holds students in every outcome (docs/rules.md §2): Học sinh Xuất sắc and Giỏi, promoted, re-test,
summer training, both, and not promoted for more than 45 absent sessions. The outcomes are planned by a
student's place in the class list; the results themselves are computed as for any class.
"""
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from models.attendance.register import AttendanceMark
from models.core import write_transaction
from models.gradebook.marks import MarkCell
from models.people.accounts import User
from models.rules import tt22
from models.rules.school_year import holidays_of, semesters_of, year_name
from models.school.calendar import Holiday, SchoolCalendar, year_calendar
from models.school.structure import GradeSubject, SchoolClass, SchoolYear, Semester, Subject, class_roster
from models.yearend.records import ConductRating, StudentComment

CLASSES = frozenset({"6A1", "7A1", "8A1", "9A1"})
# the plan of the first students of each class list: (marks mean, spread, low subjects, conduct I, II, absences)
PLANS = [
    ("excellent", 9.4, 0.3, 0, "T", "T", 0),
    ("good", 8.6, 0.3, 0, "T", "T", 1),
    ("good", 8.5, 0.3, 0, "K", "T", 0),
    ("retest", 7.0, 0.6, 2, "K", "K", 2),
    ("summer", 6.5, 0.6, 0, "Đ", "C", 3),
    ("both", 5.0, 0.6, 2, "C", "C", 4),
    ("absent", 6.0, 0.6, 0, "Đ", "Đ", 47),
    ("excellent", 9.3, 0.3, 0, "T", "T", 0),
]
NORMAL = ("normal", 7.0, 0.9, 0, None, None, None)
CONDUCT_COMMENTS = {"T": "Ngoan, lễ phép, tích cực tham gia hoạt động của lớp.",
                    "K": "Chấp hành tốt nội quy, cần mạnh dạn hơn.",
                    "Đ": "Đôi lúc chưa tập trung, cần cố gắng hơn.",
                    "C": "Vi phạm nội quy nhiều lần, cần rèn luyện thêm."}
HOMEROOM_COMMENTS = {"excellent": "Học lực xuất sắc, gương mẫu, là tấm gương cho các bạn.",
                     "good": "Học tốt, chăm ngoan, có tinh thần giúp đỡ bạn bè.",
                     "retest": "Cần ôn tập thêm các môn còn yếu trong hè.",
                     "summer": "Cần rèn luyện thêm ý thức chấp hành nội quy.",
                     "both": "Cần cố gắng nhiều hơn cả về học tập và rèn luyện.",
                     "absent": "Nghỉ học quá nhiều buổi trong năm.",
                     "normal": "Chăm chỉ, hoà đồng với bạn bè."}


def _value(rng: random.Random, mean: float, spread: float) -> str:
    raw = min(10.0, max(0.0, rng.gauss(mean, spread)))
    return str(tt22.round_half_up(Decimal(f"{raw:.3f}")))


def _normal_conduct(rng: random.Random) -> str:
    return rng.choices("TKĐ", weights=(6, 3, 1))[0]


def seed_previous_year(seed: int = 2024, today: date | None = None) -> str:
    """Build the year before the demo's current one, complete up to its last day; returns a one-line summary."""
    from models.audit.log import record
    from models.demo.school import build_year

    current = SchoolYear.current()
    start_year = current.start_year - 1
    end = semesters_of(start_year)[1].ends_on
    rng = random.Random(f"sotruong-demo-previous:{seed}:{start_year}")
    with write_transaction():
        counts = build_year(start_year, end, seed=seed, current=False, only=CLASSES, student_seed=seed + 1)
        year = SchoolYear.get(SchoolYear.start_year == start_year)
        SchoolCalendar.create(year=year, days_per_week=6, sessions_per_day=1, auto_lock_day=None)
        for starts_on, ends_on, name in holidays_of(start_year):
            Holiday.create(year=year, starts_on=starts_on, ends_on=ends_on, name=name)
        cal = year_calendar(year)
        semesters = list(Semester.select().where(Semester.year == year).order_by(Semester.number))
        school_days = [day for s in semesters for day in (s.starts_on + timedelta(days=i)
                                                          for i in range((s.ends_on - s.starts_on).days + 1))
                       if cal.sessions_on(day)]
        users = {u.staff_id: u.id for u in User.select(User.id, User.staff) if u.staff_id}
        subjects = {s.id: s for s in Subject.select()}
        cells, absences, ratings, comments = [], [], [], []
        for school_class in SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name):
            periods = {gs.subject_id: gs.periods_per_year
                       for gs in GradeSubject.select().where(GradeSubject.grade == school_class.grade_id)}
            by = users.get(school_class.homeroom_teacher_id)
            at = datetime.combine(end, time(16, 0))
            for i, entry in enumerate(e for e in class_roster(school_class) if not e.has_left):
                student = entry.student
                plan, mean, spread, low, hk1, hk2, absent = PLANS[i] if i < len(PLANS) else NORMAL
                scored = [sid for sid in sorted(periods) if not subjects[sid].comment_only]
                low_subjects = set(rng.sample(scored, low))
                for semester in semesters:
                    for sid, per_year in periods.items():
                        subject = subjects[sid]
                        tx_n = tt22.tx_count(per_year, subject.comment_only)
                        for kind, idx in [("tx", n) for n in range(1, tx_n + 1)] + [("gk", 1), ("ck", 1)]:
                            if subject.comment_only:
                                value = tt22.COMMENT_FAIL if plan == "both" and kind == "ck" and sid == min(
                                    s for s in periods if subjects[s].comment_only) else tt22.COMMENT_PASS
                            elif sid in low_subjects:
                                value = _value(rng, 3.0, 0.3)
                            else:
                                value = _value(rng, mean, spread)
                            cells.append({"school_class": school_class.id, "subject": sid, "semester": semester.id,
                                          "student": student.id, "kind": kind, "idx": idx, "value": value,
                                          "version": 1, "updated_by": None, "updated_at": at, "corrected": False})
                levels = (hk1 or _normal_conduct(rng), hk2 or _normal_conduct(rng))
                for number, key in enumerate(levels, start=1):
                    ratings.append({"school_class": school_class.id, "student": student.id, "semester": number,
                                    "level": {"T": tt22.TOT, "K": tt22.KHA, "Đ": tt22.DAT, "C": tt22.CHUA_DAT}[key],
                                    "comment": CONDUCT_COMMENTS[key], "version": 1, "updated_by": by,
                                    "updated_at": at})
                comments.append({"school_class": school_class.id, "student": student.id, "subject": None,
                                 "text": HOMEROOM_COMMENTS[plan], "version": 1, "updated_by": by, "updated_at": at})
                missed = absent if absent is not None else rng.choice((0, 0, 0, 1, 2, 3))
                for day in sorted(rng.sample(school_days, missed)):
                    absences.append({"student": student.id, "school_class": school_class.id, "day": day,
                                     "session": 1, "value": "P" if rng.random() < 0.7 else "K", "version": 1,
                                     "updated_by": by, "updated_at": datetime.combine(day, time(16, 30))})
        for rows, model in ((cells, MarkCell), (absences, AttendanceMark), (ratings, ConductRating),
                            (comments, StudentComment)):
            for start in range(0, len(rows), 1000):
                model.insert_many(rows[start:start + 1000]).execute()
        _record_digests(year, cells, absences)
        record("seed_demo", "school_year", year.name,
               after={**counts, "cells": len(cells), "absences": len(absences), "conduct": len(ratings)},
               reason="Năm học trước của trường mẫu: đủ điểm, điểm danh, rèn luyện; chưa duyệt")
    return f"năm học trước {year_name(start_year)}: {counts['classes']} lớp, {counts['students']} học sinh, đủ hai học kì"


def _record_digests(year, cells: list[dict], absences: list[dict]) -> None:
    """The seeded marks' and absences' digests in the log, as the current year's seeds keep them, so that
    audit-verify can check values not logged one by one."""
    from models.audit.log import record
    from models.audit_check.replay import attendance_group, group_digests, mark_group
    from models.people.records import Student

    codes = dict(Student.select(Student.id, Student.code).tuples())
    names = dict(SchoolClass.select(SchoolClass.id, SchoolClass.name).tuples())
    subject_codes = dict(Subject.select(Subject.id, Subject.code).tuples())
    numbers = dict(Semester.select(Semester.id, Semester.number).where(Semester.year == year).tuples())

    def mark_rows():
        for r in cells:
            key = (f"{year.name}/{names[r['school_class']]}/{subject_codes[r['subject']]}/HK{numbers[r['semester']]}/"
                   f"{codes[r['student']]}/{r['kind']}{r['idx']}")
            yield mark_group(key), key, r["value"]

    def absence_rows():
        for m in absences:
            key = f"{names[m['school_class']]}/{codes[m['student']]}/{m['day'].isoformat()}/{m['session']}"
            yield attendance_group(key), key, m["value"]

    record("seed_demo_marks", "mark", year.name, after={"cells": len(cells), "digests": group_digests(mark_rows())},
           reason="Điểm mẫu của năm học trước (không ghi lịch sử từng ô)")
    record("seed_demo", "attendance", year.name,
           after={"marks": len(absences), "digests": group_digests(absence_rows())})
