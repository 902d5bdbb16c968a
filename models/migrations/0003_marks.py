# The grade book: mark cells with their versions, and the append-only history of their values.
from peewee import *


def up(migrator, db):
    # minimal frozen stubs of the tables the new ones point to
    class SchoolClass(Model):
        class Meta:
            database = db
            table_name = 'school_class'

    class Subject(Model):
        class Meta:
            database = db
            table_name = 'subject'

    class Semester(Model):
        class Meta:
            database = db
            table_name = 'semester'

    class Student(Model):
        class Meta:
            database = db
            table_name = 'student'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class MarkCell(Model):
        school_class = ForeignKeyField(SchoolClass)
        subject = ForeignKeyField(Subject)
        semester = ForeignKeyField(Semester)
        student = ForeignKeyField(Student)
        kind = CharField(max_length=2)
        idx = IntegerField()
        value = CharField(max_length=4, null=True)
        version = IntegerField(default=1)
        updated_by = ForeignKeyField(User, null=True)
        updated_at = DateTimeField(null=True)
        corrected = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'mark_cell'
            indexes = ((('school_class', 'subject', 'semester', 'student', 'kind', 'idx'), True),)
    db.create_tables([MarkCell])

    class MarkChange(Model):
        cell = ForeignKeyField(MarkCell)
        old_value = CharField(max_length=4, null=True)
        new_value = CharField(max_length=4, null=True)
        version = IntegerField()
        changed_by = ForeignKeyField(User, null=True)
        changed_by_name = CharField(default='')
        changed_at = DateTimeField()
        correction_request_id = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'mark_change'
    db.create_tables([MarkChange])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('mark_change'))
    migrator.migrate(migrator.drop_table('mark_cell'))
