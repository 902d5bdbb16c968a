"""The small school of tests/factories.py made ready for year end: grade 6 gets eight scored subjects and a
comment-only one (TT22 needs at least six scored subjects for any level above Chưa đạt), each taught in 6A1,
and helpers that type whole semesters of marks straight into the book."""
from datetime import date, datetime
from decimal import Decimal

from models.core import write_transaction
from models.gradebook.marks import MarkCell
from models.rules import tt22
from models.school.structure import GradeSubject, Semester, Subject, TeachingAssignment

EXTRA_SUBJECTS = [("VAN", "Ngữ văn"), ("ANH", "Tiếng Anh"), ("KHTN", "Khoa học tự nhiên"),
                  ("LSDL", "Lịch sử và Địa lí"), ("GDCD", "Giáo dục công dân"), ("CN", "Công nghệ"),
                  ("TIN", "Tin học")]
PERIODS = 35  # two ĐĐGtx a semester


def add_subjects(school: dict) -> list[Subject]:
    """Seven more scored subjects for grade 6, taught in 6A1 by giaovien; returns every grade-6 subject."""
    c6a1 = school["classes"]["6A1"]
    with write_transaction():
        for i, (code, name) in enumerate(EXTRA_SUBJECTS, start=3):
            subject = Subject.create(code=code, name=name, kind="scored", position=i)
            GradeSubject.create(grade=c6a1.grade, subject=subject, periods_per_year=PERIODS)
            TeachingAssignment.create(school_class=c6a1, subject=subject, teacher=school["staff"]["giaovien"])
            school["subjects"][code] = subject
    return list(school["subjects"].values())


def semester(school: dict, number: int) -> Semester:
    return Semester.get((Semester.year == school["year"]) & (Semester.number == number))


def tx_n(school: dict, subject: Subject) -> int:
    gs = GradeSubject.get((GradeSubject.grade == school["classes"]["6A1"].grade) & (GradeSubject.subject == subject))
    return tt22.tx_count(gs.periods_per_year, subject.comment_only)


def type_marks(school: dict, student, subject: Subject, number: int, value: str, skip_final: bool = False) -> None:
    """Every required mark of the semester set to `value` (one mark everywhere makes the average that mark)."""
    term = semester(school, number)
    cells = [("tx", i) for i in range(1, tx_n(school, subject) + 1)] + [("gk", 1)] + ([] if skip_final else [("ck", 1)])
    with write_transaction():
        for kind, idx in cells:
            MarkCell.insert(school_class=school["classes"]["6A1"], subject=subject, semester=term, student=student,
                            kind=kind, idx=idx, value=value, version=1, updated_at=datetime.now()).execute()


def type_year(school: dict, student, marks: dict[str, str], level: str = tt22.COMMENT_PASS) -> None:
    """Both semesters of every subject: `marks` by subject code (canonical "8.0"), others 8.0; GDTC `level`."""
    for code, subject in school["subjects"].items():
        for number in (1, 2):
            if subject.comment_only:
                type_marks(school, student, subject, number, level)
            else:
                type_marks(school, student, subject, number, marks.get(code, "8.0"))


def mark(value: str) -> Decimal:
    return Decimal(value)


def absent(school: dict, student, sessions: int, value: str = "P") -> None:
    """`sessions` absences on school days of semester I (Monday–Friday, one session a day)."""
    from datetime import timedelta

    from models.attendance.register import AttendanceMark

    day, left = date(2024, 9, 9), sessions
    with write_transaction():
        while left:
            if day.weekday() < 5:
                AttendanceMark.insert(student=student, school_class=school["classes"]["6A1"], day=day, session=1,
                                      value=value, version=1, updated_at=datetime.now()).execute()
                left -= 1
            day += timedelta(days=1)
