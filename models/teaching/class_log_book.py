"""The class log's tables (sổ ghi đầu bài): one entry per class, day and period, and the signed weeks.
The rules of writing and signing them are in class_log.py; the teaching schedule reads the entries to
continue the PPCT numbering."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.core import BaseModel
from models.people.accounts import User
from models.people.records import Staff
from models.rules import class_log as rules
from models.school.structure import SchoolClass, Subject

MAX_TITLE = 300


class ClassLogEntry(BaseModel):
    school_class = ForeignKeyField(SchoolClass, backref="+")
    day = DateField()
    period = IntegerField()
    subject = ForeignKeyField(Subject, backref="+")
    planned_teacher = ForeignKeyField(Staff, null=True, backref="+")  # the timetable's
    teacher = ForeignKeyField(Staff, backref="+")  # who taught (a substitute when not the planned one)
    lesson_no = IntegerField(null=True)
    title = CharField(max_length=MAX_TITLE, default="")
    absent = TextField(default="")  # student ids, comma-separated
    remarks = TextField(default="")
    rating = CharField(null=True)  # rules.RATINGS
    not_taught = CharField(max_length=rules.MAX_REASON, default="")  # the reason, when the period was not taught
    confirmed_by = ForeignKeyField(User, backref="+")
    confirmed_at = DateTimeField()
    version = IntegerField(default=1)

    class Meta:
        table_name = "class_log_entry"
        indexes = ((("school_class", "day", "period"), True), (("teacher", "day"), False))

    @property
    def absent_ids(self) -> list[int]:
        return [int(x) for x in self.absent.split(",") if x]

    @property
    def is_substitute(self) -> bool:
        return self.planned_teacher_id is not None and self.teacher_id != self.planned_teacher_id

    @property
    def rating_label(self) -> str:
        return rules.RATINGS.get(self.rating or "", "")


class ClassLogWeek(BaseModel):
    """A class's week signed by the vice-principal or principal (ký duyệt sổ ghi đầu bài)."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    week_start = DateField()
    signed_by = ForeignKeyField(User, backref="+")
    signed_at = DateTimeField()

    class Meta:
        table_name = "class_log_week"
        indexes = ((("school_class", "week_start"), True),)


REQUEST_STATES = {"waiting": "Chờ Ban giám hiệu duyệt", "approved": "Đã duyệt: tuần được mở lại để sửa",
                  "refused": "Không duyệt"}


class ClassLogRequest(BaseModel):
    """A teacher's request to correct a period of a signed week (đề nghị sửa sổ ghi đầu bài): the vice-principal
    or principal approves it, which reopens the week for the correction (signed again afterwards), or refuses it."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    day = DateField()
    period = IntegerField()
    filed_by = ForeignKeyField(User, backref="+")
    filed_at = DateTimeField()
    reason = CharField(max_length=rules.MAX_REASON)
    state = CharField(default="waiting")  # REQUEST_STATES
    decided_by = ForeignKeyField(User, null=True, backref="+")
    decided_at = DateTimeField(null=True)
    answer = CharField(max_length=rules.MAX_REASON, default="")

    class Meta:
        table_name = "class_log_request"

    @property
    def state_label(self) -> str:
        return REQUEST_STATES.get(self.state, self.state)
