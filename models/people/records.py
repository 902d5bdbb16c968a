"""Students and staff: profiles with immutable 20-character IDs and dated status histories."""
from datetime import date, datetime

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.core import KeptModel
from models.rules.vocabulary import (  # noqa: F401  (the people area names them for the others)
    COMPLETED,
    GENDERS,
    STAFF_LEFT,
    STAFF_STATUSES,
    STUDENT_LEFT,
    STUDENT_STATUSES,
)


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


def person_audit_trail(person: "Student | Staff") -> list:
    """The audit entries about one person, newest first."""
    from models.audit.log import AuditEntry

    entity = "student" if isinstance(person, Student) else "staff"
    return list(AuditEntry.select()
                .where((AuditEntry.entity == entity) & (AuditEntry.entity_id == person.code))
                .order_by(AuditEntry.id.desc()))
