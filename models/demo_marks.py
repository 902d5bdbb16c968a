"""Plausible semester-I marks for the demo school, bulk-inserted.

Seeded cells get version 1 and the subject teacher as their author, but no MarkChange rows: a
history row per seeded value would be ~100,000 rows of noise. One audit entry
("seed_demo_marks") records the load instead, and a seeded cell's history says it came from the
initial data. Every later change through the grid is recorded as usual.
"""
import random
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from models.core import write_transaction
from models.people.accounts import User
from models.gradebook.marks import MarkCell
from models.people.records import STUDENT_LEFT, Student
from models.rules import tt22
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
CHUNK = 1000


def _mark(rng: random.Random, mean: float, spread: float) -> str:
    raw = min(10.0, max(0.0, rng.gauss(mean, spread)))
    # Decimal from the float's text, rounded half up to one decimal: the stored canonical form
    return str(Decimal(repr(raw)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _seed_digests(rows: list[dict], year, semester, classes, subjects) -> dict[str, str]:
    """The seeded values' digests per class subject, so that audit-verify can check cells not logged one by one."""
    from models.audit_check.replay import group_digests, mark_group

    codes = dict(Student.select(Student.id, Student.code).tuples())
    names = {c.id: c.name for c in classes}

    def keyed():
        for r in rows:
            key = (f"{year.name}/{names[r['school_class']]}/{subjects[r['subject']].code}/HK{semester.number}/"
                   f"{codes[r['student']]}/{r['kind']}{r['idx']}")
            yield mark_group(key), key, r["value"]

    return group_digests(keyed())


def seed_demo_marks(seed: int = 2024) -> str:
    """Fill semester I of the current year for every class × subject; returns a one-line summary."""
    from models.demo import data
    from models.audit.log import record

    rng = random.Random(seed)
    year = SchoolYear.current()
    semester = Semester.get((Semester.year == year) & (Semester.number == 1))
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
    roster: dict[int, list[tuple[int, str, bool]]] = {}
    for class_id, student_id, full_name, status, left_on in (
            Enrolment.select(Enrolment.school_class, Student.id, Student.full_name, Student.status,
                             Enrolment.left_on).join(Student)
            .where(Enrolment.school_class.in_([c.id for c in classes])).tuples()):
        roster.setdefault(class_id, []).append((student_id, full_name, status in STUDENT_LEFT or left_on is not None))

    start = datetime.combine(semester.starts_on, datetime.min.time())
    midterm_at = start + timedelta(weeks=9, hours=15)
    final_at = (datetime.combine(semester.final_tests_on, datetime.min.time()) + timedelta(days=3, hours=20)
                if semester.final_tests_on else start + timedelta(weeks=16))
    rows = []
    for school_class in classes:
        profiles = {s.full_name: s.profile for s in data.students(school_class.name)}
        ability = {sid: rng.gauss(0, 0.5) for sid, _, _ in roster.get(school_class.id, [])}
        for (grade_id, subject_id), per_year in sorted(periods.items()):
            if grade_id != school_class.grade_id:
                continue
            subject = subjects[subject_id]
            tx_n = tt22.tx_count(per_year, subject.comment_only)
            author = teacher_of.get((school_class.id, subject_id))
            difficulty = rng.uniform(-0.4, 0.4)
            final_missing = rng.random() < CK_MISSING
            for student_id, full_name, has_left in roster.get(school_class.id, []):
                profile = profiles.get(full_name, "normal")
                mean, spread = PROFILE_MARKS.get(profile, PROFILE_MARKS["normal"])
                columns = [("tx", i) for i in range(1, tx_n + 1)] + [("gk", 1), ("ck", 1)]
                if has_left:  # left during the semester: only the first marks
                    columns = columns[:2]
                for kind, idx in columns:
                    if (kind == "ck" and final_missing) or (kind == "tx" and rng.random() < TX_MISSING):
                        continue
                    if subject.comment_only:
                        value = tt22.COMMENT_FAIL if rng.random() < PROFILE_FAIL.get(profile, 0.01) \
                            else tt22.COMMENT_PASS
                    else:
                        value = _mark(rng, mean + ability[student_id] + difficulty, spread * 0.8)
                    at = (final_at if kind == "ck" else midterm_at if kind == "gk"
                          else start + timedelta(weeks=2 + 3 * idx, hours=rng.randint(8, 21)))
                    rows.append({"school_class": school_class.id, "subject": subject_id, "semester": semester.id,
                                 "student": student_id, "kind": kind, "idx": idx, "value": value, "version": 1,
                                 "updated_by": author, "updated_at": at, "corrected": False})
    digests = _seed_digests(rows, year, semester, classes, subjects)
    with write_transaction():
        for i in range(0, len(rows), CHUNK):
            MarkCell.insert_many(rows[i:i + CHUNK]).execute()
        record("seed_demo_marks", "mark", f"{year.name}/HK{semester.number}",
               after={"cells": len(rows), "classes": len(classes), "digests": digests},
               reason="Điểm mẫu học kì I (không ghi lịch sử từng ô)")
    return f"{len(rows)} ô điểm học kì I"
