# Issue #16 part B: lesson plans (kế hoạch bài dạy) with their versions, the teacher's and the department's year
# plans, the department's meeting minutes (sổ ghi chép sinh hoạt chuyên môn).
from datetime import datetime

from peewee import *


def up(migrator, db):
    # minimal frozen stubs of the tables the new ones point to
    class Stub(Model):
        class Meta:
            database = db

    class Staff(Stub):
        class Meta:
            table_name = 'staff'

    class SchoolYear(Stub):
        class Meta:
            table_name = 'school_year'

    class Department(Stub):
        class Meta:
            table_name = 'department'

    class Subject(Stub):
        class Meta:
            table_name = 'subject'

    class TeachingAssignment(Stub):
        class Meta:
            table_name = 'teaching_assignment'

    class LessonPlan(Stub):
        assignment = ForeignKeyField(TeachingAssignment)
        lesson_date = DateField()
        lesson_number = IntegerField()
        title = CharField(max_length=300)
        state = CharField(max_length=12, default="draft")
        version = IntegerField(default=1)
        late = BooleanField(default=False)
        first_submitted_at = DateTimeField(null=True)
        submitted_at = DateTimeField(null=True)
        reviewed_by = ForeignKeyField(Staff, null=True)
        reviewed_at = DateTimeField(null=True)
        comment = TextField(default="")
        revision = IntegerField(default=1)
        created_at = DateTimeField(default=datetime.now)

        class Meta:
            table_name = 'lesson_plan'
            indexes = ((("assignment", "lesson_date", "lesson_number"), True),)

    class LessonPlanVersion(Stub):
        plan = ForeignKeyField(LessonPlan)
        number = IntegerField()
        file_stored = CharField(null=True)
        file_name = CharField(null=True)
        file_type = CharField(max_length=100, null=True)
        file_size = IntegerField(null=True)
        sha256 = CharField(max_length=64, null=True)
        objectives = TextField(default="")
        materials = TextField(default="")
        activities = TextField(default="")
        submitted_at = DateTimeField(null=True)
        outcome = CharField(max_length=12, default="")
        comment = TextField(default="")
        reviewed_by = ForeignKeyField(Staff, null=True)
        reviewed_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.now)

        class Meta:
            table_name = 'lesson_plan_version'
            indexes = ((("plan", "number"), True),)

    class TeacherYearPlan(Stub):
        state = CharField(max_length=12, default="draft")
        comment = TextField(default="")
        reviewed_by = ForeignKeyField(Staff, null=True)
        reviewed_at = DateTimeField(null=True)
        submitted_at = DateTimeField(null=True)
        revision = IntegerField(default=1)
        updated_at = DateTimeField(default=datetime.now)
        staff = ForeignKeyField(Staff)
        year = ForeignKeyField(SchoolYear)
        situation = TextField(default="")
        targets = TextField(default="")
        measures = TextField(default="")
        emulation_title = CharField(max_length=200, default="")

        class Meta:
            table_name = 'teacher_year_plan'
            indexes = ((("staff", "year"), True),)

    class DepartmentPlan(Stub):
        state = CharField(max_length=12, default="draft")
        comment = TextField(default="")
        reviewed_by = ForeignKeyField(Staff, null=True)
        reviewed_at = DateTimeField(null=True)
        submitted_at = DateTimeField(null=True)
        revision = IntegerField(default=1)
        updated_at = DateTimeField(default=datetime.now)
        department = ForeignKeyField(Department)
        subject = ForeignKeyField(Subject)
        year = ForeignKeyField(SchoolYear)
        content = TextField(default="")
        written_by = ForeignKeyField(Staff, null=True)

        class Meta:
            table_name = 'department_plan'
            indexes = ((("department", "subject", "year"), True),)

    class DepartmentMeeting(Stub):
        department = ForeignKeyField(Department)
        year = ForeignKeyField(SchoolYear)
        meeting_date = DateField()
        chair = ForeignKeyField(Staff, null=True)
        agenda = TextField(default="")
        agenda_sent_at = DateTimeField(null=True)
        discussion = TextField(default="")
        conclusions = TextField(default="")
        agreed = TextField(default="")
        state = CharField(max_length=12, default="draft")
        closed_at = DateTimeField(null=True)
        revision = IntegerField(default=1)
        created_at = DateTimeField(default=datetime.now)

        class Meta:
            table_name = 'department_meeting'
            indexes = ((("department", "meeting_date"), False),)

    class MeetingAttendance(Stub):
        meeting = ForeignKeyField(DepartmentMeeting)
        staff = ForeignKeyField(Staff)

        class Meta:
            table_name = 'meeting_attendance'
            indexes = ((("meeting", "staff"), True),)

    db.create_tables([LessonPlan, LessonPlanVersion, TeacherYearPlan, DepartmentPlan, DepartmentMeeting,
                      MeetingAttendance])


def down(migrator, db):
    for table in ('meeting_attendance', 'department_meeting', 'department_plan', 'teacher_year_plan',
                  'lesson_plan_version', 'lesson_plan'):
        migrator.migrate(migrator.drop_table(table))
