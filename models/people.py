"""Students and staff: profiles with immutable 20-character IDs and dated status histories."""
from datetime import date, datetime

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.core import KeptModel

STUDENT_STATUSES = {
    "dang_hoc": "Đang học",
    "chuyen_den": "Chuyển đến",
    "chuyen_di": "Chuyển đi",
    "nghi_hoc": "Nghỉ học",
    "thoi_hoc": "Thôi học",
}
# statuses after which a student no longer studies here: kept, shown greyed, never edited
STUDENT_LEFT = {"chuyen_di", "nghi_hoc", "thoi_hoc"}

STAFF_STATUSES = {
    "dang_cong_tac": "Đang công tác",
    "chuyen_cong_tac": "Chuyển công tác",
    "nghi_huu": "Nghỉ hưu",
    "thoi_viec": "Thôi việc",
}
STAFF_LEFT = {"chuyen_cong_tac", "nghi_huu", "thoi_viec"}

GENDERS = ("Nam", "Nữ")


class ImmutableCodeError(Exception):
    """Raised when code tries to change a mã định danh."""


class _Person(KeptModel):
    # mã định danh: 20 characters, generated at creation, never changed or reused
    code = CharField(max_length=20, unique=True)
    full_name = CharField()
    name_fold = CharField(index=True)  # accent- and case-free, for search
    date_of_birth = DateField(null=True)
    gender = CharField(max_length=3, default="")
    created_at = DateTimeField(default=datetime.now)

    def save(self, *args, **kwargs):
        if self.id is not None and not kwargs.get("force_insert"):
            stored = type(self).select(type(self).code).where(type(self).id == self.id).scalar()
            if stored is not None and stored != self.code:
                raise ImmutableCodeError("mã định danh không được thay đổi")
        return super().save(*args, **kwargs)


class Student(_Person):
    ethnicity = CharField(default="Kinh")
    religion = CharField(default="")
    birthplace = CharField(default="")
    permanent_address = TextField(default="")
    current_address = TextField(default="")
    policy_family = BooleanField(default=False)
    father_name = CharField(default="")
    father_job = CharField(default="")
    father_phone = CharField(default="")
    mother_name = CharField(default="")
    mother_job = CharField(default="")
    mother_phone = CharField(default="")
    guardian_name = CharField(default="")
    guardian_job = CharField(default="")
    guardian_phone = CharField(default="")
    sector_code = CharField(max_length=20, default="")  # mã học sinh on the sector database
    personal_id = CharField(max_length=12, default="", index=True)  # số định danh cá nhân
    status = CharField(default="dang_hoc")  # the latest StudentStatus, kept in step

    PROFILE_FIELDS = (
        "full_name", "date_of_birth", "gender", "ethnicity", "religion", "birthplace",
        "permanent_address", "current_address", "policy_family",
        "father_name", "father_job", "father_phone", "mother_name", "mother_job", "mother_phone",
        "guardian_name", "guardian_job", "guardian_phone", "sector_code", "personal_id",
    )

    @property
    def has_left(self) -> bool:
        return self.status in STUDENT_LEFT

    @property
    def status_label(self) -> str:
        return STUDENT_STATUSES.get(self.status, self.status)

    def profile(self) -> dict:
        return {f: getattr(self, f) for f in self.PROFILE_FIELDS}


class StudentStatus(KeptModel):
    student = ForeignKeyField(Student, backref="status_history")
    status = CharField()
    effective_on = DateField(default=date.today)
    reason = TextField(default="")
    other_school = CharField(default="")
    recorded_by = IntegerField(null=True)
    recorded_at = DateTimeField(default=datetime.now)

    @property
    def label(self) -> str:
        return STUDENT_STATUSES.get(self.status, self.status)


class Staff(_Person):
    position = CharField(default="")  # chức vụ: giáo viên, hiệu trưởng, nhân viên y tế...
    qualification = CharField(default="")
    phone = CharField(default="")
    email = CharField(default="")
    address = TextField(default="")
    personal_id = CharField(max_length=12, default="")
    status = CharField(default="dang_cong_tac")

    PROFILE_FIELDS = ("full_name", "date_of_birth", "gender", "position", "qualification",
                      "phone", "email", "address", "personal_id")

    @property
    def has_left(self) -> bool:
        return self.status in STAFF_LEFT

    @property
    def status_label(self) -> str:
        return STAFF_STATUSES.get(self.status, self.status)

    def profile(self) -> dict:
        return {f: getattr(self, f) for f in self.PROFILE_FIELDS}


class StaffStatus(KeptModel):
    staff = ForeignKeyField(Staff, backref="status_history")
    status = CharField()
    effective_on = DateField(default=date.today)
    reason = TextField(default="")
    other_school = CharField(default="")
    recorded_by = IntegerField(null=True)
    recorded_at = DateTimeField(default=datetime.now)

    @property
    def label(self) -> str:
        return STAFF_STATUSES.get(self.status, self.status)


# --- writing people: every change goes through the audit writer -----------------------------------

def _clean_profile(model, data: dict) -> dict:
    from models.rules.text import nfc

    clean = {}
    for field in model.PROFILE_FIELDS:
        if field not in data:
            continue
        value = data[field]
        clean[field] = nfc(value) if isinstance(value, str) else value
    if "full_name" in clean:
        if not clean["full_name"]:
            raise ValueError("Họ và tên không được để trống.")
        if len(clean["full_name"]) > 100:
            raise ValueError("Họ và tên quá dài (tối đa 100 ký tự).")
    if "gender" in clean and clean["gender"] not in GENDERS:
        raise ValueError("Giới tính phải là Nam hoặc Nữ.")
    return clean


def _apply_profile(person, clean: dict) -> tuple[dict, dict]:
    from models.rules.text import fold

    before, after = {}, {}
    for field, value in clean.items():
        old = getattr(person, field)
        if old != value:
            before[field], after[field] = old, value
            setattr(person, field, value)
    if "full_name" in after:
        person.name_fold = fold(person.full_name)
    return before, after


def create_student(data: dict, year: int, *, code: str | None = None, status: str = "dang_hoc",
                   effective_on: date | None = None, rand=None) -> Student:
    """Create a student with a new mã định danh; call inside write_transaction()."""
    from models.audit.log import record
    from models.rules.text import fold

    clean = _clean_profile(Student, data)
    code = code or _unused_code(Student, "HS", year, rand)
    student = Student(code=code, name_fold=fold(clean["full_name"]), status=status, **clean)
    student.save(force_insert=True)
    StudentStatus.create(student=student, status=status, effective_on=effective_on or date.today(),
                         reason="Tạo hồ sơ")
    record("create", "student", student.code, after={**clean, "status": status})
    return student


def _unused_code(model, kind: str, year: int, rand) -> str:
    from models.rules.identifiers import new_person_code

    while True:
        code = new_person_code(kind, year, rand)
        # never reused: a code is unique across students and staff, present and past
        if not (Student.select().where(Student.code == code).exists()
                or Staff.select().where(Staff.code == code).exists()):
            return code


def update_profile(person: "Student | Staff", data: dict, reason: str = "") -> dict:
    """Change profile fields; returns the changed fields. Call inside write_transaction()."""
    from models.audit.log import record

    if person.has_left:
        raise ValueError("Hồ sơ của người đã rời trường chỉ được xem, không được sửa.")
    clean = _clean_profile(type(person), data)
    before, after = _apply_profile(person, clean)
    if after:
        person.save()
        record("update", "student" if isinstance(person, Student) else "staff", person.code,
               before=before, after=after, reason=reason)
    return after


def change_student_status(student: Student, status: str, effective_on: date, reason: str,
                          other_school: str = "", recorded_by: int | None = None) -> StudentStatus:
    """Record a dated status change (chuyển đi, thôi học, ...). Call inside write_transaction()."""
    from models.audit.log import record

    if status not in STUDENT_STATUSES:
        raise ValueError("Trạng thái không hợp lệ.")
    if status == student.status:
        raise ValueError(f"Học sinh đã ở trạng thái “{student.status_label}”.")
    if not (reason or "").strip():
        raise ValueError("Vui lòng ghi lí do thay đổi trạng thái.")
    if status in ("chuyen_di", "chuyen_den") and not (other_school or "").strip():
        raise ValueError("Vui lòng ghi tên trường chuyển đi hoặc chuyển đến.")
    row = StudentStatus.create(student=student, status=status, effective_on=effective_on,
                               reason=reason.strip(), other_school=(other_school or "").strip(),
                               recorded_by=recorded_by)
    before = student.status
    Student.update(status=status).where(Student.id == student.id).execute()
    student.status = status
    record("status", "student", student.code, before={"status": before},
           after={"status": status, "effective_on": effective_on, "other_school": other_school},
           reason=reason)
    return row


def create_staff(data: dict, year: int, *, code: str | None = None, rand=None) -> Staff:
    from models.audit.log import record
    from models.rules.text import fold

    clean = _clean_profile(Staff, data)
    code = code or _unused_code(Staff, "GV", year, rand)
    staff = Staff(code=code, name_fold=fold(clean["full_name"]), **clean)
    staff.save(force_insert=True)
    StaffStatus.create(staff=staff, status="dang_cong_tac", reason="Tạo hồ sơ")
    record("create", "staff", staff.code, after=clean)
    return staff


def change_staff_status(staff: Staff, status: str, effective_on: date, reason: str,
                        other_school: str = "", recorded_by: int | None = None) -> StaffStatus:
    from models.audit.log import record

    if status not in STAFF_STATUSES:
        raise ValueError("Trạng thái không hợp lệ.")
    if status == staff.status:
        raise ValueError(f"Cán bộ đã ở trạng thái “{staff.status_label}”.")
    if not (reason or "").strip():
        raise ValueError("Vui lòng ghi lí do thay đổi trạng thái.")
    row = StaffStatus.create(staff=staff, status=status, effective_on=effective_on, reason=reason.strip(),
                             other_school=(other_school or "").strip(), recorded_by=recorded_by)
    before = staff.status
    Staff.update(status=status).where(Staff.id == staff.id).execute()
    staff.status = status
    record("status", "staff", staff.code, before={"status": before},
           after={"status": status, "effective_on": effective_on}, reason=reason)
    return row


def search_students(query: str, limit: int = 200):
    """Accent- and case-insensitive search: 'nguyen van an' finds 'Nguyễn Văn An'."""
    from models.rules.text import fold

    key = fold(query or "")
    if not key:
        return []
    q = Student.select()
    for word in key.split(" "):
        # each typed word must start a word of the name ("an" finds "An", not "Lan")
        starts_word = Student.name_fold.startswith(word) | Student.name_fold.contains(" " + word)
        q = q.where(starts_word | (Student.code == word.upper()))
    return list(q.limit(limit))


def search_staff(query: str, limit: int = 200):
    from models.rules.text import fold

    key = fold(query or "")
    q = Staff.select()
    for word in key.split(" ") if key else []:
        q = q.where(Staff.name_fold.contains(word))
    return list(q.limit(limit))


# --- admin: people pages ---------------------------------------------------------------------------

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
    from models.rules.text import vietnamese_sort_key
    from models.school.structure import Enrolment, SchoolClass, SchoolYear, class_roster

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


def year_student_count(year=None) -> int:
    """How many students are in the classes of the year (each once), however many the list shows."""
    from models.school.structure import Enrolment, SchoolClass, SchoolYear

    year = year or SchoolYear.current()
    if year is None:
        return 0
    return (Enrolment.select(Enrolment.student).join(SchoolClass)
            .where(SchoolClass.year == year).distinct().count())


def enrolment_history(student: Student) -> list:
    """Every class the student was ever in, oldest year first (rows with left_on stay)."""
    from models.school.structure import Enrolment, SchoolClass, SchoolYear

    return list(Enrolment.select(Enrolment, SchoolClass, SchoolYear)
                .join(SchoolClass).join(SchoolYear)
                .where(Enrolment.student == student)
                .order_by(SchoolYear.start_year, Enrolment.id))


def person_audit_trail(person: "Student | Staff") -> list:
    """The audit entries about one person, newest first."""
    from models.audit.log import AuditEntry

    entity = "student" if isinstance(person, Student) else "staff"
    return list(AuditEntry.select()
                .where((AuditEntry.entity == entity) & (AuditEntry.entity_id == person.code))
                .order_by(AuditEntry.id.desc()))


def rejoin_class(student: Student, school_class, joined_on: date):
    """Put a student who came back into a class of the year; call inside write_transaction().

    A closed enrolment in the same class is reopened (its left_on is cleared, the old value goes
    to the audit log); otherwise a new enrolment is added, which becomes the student's class.
    """
    from models.audit.log import record
    from models.school.structure import Enrolment, SchoolClass, enrol

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
    from models.school.structure import leave_class

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
    from models.people.accounts import User, UserRole
    from models.rules.text import vietnamese_sort_key
    from models.school.structure import Department, DepartmentMember

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
