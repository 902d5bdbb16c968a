"""Primary assessments (TT27): one cell per class × subject × pupil × moment × field, one per class × pupil ×
moment × quality or competence, one monthly comment per class × pupil × month.

A cell's field is "level" (T/H/C), "score" (the periodic test, where rules/tt27.tested_subjects says) or
"comment". Writes follow the grade book: the same entry windows and lock switches (a moment is the ĐĐGgk or
ĐĐGck column of its semester), a version per cell so that two editors never overwrite each other, and
every change goes to the audit log.
"""
from dataclasses import dataclass, field
from datetime import datetime

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from models.audit.log import record
from models.core import KeptModel, write_transaction
from models.gradebook.locks import cell_lock
from models.gradebook.marks import SaveResult, semester_of
from models.people.accounts import User
from models.people.records import Student
from models.rules import tt27
from models.rules.locks import LockState
from models.rules.text import nfc
from models.school.structure import (
    GradeSubject,
    SchoolClass,
    Subject,
    TeachingAssignment,
    class_roster,
    enrolment_in,
)

FIELDS = ("level", "score", "comment")
FIELD_HEADERS = {"level": "Mức đạt được", "score": "Điểm KTĐK", "comment": "Nhận xét"}
COMMENT_MAX = tt27.COMMENT_MAX
# the grade book's column kind whose window and switches a moment follows
MOMENT_KIND = {"GHK1": "gk", "CHK1": "ck", "GHK2": "gk", "CN": "ck"}
MSG_COMMENT_TOO_LONG = tt27.MSG_COMMENT_TOO_LONG


@dataclass(frozen=True)
class _TraitsSubject:
    """Stands for a subject in the lock check of the qualities and competences (no subject's own switch)."""

    id: int = 0
    name: str = "phẩm chất, năng lực"


TRAITS_SUBJECT = _TraitsSubject()


class PrimaryCell(KeptModel):
    """One subject cell at one moment; created at its first save, never deleted."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    subject = ForeignKeyField(Subject, backref="+")
    student = ForeignKeyField(Student, backref="+")
    moment = CharField(max_length=4)  # tt27.MOMENTS
    field = CharField(max_length=7)  # FIELDS
    value = CharField(max_length=COMMENT_MAX, null=True)
    version = IntegerField(default=1)
    updated_by = ForeignKeyField(User, null=True, backref="+", index=False)
    updated_at = DateTimeField(null=True)
    corrected = BooleanField(default=False)  # last written by an applied correction request: red on the prints

    class Meta:
        table_name = "primary_cell"
        indexes = ((("school_class", "subject", "student", "moment", "field"), True),)


class PrimaryTrait(KeptModel):
    """One quality or competence of a pupil at one moment (T/Đ/C), rated by the homeroom teacher."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    student = ForeignKeyField(Student, backref="+")
    moment = CharField(max_length=4)
    trait = CharField(max_length=12)  # tt27.QUALITIES or tt27.COMPETENCES
    value = CharField(max_length=1, null=True)
    version = IntegerField(default=1)
    updated_by = ForeignKeyField(User, null=True, backref="+", index=False)
    updated_at = DateTimeField(null=True)
    corrected = BooleanField(default=False)  # last written by an applied correction request

    class Meta:
        table_name = "primary_trait"
        indexes = ((("school_class", "student", "moment", "trait"), True),)


class MonthlyComment(KeptModel):
    """The homeroom teacher's comment on a pupil for one month (seed 002, Điều 4 khoản 3)."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    student = ForeignKeyField(Student, backref="+")
    year_month = CharField(max_length=7)
    text = CharField(max_length=COMMENT_MAX, null=True)
    version = IntegerField(default=1)
    updated_by = ForeignKeyField(User, null=True, backref="+", index=False)
    updated_at = DateTimeField(null=True)

    class Meta:
        table_name = "monthly_comment"
        indexes = ((("school_class", "student", "year_month"), True),)


# --- which school and which moment ------------------------------------------------------------------

def is_primary_class(school_class: SchoolClass) -> bool:
    """A class of grades 1–5 is assessed under TT27, whatever else the school teaches."""
    return school_class.grade.number in tt27.GRADES


def moment_lock(school_class: SchoolClass, subject, moment: str, now: datetime | None = None) -> LockState:
    """The grade book's lock on the moment's column: GHK is ĐĐGgk, CHK1/CN is ĐĐGck of its semester."""
    semester = semester_of(school_class.year_id, tt27.MOMENT_SEMESTER[moment])
    if semester is None:
        return LockState(True, "Năm học chưa có học kì này")
    return cell_lock(school_class, subject, semester, MOMENT_KIND[moment], now=now)


def fields_of(school_class: SchoolClass, subject: Subject, moment: str) -> list[str]:
    """The fields a subject has at a moment: the score only where the subject is tested then."""
    tested = subject.name in tt27.tested_subjects(school_class.grade.number, moment)
    return [f for f in FIELDS if f != "score" or tested]


def parse_field(name: str, text: str) -> str | None:
    """Typed text → stored value; "" clears. ValueError (Vietnamese) when refused."""
    cleaned = nfc(text or "") or ""
    if not cleaned:
        return None
    if name == "level":
        return tt27.parse_subject_level(cleaned)
    if name == "score":
        return str(tt27.parse_test_score(cleaned))
    return tt27.parse_comment(cleaned)


def display(name: str, value: str | None) -> str:
    return value or ""


# --- saving -----------------------------------------------------------------------------------------

def _check_pupil(school_class: SchoolClass, student: Student, typed: str) -> SaveResult | None:
    enrolment = enrolment_in(school_class.id, student.id)
    if enrolment is None:
        return SaveResult("forbidden", f"Học sinh không thuộc lớp {school_class.name}.", typed=typed)
    if enrolment.left_on is not None or student.has_left:
        return SaveResult("left", f"Học sinh {student.full_name} đã rời lớp: không nhập được.", typed=typed)
    return None


def _write(model, where, create: dict, value_field: str, new, expected_version: int, typed: str, user: User,
           now: datetime, action: str, entity: str, key: str) -> SaveResult:
    """Store `new` if the row still has `expected_version` (0: not yet created); audit the change."""
    with write_transaction():
        row = model.get_or_none(where)
        stored = getattr(row, value_field) if row else None
        version = row.version if row else 0
        if stored == new:
            return SaveResult("unchanged", "", new, version, typed=typed)
        if version != expected_version:
            by = row.updated_by.full_name if row.updated_by_id else "hệ thống"
            return SaveResult("conflict", f"Ô này vừa được {by} lưu giá trị {stored or '(trống)'}. Giá trị bạn "
                                          "nhập chưa được lưu; hãy xem lại rồi nhập lại nếu cần.",
                              stored, version, typed=typed, by_name=by)
        if row is None:
            row = model.create(**create, **{value_field: new}, version=1, updated_by=user.id, updated_at=now)
        else:
            model.update(**{value_field: new}, version=version + 1, updated_by=user.id, updated_at=now).where(
                model.id == row.id).execute()
        record(action, entity, key, before={"value": stored}, after={"value": new})
    return SaveResult("saved", "", new, version + 1, typed=typed)


def save_subject_cell(assignment: TeachingAssignment, moment: str, student: Student, name: str, text: str,
                      expected_version: int, user: User, now: datetime | None = None) -> SaveResult:
    """One typed level, score or comment of a subject; refusals change nothing."""
    now = now or datetime.now()
    typed = nfc(text or "") or ""
    school_class, subject = assignment.school_class, assignment.subject
    if moment not in tt27.MOMENTS or name not in fields_of(school_class, subject, moment):
        return SaveResult("forbidden", "Ô không hợp lệ.", typed=typed)
    refused = _check_pupil(school_class, student, typed)
    if refused:
        return refused
    lock = moment_lock(school_class, subject, moment, now)
    if lock.locked:
        return SaveResult("locked", f"Đang khoá: {lock.reason}.", typed=typed)
    try:
        new = parse_field(name, typed)
    except ValueError as wrong:
        return SaveResult("invalid", str(wrong), typed=typed)
    where = ((PrimaryCell.school_class == school_class) & (PrimaryCell.subject == subject)
             & (PrimaryCell.student == student) & (PrimaryCell.moment == moment) & (PrimaryCell.field == name))
    key = f"{school_class.year.name}/{school_class.name}/{subject.code}/{moment}/{student.code}/{name}"
    return _write(PrimaryCell, where, dict(school_class=school_class, subject=subject, student=student,
                                           moment=moment, field=name),
                  "value", new, expected_version, typed, user, now, "assess", "primary_cell", key)


def save_trait(school_class: SchoolClass, moment: str, student: Student, trait: str, text: str,
               expected_version: int, user: User, now: datetime | None = None) -> SaveResult:
    """One quality or competence rating (T/Đ/C) by the homeroom teacher."""
    now = now or datetime.now()
    typed = nfc(text or "") or ""
    if moment not in tt27.MOMENTS or trait not in {**tt27.QUALITIES, **tt27.COMPETENCES}:
        return SaveResult("forbidden", "Ô không hợp lệ.", typed=typed)
    refused = _check_pupil(school_class, student, typed)
    if refused:
        return refused
    lock = moment_lock(school_class, TRAITS_SUBJECT, moment, now)
    if lock.locked:
        return SaveResult("locked", f"Đang khoá: {lock.reason}.", typed=typed)
    try:
        new = tt27.parse_trait_level(typed) if typed else None
    except ValueError as wrong:
        return SaveResult("invalid", str(wrong), typed=typed)
    where = ((PrimaryTrait.school_class == school_class) & (PrimaryTrait.student == student)
             & (PrimaryTrait.moment == moment) & (PrimaryTrait.trait == trait))
    key = f"{school_class.year.name}/{school_class.name}/{moment}/{student.code}/{trait}"
    return _write(PrimaryTrait, where, dict(school_class=school_class, student=student, moment=moment, trait=trait),
                  "value", new, expected_version, typed, user, now, "assess", "primary_trait", key)


def save_monthly_comment(school_class: SchoolClass, year_month: str, student: Student, text: str,
                         expected_version: int, user: User, now: datetime | None = None) -> SaveResult:
    """The month's comment on a pupil; months outside the school year are refused."""
    now = now or datetime.now()
    typed = nfc(text or "") or ""
    if year_month not in months_of(school_class):
        return SaveResult("invalid", "Tháng không thuộc năm học của lớp.", typed=typed)
    refused = _check_pupil(school_class, student, typed)
    if refused:
        return refused
    try:
        new = tt27.parse_comment(typed)
    except ValueError as wrong:
        return SaveResult("invalid", str(wrong), typed=typed)
    where = ((MonthlyComment.school_class == school_class) & (MonthlyComment.student == student)
             & (MonthlyComment.year_month == year_month))
    key = f"{school_class.year.name}/{school_class.name}/{year_month}/{student.code}"
    return _write(MonthlyComment, where, dict(school_class=school_class, student=student, year_month=year_month),
                  "text", new, expected_version, typed, user, now, "comment", "monthly_comment", key)


def months_of(school_class: SchoolClass) -> list[str]:
    """The school months of the class's year, September to May, as yyyy-mm."""
    start = school_class.year.start_year
    return [f"{start}-{m:02d}" for m in range(9, 13)] + [f"{start + 1}-{m:02d}" for m in range(1, 6)]


# --- reading: the teacher's grid, the homeroom page --------------------------------------------------

@dataclass
class Cell:
    field: str
    value: str | None = None
    version: int = 0
    corrected: bool = False  # written by an applied correction request


@dataclass
class Row:
    number: int
    student: Student
    has_left: bool
    cells: list[Cell]


@dataclass
class SubjectGrid:
    assignment: TeachingAssignment
    moment: str
    fields: list[str]
    lock: LockState
    rows: list[Row] = field(default_factory=list)

    @property
    def moment_label(self) -> str:
        return tt27.MOMENTS[self.moment]


def subject_grid(assignment: TeachingAssignment, moment: str, now: datetime | None = None) -> SubjectGrid:
    """One class × subject at one moment: every pupil's level, score (if tested) and comment."""
    school_class, subject = assignment.school_class, assignment.subject
    names = fields_of(school_class, subject, moment)
    stored = {(s, f): (v, ver, bool(fixed)) for s, f, v, ver, fixed in PrimaryCell.select(
        PrimaryCell.student, PrimaryCell.field, PrimaryCell.value, PrimaryCell.version, PrimaryCell.corrected).where(
        (PrimaryCell.school_class == school_class) & (PrimaryCell.subject == subject)
        & (PrimaryCell.moment == moment)).tuples()}
    grid = SubjectGrid(assignment, moment, names, moment_lock(school_class, subject, moment, now))
    for entry in class_roster(school_class):
        cells = [Cell(f, *stored.get((entry.student.id, f), (None, 0, False))) for f in names]
        grid.rows.append(Row(entry.number, entry.student, entry.has_left, cells))
    return grid


@dataclass
class TraitRow:
    number: int
    student: Student
    has_left: bool
    cells: list[Cell]  # Cell.field holds the trait code
    result: str = ""  # the computed year-end result, or why there is none yet


@dataclass
class TraitGrid:
    school_class: SchoolClass
    moment: str
    lock: LockState
    rows: list[TraitRow] = field(default_factory=list)

    @property
    def traits(self) -> list[tuple[str, str]]:
        return [*tt27.QUALITIES.items(), *tt27.COMPETENCES.items()]


def _class_subjects(school_class: SchoolClass) -> list[Subject]:
    return list(Subject.select().join(GradeSubject).where(GradeSubject.grade == school_class.grade_id)
                .order_by(Subject.position, Subject.name))


@dataclass
class PupilYear:
    """What a pupil's year-end result is computed from, and the result: `result` is one of tt27.RESULTS, or ""
    with `missing` saying what is not yet assessed."""

    result: str = ""
    missing: str = ""
    scores: dict[str, int] = field(default_factory=dict)  # tested subject → year-end score
    traits: dict[str, dict[str, str]] = field(default_factory=dict)  # moment → trait → T/Đ/C

    @property
    def shown(self) -> str:
        return self.result or self.missing


def pupil_years(school_class: SchoolClass) -> dict[int, PupilYear]:
    """Each pupil's year-end result (TT27 Điều 9) from the CN levels, scores and ratings, with the ratings of
    every moment (for the awards)."""
    subjects = _class_subjects(school_class)
    tested = tt27.tested_subjects(school_class.grade.number, "CN")
    cells: dict[int, dict] = {}
    for student_id, subject_name, name, value in (
            PrimaryCell.select(PrimaryCell.student, Subject.name, PrimaryCell.field, PrimaryCell.value)
            .join(Subject).where((PrimaryCell.school_class == school_class) & (PrimaryCell.moment == "CN")
                                 & PrimaryCell.value.is_null(False)).tuples()):
        cells.setdefault(student_id, {})[(subject_name, name)] = value
    traits: dict[int, dict] = {}
    for student_id, moment, trait, value in (
            PrimaryTrait.select(PrimaryTrait.student, PrimaryTrait.moment, PrimaryTrait.trait, PrimaryTrait.value)
            .where((PrimaryTrait.school_class == school_class) & PrimaryTrait.value.is_null(False)).tuples()):
        traits.setdefault(student_id, {}).setdefault(moment, {})[trait] = value
    years = {}
    for entry in class_roster(school_class):
        sid = entry.student.id
        mine = cells.get(sid, {})
        levels = {s.name: mine[(s.name, "level")] for s in subjects if (s.name, "level") in mine}
        scores = {s.name: int(mine[(s.name, "score")]) for s in subjects
                  if s.name in tested and (s.name, "score") in mine}
        year = PupilYear(scores=scores, traits=traits.get(sid, {}))
        years[sid] = year
        missing = len(subjects) - len(levels) + sum(1 for s in subjects if s.name in tested) - len(scores)
        if missing or not subjects:
            year.missing = f"Chưa đủ đánh giá môn học ({missing} ô)"
            continue
        rated = year.traits.get("CN", {})
        try:
            year.result = tt27.final_result(levels, {k: v for k, v in rated.items() if k in tt27.QUALITIES},
                                            {k: v for k, v in rated.items() if k in tt27.COMPETENCES}, scores)
        except ValueError as why:
            year.missing = str(why)
    return years


def year_results(school_class: SchoolClass) -> dict[int, str]:
    """Each pupil's year-end result in words; when something is still missing, the words saying what. A grade 5
    pupil who completes also reads "Hoàn thành chương trình tiểu học"."""
    results = {}
    for sid, year in pupil_years(school_class).items():
        result = year.shown
        if year.result and school_class.grade.number == 5 and tt27.completes_grade(year.result):
            result = f"{result} — {tt27.PRIMARY_COMPLETED}"
        results[sid] = result
    return results


def trait_grid(school_class: SchoolClass, moment: str, now: datetime | None = None) -> TraitGrid:
    """The homeroom teacher's ratings of qualities and competences at one moment, with the year-end result
    at CN."""
    stored = {(s, t): (v, ver, bool(fixed)) for s, t, v, ver, fixed in PrimaryTrait.select(
        PrimaryTrait.student, PrimaryTrait.trait, PrimaryTrait.value, PrimaryTrait.version,
        PrimaryTrait.corrected).where(
        (PrimaryTrait.school_class == school_class) & (PrimaryTrait.moment == moment)).tuples()}
    grid = TraitGrid(school_class, moment, moment_lock(school_class, TRAITS_SUBJECT, moment, now))
    results = year_results(school_class) if moment == "CN" else {}
    for entry in class_roster(school_class):
        cells = [Cell(code, *stored.get((entry.student.id, code), (None, 0, False))) for code, _ in grid.traits]
        grid.rows.append(TraitRow(entry.number, entry.student, entry.has_left, cells,
                                  results.get(entry.student.id, "")))
    return grid


def monthly_comments(school_class: SchoolClass, year_month: str) -> list[Row]:
    """Every pupil's comment of the month (one cell per row)."""
    stored = {s: (t, v) for s, t, v in MonthlyComment.select(
        MonthlyComment.student, MonthlyComment.text, MonthlyComment.version).where(
        (MonthlyComment.school_class == school_class) & (MonthlyComment.year_month == year_month)).tuples()}
    return [Row(e.number, e.student, e.has_left, [Cell("comment", *stored.get(e.student.id, (None, 0)))])
            for e in class_roster(school_class)]
