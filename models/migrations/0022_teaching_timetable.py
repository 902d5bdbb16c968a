# Teaching records (issue #16 part A): timetable versions and slots, the programme plan (PPCT),
# the weekly teaching schedule (lịch báo giảng), the class log (sổ ghi đầu bài) and its signed weeks.
from datetime import datetime

from peewee import *


def up(migrator, db):
    # minimal frozen stubs of the tables the new ones point to
    class Stub(Model):
        class Meta:
            database = db

    class SchoolYear(Stub):
        class Meta:
            table_name = 'school_year'

    class SchoolClass(Stub):
        class Meta:
            table_name = 'school_class'

    class Grade(Stub):
        class Meta:
            table_name = 'grade'

    class Subject(Stub):
        class Meta:
            table_name = 'subject'

    class TeachingAssignment(Stub):
        class Meta:
            table_name = 'teaching_assignment'

    class Staff(Stub):
        class Meta:
            table_name = 'staff'

    class User(Stub):
        class Meta:
            table_name = 'account'

    class TimetableVersion(Stub):
        year = ForeignKeyField(SchoolYear)
        effective_on = DateField()
        note = TextField(default="")
        created_at = DateTimeField(default=datetime.now)

        class Meta:
            table_name = 'timetable_version'
            indexes = ((("year", "effective_on"), True),)

    class TimetableSlot(Stub):
        timetable = ForeignKeyField(TimetableVersion)
        school_class = ForeignKeyField(SchoolClass)
        weekday = IntegerField()
        period = IntegerField()
        assignment = ForeignKeyField(TeachingAssignment)

        class Meta:
            table_name = 'timetable_slot'
            indexes = ((("timetable", "school_class", "weekday", "period"), True),)

    class PpctLesson(Stub):
        year = ForeignKeyField(SchoolYear)
        grade = ForeignKeyField(Grade)
        subject = ForeignKeyField(Subject)
        number = IntegerField()
        title = CharField(max_length=300)
        created_at = DateTimeField(default=datetime.now)

        class Meta:
            table_name = 'ppct_lesson'
            indexes = ((("year", "grade", "subject", "number"), True),)

    class TeachingWeek(Stub):
        teacher = ForeignKeyField(Staff)
        week_start = DateField()
        state = CharField(default="draft")
        submitted_at = DateTimeField(null=True)
        version = IntegerField(default=1)
        created_at = DateTimeField(default=datetime.now)

        class Meta:
            table_name = 'teaching_week'
            indexes = ((("teacher", "week_start"), True),)

    class ScheduleLesson(Stub):
        week = ForeignKeyField(TeachingWeek)
        day = DateField()
        period = IntegerField()
        school_class = ForeignKeyField(SchoolClass)
        subject = ForeignKeyField(Subject)
        lesson_no = IntegerField(null=True)
        title = CharField(max_length=300, default="")
        note = CharField(max_length=200, default="")
        version = IntegerField(default=1)

        class Meta:
            table_name = 'schedule_lesson'
            indexes = ((("week", "day", "period"), True), (("school_class", "subject", "day"), False))

    class ClassLogEntry(Stub):
        school_class = ForeignKeyField(SchoolClass)
        day = DateField()
        period = IntegerField()
        subject = ForeignKeyField(Subject)
        planned_teacher = ForeignKeyField(Staff, null=True)
        teacher = ForeignKeyField(Staff)
        lesson_no = IntegerField(null=True)
        title = CharField(max_length=300, default="")
        absent = TextField(default="")
        remarks = TextField(default="")
        rating = CharField(null=True)
        not_taught = CharField(max_length=200, default="")
        confirmed_by = ForeignKeyField(User)
        confirmed_at = DateTimeField()
        version = IntegerField(default=1)

        class Meta:
            table_name = 'class_log_entry'
            indexes = ((("school_class", "day", "period"), True), (("teacher", "day"), False))

    class ClassLogWeek(Stub):
        school_class = ForeignKeyField(SchoolClass)
        week_start = DateField()
        signed_by = ForeignKeyField(User)
        signed_at = DateTimeField()

        class Meta:
            table_name = 'class_log_week'
            indexes = ((("school_class", "week_start"), True),)

    db.create_tables([TimetableVersion, TimetableSlot, PpctLesson, TeachingWeek, ScheduleLesson, ClassLogEntry,
                      ClassLogWeek])


def down(migrator, db):
    for table in ('class_log_week', 'class_log_entry', 'schedule_lesson', 'teaching_week', 'ppct_lesson', 'timetable_slot', 'timetable_version'):
        migrator.migrate(migrator.drop_table(table))
