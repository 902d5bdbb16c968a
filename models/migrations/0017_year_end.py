# Year-end results (TT22 Điều 8–15): conduct levels, comments, the class's submission and approval, the frozen
# results, re-test values, the after-summer conduct and the final decision.
from peewee import *


def up(migrator, db):
    # minimal frozen stubs of the tables the new ones point to
    def stub(name):
        class Meta:
            database = db
            table_name = name
        return type(name.title().replace('_', ''), (Model,), {'Meta': Meta})

    SchoolClass, Student, Subject, User = (stub(n) for n in ('school_class', 'student', 'subject', 'account'))

    class ConductRating(Model):
        school_class = ForeignKeyField(SchoolClass)
        student = ForeignKeyField(Student)
        semester = IntegerField()
        level = CharField(max_length=10, null=True)
        comment = CharField(max_length=300, default='')
        version = IntegerField(default=1)
        updated_by = ForeignKeyField(User, null=True)
        updated_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'conduct_rating'
            indexes = ((('school_class', 'student', 'semester'), True),)

    class StudentComment(Model):
        school_class = ForeignKeyField(SchoolClass)
        student = ForeignKeyField(Student)
        subject = ForeignKeyField(Subject, null=True)
        text = CharField(max_length=300, default='')
        version = IntegerField(default=1)
        updated_by = ForeignKeyField(User, null=True)
        updated_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'student_comment'
            indexes = ((('school_class', 'student', 'subject'), True),)

    class ClassYearEnd(Model):
        school_class = ForeignKeyField(SchoolClass, unique=True)
        state = CharField(max_length=10, default='draft')
        reason = CharField(default='')
        approved_at = DateTimeField(null=True)
        updated_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'class_year_end'

    class YearEndStep(Model):
        school_class = ForeignKeyField(SchoolClass)
        step = CharField(max_length=10)
        by = ForeignKeyField(User, null=True)
        by_name = CharField(default='')
        at = DateTimeField()
        reason = CharField(default='')
        class Meta:
            database = db
            table_name = 'year_end_step'
            indexes = ((('school_class',), False),)

    class FrozenResult(Model):
        school_class = ForeignKeyField(SchoolClass)
        student = ForeignKeyField(Student)
        data = TextField()
        approved_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'frozen_result'
            indexes = ((('school_class', 'student'), True),)

    class RetestValue(Model):
        school_class = ForeignKeyField(SchoolClass)
        student = ForeignKeyField(Student)
        subject = ForeignKeyField(Subject)
        value = CharField(max_length=4)
        updated_by = ForeignKeyField(User, null=True)
        updated_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'retest_value'
            indexes = ((('school_class', 'student', 'subject'), True),)

    class SummerConduct(Model):
        school_class = ForeignKeyField(SchoolClass)
        student = ForeignKeyField(Student)
        level = CharField(max_length=10)
        comment = CharField(max_length=300, default='')
        updated_by = ForeignKeyField(User, null=True)
        updated_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'summer_conduct'
            indexes = ((('school_class', 'student'), True),)

    class FinalDecision(Model):
        school_class = ForeignKeyField(SchoolClass)
        student = ForeignKeyField(Student)
        conduct = CharField(max_length=10)
        learning = CharField(max_length=10)
        decision = CharField(max_length=40)
        updated_by = ForeignKeyField(User, null=True)
        updated_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'final_decision'
            indexes = ((('school_class', 'student'), True),)

    db.create_tables([ConductRating, StudentComment, ClassYearEnd, YearEndStep, FrozenResult, RetestValue,
                      SummerConduct, FinalDecision])


def down(migrator, db):
    for table in ('final_decision', 'summer_conduct', 'retest_value', 'frozen_result', 'year_end_step',
                  'class_year_end', 'student_comment', 'conduct_rating'):
        migrator.migrate(migrator.drop_table(table))
