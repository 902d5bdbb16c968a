"""School structure: the school, years, semesters, grades, departments, classes, subjects, assignments."""
from datetime import datetime

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models import BaseModel, KeptModel
from models.people import Staff, Student

LEVELS = {"tieu_hoc": "Tiểu học", "thcs": "THCS", "thpt": "THPT"}
# grades each school level teaches; primary (TT27) comes later but has its place here
LEVEL_GRADES = {"tieu_hoc": range(1, 6), "thcs": range(6, 10), "thpt": range(10, 13)}

ASSESSMENT_KINDS = {
    "scored": "Nhận xét kết hợp điểm số",
    "comment": "Chỉ đánh giá bằng nhận xét (Đ/CĐ)",
}


class School(BaseModel):
    name = CharField()
    code = CharField(default="")
    header_line_1 = CharField(default="")  # "UBND QUẬN ..." on printed books
    header_line_2 = CharField(default="")  # "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO ..."
    levels = CharField(default="thcs")  # comma-separated LEVELS keys
    address = TextField(default="")
    phone = CharField(default="")
    email = CharField(default="")
    place_name = CharField(default="")  # used in "…, ngày … tháng … năm …"
    is_demo = BooleanField(default=False)

    @classmethod
    def current(cls) -> "School | None":
        return cls.select().order_by(cls.id).first()

    @property
    def level_list(self) -> list[str]:
        return [x for x in self.levels.split(",") if x]

    @property
    def level_labels(self) -> str:
        return ", ".join(LEVELS.get(x, x) for x in self.level_list)


class SchoolYear(BaseModel):
    name = CharField(unique=True)  # "2024-2025"
    start_year = IntegerField(unique=True)
    is_current = BooleanField(default=False)

    @classmethod
    def current(cls) -> "SchoolYear | None":
        return (cls.select().where(cls.is_current).first()
                or cls.select().order_by(cls.start_year.desc()).first())


class Semester(BaseModel):
    year = ForeignKeyField(SchoolYear, backref="semesters")
    number = IntegerField()  # 1 or 2
    starts_on = DateField()
    ends_on = DateField()
    teaching_weeks = IntegerField(default=18)
    final_tests_on = DateField(null=True)

    class Meta:
        indexes = ((("year", "number"), True),)

    @property
    def label(self) -> str:
        return "Học kì I" if self.number == 1 else "Học kì II"


class Grade(BaseModel):
    number = IntegerField(unique=True)  # khối 6, 7, ...
    level = CharField(default="thcs")

    @property
    def label(self) -> str:
        return f"Khối {self.number}"


class Department(BaseModel):
    name = CharField(unique=True)  # tổ chuyên môn
    code = CharField(unique=True)


class DepartmentMember(BaseModel):
    department = ForeignKeyField(Department, backref="members")
    staff = ForeignKeyField(Staff, backref="department_memberships", unique=True)
    is_head = BooleanField(default=False)


class Subject(BaseModel):
    code = CharField(unique=True)
    name = CharField()
    kind = CharField(default="scored")  # ASSESSMENT_KINDS
    department = ForeignKeyField(Department, null=True, backref="subjects")
    position = IntegerField(default=0)

    @property
    def comment_only(self) -> bool:
        return self.kind == "comment"


class GradeSubject(BaseModel):
    """A subject taught in a grade, with its periods per year (the TX count follows from it)."""

    grade = ForeignKeyField(Grade, backref="subjects")
    subject = ForeignKeyField(Subject, backref="grades")
    periods_per_year = IntegerField()

    class Meta:
        indexes = ((("grade", "subject"), True),)


class SchoolClass(BaseModel):
    year = ForeignKeyField(SchoolYear, backref="classes")
    grade = ForeignKeyField(Grade, backref="classes")
    name = CharField()  # "6A1"
    homeroom_teacher = ForeignKeyField(Staff, null=True, backref="homeroom_classes")
    previous = ForeignKeyField("self", null=True, backref="next_classes")  # the class it moved up from

    class Meta:
        table_name = "school_class"
        indexes = ((("year", "name"), True),)


class Enrolment(KeptModel):
    """A student in a class for a year; left_on is set when they leave, the row stays."""

    student = ForeignKeyField(Student, backref="enrolments")
    school_class = ForeignKeyField(SchoolClass, backref="enrolments")
    joined_on = DateField(null=True)
    left_on = DateField(null=True)
    created_at = DateTimeField(default=datetime.now)

    class Meta:
        indexes = ((("student", "school_class"), True),)


class TeachingAssignment(BaseModel):
    """Teacher × class × subject for the class's year; shared ones name one coordinator."""

    school_class = ForeignKeyField(SchoolClass, backref="assignments")
    subject = ForeignKeyField(Subject, backref="assignments")
    teacher = ForeignKeyField(Staff, backref="assignments")
    is_coordinator = BooleanField(default=True)

    class Meta:
        indexes = ((("school_class", "subject", "teacher"), True),)


# --- queries and writes that belong to the school's structure -------------------------------------

class RosterEntry:
    """One line of a class list: the student, their enrolment, and whether they have left."""

    __slots__ = ("student", "enrolment", "number")

    def __init__(self, student: Student, enrolment: Enrolment, number: int):
        self.student, self.enrolment, self.number = student, enrolment, number

    @property
    def has_left(self) -> bool:
        return self.student.has_left or self.enrolment.left_on is not None


def class_roster(school_class: SchoolClass) -> list[RosterEntry]:
    """The class list in Vietnamese order; those who left stay in it, flagged."""
    from models.rules.text import vietnamese_sort_key

    rows = list(Enrolment.select(Enrolment, Student)
                .join(Student)
                .where(Enrolment.school_class == school_class))
    rows.sort(key=lambda e: (vietnamese_sort_key(e.student.full_name), e.student.id))
    return [RosterEntry(e.student, e, i) for i, e in enumerate(rows, start=1)]


def class_size(school_class: SchoolClass) -> int:
    """Sĩ số: students currently in the class."""
    return (Enrolment.select().join(Student)
            .where((Enrolment.school_class == school_class) & Enrolment.left_on.is_null()
                   & Student.status.not_in(["chuyen_di", "nghi_hoc", "thoi_hoc"]))
            .count())


def current_class_of(student: Student, year: SchoolYear | None = None) -> SchoolClass | None:
    year = year or SchoolYear.current()
    return (SchoolClass.select().join(Enrolment)
            .where((Enrolment.student == student) & (SchoolClass.year == year))
            .order_by(Enrolment.id.desc()).first())


def enrol(student: Student, school_class: SchoolClass, joined_on=None) -> Enrolment:
    """Put a student in a class for its year; call inside write_transaction()."""
    from models.audit import record

    existing = current_class_of(student, school_class.year)
    if existing is not None and existing.id != school_class.id:
        raise ValueError(f"Học sinh đã thuộc lớp {existing.name} trong năm học này.")
    enrolment, created = Enrolment.get_or_create(student=student, school_class=school_class,
                                                 defaults={"joined_on": joined_on})
    if created:
        record("enrol", "student", student.code, after={"class": school_class.name,
                                                          "year": school_class.year.name,
                                                          "joined_on": joined_on})
    return enrolment


def leave_class(student: Student, left_on) -> None:
    """Close the student's enrolment in this year's class (the row stays)."""
    school_class = current_class_of(student)
    if school_class is not None:
        (Enrolment.update(left_on=left_on)
         .where((Enrolment.student == student) & (Enrolment.school_class == school_class)
                & Enrolment.left_on.is_null())
         .execute())


def assignments_of(staff: Staff, year: SchoolYear | None = None):
    year = year or SchoolYear.current()
    return (TeachingAssignment.select(TeachingAssignment, SchoolClass, Subject)
            .join(SchoolClass).switch(TeachingAssignment).join(Subject)
            .where((TeachingAssignment.teacher == staff) & (SchoolClass.year == year))
            .order_by(SchoolClass.name, Subject.position))


def next_class_name(name: str, grade: int) -> str:
    """6A1 moves up to 7A1: the leading grade number is replaced."""
    digits = str(grade)
    if name.startswith(digits):
        return str(grade + 1) + name[len(digits):]
    return name


def carry_forward(source: SchoolYear, staying: set[int] = frozenset()) -> SchoolYear:
    """Open the next school year from `source`: classes move up a grade and their students follow,
    except those in `staying` (not promoted), who are placed in the same-named class of their grade.
    The top grade of the school leaves. Call inside write_transaction()."""
    from models.audit import record

    start = source.start_year + 1
    if SchoolYear.select().where(SchoolYear.start_year == start).exists():
        raise ValueError(f"Năm học {start}-{start + 1} đã có.")
    new_year = SchoolYear.create(name=f"{start}-{start + 1}", start_year=start, is_current=False)
    for semester in source.semesters:
        Semester.create(year=new_year, number=semester.number,
                        starts_on=_shift_year(semester.starts_on), ends_on=_shift_year(semester.ends_on),
                        teaching_weeks=semester.teaching_weeks,
                        final_tests_on=_shift_year(semester.final_tests_on) if semester.final_tests_on else None)
    grades = {g.number: g for g in Grade.select()}
    created: dict[tuple[int, str], SchoolClass] = {}

    def class_for(grade_number: int, name: str, homeroom, previous) -> SchoolClass:
        key = (grade_number, name)
        if key not in created:
            created[key] = SchoolClass.create(year=new_year, grade=grades[grade_number], name=name,
                                              homeroom_teacher=homeroom, previous=previous)
        return created[key]

    moved = stayed = left = 0
    source_classes = list(SchoolClass.select().where(SchoolClass.year == source).order_by(SchoolClass.name))
    for old in source_classes:
        grade_number = old.grade.number
        up = grade_number + 1 if grade_number + 1 in grades else None
        for entry in class_roster(old):
            if entry.has_left:
                continue
            if entry.student.id in staying:
                target = class_for(grade_number, old.name, None, None)
                stayed += 1
            elif up is None:
                left += 1  # finished the school's top grade
                continue
            else:
                target = class_for(up, next_class_name(old.name, grade_number), old.homeroom_teacher, old)
                moved += 1
            Enrolment.create(student=entry.student, school_class=target, joined_on=None)
    record("carry_forward", "school_year", new_year.name,
           after={"from": source.name, "moved": moved, "stayed": stayed, "finished": left,
                  "classes": len(created)})
    return new_year


def _shift_year(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29/02
        return day.replace(year=day.year + 1, day=28)
