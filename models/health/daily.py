"""Daily health (tình hình sức khỏe hằng ngày, seed 002 Điều 6.2): a day's line per student by the nurse or the
homeroom teacher, the day's counts per class and school, and the outbreak warning.

An outbreak warning is raised when OUTBREAK_STUDENTS or more students of one class have the same symptom within
OUTBREAK_DAYS days (today and the two before), so that the nurse looks before it spreads.
"""
from datetime import date, datetime, timedelta

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, fn

from models.audit.log import record
from models.core import KeptModel, write_transaction
from models.people.records import Student
from models.school.structure import SchoolClass, SchoolYear

SYMPTOMS = {"om": "Ốm", "sot": "Sốt", "ho": "Ho", "dau_bung": "Đau bụng", "tieu_chay": "Tiêu chảy",
            "phat_ban": "Phát ban", "dau_mat": "Đau mắt", "chan_thuong": "Chấn thương", "khac": "Khác"}
OUTBREAK_STUDENTS, OUTBREAK_DAYS = 3, 3


class DailyHealth(KeptModel):
    """One student's health note of a day."""

    student = ForeignKeyField(Student, backref="+")
    school_class = ForeignKeyField(SchoolClass, backref="+")
    day = DateField()
    symptom = CharField(max_length=16)  # SYMPTOMS code
    note = CharField(max_length=300, default="")
    entered_by = IntegerField(null=True)
    entered_at = DateTimeField(default=datetime.now)

    class Meta:
        indexes = ((("school_class", "day"), False),)

    @property
    def symptom_label(self) -> str:
        return SYMPTOMS.get(self.symptom, self.symptom)


def log_daily(school_class: SchoolClass, student: Student, day: date, symptom: str, note: str = "",
              user=None, today: date | None = None) -> DailyHealth:
    """Record a day's symptom; ValueError (Vietnamese) for an unknown symptom, a future day or a long note."""
    if symptom not in SYMPTOMS:
        raise ValueError("Chọn tình trạng sức khỏe (ốm, sốt, đau bụng, chấn thương …).")
    if day > (today or date.today()):
        raise ValueError("Không ghi tình hình sức khỏe cho ngày chưa tới.")
    note = (note or "").strip()
    if len(note) > 300:
        raise ValueError("Ghi chú: tối đa 300 kí tự.")
    with write_transaction():
        row = DailyHealth.create(student=student, school_class=school_class, day=day, symptom=symptom, note=note,
                                 entered_by=getattr(user, "id", None))
        record("daily_health", "daily_health", row.id,
               after={"student": student.code, "class": school_class.name, "day": day, "symptom": symptom,
                      "text": note})
    return row


def of_class(school_class: SchoolClass, since: date) -> list[DailyHealth]:
    return list(DailyHealth.select(DailyHealth, Student).join(Student)
                .where((DailyHealth.school_class == school_class) & (DailyHealth.day >= since))
                .order_by(DailyHealth.day.desc(), DailyHealth.id.desc()))


def day_counts(day: date) -> tuple[list[tuple[SchoolClass, int]], int]:
    """Students with a health note on the day, per class of the year and for the school."""
    year = SchoolYear.current()
    rows = (SchoolClass.select(SchoolClass, fn.COUNT(fn.DISTINCT(DailyHealth.student)).alias("n"))
            .join(DailyHealth, on=(DailyHealth.school_class == SchoolClass.id))
            .where((SchoolClass.year == year) & (DailyHealth.day == day))
            .group_by(SchoolClass.id).order_by(SchoolClass.name))
    per_class = [(c, c.n) for c in rows]
    return per_class, sum(n for _, n in per_class)


def outbreaks(today: date | None = None) -> list[tuple[SchoolClass, str, int]]:
    """(class, symptom label, students) where one class has several students with the same symptom lately."""
    today = today or date.today()
    since = today - timedelta(days=OUTBREAK_DAYS - 1)
    n = fn.COUNT(fn.DISTINCT(DailyHealth.student))
    rows = (DailyHealth.select(DailyHealth.school_class, DailyHealth.symptom, n.alias("n"))
            .where((DailyHealth.day >= since) & (DailyHealth.day <= today) & (DailyHealth.symptom != "chan_thuong"))
            .group_by(DailyHealth.school_class, DailyHealth.symptom).having(n >= OUTBREAK_STUDENTS).tuples())
    classes = {c.id: c for c in SchoolClass.select().where(SchoolClass.id.in_([r[0] for r in rows]))} if rows else {}
    return sorted(((classes[c], SYMPTOMS.get(s, s), k) for c, s, k in rows), key=lambda r: (r[0].name, r[1]))
