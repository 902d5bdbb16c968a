# A teacher's request to correct a period of a signed class-log week (issue #16: after the week is signed a
# change goes through a request the vice-principal or principal decides).
from peewee import *


def up(migrator, db):
    # minimal frozen stubs of the tables the new one points to
    class Stub(Model):
        class Meta:
            database = db

    class SchoolClass(Stub):
        class Meta:
            table_name = 'school_class'

    class User(Stub):
        class Meta:
            table_name = 'account'

    class ClassLogRequest(Stub):
        school_class = ForeignKeyField(SchoolClass)
        day = DateField()
        period = IntegerField()
        filed_by = ForeignKeyField(User)
        filed_at = DateTimeField()
        reason = CharField(max_length=200)
        state = CharField(default="waiting")
        decided_by = ForeignKeyField(User, null=True)
        decided_at = DateTimeField(null=True)
        answer = CharField(max_length=200, default="")

        class Meta:
            table_name = 'class_log_request'

    db.create_tables([ClassLogRequest])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('class_log_request'))
