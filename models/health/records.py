"""A student's health record (hồ sơ sức khỏe) and the alerts a homeroom teacher must know."""
from datetime import date, datetime

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.audit.log import record
from models.core import KeptModel, write_transaction
from models.people.records import Student
from models.rules.dates import parse_date

BLOOD_GROUPS = ("", "A", "B", "AB", "O", "A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-")
# the fields the nurse edits, with their labels (the form and the audit log share them)
RECORD_FIELDS = {
    "insurance_number": "Số thẻ BHYT",
    "insurance_valid_until": "Thẻ BHYT có giá trị đến",
    "blood_group": "Nhóm máu",
    "allergies": "Dị ứng",
    "chronic_conditions": "Bệnh mãn tính",
    "disabilities": "Khuyết tật",
    "teacher_notes": "Lưu ý cho giáo viên",
}
# what a homeroom teacher sees of a record, and nothing more
ALERT_FIELDS = ("allergies", "chronic_conditions", "disabilities", "teacher_notes")
MAX_TEXT = 2000


class HealthRecord(KeptModel):
    """Hồ sơ sức khỏe: one per student."""

    student = ForeignKeyField(Student, unique=True, backref="+")
    insurance_number = CharField(max_length=20, default="")  # số thẻ BHYT
    insurance_valid_until = DateField(null=True)
    blood_group = CharField(max_length=3, default="")
    allergies = TextField(default="")
    chronic_conditions = TextField(default="")
    disabilities = TextField(default="")
    teacher_notes = TextField(default="")
    updated_at = DateTimeField(default=datetime.now)
    updated_by = IntegerField(null=True)

    @property
    def has_alerts(self) -> bool:
        return any(getattr(self, f).strip() for f in ALERT_FIELDS)


def record_of(student: Student) -> HealthRecord:
    """The student's record, or an empty unsaved one."""
    return HealthRecord.get_or_none(HealthRecord.student == student) or HealthRecord(student=student)


def _value(record_row: HealthRecord, name: str):
    value = getattr(record_row, name)
    return value.isoformat() if isinstance(value, date) else value


def clean_record(form: dict) -> dict:
    """The submitted fields, checked; a ValueError with a Vietnamese message on bad input."""
    clean = {}
    number = (form.get("insurance_number") or "").strip().upper()
    if number and not (number.isalnum() and 10 <= len(number) <= 15):
        raise ValueError("Số thẻ BHYT gồm 10 đến 15 chữ và số, ví dụ HS4010123456789.")
    clean["insurance_number"] = number
    until = (form.get("insurance_valid_until") or "").strip()
    clean["insurance_valid_until"] = parse_date(until) if until else None
    blood = (form.get("blood_group") or "").strip().upper()
    if blood not in BLOOD_GROUPS:
        raise ValueError("Nhóm máu phải là A, B, AB hoặc O (có thể kèm Rh + hoặc −).")
    clean["blood_group"] = blood
    for name in ALERT_FIELDS:
        text = (form.get(name) or "").strip()
        if len(text) > MAX_TEXT:
            raise ValueError(f"{RECORD_FIELDS[name]}: tối đa {MAX_TEXT} kí tự.")
        clean[name] = text
    return clean


def save_record(student: Student, form: dict, user=None) -> HealthRecord:
    """Check and save the nurse's form; audited with the fields that changed."""
    clean = clean_record(form)
    with write_transaction():
        row = record_of(student)
        before = {k: _value(row, k) for k in clean if row.id is not None}
        for k, v in clean.items():
            setattr(row, k, v)
        after = {k: _value(row, k) for k in clean}
        changed = {k: v for k, v in after.items() if before.get(k, "" if k != "insurance_valid_until" else None) != v}
        if not changed and row.id is not None:
            return row
        row.updated_at = datetime.now()
        row.updated_by = getattr(user, "id", None)
        created = row.id is None
        row.save()
        record("create" if created else "update", "health_record", student.code,
               before={k: before.get(k) for k in changed} if not created else None, after=changed)
    return row


def read_record(student: Student, user) -> HealthRecord:
    """The full record for a reader; anyone but the nurse leaves a trace in the audit log."""
    row = record_of(student)
    if not user.has_role("nurse"):
        with write_transaction():
            record("read", "health_record", student.code)
    return row


def alerts_for(students: list[Student]) -> list[tuple[Student, HealthRecord]]:
    """The students among these whose record holds something a teacher must know, in the given order."""
    ids = [s.id for s in students]
    if not ids:
        return []
    rows = {r.student_id: r for r in HealthRecord.select().where(HealthRecord.student.in_(ids))}
    return [(s, rows[s.id]) for s in students if s.id in rows and rows[s.id].has_alerts]
