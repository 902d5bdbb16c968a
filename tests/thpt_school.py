"""A small THPT for tests: grade 10 with two classes of different subject groups and one student taking an
elective with the other class."""
from datetime import date, datetime

from models.core import write_transaction
from models.gradebook.locks import switch_lock
from models.people.records import create_student
from models.school import subject_groups as sg
from models.school.structure import (
    Grade,
    GradeSubject,
    SchoolClass,
    Semester,
    Subject,
    TeachingAssignment,
    enrol,
)


def build_thpt(school) -> dict:
    """Grade 10: 10A1 (KHTN: Vật lí, Tin học; Toán chuyên đề) and 10A2 (KHXH: Địa lí); Lê Văn Bình of 10A2
    studies Tin học with 10A1 instead of Địa lí. giaovien teaches Toán to both and Tin học to 10A1."""
    year, staff = school["year"], school["staff"]
    with write_transaction():
        g10 = Grade.create(number=10, level="thpt")
        math = school["subjects"]["TOAN"]
        subjects = {"TOAN": math}
        for pos, (code, name) in enumerate([("LI", "Vật lí"), ("TIN", "Tin học"), ("DIA", "Địa lí")], start=3):
            subjects[code] = Subject.create(code=code, name=name, kind="scored", position=pos)
        for subject in subjects.values():
            GradeSubject.create(grade=g10, subject=subject, periods_per_year=105 if subject is math else 70)
        khtn = sg.create_group("KHTN", "Khoa học tự nhiên", [subjects["LI"], subjects["TIN"]], [math])
        khxh = sg.create_group("KHXH", "Khoa học xã hội", [subjects["DIA"]], [])
        c1 = SchoolClass.create(year=year, grade=g10, name="10A1")
        c2 = SchoolClass.create(year=year, grade=g10, name="10A2")
        sg.set_class_group(c1, khtn)
        sg.set_class_group(c2, khxh)
        a = {}
        for cls, code, who in [(c1, "TOAN", "giaovien"), (c1, "TIN", "giaovien"), (c2, "TOAN", "giaovien"),
                               (c2, "DIA", "totruong")]:
            a[(cls.name, code)] = TeachingAssignment.create(school_class=cls, subject=subjects[code],
                                                            teacher=staff[who])
        pupils = {}
        for cls, name in [(c1, "Phạm Thu Hà"), (c2, "Lê Văn Bình"), (c2, "Đỗ Thị Lan")]:
            pupils[name] = create_student({"full_name": name, "gender": "Nữ", "date_of_birth": date(2009, 5, 5)},
                                          2024)
            enrol(pupils[name], cls, date(2024, 9, 5))
        sg.add_student_elective(pupils["Lê Văn Bình"], c1, subjects["TIN"], replaces=subjects["DIA"])
        for number in (1, 2):
            switch_lock("school", "", False, "Mở sổ để kiểm thử", None,
                        semester=Semester.get((Semester.year == year) & (Semester.number == number)),
                        now=datetime(2024, 9, 1))
    return {"classes": {"10A1": c1, "10A2": c2}, "subjects": subjects, "assignments": a, "pupils": pupils,
            "hk1": Semester.get((Semester.year == year) & (Semester.number == 1))}
