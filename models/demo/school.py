"""The demo school: accounts shown on the login page and the seed that builds it."""
import random
from datetime import date, datetime

from werkzeug.security import generate_password_hash

from models.audit.log import record
from models.core import write_transaction
from models.people.accounts import User, UserRole
from models.people.records import change_student_status, create_staff, create_student
from models.rules.school_year import semesters_of, start_year_of, year_name
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
    ("giamthi", "Giám thị / Ban thi đua"),
]

# the demo data's staff roles → account roles; the clerk (văn thư) runs the system
_ROLE_MAP = {
    "principal": {"principal"},
    "vice_principal": {"vice_principal"},
    "teacher": set(),
    "nurse": {"nurse"},
    "accountant": {"accountant"},
    "discipline": {"discipline"},
    "clerk": {"admin"},
}


def seed_demo_school(seed: int = 2024, today: date | None = None) -> str:
    """Build the demo school for the school year holding `today` (in summer, the year just ended),
    in one transaction; returns a one-line summary."""
    from models.demo import data

    today = today or date.today()
    start_year = start_year_of(today)
    rand = random.Random(seed)
    with write_transaction():
        s = data.SCHOOL
        School.create(name=s.name, code=s.code, header_line_1=s.header_line_1, header_line_2=s.header_line_2,
                      levels=s.level, address=s.address, place_name=getattr(s, "place_name", ""), is_demo=True)
        grades = {n: Grade.create(number=n, level="thcs") for n in range(6, 10)}
        departments = {d.code: Department.create(name=d.name, code=d.code) for d in data.DEPARTMENTS}
        for sub in data.SUBJECTS:
            subject = Subject.create(code=sub.code, name=sub.name, kind=sub.kind,
                                     department=departments.get(sub.department_code), position=sub.display_order)
            for n, grade in grades.items():
                GradeSubject.create(grade=grade, subject=subject, periods_per_year=data.subject_periods(sub.code, n))

        # one hash for every demo account: they share the published demo password anyway
        shared_hash = generate_password_hash(DEMO_PASSWORD)
        now = datetime.now()  # the real clock: passwords expire by it, whatever day the demo is built for
        for t in data.teachers(seed, start_year):
            person = create_staff({"full_name": t.full_name, "gender": t.gender, "date_of_birth": t.date_of_birth,
                                   "phone": t.phone, "position": t.position, "qualification": t.qualification,
                                   "personal_id": t.personal_id}, start_year,
                                  # the giám thị draws their code apart, so the rest of the school stays as it was
                                  rand=random.Random(f"{seed}:giamthi") if t.role == "discipline" else rand)
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
        counts = build_year(start_year, today, seed=seed, rand=rand, current=True)
        record("seed_demo", "school", s.code, after={**counts, "year": year_name(start_year),
                                                    "today": today.isoformat()})
    return f"năm học {year_name(start_year)}, {counts['classes']} lớp, {counts['students']} học sinh, " \
        f"{counts['staff']} cán bộ"


def add_discipline_officer(start_year: int, password_hash: str, now: datetime, seed: int = 2024) -> None:
    """The giám thị's account (demo login giamthi) for the upper-secondary and primary demos, drawn from its own
    generator so that the rest of those schools stays as it was."""
    from models.demo import data

    officer = data.demo_account_holders(seed)["giamthi"]
    person = create_staff({"full_name": officer.full_name, "gender": officer.gender,
                           "date_of_birth": officer.date_of_birth, "position": officer.position}, start_year,
                          rand=random.Random(f"{seed}:giamthi"))
    user = User.create(username="giamthi", full_name=officer.full_name, password_hash=password_hash, staff=person,
                       must_change_password=False, password_changed_at=now)
    UserRole.create(user=user, role="discipline")


def build_year(start_year: int, today: date, *, seed: int = 2024, rand: random.Random | None = None,
               current: bool = True, only: frozenset[str] | None = None, student_seed: int | None = None) -> dict:
    """One school year of the demo school as it stands on `today`: its semesters, classes, teaching
    assignments, students (status events after `today` have not happened yet) and the school's entry
    windows (docs/rules.md §14). The school, its subjects and staff must exist; call inside write_transaction().
    `only`: build just these classes (the previous year of the demo keeps a few); `student_seed`: draw other
    students than the year of `seed` has (the previous year's classes are other children)."""
    from models.demo import data
    from models.gradebook.locks import fill_default_windows

    rand = rand or random.Random(f"{seed}:{start_year}")
    year = SchoolYear.create(name=year_name(start_year), start_year=start_year, is_current=current)
    semesters = [Semester.create(year=year, number=d.number, starts_on=d.starts_on, ends_on=d.ends_on,
                                 teaching_weeks=d.teaching_weeks, final_tests_on=d.final_tests_on,
                                 midterm_tests_on=d.midterm_tests_on)
                 for d in semesters_of(start_year)]
    opens_on = semesters[0].starts_on
    grades = {g.number: g for g in Grade.select()}
    subjects = {s.code: s for s in Subject.select()}
    by_username = {u.username: u.staff for u in User.select().where(User.staff.is_null(False))}
    staff = {t.username: by_username[t.demo_account or t.username] for t in data.teachers(seed, start_year)}

    classes = {}
    for c in data.classes(seed):
        if only is not None and c.name not in only:
            continue
        classes[c.name] = SchoolClass.create(year=year, grade=grades[c.grade], name=c.name,
                                             homeroom_teacher=staff[c.homeroom_teacher])
    for a in data.assignments(seed):
        if a.class_name not in classes:
            continue
        TeachingAssignment.create(school_class=classes[a.class_name], subject=subjects[a.subject_code],
                                  teacher=staff[a.teacher_username], is_coordinator=a.is_coordinator)

    student_count = 0
    for name, school_class in classes.items():
        for st in data.students(name, seed if student_seed is None else student_seed, start_year):
            events = [e for e in st.status_events if e.date <= today]
            if any(e.status == "chuyen_den" for e in st.status_events) and not events:
                continue  # arrives later in the year: not in the school yet
            student = create_student({
                "full_name": st.full_name, "gender": st.gender, "date_of_birth": st.date_of_birth,
                "ethnicity": st.ethnicity, "religion": st.religion, "birthplace": st.birthplace,
                "permanent_address": st.permanent_address, "current_address": st.current_address,
                "policy_family": st.policy_family,
                "father_name": st.father_name, "father_job": st.father_job, "father_phone": st.father_phone,
                "mother_name": st.mother_name, "mother_job": st.mother_job, "mother_phone": st.mother_phone,
                "guardian_name": st.guardian_name, "guardian_job": st.guardian_job,
                "guardian_phone": st.guardian_phone, "personal_id": st.personal_id,
            }, start_year, rand=rand, effective_on=opens_on)
            enrol(student, school_class, opens_on)
            student_count += 1
            for status, when, reason, other_school in events:
                change_student_status(student, status, when, reason, other_school)
                if status in ("chuyen_di", "nghi_hoc", "thoi_hoc"):
                    (Enrolment.update(left_on=when)
                     .where((Enrolment.student == student) & (Enrolment.school_class == school_class))
                     .execute())
                elif status == "chuyen_den":
                    (Enrolment.update(joined_on=when)
                     .where((Enrolment.student == student) & (Enrolment.school_class == school_class))
                     .execute())
    # the school's entry windows (docs/rules.md §14), computed from the calendar: on `today` the book is open or closed
    # as a real school's would be (the admin can still open or lock it in "Khoá, mở sổ điểm")
    for semester in semesters:
        fill_default_windows(semester)
    if current:  # the teaching records of the year being tried (issue #16): a timetable and a PPCT; lesson plans,
        # year plans and the department's minutes
        from models.demo.teaching import seed_timetable_and_ppct
        from models.demo.teaching_plans import seed_demo_teaching_plans

        seed_timetable_and_ppct(year, seed)
        seed_demo_teaching_plans(year, today)
    return {"classes": len(classes), "students": student_count, "staff": len(staff)}
