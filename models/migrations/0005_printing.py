# Printing: the steps of each signed monthly attendance sheet, and the whole-school print jobs.
from peewee import *
import datetime


def up(migrator, db):
    # minimal frozen stubs of the tables the new ones point to
    class SchoolClass(Model):
        class Meta:
            database = db
            table_name = 'school_class'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class AttendanceSheetStep(Model):
        school_class = ForeignKeyField(SchoolClass)
        year_month = CharField(max_length=7)
        step = CharField(max_length=16)
        data_version = CharField(max_length=64)
        by = ForeignKeyField(User, null=True)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'attendance_sheet_step'
            indexes = ((('school_class', 'year_month'), False),)

    class PrintJob(Model):
        kind = CharField(max_length=40, index=True)
        params = TextField(default='{}')
        status = CharField(max_length=10, default='queued', index=True)
        progress = IntegerField(default=0)
        total = IntegerField(default=0)
        output_path = TextField(default='')
        error = TextField(default='')
        pid = IntegerField(null=True)
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField(default=datetime.datetime.now)
        finished_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'print_job'

    db.create_tables([AttendanceSheetStep, PrintJob])


def down(migrator, db):
    for table in ('print_job', 'attendance_sheet_step'):
        migrator.migrate(migrator.drop_table(table))
