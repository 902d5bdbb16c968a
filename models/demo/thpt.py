"""The upper-secondary demo school (`flask --app app seed-demo --level thpt`): grades 10–12, nine classes a
grade of about 42 students, four subject groups (tổ hợp) with their chuyên đề, teachers per subject, and
the same demo account names as the lower-secondary demo (chunhiem is GVCN of 10A1).

Students are the lower-secondary demo's class lists four grades up (10A3 is 6A3's list, born four years
earlier), so the two demos share their names and profiles and the THCS demo stays as it is. Two students of
10A2 take Tin học with 10A1 (giaovien's grid) instead of Công nghệ.

Students, enrolments and status changes go in with a few bulk inserts and one audit entry carrying their
digest (a seed of seconds, not minutes: bench/demo_thpt_seed.py); the marks module seeds the guests' marks.
"""
import random
from dataclasses import replace
from datetime import date, datetime

from werkzeug.security import generate_password_hash

from models.audit.log import record
from models.core import write_transaction
from models.demo.school import DEMO_PASSWORD, add_discipline_officer
from models.people.accounts import User, UserRole
from models.people.records import create_staff
from models.rules.school_year import semesters_of, start_year_of, year_name
from models.school import subject_groups
from models.school.structure import (
    Department,
    DepartmentMember,
    Enrolment,
    Grade,
    GradeSubject,
    School,
    SchoolClass,
    SchoolYear,
    Semester,
    Subject,
    TeachingAssignment,
    class_sort_key,
)

GRADES = (10, 11, 12)
CLASSES_PER_GRADE = 9
CLASSES_PER_TEACHER = 5  # of one subject
YEARS_UP = 4  # 10A3's list is 6A3's, four grades up

SCHOOL = dict(name="Trường THPT Bình Minh", code="THPTBM", header_line_1="SỞ GIÁO DỤC VÀ ĐÀO TẠO TP. HỒ CHÍ MINH",
              header_line_2="", levels="thpt",
              address="88 đường Lạc Long Quân, Phường Tân Mỹ, Quận Tân Hoà, TP. Hồ Chí Minh", place_name="Tân Hoà")

DEPARTMENTS = (
    ("NGU_VAN", "Tổ Ngữ văn"),
    ("TOAN_TIN", "Tổ Toán – Tin học"),
    ("KHTN_CN", "Tổ Vật lí – Hoá học – Sinh học – Công nghệ"),
    ("NGOAI_NGU", "Tổ Ngoại ngữ"),
    ("SU_DIA_KTPL", "Tổ Lịch sử – Địa lí – Giáo dục kinh tế và pháp luật"),
    ("TC_QP_NT", "Tổ Thể chất – Quốc phòng – Nghệ thuật"),
    ("VAN_PHONG", "Tổ Văn phòng"),
)

# the 2018 programme for grades 10–12: code, name, kind, department, periods per year
SUBJECTS = (
    ("VAN", "Ngữ văn", "scored", "NGU_VAN", 105),
    ("TOAN", "Toán", "scored", "TOAN_TIN", 105),
    ("NN1", "Ngoại ngữ 1 (Tiếng Anh)", "scored", "NGOAI_NGU", 105),
    ("SU", "Lịch sử", "scored", "SU_DIA_KTPL", 52),
    ("GDTC", "Giáo dục thể chất", "comment", "TC_QP_NT", 70),
    ("QPAN", "Giáo dục quốc phòng và an ninh", "scored", "TC_QP_NT", 35),
    ("HDTN", "Hoạt động trải nghiệm, hướng nghiệp", "comment", "SU_DIA_KTPL", 105),
    ("GDDP", "Nội dung giáo dục của địa phương", "comment", "SU_DIA_KTPL", 35),
    ("DIA", "Địa lí", "scored", "SU_DIA_KTPL", 70),
    ("KTPL", "Giáo dục kinh tế và pháp luật", "scored", "SU_DIA_KTPL", 70),
    ("LI", "Vật lí", "scored", "KHTN_CN", 70),
    ("HOA", "Hoá học", "scored", "KHTN_CN", 70),
    ("SINH", "Sinh học", "scored", "KHTN_CN", 70),
    ("CN", "Công nghệ", "scored", "KHTN_CN", 70),
    ("TIN", "Tin học", "scored", "TOAN_TIN", 70),
    ("AN", "Âm nhạc", "comment", "TC_QP_NT", 70),
    ("MT", "Mĩ thuật", "comment", "TC_QP_NT", 70),
)

# code, name, electives, chuyên đề; classes take them in turn (10A1 TN1, 10A2 XH1, 10A3 TN2, ...)
GROUPS = (
    ("TN1", "Tự nhiên 1", ("LI", "HOA", "SINH", "TIN"), ("TOAN", "LI", "HOA")),
    ("XH1", "Xã hội 1", ("DIA", "KTPL", "LI", "CN"), ("VAN", "SU", "DIA")),
    ("TN2", "Tự nhiên 2", ("LI", "HOA", "CN", "TIN"), ("TOAN", "LI", "TIN")),
    ("XH2", "Xã hội 2", ("DIA", "KTPL", "AN", "MT"), ("VAN", "SU", "DIA")),
)

# the demo accounts: username, role, subject taught (first pick of that subject's classes), department
ACCOUNTS = (
    ("hieutruong", "principal", None, "SU_DIA_KTPL"),
    ("phohieutruong", "vice_principal", None, "NGU_VAN"),
    ("giaovien", "teacher", "TOAN", "TOAN_TIN"),  # first: Toán of 10A1–10A5, so two groups' grids
    ("totruong", "teacher", "TOAN", "TOAN_TIN"),
    ("chunhiem", "teacher", "VAN", "NGU_VAN"),
    ("yte", "nurse", None, "VAN_PHONG"),
    ("ketoan", "accountant", None, "VAN_PHONG"),
    ("admin", "clerk", None, "VAN_PHONG"),
)
_ROLES = {"principal": {"principal"}, "vice_principal": {"vice_principal"}, "teacher": {"teacher"},
          "nurse": {"nurse"}, "accountant": {"accountant"}, "clerk": {"admin"}}
_POSITIONS = {"principal": "Hiệu trưởng", "vice_principal": "Phó Hiệu trưởng", "teacher": "Giáo viên",
              "nurse": "Nhân viên y tế", "accountant": "Kế toán", "clerk": "Văn thư"}


def class_names() -> list[str]:
    return [f"{g}A{n}" for g in GRADES for n in range(1, CLASSES_PER_GRADE + 1)]


def group_code_of(class_name: str) -> str:
    number = int(class_name.partition("A")[2])
    return GROUPS[(number - 1) % len(GROUPS)][0]


def demo_students(class_name: str, seed: int, start_year: int) -> list:
    """The demo class list of either demo: a THPT class's is its lower-secondary source's, four years older."""
    from models.demo import data

    grade, _, number = class_name.partition("A")
    if int(grade) not in GRADES:
        return data.students(class_name, seed, start_year)
    source = f"{int(grade) - YEARS_UP}A{number}"
    return [replace(s, class_name=class_name, date_of_birth=data._shift_date(s.date_of_birth, -YEARS_UP))
            for s in data.students(source, seed, start_year)]


def _studies(class_name: str) -> set[str]:
    electives = {code for _, _, codes, _ in GROUPS for code in codes}
    group = next(g for g in GROUPS if g[0] == group_code_of(class_name))
    return {code for code, *_ in SUBJECTS if code not in electives} | set(group[2])


def seed_thpt_school(seed: int = 2024, today: date | None = None) -> str:
    """Build the THPT demo school for the school year holding `today`, in one transaction."""
    from models.demo import data
    from models.gradebook.locks import fill_default_windows

    today = today or date.today()
    start_year = start_year_of(today)
    rand = random.Random(f"thpt:{seed}")
    with write_transaction():
        school = School.create(**SCHOOL, is_demo=True)
        grades = {n: Grade.create(number=n, level="thpt") for n in GRADES}
        departments = {code: Department.create(name=name, code=code) for code, name in DEPARTMENTS}
        subjects = {}
        for position, (code, name, kind, dept, periods) in enumerate(SUBJECTS, start=1):
            subjects[code] = Subject.create(code=code, name=name, kind=kind, department=departments[dept],
                                            position=position)
            for grade in grades.values():
                GradeSubject.create(grade=grade, subject=subjects[code], periods_per_year=periods)
        groups = {code: subject_groups.create_group(code, name, [subjects[c] for c in electives],
                                                    [subjects[c] for c in topics])
                  for code, name, electives, topics in GROUPS}

        year = SchoolYear.create(name=year_name(start_year), start_year=start_year, is_current=True)
        semesters = [Semester.create(year=year, number=d.number, starts_on=d.starts_on, ends_on=d.ends_on,
                                     teaching_weeks=d.teaching_weeks, final_tests_on=d.final_tests_on)
                     for d in semesters_of(start_year)]
        opens_on = semesters[0].starts_on
        names = sorted(class_names(), key=class_sort_key)
        classes = {}
        for name in names:
            classes[name] = SchoolClass.create(year=year, grade=grades[int(name.partition("A")[0])], name=name)
            subject_groups.set_class_group(classes[name], groups[group_code_of(name)])

        # staff: the demo accounts, then enough teachers for each subject's classes
        shared_hash = generate_password_hash(DEMO_PASSWORD)
        now = datetime.now()
        taken: set[str] = set()

        def person(username: str | None, role: str, department: str):
            gender = rand.choice(("Nam", "Nữ"))
            full_name = data._adult_name(rand, gender)
            username = username or data.username_for(full_name, taken)
            taken.add(username)
            born = date(start_year - rand.randint(25, 55), rand.randint(1, 12), rand.randint(1, 28))
            staff = create_staff({"full_name": full_name, "gender": gender, "date_of_birth": born,
                                  "position": _POSITIONS[role], "qualification": "Đại học sư phạm"},
                                 start_year, rand=rand)
            user = User.create(username=username, full_name=full_name, password_hash=shared_hash, staff=staff,
                               must_change_password=False, password_changed_at=now)
            for r in sorted(_ROLES[role]):
                UserRole.create(user=user, role=r)
            DepartmentMember.create(department=departments[department], staff=staff,
                                    is_head=username == "totruong")
            return staff

        pools: dict[str, list] = {code: [] for code, *_ in SUBJECTS}
        accounts = {}
        for username, role, subject, department in ACCOUNTS:
            accounts[username] = person(username, role, department)
            if subject:
                pools[subject].append(accounts[username])
        add_discipline_officer(start_year, shared_hash, now, seed)
        pools["TIN"].append(accounts["giaovien"])  # giaovien also teaches Tin học in 10A1: the guests' grid
        UserRole.create(user=User.get(User.username == "totruong"), role="head_of_department")
        teaching = {code: [n for n in names if code in _studies(n)] for code, *_ in SUBJECTS if code != "HDTN"}
        for code, class_list in teaching.items():
            department = next(s[3] for s in SUBJECTS if s[0] == code)
            while len(pools[code]) * CLASSES_PER_TEACHER < len(class_list):
                pools[code].append(person(None, "teacher", department))
            for i, name in enumerate(class_list):
                TeachingAssignment.create(school_class=classes[name], subject=subjects[code],
                                          teacher=pools[code][i // CLASSES_PER_TEACHER])
        # homeroom teachers: chunhiem for 10A1, then subject teachers in turn; each teaches HĐTN-HN
        homeroom = [accounts["chunhiem"]] + [t for code in teaching for t in pools[code]
                                             if t.id not in {a.id for a in accounts.values()}]
        seen: set[int] = set()
        homeroom = [t for t in homeroom if not (t.id in seen or seen.add(t.id))]
        for name, teacher in zip(names, homeroom, strict=False):
            classes[name].homeroom_teacher = teacher
            classes[name].save()
            TeachingAssignment.create(school_class=classes[name], subject=subjects["HDTN"], teacher=teacher)

        student_count, guests = _bulk_students(classes, names, seed, start_year, today, opens_on, rand)
        for student in guests:
            subject_groups.add_student_elective(student, classes["10A1"], subjects["TIN"], replaces=subjects["CN"])
        for semester in semesters:
            fill_default_windows(semester)
        counts = {"classes": len(classes), "students": student_count, "staff": User.select().count()}
        record("seed_demo", "school", school.code, after={**counts, "year": year.name, "today": today.isoformat(),
                                                         "level": "thpt"})
    return f"năm học {year.name}, {counts['classes']} lớp, {counts['students']} học sinh, {counts['staff']} cán bộ"


def _bulk_students(classes: dict, names: list[str], seed: int, start_year: int, today: date, opens_on: date,
                   rand: random.Random) -> tuple[int, list]:
    """Every student of the year, their enrolment and dated status changes, in a few bulk inserts instead of
    create_student/enrol/change_student_status one by one (about 20 queries a student: minutes on
    PostgreSQL). One audit entry records the load with a digest of what was written; the codes are drawn
    from the same stream in the same order as one by one. Returns (students, the two guests of 10A2)."""
    import hashlib
    import json

    from models.people.records import Staff, Student, StudentStatus, _clean_profile
    from models.rules.identifiers import new_person_code
    from models.rules.text import fold

    used = {c for (c,) in Student.select(Student.code).tuples()} | {c for (c,) in Staff.select(Staff.code).tuples()}
    students, statuses, enrolments, guest_codes = [], [], [], []
    now = datetime.now()
    for name in names:
        for st in demo_students(name, seed, start_year):
            events = [e for e in st.status_events if e.date <= today]
            if any(e.status == "chuyen_den" for e in st.status_events) and not events:
                continue  # arrives later in the year: not in the school yet
            clean = _clean_profile(Student, {
                "full_name": st.full_name, "gender": st.gender, "date_of_birth": st.date_of_birth,
                "ethnicity": st.ethnicity, "religion": st.religion, "birthplace": st.birthplace,
                "permanent_address": st.permanent_address, "current_address": st.current_address,
                "policy_family": st.policy_family, "father_name": st.father_name, "father_job": st.father_job,
                "father_phone": st.father_phone, "mother_name": st.mother_name, "mother_job": st.mother_job,
                "mother_phone": st.mother_phone, "guardian_name": st.guardian_name,
                "guardian_job": st.guardian_job, "guardian_phone": st.guardian_phone,
                "personal_id": st.personal_id})
            code = new_person_code("HS", start_year, rand)
            while code in used:
                code = new_person_code("HS", start_year, rand)
            used.add(code)
            status = events[-1].status if events else "dang_hoc"
            students.append({"code": code, "name_fold": fold(clean["full_name"]), "status": status, **clean})
            statuses.append((code, "dang_hoc", opens_on, "Tạo hồ sơ", ""))
            joined, left = opens_on, None
            for event in events:
                statuses.append((code, event.status, event.date, event.reason, event.other_school))
                if event.status in ("chuyen_di", "nghi_hoc", "thoi_hoc"):
                    left = event.date
                elif event.status == "chuyen_den":
                    joined = event.date
            enrolments.append((code, name, joined, left))
            if name == "10A2" and len(guest_codes) < 2 and not events:
                guest_codes.append(code)
    for i in range(0, len(students), 200):
        Student.insert_many(students[i:i + 200]).execute()
    ids = {code: sid for sid, code in Student.select(Student.id, Student.code)
           .where(Student.code.in_([s["code"] for s in students])).tuples()}
    rows = [{"student": ids[code], "status": status, "effective_on": on, "reason": reason, "other_school": other,
             "recorded_at": now} for code, status, on, reason, other in statuses]
    for i in range(0, len(rows), 500):
        StudentStatus.insert_many(rows[i:i + 500]).execute()
    rows = [{"student": ids[code], "school_class": classes[name].id, "joined_on": joined, "left_on": left,
             "created_at": now} for code, name, joined, left in enrolments]
    for i in range(0, len(rows), 500):
        Enrolment.insert_many(rows[i:i + 500]).execute()
    written = json.dumps([[s["code"], s["full_name"], s["status"]] for s in students] + [list(map(str, e))
                         for e in enrolments], ensure_ascii=False)
    record("seed_demo", "student", f"{year_name(start_year)}", after={
        "students": len(students), "status_changes": len(statuses) - len(students), "enrolments": len(enrolments),
        "digest": hashlib.sha256(written.encode()).hexdigest()},
        reason="Học sinh mẫu nạp một lần (không ghi nhật ký từng hồ sơ)")
    return len(students), [Student.get(Student.id == ids[code]) for code in guest_codes]
