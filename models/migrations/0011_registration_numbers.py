# The sổ đăng bộ's registration numbers (models/registers.py): one per student, given once, never reused.
from peewee import *


def up(migrator, db):
    # minimal frozen stub of the table the new one points to
    class Student(Model):
        class Meta:
            database = db
            table_name = 'student'

    class RegistrationNumber(Model):
        student = ForeignKeyField(Student, unique=True)
        number = IntegerField(unique=True)
        admitted_on = DateField(null=True)
        given_at = DateTimeField()
        given_by = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'registration_number'
    db.create_tables([RegistrationNumber])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('registration_number'))
