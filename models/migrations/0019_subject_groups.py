# Upper-secondary subject groups (tổ hợp): groups with their electives and chuyên đề, the class's group, the
# students taking one elective with another class, and the ĐĐGtx a chuyên đề adds per subject.
from peewee import CharField, ForeignKeyField, IntegerField, Model


def up(migrator, db):
    # minimal frozen stubs of the tables the new ones point to
    class Subject(Model):
        class Meta:
            database = db
            table_name = 'subject'

    class SchoolClass(Model):
        class Meta:
            database = db
            table_name = 'school_class'

    class Student(Model):
        class Meta:
            database = db
            table_name = 'student'

    class SubjectGroup(Model):
        code = CharField(unique=True)
        name = CharField()
        class Meta:
            database = db
            table_name = 'subject_group'

    class SubjectGroupItem(Model):
        group = ForeignKeyField(SubjectGroup, on_delete='CASCADE')
        subject = ForeignKeyField(Subject)
        kind = CharField(max_length=8)
        class Meta:
            database = db
            table_name = 'subject_group_item'
            indexes = ((('group', 'subject', 'kind'), True),)

    class ClassGroup(Model):
        school_class = ForeignKeyField(SchoolClass, unique=True)
        group = ForeignKeyField(SubjectGroup)
        class Meta:
            database = db
            table_name = 'class_group'

    class StudentElective(Model):
        student = ForeignKeyField(Student)
        teaching_class = ForeignKeyField(SchoolClass)
        subject = ForeignKeyField(Subject)
        replaces = ForeignKeyField(Subject, null=True)
        class Meta:
            database = db
            table_name = 'student_elective'
            indexes = ((('student', 'teaching_class', 'subject'), True),)

    class TopicTxSetting(Model):
        subject = ForeignKeyField(Subject, unique=True)
        tx_count = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'topic_tx_setting'

    db.create_tables([SubjectGroup, SubjectGroupItem, ClassGroup, StudentElective, TopicTxSetting])


def down(migrator, db):
    for table in ('topic_tx_setting', 'student_elective', 'class_group', 'subject_group_item', 'subject_group'):
        migrator.migrate(migrator.drop_table(table))
