# Notices to families (issue #17 part B): the school's channel settings, message templates, families'
# opt-outs, and each notice with its delivery state and idempotency key.
from datetime import datetime

from peewee import *


def up(migrator, db):
    # minimal frozen stubs of the tables the new ones point to
    class Stub(Model):
        class Meta:
            database = db

    class Student(Stub):
        class Meta:
            table_name = 'student'

    class SchoolClass(Stub):
        class Meta:
            table_name = 'school_class'

    class User(Stub):
        class Meta:
            table_name = 'account'

    class FamilySettings(Stub):
        channel = CharField(default="print")
        gateway_url = CharField(default="")
        gateway_login = CharField(default="")
        gateway_password = CharField(default="")
        rate_per_minute = IntegerField(default=20)
        max_attempts = IntegerField(default=6)
        version = IntegerField(default=1)
        updated_at = DateTimeField(default=datetime.now)

        class Meta:
            table_name = 'family_settings'

    class NoticeTemplate(Stub):
        kind = CharField(unique=True)
        text = TextField()
        version = IntegerField(default=1)
        updated_by = ForeignKeyField(User, null=True)
        updated_at = DateTimeField(default=datetime.now)

        class Meta:
            table_name = 'notice_template'

    class FamilyPreference(Stub):
        student = ForeignKeyField(Student, unique=True)
        opted_out = BooleanField(default=False)
        note = CharField(default="")
        updated_by = ForeignKeyField(User, null=True)
        updated_at = DateTimeField(default=datetime.now)

        class Meta:
            table_name = 'family_preference'

    class FamilyNotice(Stub):
        student = ForeignKeyField(Student)
        school_class = ForeignKeyField(SchoolClass)
        kind = CharField()
        day = DateField()
        source = CharField(default="")
        contact = CharField(default="")
        phone = CharField(default="")
        phone_problem = CharField(default="")
        text = TextField()
        state = CharField(default="pending")
        channel = CharField(default="")
        key = CharField(max_length=36, unique=True)
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField(default=datetime.now)
        queued_at = DateTimeField(null=True)
        attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField(null=True)
        sent_at = DateTimeField(null=True)
        delivered_at = DateTimeField(null=True)
        error = TextField(default="")
        gateway_state = CharField(default="")
        version = IntegerField(default=1)

        class Meta:
            table_name = 'family_notice'
            indexes = (
                (("student", "kind", "day", "source"), True),
                (("school_class", "day"), False),
                (("state", "next_attempt_at"), False),
                (("created_by", "created_at"), False),
            )

    db.create_tables([FamilySettings, NoticeTemplate, FamilyPreference, FamilyNotice])


def down(migrator, db):
    for table in ('family_notice', 'family_preference', 'notice_template', 'family_settings'):
        migrator.migrate(migrator.drop_table(table))
