# Primary schools' year end (issue #14): a correction request may name a primary cell (its moment and field:
# level or test score, or a quality or competence); a primary cell or rating written by an applied correction is
# marked, so the prints show it in red;
# the homeroom teacher's award decision per pupil (primary_award).
from peewee import *


def up(migrator, db):
    # minimal frozen stubs of the tables the new one points to
    class Stub(Model):
        class Meta:
            database = db

    class Student(Stub):
        class Meta:
            table_name = 'student'

    class SchoolClass(Stub):
        class Meta:
            table_name = 'school_class'

    class Account(Stub):
        class Meta:
            table_name = 'account'

    class PrimaryAward(Stub):
        school_class = ForeignKeyField(SchoolClass)
        student = ForeignKeyField(Student)
        award = CharField(max_length=10, default="")
        remark = CharField(max_length=300, default="")
        version = IntegerField(default=1)
        updated_by = ForeignKeyField(Account, null=True, index=False)
        updated_at = DateTimeField(null=True)

        class Meta:
            table_name = 'primary_award'
            indexes = ((("school_class", "student"), True),)

    db.create_tables([PrimaryAward])
    migrator.migrate(
        migrator.add_column('correction_request', 'moment', CharField(max_length=4, null=True)),
        migrator.add_column('correction_request', 'cell_field', CharField(max_length=12, null=True)),
        migrator.add_column('primary_cell', 'corrected', BooleanField(default=False)),
        migrator.add_column('primary_trait', 'corrected', BooleanField(default=False)),
    )


def down(migrator, db):
    db.execute_sql('DROP TABLE primary_award')
    migrator.migrate(
        migrator.drop_column('primary_trait', 'corrected'),
        migrator.drop_column('primary_cell', 'corrected'),
        migrator.drop_column('correction_request', 'cell_field'),
        migrator.drop_column('correction_request', 'moment'),
    )
