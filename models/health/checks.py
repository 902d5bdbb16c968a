"""Periodic health checks (khám sức khỏe định kỳ): one row per student per check, entered class by class.

BMI and the WHO 2007 z-scores are computed here from the measurements (models/rules/growth.py) and stored
with the row, so that reports read them without recomputing. Values no child can have are refused before
anything is stored: outside the absolute bounds below, or flagged by the WHO as implausible for the age
(height-for-age |z| > 6, BMI-for-age |z| > 5, as the WHO software flags them).
"""
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models.audit.log import record
from models.core import KeptModel, write_transaction
from models.people.records import Student
from models.rules import growth
from models.school.structure import SchoolClass, class_roster

HEIGHT_RANGE = (Decimal(60), Decimal(220))  # cm
WEIGHT_RANGE = (Decimal(10), Decimal(200))  # kg
HAZ_FLAG, BAZ_FLAG = 6, 5
# tật khúc xạ: the letters the grid takes
REFRACTION = {"C": "Cận thị", "V": "Viễn thị", "L": "Loạn thị"}
CHECK_FIELDS = ("height_cm", "weight_kg", "eye_left", "eye_right", "refraction", "dental", "spine", "other")
MAX_TEXT = 500


class HealthCheck(KeptModel):
    """One student's periodic check on one day."""

    student = ForeignKeyField(Student, backref="+")
    school_class = ForeignKeyField(SchoolClass, backref="+")
    checked_on = DateField()
    height_cm = DecimalField(max_digits=5, decimal_places=1, null=True)
    weight_kg = DecimalField(max_digits=5, decimal_places=1, null=True)
    bmi = FloatField(null=True)
    bmi_z = FloatField(null=True)
    nutrition = CharField(max_length=16, default="")  # growth.NUTRITION_LABELS code
    height_z = FloatField(null=True)
    stunting = CharField(max_length=16, default="")  # growth.STUNTING_LABELS code
    eye_left = IntegerField(null=True)  # thị lực, tenths (10 = 10/10)
    eye_right = IntegerField(null=True)
    refraction = CharField(max_length=3, default="")  # letters of REFRACTION
    dental = CharField(max_length=MAX_TEXT, default="")  # răng miệng
    spine = BooleanField(default=False)  # cong vẹo cột sống
    other = TextField(default="")
    entered_at = DateTimeField(default=datetime.now)
    entered_by = IntegerField(null=True)

    class Meta:
        indexes = ((("student", "checked_on"), True), (("school_class", "checked_on"), False))

    @property
    def nutrition_label(self) -> str:
        return growth.NUTRITION_LABELS.get(self.nutrition, "")

    @property
    def stunting_label(self) -> str:
        return growth.STUNTING_LABELS.get(self.stunting, "") if self.stunting != growth.NOT_STUNTED else ""

    @property
    def refraction_labels(self) -> list[str]:
        return [REFRACTION[c] for c in self.refraction if c in REFRACTION]

    def cell(self, name: str) -> str:
        """The value as the grid shows it (decimal comma, eyesight as 8/10)."""
        value = getattr(self, name)
        if value is None:
            return ""
        if name in ("height_cm", "weight_kg"):
            return format(value.normalize() if value == value.to_integral() else value, "f").replace(".", ",")
        if name in ("eye_left", "eye_right"):
            return f"{value}/10"
        if name == "spine":
            return "C" if value else ""
        return value


def _number(text: str, label: str, bounds: tuple[Decimal, Decimal], unit: str) -> Decimal | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{label}: “{text}” không phải là số (ví dụ 152,5).") from None
    if not value.is_finite() or not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"{label} {text.replace('.', ',')} {unit} không hợp lí: phải từ {bounds[0]} đến {bounds[1]} {unit}.")
    return value.quantize(Decimal("0.1"))


def _eyesight(text: str, label: str) -> int | None:
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    if text.endswith("/10"):
        text = text[:-3]
    if not text.isdigit() or not 1 <= int(text) <= 10:
        raise ValueError(f"Thị lực {label}: nhập từ 1 đến 10 (hoặc 1/10 đến 10/10).")
    return int(text)


def _text(text: str, label: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValueError(f"{label}: tối đa {MAX_TEXT} kí tự.")
    return text


def sex_of(student: Student) -> int | None:
    return {"Nam": growth.BOY, "Nữ": growth.GIRL}.get(student.gender)


def measure(student: Student, checked_on: date, height_cm: Decimal | None, weight_kg: Decimal | None) -> dict:
    """BMI, z-scores and statuses for the measurements; ValueError if the WHO would flag them implausible."""
    out = {"bmi": None, "bmi_z": None, "nutrition": "", "height_z": None, "stunting": ""}
    sex = sex_of(student)
    age = growth.age_in_months(student.date_of_birth, checked_on) if student.date_of_birth else None
    years = int(age // 12) if age is not None else None
    if height_cm is not None and sex and age is not None:
        haz = growth.height_for_age_z(sex, age, float(height_cm))
        if haz is not None and abs(haz) > HAZ_FLAG:
            raise ValueError(f"Chiều cao {str(height_cm).replace('.', ',')} cm không hợp lí với học sinh "
                             f"{years} tuổi: xin đo lại.")
        out["height_z"] = haz
        out["stunting"] = growth.stunting_status(haz) or ""
    if height_cm is not None and weight_kg is not None:
        out["bmi"] = round(growth.bmi(float(height_cm), float(weight_kg)), 1)
        if sex and age is not None:
            baz = growth.bmi_for_age_z(sex, age, growth.bmi(float(height_cm), float(weight_kg)))
            if baz is not None and abs(baz) > BAZ_FLAG:
                raise ValueError(f"Cân nặng {str(weight_kg).replace('.', ',')} kg với chiều cao "
                                 f"{str(height_cm).replace('.', ',')} cm không hợp lí với học sinh {years} tuổi: "
                                 "xin cân đo lại.")
            out["bmi_z"] = baz
            out["nutrition"] = growth.nutrition_status(baz) or ""
    return out


def clean_check(student: Student, checked_on: date, form: dict) -> dict:
    """One grid row, checked and with its computed values; ValueError (Vietnamese) on any impossible value."""
    clean = {
        "height_cm": _number(form.get("height_cm"), "Chiều cao", HEIGHT_RANGE, "cm"),
        "weight_kg": _number(form.get("weight_kg"), "Cân nặng", WEIGHT_RANGE, "kg"),
        "eye_left": _eyesight(form.get("eye_left"), "mắt trái"),
        "eye_right": _eyesight(form.get("eye_right"), "mắt phải"),
        "dental": _text(form.get("dental"), "Răng miệng"),
        "other": _text(form.get("other"), "Bệnh khác"),
    }
    letters = "".join(ch for ch in (form.get("refraction") or "").upper() if not ch.isspace() and ch not in ",;")
    if any(ch not in REFRACTION for ch in letters):
        raise ValueError("Tật khúc xạ: C (cận thị), V (viễn thị), L (loạn thị), có thể ghép, ví dụ CL.")
    clean["refraction"] = "".join(ch for ch in REFRACTION if ch in letters)
    spine = (form.get("spine") or "").strip().upper()
    if spine not in ("", "C", "X", "K"):
        raise ValueError("Cột sống: C (cong vẹo) hoặc để trống (bình thường).")
    clean["spine"] = spine in ("C", "X")
    clean.update(measure(student, checked_on, clean["height_cm"], clean["weight_kg"]))
    return clean


def _jsonable(row: HealthCheck, names) -> dict:
    return {n: (str(getattr(row, n)) if isinstance(getattr(row, n), Decimal) else getattr(row, n)) for n in names}


def save_check(school_class: SchoolClass, student: Student, checked_on: date, form: dict, user=None) -> HealthCheck:
    """Save one student's row of a class's check; nothing is stored when a value is refused."""
    clean = clean_check(student, checked_on, form)
    with write_transaction():
        row = (HealthCheck.get_or_none((HealthCheck.student == student) & (HealthCheck.checked_on == checked_on))
               or HealthCheck(student=student, school_class=school_class, checked_on=checked_on))
        created = row.id is None
        before = _jsonable(row, clean) if not created else None
        for k, v in clean.items():
            setattr(row, k, v)
        after = _jsonable(row, clean)
        if not created and before == after:
            return row
        row.entered_at = datetime.now()
        row.entered_by = getattr(user, "id", None)
        row.save()
        record("health_check", "health_check", f"{student.code}:{checked_on.isoformat()}",
               before=before, after=after)
    return row


def class_check(school_class: SchoolClass, checked_on: date):
    """The class list with each student's row of the check on that day (None where not entered yet)."""
    roster = class_roster(school_class)
    rows = {c.student_id: c for c in HealthCheck.select().where(
        (HealthCheck.checked_on == checked_on) & (HealthCheck.student.in_([e.student.id for e in roster])))}
    return [(e, rows.get(e.student.id)) for e in roster]


def check_days(school_class: SchoolClass) -> list[date]:
    """The days this class has been checked, latest first."""
    return [r.checked_on for r in HealthCheck.select(HealthCheck.checked_on).distinct()
            .where(HealthCheck.school_class == school_class).order_by(HealthCheck.checked_on.desc())]


def last_check(student: Student) -> HealthCheck | None:
    return (HealthCheck.select().where(HealthCheck.student == student)
            .order_by(HealthCheck.checked_on.desc()).first())
