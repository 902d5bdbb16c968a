"""Plausible primary assessments (TT27) for the primary demo school up to the day it is built, bulk-inserted:
each subject's level, periodic test score (where rules/tt27.tested_subjects says) and short comment, the 5
qualities and 10 competences at each moment already past, and the monthly comments of the months ended.

Like the grade book's demo marks (models/demo/marks.py), no value is logged one by one: one audit entry per
moment records how many were written and, per group, the digest audit-verify checks them against
(models/audit_check/replay.py). Every later change through the grids is logged as usual.
"""
import random
from datetime import date, datetime, time, timedelta

from models.audit.log import record
from models.core import write_transaction
from models.people.accounts import User
from models.people.records import Student
from models.primary.assessments import MonthlyComment, PrimaryCell, PrimaryTrait, months_of
from models.rules import tt27
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

CHUNK = 1000
# a pupil's band → (chance of T among the subject levels, chance of C, test score range, chance of T among traits)
BANDS = {"excellent": (1.0, 0.0, (9, 10), 1.0), "good": (0.9, 0.0, (7, 10), 0.92),
         "average": (0.3, 0.0, (5, 9), 0.35), "weak": (0.05, 0.2, (3, 7), 0.05)}
BAND_SHARES = (("excellent", 0.14), ("good", 0.36), ("average", 0.42), ("weak", 0.08))
COMMENTS = {
    "T": ["Hoàn thành tốt nội dung môn học; tích cực phát biểu xây dựng bài.",
          "Nắm vững kiến thức, vận dụng tốt vào bài tập.", "Tiếp thu nhanh, trình bày bài sạch đẹp."],
    "H": ["Hoàn thành nội dung môn học; cần cẩn thận hơn khi làm bài.",
          "Nắm được kiến thức cơ bản; cần mạnh dạn phát biểu hơn.", "Có tiến bộ; cần luyện tập thêm ở nhà."],
    "C": ["Chưa hoàn thành một số nội dung; cần ôn luyện thêm với sự hỗ trợ của gia đình.",
          "Tiếp thu còn chậm; cần được kèm cặp thêm."],
}
MONTH_COMMENTS = ["Em đi học đều, đúng giờ; tích cực tham gia các hoạt động của lớp.",
                  "Em chăm chỉ, biết giúp đỡ bạn bè; cần rèn chữ viết cẩn thận hơn.",
                  "Em ngoan, lễ phép; tháng này có tiến bộ trong môn Toán.",
                  "Em cần tập trung hơn trong giờ học và hoàn thành bài tập về nhà.",
                  "Em mạnh dạn phát biểu, đọc to rõ ràng; tiếp tục phát huy."]


def _band(rng: random.Random) -> str:
    draw, total = rng.random(), 0.0
    for band, share in BAND_SHARES:
        total += share
        if draw < total:
            return band
    return BAND_SHARES[-1][0]


def moment_days(rng: random.Random, semesters: dict[int, Semester]) -> dict[str, datetime]:
    """When a class's teachers enter each moment: mid-term in weeks 8–9 of its semester (the ĐĐGgk window),
    end of semester within a week after the final tests (ĐĐGck)."""
    when = {}
    for moment, number in tt27.MOMENT_SEMESTER.items():
        semester = semesters[number]
        week_1 = semester.starts_on - timedelta(days=semester.starts_on.weekday())
        if moment in tt27.MIDTERM_MOMENTS:
            day = week_1 + timedelta(weeks=7, days=rng.randint(2, 10))
        else:
            day = (semester.final_tests_on or week_1 + timedelta(weeks=16)) + timedelta(days=rng.randint(1, 6))
        when[moment] = datetime.combine(day, time(rng.randint(8, 20), rng.randint(0, 59)))
    return when


def _digests(rows: list[dict], moment: str, key_of) -> dict[str, str]:
    from models.audit_check.replay import group_digests, mark_group

    def keyed():
        for r in rows:
            if r["moment"] == moment and r["value"] is not None:
                key = key_of(r)
                yield mark_group(key), key, r["value"]

    return group_digests(keyed())


def _seed_summary(rows: list[dict], moment: str, key_of, today: date) -> dict:
    return {"cells": sum(1 for r in rows if r["moment"] == moment), "until": today.isoformat(),
            "digests": _digests(rows, moment, key_of)}


def seed_primary_assessments(seed: int = 2024, today: date | None = None) -> str:
    """Fill every primary class's moments entered before `today` (none for a moment still to come) and the
    monthly comments of the months ended; returns a one-line summary. Every value is drawn whatever `today`
    is, so a later day only adds values."""
    today = today or date.today()
    cutoff = datetime.combine(today, time.min)
    year = SchoolYear.current()
    semesters = {s.number: s for s in Semester.select().where(Semester.year == year)}
    classes = list(SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name))
    accounts = {staff_id: user_id for user_id, staff_id in User.select(User.id, User.staff).tuples()}
    teacher_of = {(c, s): accounts.get(t) for c, s, t in TeachingAssignment.select(
        TeachingAssignment.school_class, TeachingAssignment.subject, TeachingAssignment.teacher).tuples()}
    codes = dict(Student.select(Student.id, Student.code).tuples())
    subject_rows = list(GradeSubject.select(GradeSubject.grade, GradeSubject.subject).tuples())
    subjects = {s.id: s for s in Subject.select().order_by(Subject.position)}
    traits = [*tt27.QUALITIES, *tt27.COMPETENCES]

    cells, ratings, comments = [], [], []
    for school_class in classes:
        if school_class.grade.number not in tt27.GRADES:
            continue
        rng = random.Random(f"sotruong-primary-assess:{seed}:{year.start_year}:{school_class.name}")
        when = moment_days(rng, semesters)
        pupils = [sid for (sid,) in Enrolment.select(Enrolment.student).where(Enrolment.school_class == school_class)
                  .order_by(Enrolment.student).tuples()]
        bands = {sid: _band(rng) for sid in pupils}
        homeroom = accounts.get(school_class.homeroom_teacher_id)
        grade = school_class.grade.number
        taught = [subjects[s] for g, s in subject_rows if g == school_class.grade_id]
        taught.sort(key=lambda s: s.position)
        for moment, at in when.items():
            entered = at < cutoff
            tested = tt27.tested_subjects(grade, moment)
            for subject in taught:
                author = teacher_of.get((school_class.id, subject.id))
                for sid in pupils:
                    top, low, (lo, hi), _trait_top = BANDS[bands[sid]]
                    draw = rng.random()
                    level = "T" if draw < top else ("C" if draw > 1 - low else "H")
                    score = str(rng.randint(lo, hi)) if subject.name in tested else None
                    comment = rng.choice(COMMENTS[level])
                    if not entered:
                        continue
                    for name, value in (("level", level), ("score", score), ("comment", comment)):
                        if value is not None:
                            cells.append({"school_class": school_class.id, "subject": subject.id, "student": sid,
                                          "moment": moment, "field": name, "value": value, "version": 1,
                                          "updated_by": author, "updated_at": at})
            for sid in pupils:
                trait_top = BANDS[bands[sid]][3]
                for trait in traits:
                    draw = rng.random()
                    value = "T" if draw < trait_top else ("C" if bands[sid] == "weak" and draw > 0.85 else "Đ")
                    if entered:
                        ratings.append({"school_class": school_class.id, "student": sid, "moment": moment,
                                        "trait": trait, "value": value, "version": 1, "updated_by": homeroom,
                                        "updated_at": at})
        for year_month in months_of(school_class):
            first = date.fromisoformat(f"{year_month}-01")
            month_end = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            for sid in pupils:
                text = rng.choice(MONTH_COMMENTS)
                if month_end < today:
                    comments.append({"school_class": school_class.id, "student": sid, "year_month": year_month,
                                     "text": text, "version": 1, "updated_by": homeroom,
                                     "updated_at": datetime.combine(month_end, time(16, 30))})

    names = {c.id: c.name for c in classes}

    def cell_key(r):
        return (f"{year.name}/{names[r['school_class']]}/{subjects[r['subject']].code}/{r['moment']}/"
                f"{codes[r['student']]}/{r['field']}")

    def trait_key(r):
        return f"{year.name}/{names[r['school_class']]}/{r['moment']}/{codes[r['student']]}/{r['trait']}"

    with write_transaction():
        for model, rows in ((PrimaryCell, cells), (PrimaryTrait, ratings), (MonthlyComment, comments)):
            for i in range(0, len(rows), CHUNK):
                model.insert_many(rows[i:i + CHUNK]).execute()
        for moment, label in tt27.MOMENTS.items():
            reason = f"Đánh giá mẫu {label.lower()} nhập trước ngày {format_date(today)} (không ghi lịch sử từng ô)"
            if any(r["moment"] == moment for r in cells):
                record("seed_demo_primary", "primary_cell", f"{year.name}/{moment}",
                       after=_seed_summary(cells, moment, cell_key, today), reason=reason)
            if any(r["moment"] == moment for r in ratings):
                record("seed_demo_primary", "primary_trait", f"{year.name}/{moment}",
                       after=_seed_summary(ratings, moment, trait_key, today), reason=reason)
        if comments:
            record("seed_demo_primary", "monthly_comment", year.name,
                   after={"cells": len(comments), "until": today.isoformat()},
                   reason=f"Nhận xét hằng tháng mẫu đến trước ngày {format_date(today)}")
    done = [m for m in tt27.MOMENTS if any(r["moment"] == m for r in ratings)]
    return (f"{len(cells)} ô đánh giá môn học, {len(ratings)} ô phẩm chất, năng lực "
            f"({', '.join(done) or 'chưa đến kì đánh giá nào'}), {len(comments)} nhận xét tháng")
