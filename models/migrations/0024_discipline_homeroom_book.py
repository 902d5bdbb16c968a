# Daily conduct (models/discipline/: the list of conduct items and the records of a day) and the homeroom book
# (models/homeroom_book/: its sections and its dated notes), issue 17.
from peewee import *
import datetime


def up(migrator, db):
    # minimal frozen stubs of the tables the new ones point to
    class Student(Model):
        class Meta:
            database = db
            table_name = 'student'

    class SchoolClass(Model):
        class Meta:
            database = db
            table_name = 'school_class'

    class ConductItem(Model):
        name = CharField(max_length=120, unique=True)
        points = IntegerField()
        scope = CharField(max_length=8, default='student')
        is_active = BooleanField(default=True)
        position = IntegerField(default=0)
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'conduct_item'

    class ConductRecord(Model):
        school_class = ForeignKeyField(SchoolClass)
        student = ForeignKeyField(Student, null=True)
        item = ForeignKeyField(ConductItem)
        day = DateField()
        points = IntegerField()
        note = CharField(max_length=300, default='')
        entered_by = IntegerField(null=True)
        entered_at = DateTimeField(default=datetime.datetime.now)
        withdrawn_at = DateTimeField(null=True)
        withdrawn_by = IntegerField(null=True)
        withdraw_reason = CharField(max_length=300, default='')
        class Meta:
            database = db
            table_name = 'conduct_record'
            indexes = ((('school_class', 'day'), False), (('student', 'day'), False))

    class HomeroomBookSection(Model):
        school_class = ForeignKeyField(SchoolClass)
        kind = CharField(max_length=16)
        period = CharField(max_length=7, default='')
        text = TextField(default='')
        version = IntegerField(default=0)
        updated_at = DateTimeField(null=True)
        updated_by = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'homeroom_book_section'
            indexes = ((('school_class', 'kind', 'period'), True),)

    class HomeroomNote(Model):
        school_class = ForeignKeyField(SchoolClass)
        kind = CharField(max_length=16)
        day = DateField()
        student = ForeignKeyField(Student, null=True)
        channel = CharField(max_length=40, default='')
        present = IntegerField(null=True)
        expected = IntegerField(null=True)
        text = TextField()
        entered_by = IntegerField(null=True)
        entered_at = DateTimeField(default=datetime.datetime.now)
        class Meta:
            database = db
            table_name = 'homeroom_note'
            indexes = ((('school_class', 'kind', 'day'), False),)

    db.create_tables([ConductItem, ConductRecord, HomeroomBookSection, HomeroomNote])


def down(migrator, db):
    for table in ('homeroom_note', 'homeroom_book_section', 'conduct_record', 'conduct_item'):
        migrator.migrate(migrator.drop_table(table))
