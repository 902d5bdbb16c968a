# Corrections after the lock: requests to change a locked mark or attendance session, and their trail.
from peewee import *


def up(migrator, db):
    # minimal frozen stubs of the tables the new ones point to
    class SchoolClass(Model):
        class Meta:
            database = db
            table_name = 'school_class'

    class Student(Model):
        class Meta:
            database = db
            table_name = 'student'

    class Subject(Model):
        class Meta:
            database = db
            table_name = 'subject'

    class Semester(Model):
        class Meta:
            database = db
            table_name = 'semester'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class CorrectionRequest(Model):
        target = CharField(max_length=10, index=True)
        school_class = ForeignKeyField(SchoolClass)
        student = ForeignKeyField(Student)
        subject = ForeignKeyField(Subject, null=True)
        semester = ForeignKeyField(Semester, null=True)
        kind = CharField(max_length=2, null=True)
        idx = IntegerField(null=True)
        day = DateField(null=True)
        session = IntegerField(null=True)
        old_value = CharField(max_length=4, null=True)
        new_value = CharField(max_length=4, null=True)
        reason = TextField()
        evidence_file = CharField(null=True)
        evidence_name = CharField(null=True)
        evidence_type = CharField(max_length=32, null=True)
        evidence_size = IntegerField(null=True)
        state = CharField(max_length=16, index=True)
        filed_by = ForeignKeyField(User, backref='+')
        filed_at = DateTimeField()
        confirmed_by = ForeignKeyField(User, null=True, backref='+')
        confirmed_at = DateTimeField(null=True)
        confirm_comment = TextField(default='')
        decided_by = ForeignKeyField(User, null=True, backref='+')
        decided_at = DateTimeField(null=True)
        decision_comment = TextField(default='')
        applied_by = ForeignKeyField(User, null=True, backref='+')
        applied_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'correction_request'
    db.create_tables([CorrectionRequest])

    class CorrectionStep(Model):
        request = ForeignKeyField(CorrectionRequest)
        action = CharField(max_length=10)
        state = CharField(max_length=16)
        actor = ForeignKeyField(User, null=True)
        actor_name = CharField(default='')
        at = DateTimeField()
        comment = TextField(default='')
        class Meta:
            database = db
            table_name = 'correction_step'
    db.create_tables([CorrectionStep])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('correction_step'))
    migrator.migrate(migrator.drop_table('correction_request'))
