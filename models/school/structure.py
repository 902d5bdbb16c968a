"""School structure: the school, years, semesters, grades, departments, classes, subjects, assignments."""
from datetime import date, datetime

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from models.core import BaseModel, KeptModel
from models.core.prepared import Prepared
from models.people.records import Staff, Student

LEVELS = {"tieu_hoc": "Tiểu học", "thcs": "THCS", "thpt": "THPT"}
# the level as the books print it ("Cấp trung học phổ thông" on the class book's cover)
LEVEL_NAMES = {"tieu_hoc": "tiểu học", "thcs": "trung học cơ sở", "thpt": "trung học phổ thông"}
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
    # the school's own document setting its mark-entry schedule, quoted on the lock page
    regulation_ref = CharField(default="")  # "Quy định số 12/QĐ-THCSND ngày 05/09/2024"
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
    midterm_tests_on = DateField(null=True)  # ĐĐGgk due 10 working days after it (migration 0010)

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


_ENROLMENT_IN = Prepared(lambda class_id, student_id: (
    Enrolment.select(Enrolment, Student).join(Student)
    .where((Enrolment.school_class == class_id) & (Enrolment.student == student_id)).limit(1)), 2, cached=True)


def enrolment_in(class_id: int, student_id: int) -> Enrolment | None:
    """A student's enrolment (now or before) in a class, with the student (`.student`); None if never in it.

    Read on every grade and attendance save: kept in models/core/reference_cache.py.
    """
    return _ENROLMENT_IN.first(class_id, student_id)


def class_size(school_class: SchoolClass) -> int:
    """Sĩ số: students currently in the class."""
    return (Enrolment.select().join(Student)
            .where((Enrolment.school_class == school_class) & Enrolment.left_on.is_null()
                   & Student.status.not_in(["chuyen_di", "nghi_hoc", "thoi_hoc"]))
            .count())


def current_class_of(student: Student, year: SchoolYear | None = None) -> SchoolClass | None:
    """The class the student is in this year: the open enrolment, else the last one they left."""
    year = year or SchoolYear.current()
    return (SchoolClass.select().join(Enrolment)
            .where((Enrolment.student == student) & (SchoolClass.year == year))
            .order_by(Enrolment.left_on.is_null(False), Enrolment.id.desc()).first())


def open_class_of(student: Student, year: SchoolYear | None = None) -> SchoolClass | None:
    """The class whose enrolment is still open this year, if any."""
    year = year or SchoolYear.current()
    return (SchoolClass.select().join(Enrolment)
            .where((Enrolment.student == student) & (SchoolClass.year == year) & Enrolment.left_on.is_null())
            .order_by(Enrolment.id.desc()).first())


def enrol(student: Student, school_class: SchoolClass, joined_on=None) -> Enrolment:
    """Put a student in a class for its year; call inside write_transaction()."""
    from models.audit.log import record

    existing = open_class_of(student, school_class.year)
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
            .order_by(SchoolClass.grade, fn.LENGTH(SchoolClass.name), SchoolClass.name, Subject.position))


def next_class_name(name: str, grade: int) -> str:
    """6A1 moves up to 7A1: the leading grade number is replaced."""
    digits = str(grade)
    if name.startswith(digits):
        return str(grade + 1) + name[len(digits):]
    return name


def last_grade_of_level(grade_number: int) -> bool:
    """Grade 5, 9 or 12: who leaves it promoted has completed the programme of the level."""
    return any(grade_number == max(grades) for grades in LEVEL_GRADES.values())


def carry_forward(source: SchoolYear, staying: set[int] = frozenset()) -> SchoolYear:
    """Open the next school year from `source`: classes move up a grade and their students follow,
    except those in `staying` (not promoted), who are placed in the same-named class of their grade.
    The top grade of the school leaves; leaving the last grade of a level (9 in a THCS) the student's
    status becomes "đã hoàn thành chương trình". Call inside write_transaction()."""
    from models.audit.log import record
    from models.people.records import COMPLETED, change_student_status

    start = source.start_year + 1
    if SchoolYear.select().where(SchoolYear.start_year == start).exists():
        raise ValueError(f"Năm học {start}-{start + 1} đã có.")
    new_year = SchoolYear.create(name=f"{start}-{start + 1}", start_year=start, is_current=False)
    for semester in source.semesters:
        Semester.create(year=new_year, number=semester.number,
                        starts_on=_shift_year(semester.starts_on), ends_on=_shift_year(semester.ends_on),
                        teaching_weeks=semester.teaching_weeks,
                        final_tests_on=_shift_year(semester.final_tests_on) if semester.final_tests_on else None,
                        midterm_tests_on=(_shift_year(semester.midterm_tests_on)
                                          if semester.midterm_tests_on else None))
    grades = {g.number: g for g in Grade.select()}
    created: dict[tuple[int, str], SchoolClass] = {}

    def class_for(grade_number: int, name: str, homeroom, previous) -> SchoolClass:
        key = (grade_number, name)
        if key not in created:
            created[key] = SchoolClass.create(year=new_year, grade=grades[grade_number], name=name,
                                              homeroom_teacher=homeroom, previous=previous)
        return created[key]

    moved = stayed = left = 0
    finished_on = max((s.ends_on for s in source.semesters), default=date(source.start_year + 1, 5, 31))
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
                if last_grade_of_level(grade_number) and entry.student.status != COMPLETED:
                    change_student_status(entry.student, COMPLETED, finished_on,
                                          f"Hoàn thành chương trình lớp {grade_number}, năm học {source.name}")
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


# --- admin: editing the school's structure ------------------------------------------------------
# the admin pages call these inside write_transaction(); each refusal is a ValueError whose
# message is shown to the person as is, and each write leaves one audit entry.

MAX_PERIODS_PER_YEAR = 350
MAX_TEACHING_WEEKS = 25
WEEKS_PER_YEAR = 35  # periods per week = periods per year / 35 (the school year's weeks)
_SCHOOL_FIELDS = ("name", "code", "header_line_1", "header_line_2", "levels", "address", "phone",
                  "email", "place_name", "regulation_ref")


def _changes(row, values: dict) -> tuple[dict, dict]:
    """Set the values on the row; returns (before, after) of the fields that changed."""
    before, after = {}, {}
    for field, value in values.items():
        old = getattr(row, field)
        if old != value:
            before[field], after[field] = old, value
            setattr(row, field, value)
    return before, after


def save_school(values: dict) -> School:
    """Create the school row if there is none, else change it."""
    from models.audit.log import record

    levels = [x for x in values.get("levels", "").split(",") if x]
    if not levels:
        raise ValueError("Vui lòng chọn ít nhất một cấp học.")
    if set(levels) - set(LEVELS):
        raise ValueError("Cấp học không hợp lệ.")
    if not (values.get("name") or "").strip():
        raise ValueError("Vui lòng nhập tên trường.")
    values = {**values, "levels": ",".join(x for x in LEVELS if x in levels)}
    school = School.current()
    if school is None:
        school = School.create(**{f: values.get(f, "") for f in _SCHOOL_FIELDS})
        record("create", "school", school.id, after={f: getattr(school, f) for f in _SCHOOL_FIELDS})
        return school
    before, after = _changes(school, {f: values[f] for f in _SCHOOL_FIELDS if f in values})
    if after:
        school.save()
        record("update", "school", school.id, before=before, after=after)
    return school


def default_semesters(start_year: int) -> list[dict]:
    """The usual calendar of a year starting in September, to be corrected on the page."""
    from datetime import date

    return [
        {"number": 1, "starts_on": date(start_year, 9, 5), "ends_on": date(start_year + 1, 1, 15),
         "teaching_weeks": 18, "final_tests_on": None, "midterm_tests_on": None},
        {"number": 2, "starts_on": date(start_year + 1, 1, 16), "ends_on": date(start_year + 1, 5, 31),
         "teaching_weeks": 17, "final_tests_on": None, "midterm_tests_on": None},
    ]


def create_year(start_year: int) -> SchoolYear:
    """A new school year "YYYY-YYYY+1" with its two semesters; it is not made current."""
    from models.audit.log import record

    if not 2000 <= start_year <= 2100:
        raise ValueError("Năm bắt đầu phải từ 2000 đến 2100.")
    name = f"{start_year}-{start_year + 1}"
    if SchoolYear.select().where(SchoolYear.start_year == start_year).exists():
        raise ValueError(f"Năm học {name} đã có.")
    year = SchoolYear.create(name=name, start_year=start_year, is_current=False)
    for values in default_semesters(start_year):
        Semester.create(year=year, **values)
    record("create", "school_year", name, after={"name": name, "semesters": default_semesters(start_year)})
    return year


def check_semester(year: SchoolYear, number: int, starts_on, ends_on, teaching_weeks: int,
                   final_tests_on=None, midterm_tests_on=None) -> None:
    """Refuse dates that cannot be: reversed, overlapping the other semester, tests outside it."""
    from models.rules.dates import format_date

    if starts_on >= ends_on:
        raise ValueError("Ngày bắt đầu học kì phải trước ngày kết thúc.")
    if not 1 <= teaching_weeks <= MAX_TEACHING_WEEKS:
        raise ValueError(f"Số tuần thực học phải từ 1 đến {MAX_TEACHING_WEEKS}.")
    if final_tests_on is not None and not starts_on <= final_tests_on <= ends_on:
        raise ValueError("Ngày kiểm tra cuối kì phải nằm trong học kì "
                         f"({format_date(starts_on)} – {format_date(ends_on)}).")
    if midterm_tests_on is not None and not starts_on <= midterm_tests_on <= ends_on:
        raise ValueError("Ngày kiểm tra giữa kì phải nằm trong học kì "
                         f"({format_date(starts_on)} – {format_date(ends_on)}).")
    if midterm_tests_on is not None and final_tests_on is not None and midterm_tests_on >= final_tests_on:
        raise ValueError(f"Ngày kiểm tra giữa kì phải trước ngày kiểm tra cuối kì ({format_date(final_tests_on)}).")
    other = Semester.get_or_none((Semester.year == year) & (Semester.number == 3 - number))
    if other is None:
        return
    if number == 2 and starts_on <= other.ends_on:
        raise ValueError(f"Học kì II phải bắt đầu sau ngày kết thúc học kì I ({format_date(other.ends_on)}).")
    if number == 1 and ends_on >= other.starts_on:
        raise ValueError(f"Học kì I phải kết thúc trước ngày bắt đầu học kì II ({format_date(other.starts_on)}).")


def update_semester(year: SchoolYear, number: int, starts_on, ends_on, teaching_weeks: int,
                    final_tests_on=None, midterm_tests_on=None) -> Semester:
    """Change (or create, if missing) one semester's dates after checking them."""
    from models.audit.log import record

    if number not in (1, 2):
        raise ValueError("Học kì phải là I hoặc II.")
    check_semester(year, number, starts_on, ends_on, teaching_weeks, final_tests_on, midterm_tests_on)
    values = {"starts_on": starts_on, "ends_on": ends_on, "teaching_weeks": teaching_weeks,
              "final_tests_on": final_tests_on, "midterm_tests_on": midterm_tests_on}
    semester = Semester.get_or_none((Semester.year == year) & (Semester.number == number))
    if semester is None:
        semester = Semester.create(year=year, number=number, **values)
        record("create", "semester", f"{year.name}/{number}", after=values)
        return semester
    before, after = _changes(semester, values)
    if after:
        semester.save()
        record("update", "semester", f"{year.name}/{number}", before=before, after=after)
    return semester


def set_current_year(year: SchoolYear) -> None:
    """Make this the one current year; every other year stops being current."""
    from models.audit.log import record

    previous = [y.name for y in SchoolYear.select().where(SchoolYear.is_current)]
    if previous == [year.name]:
        raise ValueError(f"Năm học {year.name} đã là năm học hiện tại.")
    SchoolYear.update(is_current=False).where(SchoolYear.id != year.id).execute()
    SchoolYear.update(is_current=True).where(SchoolYear.id == year.id).execute()
    year.is_current = True
    record("set_current", "school_year", year.name, before={"current": previous}, after={"current": [year.name]})


def students_staying(source: SchoolYear, codes: list[str]) -> set[int]:
    """The students (by mã định danh) marked "ở lại lớp", each of whom must study in `source`."""
    from models.rules.identifiers import normalize_person_code

    wanted = {normalize_person_code(c) for c in codes if c.strip()}
    if not wanted:
        return set()
    found = {s.code: s.id for s in (Student.select(Student.id, Student.code).join(Enrolment)
                                    .join(SchoolClass)
                                    .where((SchoolClass.year == source) & Student.code.in_(list(wanted))))}
    missing = sorted(wanted - set(found))
    if missing:
        raise ValueError(f"Không có học sinh mã {', '.join(missing)} trong năm học {source.name}.")
    return set(found.values())


def carry_forward_current(staying_codes: list[str]) -> SchoolYear:
    """Chuyển năm học: open the year after the current one (see carry_forward)."""
    source = SchoolYear.current()
    if source is None:
        raise ValueError("Chưa có năm học nào để chuyển.")
    return carry_forward(source, students_staying(source, staying_codes))


def carry_forward_summary(year: SchoolYear) -> dict | None:
    """What the carry forward into `year` did: its recorded counts and the classes it opened."""
    from models.audit.log import AuditEntry

    entry = (AuditEntry.select()
             .where((AuditEntry.action == "carry_forward") & (AuditEntry.entity == "school_year")
                    & (AuditEntry.entity_id == year.name))
             .order_by(AuditEntry.id.desc()).first())
    if entry is None:
        return None
    classes = sorted(SchoolClass.select().where(SchoolClass.year == year), key=lambda c: class_sort_key(c.name))
    return {"year": year, "counts": entry.after_data, "at": entry.at,
            "classes": [(c, class_size(c)) for c in classes]}


def ensure_level_grades(school: School) -> list[Grade]:
    """Create the grades (khối) of the school's levels that are missing; returns the new ones."""
    from models.audit.log import record

    existing = {g.number for g in Grade.select(Grade.number)}
    created = []
    for level in school.level_list:
        for number in LEVEL_GRADES.get(level, ()):
            if number not in existing:
                created.append(Grade.create(number=number, level=level))
    if created:
        record("create", "grade", ",".join(str(g.number) for g in created),
               after={"grades": [g.number for g in created]})
    return created


def create_subject(code: str, name: str, kind: str, department: Department | None, position: int) -> Subject:
    """A new subject; the code is kept upper-case and unique."""
    from models.audit.log import record

    code = (code or "").strip().upper()
    if not code:
        raise ValueError("Vui lòng nhập mã môn học.")
    if not (name or "").strip():
        raise ValueError("Vui lòng nhập tên môn học.")
    if kind not in ASSESSMENT_KINDS:
        raise ValueError("Hình thức đánh giá không hợp lệ.")
    if Subject.select().where(Subject.code == code).exists():
        raise ValueError(f"Mã môn học {code} đã có.")
    subject = Subject.create(code=code, name=name.strip(), kind=kind, department=department, position=position)
    record("create", "subject", code, after={"name": subject.name, "kind": kind, "position": position,
                                              "department": department.code if department else None})
    return subject


def _check_periods(periods: int) -> None:
    if isinstance(periods, bool) or not isinstance(periods, int) or not 1 <= periods <= MAX_PERIODS_PER_YEAR:
        raise ValueError(f"Số tiết/năm phải là số nguyên từ 1 đến {MAX_PERIODS_PER_YEAR}.")


def add_grade_subject(grade: Grade, subject: Subject, periods: int) -> GradeSubject:
    """Teach a subject in a grade, with its periods per year."""
    from models.audit.log import record

    _check_periods(periods)
    if GradeSubject.select().where((GradeSubject.grade == grade) & (GradeSubject.subject == subject)).exists():
        raise ValueError(f"Môn {subject.name} đã có trong {grade.label.lower()}.")
    row = GradeSubject.create(grade=grade, subject=subject, periods_per_year=periods)
    record("create", "grade_subject", f"{grade.number}/{subject.code}", after={"periods_per_year": periods})
    return row


def set_periods(grade_subject: GradeSubject, periods: int) -> None:
    """Change the periods per year of one subject in one grade."""
    from models.audit.log import record

    _check_periods(periods)
    before = grade_subject.periods_per_year
    if before == periods:
        return
    grade_subject.periods_per_year = periods
    grade_subject.save()
    record("update", "grade_subject", f"{grade_subject.grade.number}/{grade_subject.subject.code}",
           before={"periods_per_year": before}, after={"periods_per_year": periods})


class GradeSubjectLine:
    """A subject in a grade on the subjects page, with the TX count the rule gives it."""

    __slots__ = ("grade_subject", "tx_count")

    def __init__(self, grade_subject: GradeSubject):
        from models.rules.tt22 import tx_count

        self.grade_subject = grade_subject
        self.tx_count = tx_count(grade_subject.periods_per_year, grade_subject.subject.comment_only)

    @property
    def subject(self) -> Subject:
        return self.grade_subject.subject


def grade_subject_line(grade_subject_id: int) -> GradeSubjectLine | None:
    row = (GradeSubject.select(GradeSubject, Subject, Grade).join(Subject).switch(GradeSubject).join(Grade)
           .where(GradeSubject.id == grade_subject_id).first())
    return GradeSubjectLine(row) if row else None


def subjects_by_grade() -> list[tuple[Grade, list[GradeSubjectLine]]]:
    """Each grade with its subjects in the school's order."""
    rows = list(GradeSubject.select(GradeSubject, Subject, Grade)
                .join(Subject).switch(GradeSubject).join(Grade)
                .order_by(Grade.number, Subject.position, Subject.name))
    by_grade = {g.id: (g, []) for g in Grade.select().order_by(Grade.number)}
    for row in rows:
        by_grade[row.grade_id][1].append(GradeSubjectLine(row))
    return list(by_grade.values())


def missing_level_grades(school: School | None) -> list[int]:
    """Grade numbers of the school's levels that have no Grade row yet."""
    if school is None:
        return []
    existing = {g.number for g in Grade.select(Grade.number)}
    return [n for level in school.level_list for n in LEVEL_GRADES.get(level, ()) if n not in existing]


def years_with_semesters() -> list[tuple[SchoolYear, list[Semester]]]:
    """Every school year, newest first, with its semesters in order."""
    years = list(SchoolYear.select().order_by(SchoolYear.start_year.desc()))
    semesters: dict[int, list[Semester]] = {}
    for semester in Semester.select().order_by(Semester.number):
        semesters.setdefault(semester.year_id, []).append(semester)
    return [(y, semesters.get(y.id, [])) for y in years]


def active_staff() -> list[Staff]:
    """Staff đang công tác, in Vietnamese order."""
    from models.rules.text import vietnamese_sort_key

    people = list(Staff.select().where(Staff.status == "dang_cong_tac"))
    people.sort(key=lambda s: (vietnamese_sort_key(s.full_name), s.id))
    return people


def _active(staff: Staff) -> None:
    if staff.status != "dang_cong_tac":
        raise ValueError(f"{staff.full_name} không còn công tác tại trường ({staff.status_label}).")


def create_department(name: str, code: str) -> Department:
    """A new tổ chuyên môn with a unique name and code."""
    from models.audit.log import record

    name, code = (name or "").strip(), (code or "").strip().upper()
    if not name or not code:
        raise ValueError("Vui lòng nhập tên và mã tổ.")
    if Department.select().where(Department.name == name).exists():
        raise ValueError(f"Đã có tổ tên “{name}”.")
    if Department.select().where(Department.code == code).exists():
        raise ValueError(f"Mã tổ {code} đã có.")
    department = Department.create(name=name, code=code)
    record("create", "department", code, after={"name": name, "code": code})
    return department


def department_head(department: Department) -> Staff | None:
    row = (DepartmentMember.select(DepartmentMember, Staff).join(Staff)
           .where((DepartmentMember.department == department) & DepartmentMember.is_head).first())
    return row.staff if row else None


def set_department_member(department: Department, staff: Staff) -> DepartmentMember:
    """Add a staff member to a department, moving them out of the one they were in."""
    from models.audit.log import record

    _active(staff)
    row = DepartmentMember.get_or_none(DepartmentMember.staff == staff)
    if row is not None and row.department_id == department.id:
        raise ValueError(f"{staff.full_name} đã là thành viên {department.name}.")
    if row is not None and row.is_head:
        raise ValueError(f"{staff.full_name} đang là tổ trưởng {row.department.name}; "
                         "hãy đặt tổ trưởng khác cho tổ đó trước.")
    before = {"department": row.department.code} if row else None
    if row is None:
        row = DepartmentMember.create(department=department, staff=staff, is_head=False)
    else:
        row.department = department
        row.save()
    record("member", "department", department.code, before=before,
           after={"staff": staff.code, "department": department.code})
    return row


def _account_of(staff: Staff):
    from models.people.accounts import User

    return User.get_or_none(User.staff == staff)


def set_department_head(department: Department, staff: Staff) -> None:
    """One head per department; the head gains the head_of_department role, the former head loses it."""
    from models.audit.log import record
    from models.people.accounts import set_roles

    _active(staff)
    row = DepartmentMember.get_or_none(DepartmentMember.staff == staff)
    if row is not None and row.department_id != department.id and row.is_head:
        raise ValueError(f"{staff.full_name} đang là tổ trưởng {row.department.name}.")
    former = department_head(department)
    if former is not None and former.id == staff.id:
        raise ValueError(f"{staff.full_name} đã là tổ trưởng {department.name}.")
    moved_from = row.department.code if row is not None and row.department_id != department.id else None
    (DepartmentMember.update(is_head=False)
     .where((DepartmentMember.department == department) & DepartmentMember.is_head).execute())
    if row is None:
        DepartmentMember.create(department=department, staff=staff, is_head=True)
    else:
        row.department, row.is_head = department, True
        row.save()
    after = {"head": staff.code}
    if moved_from:
        after["moved_from"] = moved_from
    record("head", "department", department.code,
           before={"head": former.code if former else None}, after=after)
    account = _account_of(staff)
    if account is not None and "head_of_department" not in account.roles:
        set_roles(account, account.roles | {"head_of_department"}, reason=f"Tổ trưởng {department.name}")
    old_account = _account_of(former) if former is not None else None
    if old_account is not None and "head_of_department" in old_account.roles:
        set_roles(old_account, old_account.roles - {"head_of_department"},
                  reason=f"Thôi làm tổ trưởng {department.name}")


def departments_overview() -> list[tuple[Department, Staff | None, list[Staff]]]:
    """Each department with its head and its members in Vietnamese order."""
    from models.rules.text import vietnamese_sort_key

    members: dict[int, list] = {}
    for row in DepartmentMember.select(DepartmentMember, Staff).join(Staff):
        members.setdefault(row.department_id, []).append(row)
    result = []
    for department in Department.select().order_by(Department.name):
        rows = members.get(department.id, [])
        head = next((r.staff for r in rows if r.is_head), None)
        people = sorted((r.staff for r in rows), key=lambda s: (vietnamese_sort_key(s.full_name), s.id))
        result.append((department, head, people))
    return result


def staff_without_department() -> list[Staff]:
    """Active staff who belong to no tổ chuyên môn yet."""
    members = {r.staff_id for r in DepartmentMember.select(DepartmentMember.staff)}
    return [s for s in active_staff() if s.id not in members]


def create_class(year: SchoolYear, grade: Grade, name: str) -> SchoolClass:
    """A class of a grade for a year; its name starts with the grade number and is unique in the year."""
    import re

    from models.audit.log import record

    name = "".join((name or "").split()).upper()
    if not re.fullmatch(r"[0-9]{1,2}[A-Z0-9.\-_]{0,10}", name) or not name.startswith(str(grade.number)) \
            or name[len(str(grade.number)):][:1].isdigit():
        raise ValueError(f"Tên lớp phải bắt đầu bằng số khối {grade.number}, ví dụ {grade.number}A1.")
    if SchoolClass.select().where((SchoolClass.year == year) & (SchoolClass.name == name)).exists():
        raise ValueError(f"Lớp {name} đã có trong năm học {year.name}.")
    school_class = SchoolClass.create(year=year, grade=grade, name=name)
    record("create", "school_class", f"{year.name}/{name}", after={"name": name, "grade": grade.number,
                                                                    "year": year.name})
    return school_class


def set_homeroom(school_class: SchoolClass, staff: Staff | None) -> None:
    """GVCN of the class (None: none yet); one class per teacher per year."""
    from models.audit.log import record

    former = school_class.homeroom_teacher
    if staff is not None:
        _active(staff)
        other = (SchoolClass.select()
                 .where((SchoolClass.year == school_class.year_id) & (SchoolClass.homeroom_teacher == staff)
                        & (SchoolClass.id != school_class.id)).first())
        if other is not None:
            raise ValueError(f"{staff.full_name} đã chủ nhiệm lớp {other.name} trong năm học "
                             f"{school_class.year.name}; mỗi giáo viên chủ nhiệm tối đa một lớp.")
    if (former.id if former else None) == (staff.id if staff else None):
        return
    school_class.homeroom_teacher = staff
    school_class.save()
    record("homeroom", "school_class", f"{school_class.year.name}/{school_class.name}",
           before={"homeroom_teacher": former.code if former else None},
           after={"homeroom_teacher": staff.code if staff else None})


def class_sort_key(name: str) -> tuple:
    """6A2 before 6A10, 6D before 6Đ: the class-order rule of models/rules/text.py."""
    from models.rules.text import class_name_key

    return class_name_key(name)


def classes_by_grade(year: SchoolYear) -> list[tuple[Grade, list[tuple[SchoolClass, int]]]]:
    """The year's classes grouped by grade, each with its sĩ số."""
    classes = list(SchoolClass.select(SchoolClass, Grade).join(Grade).where(SchoolClass.year == year))
    classes.sort(key=lambda c: (c.grade.number, class_sort_key(c.name)))
    groups: dict[int, tuple] = {}
    for c in classes:
        groups.setdefault(c.grade.number, (c.grade, []))[1].append((c, class_size(c)))
    return list(groups.values())


def subject_of_class(school_class: SchoolClass, subject: Subject) -> GradeSubject:
    row = GradeSubject.get_or_none((GradeSubject.grade == school_class.grade_id) & (GradeSubject.subject == subject))
    if row is None:
        raise ValueError(f"Môn {subject.name} không có trong chương trình khối {school_class.grade.number}.")
    return row


def _assignment_key(a: TeachingAssignment) -> str:
    return f"{a.school_class.year.name}/{a.school_class.name}/{a.subject.code}"


def assign_teacher(school_class: SchoolClass, subject: Subject, teacher: Staff) -> TeachingAssignment:
    """A teacher for class × subject; the first one assigned coordinates (TNT (docs/rules.md) §4.1)."""
    from models.audit.log import record

    subject_of_class(school_class, subject)
    _active(teacher)
    others = TeachingAssignment.select().where((TeachingAssignment.school_class == school_class)
                                               & (TeachingAssignment.subject == subject))
    if others.where(TeachingAssignment.teacher == teacher).exists():
        raise ValueError(f"{teacher.full_name} đã được phân công dạy môn {subject.name} lớp {school_class.name}.")
    first = not others.exists()
    assignment = TeachingAssignment.create(school_class=school_class, subject=subject, teacher=teacher,
                                           is_coordinator=first)
    record("assign", "teaching_assignment", _assignment_key(assignment),
           after={"teacher": teacher.code, "is_coordinator": first})
    return assignment


def make_coordinator(assignment: TeachingAssignment) -> None:
    """Đặt làm phụ trách chính: this teacher coordinates class × subject, the others no longer do."""
    from models.audit.log import record

    if assignment.is_coordinator:
        raise ValueError(f"{assignment.teacher.full_name} đã là giáo viên phụ trách chính.")
    same = ((TeachingAssignment.school_class == assignment.school_class_id)
            & (TeachingAssignment.subject == assignment.subject_id))
    former = [a.teacher.code for a in TeachingAssignment.select().join(Staff)
              .where(same & TeachingAssignment.is_coordinator)]
    TeachingAssignment.update(is_coordinator=False).where(same).execute()
    TeachingAssignment.update(is_coordinator=True).where(TeachingAssignment.id == assignment.id).execute()
    assignment.is_coordinator = True
    record("coordinator", "teaching_assignment", _assignment_key(assignment),
           before={"coordinator": former}, after={"coordinator": [assignment.teacher.code]})


def remove_assignment(assignment: TeachingAssignment) -> None:
    """Take a teacher off class × subject; if they coordinated, the longest-assigned other teacher does."""
    from models.audit.log import record

    key = _assignment_key(assignment)
    before = {"teacher": assignment.teacher.code, "is_coordinator": assignment.is_coordinator}
    was_coordinator = assignment.is_coordinator
    class_id, subject_id = assignment.school_class_id, assignment.subject_id
    TeachingAssignment.delete().where(TeachingAssignment.id == assignment.id).execute()
    after = None
    if was_coordinator:
        successor = (TeachingAssignment.select()
                     .where((TeachingAssignment.school_class == class_id) & (TeachingAssignment.subject == subject_id))
                     .order_by(TeachingAssignment.id).first())
        if successor is not None:
            successor.is_coordinator = True
            successor.save()
            after = {"coordinator": successor.teacher.code}
    record("unassign", "teaching_assignment", key, before=before, after=after)


class AssignmentRow:
    """One subject of a class on the assignment page: its periods and its teachers, coordinator first."""

    __slots__ = ("grade_subject", "assignments")

    def __init__(self, grade_subject: GradeSubject, assignments: list[TeachingAssignment]):
        self.grade_subject, self.assignments = grade_subject, assignments

    @property
    def subject(self) -> Subject:
        return self.grade_subject.subject

    @property
    def assigned_ids(self) -> set[int]:
        return {a.teacher_id for a in self.assignments}


def assignment_row(school_class: SchoolClass, grade_subject: GradeSubject) -> AssignmentRow:
    assignments = list(TeachingAssignment.select(TeachingAssignment, Staff).join(Staff)
                       .where((TeachingAssignment.school_class == school_class)
                              & (TeachingAssignment.subject == grade_subject.subject_id))
                       .order_by(TeachingAssignment.is_coordinator.desc(), TeachingAssignment.id))
    return AssignmentRow(grade_subject, assignments)


def assignment_rows(school_class: SchoolClass) -> list[AssignmentRow]:
    """Every subject of the class's grade with the teachers assigned to it."""
    subjects = list(GradeSubject.select(GradeSubject, Subject).join(Subject)
                    .where(GradeSubject.grade == school_class.grade_id)
                    .order_by(Subject.position, Subject.name))
    return [assignment_row(school_class, gs) for gs in subjects]


class TeacherLoad:
    """A teacher's teaching load in a year: classes × subjects and periods per week."""

    __slots__ = ("staff", "count", "periods_per_week")

    def __init__(self, staff: Staff, count: int, periods_per_week):
        self.staff, self.count, self.periods_per_week = staff, count, periods_per_week

    @property
    def label(self) -> str:
        return f"{self.periods_per_week:.1f}".replace(".", ",")


def teacher_loads(year: SchoolYear) -> dict[int, TeacherLoad]:
    """Periods per week of every active teacher in the year: Σ periods per year / 35, by staff id."""
    from decimal import ROUND_HALF_UP, Decimal

    periods: dict[int, int] = {}
    counts: dict[int, int] = {}
    query = (TeachingAssignment.select(TeachingAssignment.teacher, GradeSubject.periods_per_year)
             .join(SchoolClass)
             .join(GradeSubject, on=((GradeSubject.grade == SchoolClass.grade)
                                     & (GradeSubject.subject == TeachingAssignment.subject)))
             .where(SchoolClass.year == year)
             .tuples())
    for teacher_id, per_year in query:
        periods[teacher_id] = periods.get(teacher_id, 0) + per_year
        counts[teacher_id] = counts.get(teacher_id, 0) + 1
    return {s.id: TeacherLoad(s, counts.get(s.id, 0),
                              (Decimal(periods.get(s.id, 0)) / WEEKS_PER_YEAR).quantize(Decimal("0.1"), ROUND_HALF_UP))
            for s in active_staff()}


def homeroom_names_by_staff(year: SchoolYear | None = None) -> dict[int, list[str]]:
    """Class names per homeroom teacher (staff id) in the year; as guards.homeroom_classes, for many people."""
    year = year or SchoolYear.current()
    if year is None:
        return {}
    names: dict[int, list[str]] = {}
    for c in (SchoolClass.select(SchoolClass.name, SchoolClass.homeroom_teacher)
              .where((SchoolClass.year == year) & SchoolClass.homeroom_teacher.is_null(False))
              .order_by(SchoolClass.name)):
        names.setdefault(c.homeroom_teacher_id, []).append(c.name)
    return {staff_id: sorted(found, key=class_sort_key) for staff_id, found in names.items()}
