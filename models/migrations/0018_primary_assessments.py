# Primary schools (TT27): subject cells at the four moments, qualities and competences, monthly comments.
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model


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

    class Student(Model):
        class Meta:
            database = db
            table_name = 'student'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class PrimaryCell(Model):
        school_class = ForeignKeyField(SchoolClass)
        subject = ForeignKeyField(Subject)
        student = ForeignKeyField(Student)
        moment = CharField(max_length=4)
        field = CharField(max_length=7)
        value = CharField(max_length=300, null=True)
        version = IntegerField(default=1)
        updated_by = ForeignKeyField(User, null=True, index=False)
        updated_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'primary_cell'
            indexes = ((('school_class', 'subject', 'student', 'moment', 'field'), True),)

    class PrimaryTrait(Model):
        school_class = ForeignKeyField(SchoolClass)
        student = ForeignKeyField(Student)
        moment = CharField(max_length=4)
        trait = CharField(max_length=12)
        value = CharField(max_length=1, null=True)
        version = IntegerField(default=1)
        updated_by = ForeignKeyField(User, null=True, index=False)
        updated_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'primary_trait'
            indexes = ((('school_class', 'student', 'moment', 'trait'), True),)

    class MonthlyComment(Model):
        school_class = ForeignKeyField(SchoolClass)
        student = ForeignKeyField(Student)
        year_month = CharField(max_length=7)
        text = CharField(max_length=300, null=True)
        version = IntegerField(default=1)
        updated_by = ForeignKeyField(User, null=True, index=False)
        updated_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'monthly_comment'
            indexes = ((('school_class', 'student', 'year_month'), True),)

    db.create_tables([PrimaryCell, PrimaryTrait, MonthlyComment])


def down(migrator, db):
    for table in ('monthly_comment', 'primary_trait', 'primary_cell'):
        migrator.migrate(migrator.drop_table(table))
