# Attendance: the school calendar, marks per session with their history, month locks, confirmations, delegates.
from peewee import *
import datetime


def up(migrator, db):
    # minimal frozen stubs of the tables the new ones point to
    class SchoolYear(Model):
        class Meta:
            database = db
            table_name = 'school_year'

    class SchoolClass(Model):
        class Meta:
            database = db
            table_name = 'school_class'

    class Student(Model):
        class Meta:
            database = db
            table_name = 'student'

    class Staff(Model):
        class Meta:
            database = db
            table_name = 'staff'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class SchoolCalendar(Model):
        year = ForeignKeyField(SchoolYear, unique=True)
        days_per_week = IntegerField(default=6)
        sessions_per_day = IntegerField(default=1)
        auto_lock_day = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'school_calendar'

    class Holiday(Model):
        year = ForeignKeyField(SchoolYear)
        starts_on = DateField()
        ends_on = DateField()
        name = CharField()
        created_at = DateTimeField(default=datetime.datetime.now)
        class Meta:
            database = db
            table_name = 'holiday'

    class MakeUpDay(Model):
        year = ForeignKeyField(SchoolYear)
        day = DateField()
        sessions = IntegerField(default=1)
        name = CharField(default='')
        created_at = DateTimeField(default=datetime.datetime.now)
        class Meta:
            database = db
            table_name = 'make_up_day'
            indexes = ((('year', 'day'), True),)

    class AttendanceMark(Model):
        student = ForeignKeyField(Student)
        school_class = ForeignKeyField(SchoolClass)
        day = DateField()
        session = IntegerField(default=1)
        value = CharField(max_length=1, null=True)
        version = IntegerField(default=1)
        updated_by = ForeignKeyField(User, null=True)
        updated_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'attendance_mark'
            indexes = (
                (('student', 'school_class', 'day', 'session'), True),
                (('school_class', 'day'), False),
            )

    class AttendanceChange(Model):
        mark = ForeignKeyField(AttendanceMark)
        old_value = CharField(max_length=1, null=True)
        new_value = CharField(max_length=1, null=True)
        version = IntegerField()
        changed_by = ForeignKeyField(User, null=True)
        changed_at = DateTimeField()
        correction_request_id = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'attendance_change'

    class AttendanceLock(Model):
        year = ForeignKeyField(SchoolYear)
        month = CharField(max_length=7)
        school_class = ForeignKeyField(SchoolClass, null=True)
        locked = BooleanField()
        reason = TextField()
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField(default=datetime.datetime.now, index=True)
        class Meta:
            database = db
            table_name = 'attendance_lock'
            indexes = ((('month', 'school_class'), False),)

    class AttendanceMonthConfirm(Model):
        school_class = ForeignKeyField(SchoolClass)
        month = CharField(max_length=7)
        confirmed_by = ForeignKeyField(User, null=True)
        confirmed_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'attendance_month_confirm'
            indexes = ((('school_class', 'month'), False),)

    class AttendanceDelegate(Model):
        school_class = ForeignKeyField(SchoolClass)
        staff = ForeignKeyField(Staff)
        year = ForeignKeyField(SchoolYear)
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField(default=datetime.datetime.now)
        ended_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'attendance_delegate'
            indexes = ((('school_class', 'staff'), False),)

    db.create_tables([SchoolCalendar, Holiday, MakeUpDay, AttendanceMark, AttendanceChange, AttendanceLock,
                      AttendanceMonthConfirm, AttendanceDelegate])


def down(migrator, db):
    for table in ('attendance_delegate', 'attendance_month_confirm', 'attendance_lock', 'attendance_change',
                  'attendance_mark', 'make_up_day', 'holiday', 'school_calendar'):
        migrator.migrate(migrator.drop_table(table))
