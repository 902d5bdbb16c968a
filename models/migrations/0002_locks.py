# Grade-book locks: entry windows (the schedule) and the principal's switches (append-only).
from peewee import *
import datetime


def up(migrator, db):
    # minimal frozen stubs of the tables the new ones point to
    class SchoolYear(Model):
        class Meta:
            database = db
            table_name = 'school_year'

    class Semester(Model):
        class Meta:
            database = db
            table_name = 'semester'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class EntryWindow(Model):
        year = ForeignKeyField(SchoolYear)
        semester = ForeignKeyField(Semester)
        kind = CharField(max_length=2)
        opens_at = DateTimeField()
        closes_at = DateTimeField()
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField(default=datetime.datetime.now)
        class Meta:
            database = db
            table_name = 'entry_window'
            indexes = ((('semester', 'kind'), False),)
    db.create_tables([EntryWindow])

    class LockOverride(Model):
        semester = ForeignKeyField(Semester)
        scope = CharField(max_length=16)
        target = CharField(max_length=40, default='')
        locked = BooleanField(null=True)
        reason = TextField()
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField(default=datetime.datetime.now, index=True)
        class Meta:
            database = db
            table_name = 'lock_override'
            indexes = ((('semester', 'target'), False),)
    db.create_tables([LockOverride])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('lock_override'))
    migrator.migrate(migrator.drop_table('entry_window'))
