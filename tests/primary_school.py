"""A primary grade on top of the small school: grade 4 with Tiếng Việt, Toán and Đạo đức, class 4A1 (homeroom:
chunhiem), Tiếng Việt taught by giaovien, three pupils; both semesters open for entry."""
from datetime import date, datetime

from models.core import write_transaction
from models.gradebook.locks import switch_lock
from models.people.records import create_student
from models.school.structure import (
    Grade,
    GradeSubject,
    SchoolClass,
    Semester,
    Subject,
    TeachingAssignment,
    enrol,
)

PUPILS = ["Lê Minh Anh", "Trần Văn Bình", "Phạm Thị Chi"]


def build_primary(school: dict, unlock: bool = True) -> dict:
    with write_transaction():
        school["school"].levels = "tieu_hoc,thcs"
        school["school"].save()
        g4 = Grade.create(number=4, level="tieu_hoc")
        tv = Subject.create(code="TV", name="Tiếng Việt", kind="comment", position=0)
        dd = Subject.create(code="DD", name="Đạo đức", kind="comment", position=3)
        math = school["subjects"]["TOAN"]
        for subject, periods in ((tv, 245), (math, 175), (dd, 35)):
            GradeSubject.create(grade=g4, subject=subject, periods_per_year=periods)
        c4a1 = SchoolClass.create(year=school["year"], grade=g4, name="4A1", homeroom_teacher=school["staff"]["chunhiem"])
        a_tv = TeachingAssignment.create(school_class=c4a1, subject=tv, teacher=school["staff"]["giaovien"])
        a_math = TeachingAssignment.create(school_class=c4a1, subject=math, teacher=school["staff"]["chunhiem"])
        a_dd = TeachingAssignment.create(school_class=c4a1, subject=dd, teacher=school["staff"]["chunhiem"])
        pupils = {}
        for i, name in enumerate(PUPILS):
            pupil = create_student({"full_name": name, "gender": "Nữ" if "Thị" in name else "Nam",
                                    "date_of_birth": date(2015, 1 + i, 5)}, 2024)
            enrol(pupil, c4a1, date(2024, 9, 5))
            pupils[name] = pupil
        if unlock:
            for semester in Semester.select().where(Semester.year == school["year"]):
                switch_lock("school", "", False, "Mở sổ để kiểm thử", None, semester=semester,
                            now=datetime(2024, 9, 1))
    return {"class": c4a1, "tv": a_tv, "math": a_math, "dd": a_dd, "pupils": pupils,
            "subjects": {"TV": tv, "TOAN": math, "DD": dd}}
