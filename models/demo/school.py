"""The demo school: accounts shown on the login page and the seed that builds it."""
import random
from datetime import date, datetime

from werkzeug.security import generate_password_hash

from models.audit.log import record
from models.core import write_transaction
from models.people.accounts import User, UserRole
from models.people.records import change_student_status, create_staff, create_student
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
    enrol,
)

DEMO_PASSWORD = "sotruong-demo"

DEMO_ACCOUNTS = [
    ("admin", "Quản trị hệ thống / văn thư"),
    ("hieutruong", "Hiệu trưởng"),
    ("phohieutruong", "Phó hiệu trưởng"),
    ("totruong", "Tổ trưởng chuyên môn, dạy Toán"),
    ("giaovien", "Giáo viên bộ môn"),
    ("chunhiem", "Giáo viên chủ nhiệm lớp 6A1, dạy bộ môn"),
    ("yte", "Nhân viên y tế"),
    ("ketoan", "Kế toán"),
]

# the demo data's staff roles → account roles; the clerk (văn thư) runs the system
_ROLE_MAP = {
    "principal": {"principal"},
    "vice_principal": {"vice_principal"},
    "teacher": set(),
    "nurse": {"nurse"},
    "accountant": {"accountant"},
    "clerk": {"admin"},
}


def seed_demo_school(seed: int = 2024) -> str:
    """Build the whole demo school in one transaction; returns a one-line summary."""
    from models.demo import data

    rand = random.Random(seed)
    with write_transaction():
        s = data.SCHOOL
        School.create(name=s.name, code=s.code, header_line_1=s.header_line_1, header_line_2=s.header_line_2,
                      levels=s.level, address=s.address, place_name=getattr(s, "place_name", ""), is_demo=True)
        year = SchoolYear.create(name="2024-2025", start_year=2024, is_current=True)
        Semester.create(year=year, number=1, starts_on=date(2024, 9, 5), ends_on=date(2025, 1, 18),
                        teaching_weeks=18, final_tests_on=date(2024, 12, 23))
        Semester.create(year=year, number=2, starts_on=date(2025, 1, 20), ends_on=date(2025, 5, 31),
                        teaching_weeks=17, final_tests_on=date(2025, 5, 12))
        grades = {n: Grade.create(number=n, level="thcs") for n in range(6, 10)}
        departments = {d.code: Department.create(name=d.name, code=d.code) for d in data.DEPARTMENTS}
        subjects = {}
        for sub in data.SUBJECTS:
            subjects[sub.code] = Subject.create(code=sub.code, name=sub.name, kind=sub.kind,
                                                department=departments.get(sub.department_code),
                                                position=sub.display_order)
            for n, grade in grades.items():
                GradeSubject.create(grade=grade, subject=subjects[sub.code],
                                    periods_per_year=data.subject_periods(sub.code, n))

        # one hash for every demo account: they share the published demo password anyway
        shared_hash = generate_password_hash(DEMO_PASSWORD)
        staff_by_username = {}
        now = datetime.now()
        for t in data.teachers():
            person = create_staff({"full_name": t.full_name, "gender": t.gender, "date_of_birth": t.date_of_birth,
                                   "phone": t.phone, "position": t.position, "qualification": t.qualification,
                                   "personal_id": t.personal_id}, 2024, rand=rand)
            staff_by_username[t.username] = person
            username = t.demo_account or t.username
            user = User.create(username=username, full_name=t.full_name, password_hash=shared_hash, staff=person,
                               must_change_password=False, password_changed_at=now)
            roles = set(_ROLE_MAP[t.role])
            if t.subject_codes:
                roles.add("teacher")
                if t.is_head_of_department:
                    roles.add("head_of_department")
            for role in sorted(roles):
                UserRole.create(user=user, role=role)
            if t.department_code:
                DepartmentMember.create(department=departments[t.department_code], staff=person,
                                        is_head=t.is_head_of_department)

        classes = {}
        for c in data.classes():
            classes[c.name] = SchoolClass.create(year=year, grade=grades[c.grade], name=c.name,
                                                 homeroom_teacher=staff_by_username[c.homeroom_teacher])
        for a in data.assignments():
            TeachingAssignment.create(school_class=classes[a.class_name], subject=subjects[a.subject_code],
                                      teacher=staff_by_username[a.teacher_username],
                                      is_coordinator=a.is_coordinator)

        student_count = 0
        for name, school_class in classes.items():
            for st in data.students(name):
                student = create_student({
                    "full_name": st.full_name, "gender": st.gender, "date_of_birth": st.date_of_birth,
                    "ethnicity": st.ethnicity, "religion": st.religion, "birthplace": st.birthplace,
                    "permanent_address": st.permanent_address, "current_address": st.current_address, "policy_family": st.policy_family,
                    "father_name": st.father_name, "father_job": st.father_job, "father_phone": st.father_phone,
                    "mother_name": st.mother_name, "mother_job": st.mother_job, "mother_phone": st.mother_phone,
                    "guardian_name": st.guardian_name, "guardian_job": st.guardian_job,
                    "guardian_phone": st.guardian_phone, "personal_id": st.personal_id,
                }, 2024, rand=rand, effective_on=date(2024, 9, 5))
                enrol(student, school_class, date(2024, 9, 5))
                student_count += 1
                for status, when, reason, other_school in st.status_events:
                    change_student_status(student, status, when, reason, other_school)
                    if status in ("chuyen_di", "nghi_hoc", "thoi_hoc"):
                        (Enrolment.update(left_on=when)
                         .where((Enrolment.student == student) & (Enrolment.school_class == school_class))
                         .execute())
                    elif status == "chuyen_den":
                        (Enrolment.update(joined_on=when)
                         .where((Enrolment.student == student) & (Enrolment.school_class == school_class))
                         .execute())
        # the entry windows of seed 003 for both semesters; since the demo year lies in the past, the
        # book is opened by a switch so that visitors can type (admin can lock a class to try the lock)
        from models.gradebook.locks import fill_default_windows, switch_lock

        for semester in Semester.select().where(Semester.year == year):
            fill_default_windows(semester)
            switch_lock("school", "", False, "Trường mẫu: mở sổ điểm để dùng thử", None, semester=semester)
        record("seed_demo", "school", s.code, after={"classes": len(classes), "students": student_count,
                                                    "staff": len(staff_by_username)})
    return f"{len(classes)} lớp, {student_count} học sinh, {len(staff_by_username)} cán bộ"
