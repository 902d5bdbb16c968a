"""Plausible marks for the demo school up to the day it is built, bulk-inserted.

Seeded cells get version 1 and the subject teacher as their author, but no MarkChange rows: a
history row per seeded value would be ~100,000 rows of noise. One audit entry
("seed_demo_marks") records the load instead, and a seeded cell's history says it came from the
initial data. Every later change through the grid is recorded as usual.
"""
import random
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from models.core import write_transaction
from models.gradebook.marks import MarkCell
from models.people.accounts import User
from models.people.records import Student
from models.rules import calendar as rules
from models.rules import tt22
from models.rules.dates import format_date
from models.school.structure import (
    Enrolment,
    GradeSubject,
    SchoolClass,
    SchoolYear,
    Semester,
    Subject,
    TeachingAssignment,
)

# mean and spread of a student's marks by the demo profile
PROFILE_MARKS = {
    "normal": (6.8, 1.3),
    "weak": (4.4, 1.1),
    "excellent": (8.9, 0.6),
    "often_absent": (5.6, 1.4),
}
# chance of a CĐ in a comment-only subject by profile
PROFILE_FAIL = {"normal": 0.01, "weak": 0.25, "excellent": 0.0, "often_absent": 0.08}
CK_MISSING = 0.10  # class × subject pairs whose final marks are not entered yet
TX_MISSING = 0.02  # single regular marks still missing


def bulk_insert(model, rows: list[dict]) -> None:
    """Insert many rows of the same columns with one prepared statement (executemany): peewee's insert_many
    spends most of a demo seed building the text of its 1000-row statements."""
    if not rows:
        return
    from models.core import db

    columns = list(rows[0])
    fields = [model._meta.fields[c] for c in columns]
    database = db.obj if hasattr(db, "obj") else db
    def quote(name: str) -> str:
        return f'"{name}"'

    sql = (f"INSERT INTO {quote(model._meta.table_name)} ({', '.join(quote(f.column_name) for f in fields)}) "
           f"VALUES ({', '.join([database.param] * len(fields))})")
    values = [tuple(f.db_value(row[c]) for f, c in zip(fields, columns, strict=True)) for row in rows]
    cursor = database.cursor()
    cursor.executemany(sql, values)


def _mark(rng: random.Random, mean: float, spread: float) -> str:
    raw = min(10.0, max(0.0, rng.gauss(mean, spread)))
    # Decimal from the float's text, rounded half up to one decimal: the stored canonical form
    return str(Decimal(repr(raw)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _entry_moments(rng: random.Random, semester: Semester, tx_n: int) -> dict[tuple[str, int], datetime]:
    """When the teacher enters each column of one class × subject, inside the school's entry windows (docs/rules.md §14).

    The first half of the ĐĐGtx marks in weeks 4 and 6 (half by week 8), the ĐĐGgk in weeks 8–9,
    the other ĐĐGtx in the ten days before the final tests (all by three days before them), the
    ĐĐGck within a week after the tests.
    """
    week_1 = semester.starts_on - timedelta(days=semester.starts_on.weekday())
    finals = semester.final_tests_on or week_1 + timedelta(weeks=16)
    first_half = (tx_n + 1) // 2
    days = {("tx", i): week_1 + timedelta(weeks=1 + 2 * i, days=rng.randint(0, 5)) for i in range(1, first_half + 1)}
    days |= {("tx", i): finals - timedelta(days=rng.randint(4, 9)) for i in range(first_half + 1, tx_n + 1)}
    days[("gk", 1)] = week_1 + timedelta(weeks=7, days=rng.randint(2, 10))
    days[("ck", 1)] = finals + timedelta(days=rng.randint(1, 6))
    return {key: datetime.combine(day, time(rng.randint(8, 21), rng.randint(0, 59))) for key, day in days.items()}


def _seed_digests(rows: list[dict], year, semester, classes, subjects) -> dict[str, str]:
    """The seeded values' digests per class subject, so that audit-verify can check cells not logged one by one."""
    from models.audit_check.replay import group_digests, mark_group

    codes = dict(Student.select(Student.id, Student.code).tuples())
    names = {c.id: c.name for c in classes}

    def keyed():
        for r in rows:
            if r["semester"] != semester.id:
                continue
            key = (f"{year.name}/{names[r['school_class']]}/{subjects[r['subject']].code}/HK{semester.number}/"
                   f"{codes[r['student']]}/{r['kind']}{r['idx']}")
            yield mark_group(key), key, r["value"]

    return group_digests(keyed())


def seed_demo_marks(seed: int = 2024, today: date | None = None) -> str:
    """Fill the current year's semesters for every class × subject with the marks entered before `today`
    (nothing for a test still to come); returns a one-line summary."""
    from models.audit.log import record
    from models.demo.thpt import demo_students
    from models.school import subject_groups

    today = today or date.today()
    cutoff = datetime.combine(today, time.min)
    year = SchoolYear.current()
    semesters = list(Semester.select().where(Semester.year == year).order_by(Semester.number))
    classes = list(SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name))
    subjects = {s.id: s for s in Subject.select()}
    periods = {(g, s): p for g, s, p in GradeSubject.select(GradeSubject.grade, GradeSubject.subject,
                                                            GradeSubject.periods_per_year).tuples()}
    # the coordinating teacher's account is the author of the seeded marks
    accounts = {staff_id: user_id for user_id, staff_id in User.select(User.id, User.staff).tuples()}
    teacher_of = {}
    for class_id, subject_id, staff_id, coordinator in (TeachingAssignment.select(
            TeachingAssignment.school_class, TeachingAssignment.subject, TeachingAssignment.teacher,
            TeachingAssignment.is_coordinator).tuples()):
        if coordinator or (class_id, subject_id) not in teacher_of:
            teacher_of[(class_id, subject_id)] = accounts.get(staff_id)
    roster: dict[int, list[tuple[int, str, date | None, date | None]]] = {}
    for class_id, student_id, full_name, joined_on, left_on in (
            Enrolment.select(Enrolment.school_class, Student.id, Student.full_name, Enrolment.joined_on,
                             Enrolment.left_on).join(Student)
            .where(Enrolment.school_class.in_([c.id for c in classes])).tuples()):
        roster.setdefault(class_id, []).append((student_id, full_name, joined_on, left_on))

    # THPT: each class's group subjects, its chuyên đề ĐĐGtx and the students who study a subject elsewhere
    studied_by_class = subject_groups.subjects_by_class(classes)
    topics = subject_groups.topic_tx_by_class(classes)
    electives = list(subject_groups.StudentElective.select(
        subject_groups.StudentElective.student, subject_groups.StudentElective.teaching_class,
        subject_groups.StudentElective.subject, subject_groups.StudentElective.replaces)
        .where(subject_groups.StudentElective.teaching_class.in_([c.id for c in classes])).tuples())
    replaced = {(student_id, replaces) for student_id, _, _, replaces in electives if replaces}
    counts = {s.number: 0 for s in semesters}
    rows = []
    for semester in semesters:
        # one stream per semester and class, every value drawn whatever `today` is: a later day
        # only adds marks, the ones already there stay as they were
        for school_class in classes:
            rng = random.Random(f"sotruong-demo-marks:{seed}:{year.start_year}:{semester.number}:{school_class.name}")
            profiles = {s.full_name: s.profile for s in demo_students(school_class.name, seed, year.start_year)}
            studied = studied_by_class[school_class.id]  # THPT: the class's group
            ability = {sid: rng.gauss(0, 0.5) for sid, _, _, _ in roster.get(school_class.id, [])}
            for (grade_id, subject_id), per_year in sorted(periods.items()):
                if grade_id != school_class.grade_id or (studied is not None and subject_id not in studied):
                    continue
                subject = subjects[subject_id]
                tx_n = tt22.tx_count(per_year, subject.comment_only) + topics.get((school_class.id, subject_id), 0)
                author = teacher_of.get((school_class.id, subject_id))
                difficulty = rng.uniform(-0.4, 0.4)
                final_missing = rng.random() < CK_MISSING
                moments = _entry_moments(rng, semester, tx_n)
                for student_id, full_name, joined_on, left_on in roster.get(school_class.id, []):
                    if (student_id, subject_id) in replaced:  # studies another elective with another class
                        continue
                    profile = profiles.get(full_name, "normal")
                    mean, spread = PROFILE_MARKS.get(profile, PROFILE_MARKS["normal"])
                    for (kind, idx), at in moments.items():
                        missing = (kind == "ck" and final_missing) or (kind == "tx" and rng.random() < TX_MISSING)
                        if subject.comment_only:
                            value = tt22.COMMENT_FAIL if rng.random() < PROFILE_FAIL.get(profile, 0.01) \
                                else tt22.COMMENT_PASS
                        else:
                            value = _mark(rng, mean + ability[student_id] + difficulty, spread * 0.8)
                        if missing or at >= cutoff or not rules.enrolled_on(at.date(), joined_on, left_on):
                            continue
                        rows.append({"school_class": school_class.id, "subject": subject_id,
                                     "semester": semester.id, "student": student_id, "kind": kind, "idx": idx,
                                     "value": value, "version": 1, "updated_by": author, "updated_at": at,
                                     "corrected": False})
                        counts[semester.number] += 1
    by_id = {c.id: c for c in classes}
    home_of = {student_id: class_id for class_id, pupils in roster.items() for student_id, _, _, left_on in pupils
               if left_on is None}
    for semester in semesters:
        # a student taking an elective with another class: marks from that class's teacher, in their own book
        for student_id, teaching_id, subject_id, _ in sorted(electives):
            home = by_id.get(home_of.get(student_id))
            teaching = by_id[teaching_id]
            per_year = periods.get((teaching.grade_id, subject_id))
            if home is None or not per_year:
                continue
            rng = random.Random(f"sotruong-demo-marks:{seed}:{year.start_year}:{semester.number}:{home.name}:"
                                f"{teaching.name}:{subject_id}:{student_id}")
            subject = subjects[subject_id]
            tx_n = tt22.tx_count(per_year, subject.comment_only) + topics.get((teaching_id, subject_id), 0)
            for (kind, idx), at in _entry_moments(rng, semester, tx_n).items():
                value = (tt22.COMMENT_PASS if subject.comment_only else _mark(rng, *PROFILE_MARKS["normal"]))
                if at >= cutoff:
                    continue
                rows.append({"school_class": home.id, "subject": subject_id, "semester": semester.id,
                             "student": student_id, "kind": kind, "idx": idx, "value": value, "version": 1,
                             "updated_by": teacher_of.get((teaching_id, subject_id)), "updated_at": at,
                             "corrected": False})
                counts[semester.number] += 1
    with write_transaction():
        bulk_insert(MarkCell, rows)
        for semester in semesters:
            if counts[semester.number]:
                record("seed_demo_marks", "mark", f"{year.name}/HK{semester.number}",
                       after={"cells": counts[semester.number], "classes": len(classes), "until": today.isoformat(),
                              "digests": _seed_digests(rows, year, semester, classes, subjects)},
                       reason=f"Điểm mẫu {semester.label} nhập trước ngày {format_date(today)} "
                              "(không ghi lịch sử từng ô)")
    return ", ".join(f"{n} ô điểm học kì {'I' * number}" for number, n in counts.items() if n) or "chưa có ô điểm nào"
