"""A small school for tests: two classes, two subjects, one account per role."""
from datetime import date, datetime
from functools import cache

from werkzeug.security import generate_password_hash

from models.core import write_transaction
from models.people.accounts import User, UserRole
from models.people.records import create_staff, create_student
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

PASSWORD = "mat-khau-kiem-thu"
# a cheap scrypt for the test accounts and the test config's PASSWORD_HASH_METHOD (production keeps
# werkzeug's n=2**15: test_auth checks that); hashing at full cost per login would dominate the suite
TEST_PASSWORD_HASH_METHOD = "scrypt:128:8:1"

# username → roles; "chunhiem" is homeroom of 6A1 through the class, not through a role
ACCOUNTS = {
    "admin": {"admin"},
    "hieutruong": {"principal"},
    "phohieutruong": {"vice_principal"},
    "totruong": {"head_of_department", "teacher"},
    "giaovien": {"teacher"},
    "chunhiem": {"teacher"},
    "yte": {"nurse"},
    "ketoan": {"accountant"},
    "giamthi": {"discipline"},
}

STUDENTS_6A1 = ["Nguyễn Thị An", "Lê Văn An", "Trần Văn Bình", "Đặng Quốc Đạt", "Phạm Minh Dũng",
                "Hoàng Anh", "Vũ Ánh"]


@cache
def password_hash() -> str:
    # one hash for every test account: hashing per account would cost time for nothing
    return generate_password_hash(PASSWORD, method=TEST_PASSWORD_HASH_METHOD)


def build_school() -> dict:
    """Create the small school; returns the objects tests refer to by name."""
    with write_transaction():
        school = School.create(name="Trường THCS Kiểm Thử", code="KT01", header_line_1="UBND QUẬN MẪU",
                               header_line_2="PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", levels="thcs")
        year = SchoolYear.create(name="2024-2025", start_year=2024, is_current=True)
        Semester.create(year=year, number=1, starts_on=date(2024, 9, 5), ends_on=date(2025, 1, 11),
                        teaching_weeks=18, final_tests_on=date(2024, 12, 23))
        Semester.create(year=year, number=2, starts_on=date(2025, 1, 13), ends_on=date(2025, 5, 25),
                        teaching_weeks=17, final_tests_on=date(2025, 5, 5))
        g6 = Grade.create(number=6, level="thcs")
        g7 = Grade.create(number=7, level="thcs")
        Grade.create(number=8, level="thcs")
        Grade.create(number=9, level="thcs")
        math_dept = Department.create(name="Tổ Toán – Tin học", code="TOAN_TIN")
        arts = Department.create(name="Tổ Nghệ thuật – Thể chất", code="NT_TC")
        math = Subject.create(code="TOAN", name="Toán", kind="scored", department=math_dept, position=1)
        pe = Subject.create(code="GDTC", name="Giáo dục thể chất", kind="comment", department=arts, position=2)
        for grade in (g6, g7):
            GradeSubject.create(grade=grade, subject=math, periods_per_year=140)
            GradeSubject.create(grade=grade, subject=pe, periods_per_year=70)

        staff = {}
        users = {}
        for i, (username, roles) in enumerate(ACCOUNTS.items()):
            person = create_staff({"full_name": f"Giáo Viên {username.title()}", "gender": "Nữ",
                                   "date_of_birth": date(1980, 1, 1 + i)}, 2024)
            staff[username] = person
            user = User.create(username=username, full_name=person.full_name, password_hash=password_hash(),
                               staff=person, must_change_password=False, password_changed_at=datetime.now())
            for role in roles:
                UserRole.create(user=user, role=role)
            users[username] = user
        DepartmentMember.create(department=math_dept, staff=staff["totruong"], is_head=True)
        DepartmentMember.create(department=math_dept, staff=staff["giaovien"])

        c6a1 = SchoolClass.create(year=year, grade=g6, name="6A1", homeroom_teacher=staff["chunhiem"])
        c6a2 = SchoolClass.create(year=year, grade=g6, name="6A2", homeroom_teacher=None)
        c7a1 = SchoolClass.create(year=year, grade=g7, name="7A1", homeroom_teacher=None)
        a_math = TeachingAssignment.create(school_class=c6a1, subject=math, teacher=staff["giaovien"])
        TeachingAssignment.create(school_class=c6a2, subject=math, teacher=staff["totruong"])
        TeachingAssignment.create(school_class=c6a1, subject=pe, teacher=staff["chunhiem"])

        students = {}
        for i, name in enumerate(STUDENTS_6A1):
            s = create_student({"full_name": name, "gender": "Nữ" if "Thị" in name else "Nam",
                                "date_of_birth": date(2013, 1 + i, 10)}, 2024)
            enrol(s, c6a1, date(2024, 9, 5))
            students[name] = s
        other = create_student({"full_name": "Bùi Thị Cúc", "gender": "Nữ", "date_of_birth": date(2013, 3, 3)}, 2024)
        enrol(other, c6a2, date(2024, 9, 5))
        students["Bùi Thị Cúc"] = other
    return {"school": school, "year": year, "classes": {"6A1": c6a1, "6A2": c6a2, "7A1": c7a1},
            "subjects": {"TOAN": math, "GDTC": pe}, "staff": staff, "users": users, "students": students,
            "assignment": a_math}
