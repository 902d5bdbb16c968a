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

    class TimetableVersion(Stub):
        year = ForeignKeyField(SchoolYear)
        effective_on = DateField()
        note = TextField(default="")
        version = IntegerField(default=1)
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

    db.create_tables([TimetableVersion, TimetableSlot, PpctLesson])


def down(migrator, db):
    for table in ('ppct_lesson', 'timetable_slot', 'timetable_version'):
        migrator.migrate(migrator.drop_table(table))
