"""The primary demo school (`flask --app app seed-demo --level primary`): grades 1–5, five classes a grade of
about 35 pupils, the 2018 programme's subjects and periods (models/rules/tt27.py), a homeroom teacher per class
who teaches the class's main subjects, specialist teachers for Ngoại ngữ 1, Âm nhạc, Mĩ thuật, Giáo dục thể
chất and Tin học và Công nghệ, and the demo accounts under the same names as the secondary demo.

Deterministic: the same seed and day give the same school.
"""
import random
from datetime import date, datetime

from werkzeug.security import generate_password_hash

from models.audit.log import record
from models.core import write_transaction
from models.demo.data import _FAMILY, _adult_name, _child_name, _pick
from models.demo.school import DEMO_PASSWORD, add_discipline_officer
from models.people.accounts import User, UserRole
from models.people.records import create_staff, create_student
from models.rules import tt27
from models.rules.school_year import semesters_of, start_year_of, year_name
from models.school.structure import (
    Department,
    DepartmentMember,
    Grade,
    GradeSubject,
    School,
    SchoolClass,
    SchoolYear,
    Semester,
    Subject,
    TeachingAssignment,
    enrol,
)

CLASSES_PER_GRADE = 5
PUPILS_PER_CLASS = (33, 37)
SUBJECT_CODES = {
    tt27.TIENG_VIET: "TV", tt27.TOAN: "TOAN", tt27.NGOAI_NGU_1: "NN1", tt27.DAO_DUC: "DD",
    tt27.TU_NHIEN_XA_HOI: "TNXH", tt27.LICH_SU_DIA_LI: "LSDL", tt27.KHOA_HOC: "KH",
    tt27.TIN_HOC_CONG_NGHE: "THCN", tt27.GIAO_DUC_THE_CHAT: "GDTC", tt27.AM_NHAC: "AN", tt27.MI_THUAT: "MT",
    tt27.HOAT_DONG_TRAI_NGHIEM: "HDTN",
}
# specialist subjects → how many teachers share the classes that study them
SPECIALISTS = {tt27.NGOAI_NGU_1: 3, tt27.AM_NHAC: 2, tt27.MI_THUAT: 2, tt27.GIAO_DUC_THE_CHAT: 3,
               tt27.TIN_HOC_CONG_NGHE: 2}
DEPARTMENTS = [(f"KHOI{n}", f"Tổ chuyên môn khối {n}") for n in tt27.GRADES] + [("CHUYEN", "Tổ chuyên biệt")]
# the demo accounts: chunhiem is the homeroom teacher of 4A1 (a grade with mid-term tests), totruong heads the
# grade 4 team and is homeroom teacher of 4A2, giaovien teaches English (Ngoại ngữ 1)
HOMEROOM_ACCOUNTS = {"4A1": "chunhiem", "4A2": "totruong"}
OFFICE = [("hieutruong", "principal", "Hiệu trưởng"), ("phohieutruong", "vice_principal", "Phó hiệu trưởng"),
          ("admin", "admin", "Văn thư"), ("yte", "nurse", "Nhân viên y tế"), ("ketoan", "accountant", "Kế toán")]


def _person(rand: random.Random, start_year: int, position: str, taken: set[str]) -> tuple:
    gender = "Nữ" if rand.random() < 0.8 else "Nam"
    name = _adult_name(rand, gender)
    while name in taken:
        name = _adult_name(rand, gender)
    taken.add(name)
    born = date(rand.randint(1970, 1998), rand.randint(1, 12), rand.randint(1, 28))
    person = create_staff({"full_name": name, "gender": gender, "date_of_birth": born, "position": position,
                           "qualification": "Đại học Sư phạm Giáo dục Tiểu học"}, start_year, rand=rand)
    return person, name


def _account(username: str, person, name: str, roles: set[str], shared_hash: str, now: datetime) -> None:
    user = User.create(username=username, full_name=name, password_hash=shared_hash, staff=person,
                       must_change_password=False, password_changed_at=now)
    for role in sorted(roles):
        UserRole.create(user=user, role=role)


def seed_primary_school(seed: int = 2024, today: date | None = None, classes_per_grade: int = CLASSES_PER_GRADE) -> str:
    """Build the primary demo school for the school year holding `today`, in one transaction; returns a summary.
    `classes_per_grade` smaller than five only for tests."""
    from models.gradebook.locks import fill_default_windows

    today = today or date.today()
    start_year = start_year_of(today)
    rand = random.Random(f"sotruong-primary:{seed}")
    shared_hash = generate_password_hash(DEMO_PASSWORD)
    now = datetime.now()
    taken: set[str] = set()
    with write_transaction():
        School.create(name="Trường Tiểu học Bình Minh", code="THBM", header_line_1="UBND QUẬN TÂN HOÀ",
                      header_line_2="PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN TÂN HOÀ", levels="tieu_hoc",
                      address="18 đường Lạc Long Quân, Phường Tân Mỹ, Quận Tân Hoà, TP. Hồ Chí Minh",
                      place_name="Tân Hoà", is_demo=True)
        grades = {n: Grade.create(number=n, level="tieu_hoc") for n in tt27.GRADES}
        departments = {code: Department.create(name=name, code=code) for code, name in DEPARTMENTS}
        subjects = {}
        for position, (name, code) in enumerate(SUBJECT_CODES.items(), start=1):
            # TT27 assesses every subject by comment and level (the test score is its own field)
            subjects[name] = Subject.create(code=code, name=name, kind="comment", position=position,
                                            department=departments["CHUYEN"] if name in SPECIALISTS else None)
        for n, grade in grades.items():
            for name, periods in tt27.subjects_of(n).items():
                GradeSubject.create(grade=grade, subject=subjects[name], periods_per_year=periods)

        staff_count = 0
        for username, role, position in OFFICE:
            person, name = _person(rand, start_year, position, taken)
            _account(username, person, name, {role}, shared_hash, now)
            staff_count += 1
        add_discipline_officer(start_year, shared_hash, now, seed)
        staff_count += 1

        year = SchoolYear.create(name=year_name(start_year), start_year=start_year, is_current=True)
        semesters = [Semester.create(year=year, number=d.number, starts_on=d.starts_on, ends_on=d.ends_on,
                                     teaching_weeks=d.teaching_weeks, final_tests_on=d.final_tests_on)
                     for d in semesters_of(start_year)]
        classes = []
        for n, grade in grades.items():
            for k in range(1, classes_per_grade + 1):
                class_name = f"{n}A{k}"
                username = HOMEROOM_ACCOUNTS.get(class_name, f"gvcn{n}a{k}")
                person, name = _person(rand, start_year, "Giáo viên", taken)
                roles = {"teacher"} | ({"head_of_department"} if username == "totruong" else set())
                _account(username, person, name, roles, shared_hash, now)
                DepartmentMember.create(department=departments[f"KHOI{n}"], staff=person,
                                        is_head=username == "totruong" or (n != 4 and k == 1))
                staff_count += 1
                school_class = SchoolClass.create(year=year, grade=grade, name=class_name, homeroom_teacher=person)
                classes.append(school_class)
                for subject_name in tt27.subjects_of(n):
                    if subject_name not in SPECIALISTS:
                        TeachingAssignment.create(school_class=school_class, subject=subjects[subject_name],
                                                  teacher=person)
        for subject_name, count in SPECIALISTS.items():
            teachers = []
            for i in range(count):
                username = "giaovien" if subject_name == tt27.NGOAI_NGU_1 and i == 0 \
                    else f"gv{SUBJECT_CODES[subject_name].lower()}{i + 1}"
                person, name = _person(rand, start_year, "Giáo viên", taken)
                _account(username, person, name, {"teacher"}, shared_hash, now)
                DepartmentMember.create(department=departments["CHUYEN"], staff=person, is_head=False)
                teachers.append(person)
                staff_count += 1
            studying = [c for c in classes if subject_name in tt27.subjects_of(c.grade.number)]
            # giaovien (the first English teacher) takes grade 4, where the demo's homeroom classes are
            studying.sort(key=lambda c: (c.grade.number != 4, c.name))
            share = -(-len(studying) // count)
            for i, school_class in enumerate(studying):
                TeachingAssignment.create(school_class=school_class, subject=subjects[subject_name],
                                          teacher=teachers[i // share])

        pupils = 0
        for school_class in classes:
            n = school_class.grade.number
            names: set[str] = set()
            for _ in range(rand.randint(*PUPILS_PER_CLASS)):
                gender = rand.choice(("Nam", "Nữ"))
                family = _pick(rand, _FAMILY)
                name = _child_name(rand, gender, family, _pick(rand, _FAMILY))
                while name in names:
                    name = _child_name(rand, gender, family, None)
                names.add(name)
                born = date(start_year - 5 - n, rand.randint(1, 12), rand.randint(1, 28))
                pupil = create_student({"full_name": name, "gender": gender, "date_of_birth": born,
                                        "ethnicity": "Kinh", "birthplace": "TP. Hồ Chí Minh"}, start_year, rand=rand,
                                       effective_on=semesters[0].starts_on)
                enrol(pupil, school_class, semesters[0].starts_on)
                pupils += 1
        for semester in semesters:
            fill_default_windows(semester)
        record("seed_demo", "school", "THBM", after={"classes": len(classes), "students": pupils,
                                                     "staff": staff_count, "year": year.name,
                                                     "today": today.isoformat(), "level": "tieu_hoc"})
    return f"trường tiểu học, năm học {year.name}, {len(classes)} lớp, {pupils} học sinh, {staff_count} cán bộ"


def seed_primary_demo(seed: int = 2024, today: date | None = None, classes_per_grade: int = CLASSES_PER_GRADE) -> str:
    """The whole primary demo (`seed-demo --level primary`): the school, its TT27 assessments entered before `today`
    and the nề nếp of the last weeks, as the lower-secondary demo has them; returns a one-line summary."""
    from models.demo.discipline import seed_demo_discipline
    from models.demo.primary_assessments import seed_primary_assessments

    today = today or date.today()
    summary = seed_primary_school(seed, today, classes_per_grade)
    assessments = seed_primary_assessments(seed, today)
    discipline = seed_demo_discipline(seed, today)
    return f"{summary}; {assessments}. {discipline}"
