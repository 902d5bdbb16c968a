"""Students and staff as the school sees them: lists with their class, enrolment histories, status changes
that leave or rejoin a class."""
from datetime import date

from models.audit.log import record
from models.people.accounts import User, UserRole
from models.people.records import (
    STUDENT_LEFT,
    Student,
    StudentStatus,
    change_student_status,
    search_staff,
    search_students,
)
from models.rules.text import vietnamese_sort_key
from models.school.structure import (
    Department,
    DepartmentMember,
    Enrolment,
    SchoolClass,
    SchoolYear,
    class_roster,
    enrol,
    leave_class,
)


class StudentListRow:
    """One line of the admin's student list: the student, their class this year, the line number."""
    __slots__ = ("number", "student", "school_class", "has_left")

    def __init__(self, number: int, student: Student, school_class, has_left: bool):
        self.number, self.student, self.school_class, self.has_left = number, student, school_class, has_left


def student_list(school_class=None, query: str = "", year=None, limit: int = 300) -> tuple[list, bool]:
    """The admin's student list: a class roster and/or a search, in Vietnamese order.

    Returns (rows, truncated). With a class the roster keeps those who left (flagged); a search
    narrows it. With neither, every student of the year's classes is listed, up to ``limit``.
    """
    year = year or (school_class.year if school_class is not None else SchoolYear.current())
    if school_class is not None:
        roster = class_roster(school_class)
        if (query or "").strip():
            found = {s.id for s in search_students(query, limit=10_000)}
            roster = [e for e in roster if e.student.id in found]
        rows = [StudentListRow(i, e.student, school_class, e.has_left) for i, e in enumerate(roster, start=1)]
        return rows, False

    if (query or "").strip():
        students = search_students(query, limit=limit + 1)
    else:
        students = list(Student.select().join(Enrolment).join(SchoolClass)
                        .where(SchoolClass.year == year).distinct().limit(limit + 1))
    truncated = len(students) > limit
    students = students[:limit]
    enrolments = {}
    if year is not None and students:
        for e in (Enrolment.select(Enrolment, SchoolClass).join(SchoolClass)
                  .where((SchoolClass.year == year) & Enrolment.student.in_([s.id for s in students]))
                  .order_by(Enrolment.id)):
            enrolments[e.student_id] = e  # the latest enrolment of the year wins, as in current_class_of
    students.sort(key=lambda s: (vietnamese_sort_key(s.full_name), s.id))
    rows = []
    for i, s in enumerate(students, start=1):
        e = enrolments.get(s.id)
        rows.append(StudentListRow(i, s, e.school_class if e else None,
                                   s.has_left or (e is not None and e.left_on is not None)))
    return rows, truncated


def enrolment_history(student: Student) -> list:
    """Every class the student was ever in, oldest year first (rows with left_on stay)."""
    return list(Enrolment.select(Enrolment, SchoolClass, SchoolYear)
                .join(SchoolClass).join(SchoolYear)
                .where(Enrolment.student == student)
                .order_by(SchoolYear.start_year, Enrolment.id))


def rejoin_class(student: Student, school_class, joined_on: date):
    """Put a student who came back into a class of the year; call inside write_transaction().

    A closed enrolment in the same class is reopened (its left_on is cleared, the old value goes
    to the audit log); otherwise a new enrolment is added, which becomes the student's class.
    """
    open_row = (Enrolment.select().join(SchoolClass)
                .where((Enrolment.student == student) & (SchoolClass.year == school_class.year)
                       & Enrolment.left_on.is_null())
                .first())
    if open_row is not None:
        if open_row.school_class_id == school_class.id:
            return open_row
        raise ValueError(f"Học sinh đang thuộc lớp {open_row.school_class.name} trong năm học này.")
    closed = Enrolment.get_or_none((Enrolment.student == student) & (Enrolment.school_class == school_class))
    if closed is not None:
        before = {"left_on": closed.left_on}
        Enrolment.update(left_on=None).where(Enrolment.id == closed.id).execute()
        closed.left_on = None
        record("rejoin", "student", student.code, before=before,
               after={"class": school_class.name, "year": school_class.year.name, "joined_on": joined_on})
        return closed
    has_class_this_year = (Enrolment.select().join(SchoolClass)
                           .where((Enrolment.student == student) & (SchoolClass.year == school_class.year))
                           .exists())
    if not has_class_this_year:
        return enrol(student, school_class, joined_on)
    # enrol() refuses a second class in the year; the earlier one is closed, so a new row is right here
    enrolment = Enrolment.create(student=student, school_class=school_class, joined_on=joined_on)
    record("enrol", "student", student.code,
           after={"class": school_class.name, "year": school_class.year.name, "joined_on": joined_on})
    return enrolment


def record_student_status(student: Student, status: str, effective_on: date, reason: str,
                          other_school: str = "", recorded_by: int | None = None,
                          rejoin=None) -> StudentStatus:
    """A status change with its effect on the class: leaving closes the enrolment, coming back may
    enrol in ``rejoin`` (a class of this year). Call inside write_transaction()."""
    was_left = student.has_left
    row = change_student_status(student, status, effective_on, reason, other_school, recorded_by)
    if status in STUDENT_LEFT:
        leave_class(student, effective_on)
    elif was_left and rejoin is not None:
        rejoin_class(student, rejoin, effective_on)
    return row


class StaffListRow:
    """One line of the admin's staff list: the person, their department and their account."""
    __slots__ = ("number", "staff", "department", "is_head", "account", "roles")

    def __init__(self, number, staff, department, is_head, account, roles):
        self.number, self.staff, self.department, self.is_head = number, staff, department, is_head
        self.account, self.roles = account, roles


def staff_list_rows(query: str = "", status: str = "", department_id: int | None = None) -> list[StaffListRow]:
    """Staff in Vietnamese order, filtered by search words, status and tổ chuyên môn."""
    people = search_staff(query, limit=10_000)
    if status:
        people = [p for p in people if p.status == status]
    memberships = {m.staff_id: m for m in DepartmentMember.select(DepartmentMember, Department).join(Department)}
    if department_id:
        people = [p for p in people if p.id in memberships and memberships[p.id].department_id == department_id]
    ids = [p.id for p in people]
    accounts = {u.staff_id: u for u in User.select().where(User.staff.in_(ids))} if ids else {}
    roles: dict[int, list[str]] = {}
    if accounts:
        for r in UserRole.select().where(UserRole.user.in_([u.id for u in accounts.values()])).order_by(UserRole.role):
            roles.setdefault(r.user_id, []).append(r.role)
    people.sort(key=lambda p: (vietnamese_sort_key(p.full_name), p.id))
    rows = []
    for i, p in enumerate(people, start=1):
        m = memberships.get(p.id)
        account = accounts.get(p.id)
        rows.append(StaffListRow(i, p, m.department if m else None, bool(m and m.is_head), account,
                                 roles.get(account.id, []) if account else []))
    return rows


def year_student_count(year=None) -> int:
    """How many students are in the classes of the year (each once), however many the list shows."""
    year = year or SchoolYear.current()
    if year is None:
        return 0
    return (Enrolment.select(Enrolment.student).join(SchoolClass)
            .where(SchoolClass.year == year).distinct().count())
