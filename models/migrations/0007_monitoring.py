# Monitoring of the grade book: the vice-principal's monthly comment on each class book (append-only).
from peewee import *


def up(migrator, db):
    # minimal frozen stubs of the tables the new one points to
    class SchoolClass(Model):
        class Meta:
            database = db
            table_name = 'school_class'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class ClassBookComment(Model):
        school_class = ForeignKeyField(SchoolClass)
        year_month = CharField(max_length=7)
        text = TextField()
        by = ForeignKeyField(User, null=True)
        by_name = CharField(default='')
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'class_book_comment'
            indexes = ((('school_class', 'year_month'), False),)
    db.create_tables([ClassBookComment])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('class_book_comment'))
