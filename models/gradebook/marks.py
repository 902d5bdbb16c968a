"""The grade book: one row per mark cell with its version, and the append-only history of its values.

A cell is (class, subject, semester, student, kind, idx); kind is "tx" (ĐĐGtx), "gk" (ĐĐGgk) or
"ck" (ĐĐGck). The value is the canonical text of the mark ("8.5", "10.0") for scored subjects and
"Đ"/"CĐ" for comment-only ones; None is an empty (or cleared) cell. Every change, clearing
included, adds one to the version and appends a MarkChange; a save against a stale version is
refused, never applied (two people, one cell).
"""
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from peewee import (
    JOIN,
    SQL,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    fn,
)

from models.core import DeletionRefused, KeptModel, db, is_sqlite, row_id
from models.core.prepared import Prepared
from models.people.accounts import User
from models.people.records import Student
from models.rules import tt22
from models.school import subject_groups
from models.school.structure import (
    Enrolment,
    GradeSubject,
    RosterEntry,
    SchoolClass,
    SchoolYear,
    Semester,
    Subject,
    TeachingAssignment,
    class_roster,
    enrolment_in,
)

KINDS = ("tx", "gk", "ck")
KIND_HEADERS = {"tx": "ĐĐGtx", "gk": "ĐĐGgk", "ck": "ĐĐGck"}


class MarkCell(KeptModel):
    """One cell of the book; created at its first save (version 1), never deleted."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    subject = ForeignKeyField(Subject, backref="+")
    semester = ForeignKeyField(Semester, backref="+")
    student = ForeignKeyField(Student, backref="mark_cells")
    kind = CharField(max_length=2)  # KINDS
    idx = IntegerField()  # 1..n for tx, 1 for gk and ck
    value = CharField(max_length=4, null=True)
    version = IntegerField(default=1)
    updated_by = ForeignKeyField(User, null=True, backref="+", index=False)  # never looked up by it
    updated_at = DateTimeField(null=True)
    corrected = BooleanField(default=False)  # set by an applied correction request (red ink)

    class Meta:
        table_name = "mark_cell"
        indexes = ((("school_class", "subject", "semester", "student", "kind", "idx"), True),)


class MarkChange(KeptModel):
    """One change of a cell's value: old → new, who, when. Append-only."""

    cell = ForeignKeyField(MarkCell, backref="changes")
    old_value = CharField(max_length=4, null=True)
    new_value = CharField(max_length=4, null=True)
    version = IntegerField()  # the cell's version after this change
    changed_by = ForeignKeyField(User, null=True, backref="+")
    changed_by_name = CharField(default="")
    changed_at = DateTimeField()
    correction_request_id = IntegerField(null=True)

    class Meta:
        table_name = "mark_change"

    def save(self, *args, **kwargs):
        if self.id is not None and not kwargs.get("force_insert"):
            raise DeletionRefused("mark history is never changed")
        return super().save(*args, **kwargs)


# --- values ---------------------------------------------------------------------------------------

def parse_value(text: str, comment_only: bool) -> str | None:
    """Typed text → the canonical stored value; "" clears the cell. ValueError (Vietnamese) otherwise."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if comment_only:
        return tt22.parse_level(cleaned)
    return str(tt22.parse_mark(cleaned))


def display(value: str | None, comment_only: bool = False) -> str:
    """The stored value as the book writes it: "8,5", "10", "Đ"; "" for an empty cell."""
    if value is None:
        return ""
    if comment_only:
        return value
    return tt22.format_mark(Decimal(value))


def _average(values: dict[tuple[str, int], str], tx_n: int, comment_only: bool):
    """ĐTBmhk (Decimal) or the comment subject's level (str), only when every required mark is there."""
    regular = [values.get(("tx", i)) for i in range(1, tx_n + 1)]
    midterm, final = values.get(("gk", 1)), values.get(("ck", 1))
    if any(v is None for v in regular) or midterm is None or final is None:
        return None  # docs/rules.md §1.2: incomplete, nothing computed
    if comment_only:
        return tt22.comment_subject_level([*regular, midterm, final])
    return tt22.semester_average([Decimal(v) for v in regular], Decimal(midterm), Decimal(final))


@dataclass
class Averages:
    """A student's averages on the grid; None where incomplete."""

    comment_only: bool
    semester: Decimal | str | None  # ĐTBmhk of this semester (or the level)
    first: Decimal | str | None = None  # semester II only: ĐTBmhk I
    year: Decimal | None = None  # semester II only: ĐTBmcn (scored subjects)

    def text(self, which: str) -> str:
        value = getattr(self, which)
        if value is None:
            return ""
        return value if isinstance(value, str) else tt22.format_mark(value)


def _averages(this: dict, first: dict | None, tx_n: int, comment_only: bool) -> Averages:
    result = Averages(comment_only, _average(this, tx_n, comment_only))
    if first is not None:
        result.first = _average(first, tx_n, comment_only)
        if not comment_only and result.first is not None and result.semester is not None:
            result.year = tt22.year_average(result.first, result.semester)
    return result


# --- the grid -------------------------------------------------------------------------------------

@dataclass
class Column:
    kind: str
    idx: int
    locked: bool = False
    lock_reason: str = ""
    lock_note: str = ""  # the admin's words when a lock switch decided

    @property
    def key(self) -> str:
        return f"{self.kind}{self.idx}"

    @property
    def label(self) -> str:
        return f"{KIND_HEADERS[self.kind]} {self.idx}" if self.kind == "tx" else KIND_HEADERS[self.kind]


@dataclass
class CellState:
    column: Column
    value: str | None = None
    version: int = 0  # 0: never saved
    corrected: bool = False
    display: str = ""
    editable: bool = True

    @property
    def locked(self) -> bool:
        return self.column.locked


@dataclass
class GridRow:
    number: int
    student: Student
    has_left: bool
    cells: list[CellState]
    averages: Averages
    home_class: SchoolClass | None = None  # a student of another class taking this subject here


@dataclass
class Grid:
    assignment: TeachingAssignment
    semester: Semester
    comment_only: bool
    tx_n: int
    columns: list[Column]
    rows: list[GridRow] = field(default_factory=list)

    @property
    def second_semester(self) -> bool:
        return self.semester.number == 2

    @property
    def all_locked(self) -> bool:
        return all(c.locked for c in self.columns)

    @property
    def lock_notices(self) -> list[tuple[str, str]]:
        """(why, which columns) per lock, for the banner above the grid; empty when all is open.
        Why is the lock's reason with the admin's note if any; the columns are "" when all share one."""
        by_reason: dict[str, list[str]] = {}
        for column in self.columns:
            if column.locked:
                why = f"{column.lock_reason} (lí do: {column.lock_note})" if column.lock_note else column.lock_reason
                by_reason.setdefault(why, []).append(column.label)
        if self.all_locked and len(by_reason) == 1:
            return [(why, "") for why in by_reason]
        return [(why, ", ".join(labels)) for why, labels in by_reason.items()]


_PERIODS = Prepared(lambda grade, subject: GradeSubject.select(GradeSubject.periods_per_year)
                    .where((GradeSubject.grade == grade) & (GradeSubject.subject == subject)).limit(1).tuples(), 2,
                    cached=True)


def required_tx(school_class: SchoolClass, subject: Subject) -> int:
    """The number of ĐĐGtx per semester for the subject in the class's grade (docs/rules.md §1.4).

    Kept on the class object for the rest of the request (a save asks three times); never across requests.
    """
    known = school_class.__dict__.setdefault("_periods_per_year", {})
    if subject.id not in known:
        row = _PERIODS.first(school_class.grade_id, subject.id)
        known[subject.id] = row[0] if row else None
    if known[subject.id] is None:
        raise ValueError(f"Môn {subject.name} không có trong chương trình khối của lớp {school_class.name}.")
    extra = school_class.__dict__.setdefault("_topic_tx", {})
    if subject.id not in extra:  # THPT: the class's chuyên đề of the subject add their ĐĐGtx
        extra[subject.id] = subject_groups.extra_tx(school_class, subject)
    return tt22.tx_count(known[subject.id], subject.comment_only) + extra[subject.id]


@dataclass
class GuestPage:
    """The book page a guest's marks live on: their own class × the subject, with the teaching class's
    ĐĐGtx count (they sit that class's assessments). Stands in for the assignment in save_cell."""

    school_class: SchoolClass
    subject: Subject
    tx_n: int

    @property
    def school_class_id(self) -> int:
        return self.school_class.id

    @property
    def subject_id(self) -> int:
        return self.subject.id


def guest_page(assignment: TeachingAssignment, student_id: int) -> tuple["GuestPage", Enrolment] | None:
    """For a student of another class taking the assignment's subject with its class: the page of their own
    class and their enrolment there; None when they are no such guest."""
    for student, home in subject_groups.guests_of(assignment.school_class, assignment.subject):
        if student.id == student_id:
            enrolment = enrolment_in(home.id, student_id)
            tx_n = required_tx(assignment.school_class, assignment.subject)
            return GuestPage(home, assignment.subject, tx_n), enrolment
    return None


def _tx_of(page, school_class, subject) -> int:
    return getattr(page, "tx_n", None) or required_tx(school_class, subject)


def columns_for(tx_n: int) -> list[Column]:
    return [*(Column("tx", i) for i in range(1, tx_n + 1)), Column("gk", 1), Column("ck", 1)]


def _cell_rows(school_class, subject, semester, student=None):
    query = MarkCell.select().where((MarkCell.school_class == school_class) & (MarkCell.subject == subject)
                                    & (MarkCell.semester == semester))
    if student is not None:
        query = query.where(MarkCell.student == student)
    return query


_STUDENT_VALUES = Prepared(lambda school_class, subject, semester, student: MarkCell.select(
    MarkCell.kind, MarkCell.idx, MarkCell.value).where(
    (MarkCell.school_class == school_class) & (MarkCell.subject == subject) & (MarkCell.semester == semester)
    & (MarkCell.student == student)).tuples(), 4)


def _student_values(school_class, subject, semester, student) -> dict:
    """One student's stored values of one class × subject × semester, by (kind, idx): one query."""
    return {(kind, idx): value for kind, idx, value in _STUDENT_VALUES.all(
        row_id(school_class), row_id(subject), row_id(semester), row_id(student))}


def _values_by_student(school_class, subject, semester, student=None) -> dict[int, dict]:
    values: dict[int, dict] = {}
    query = _cell_rows(school_class, subject, semester, student).select(
        MarkCell.student, MarkCell.kind, MarkCell.idx, MarkCell.value).tuples()
    for student_id, kind, idx, value in query:
        values.setdefault(student_id, {})[(kind, idx)] = value
    return values


_SEMESTER = Prepared(lambda year, number: Semester.select()
                     .where((Semester.year == year) & (Semester.number == number)).limit(1), 2, cached=True)


def semester_of(year_id: int, number: int) -> Semester | None:
    """Học kì `number` of the school year."""
    return _SEMESTER.first(year_id, number)


def _first_semester(semester: Semester) -> Semester | None:
    return semester_of(semester.year_id, 1)


def grid_for(assignment: TeachingAssignment, semester: Semester, now: datetime | None = None) -> Grid:
    """The whole grid of one class × subject × semester: a fixed handful of queries, whatever the size."""
    from models.gradebook.locks import column_locks

    school_class, subject = assignment.school_class, assignment.subject
    comment_only = subject.comment_only
    tx_n = required_tx(school_class, subject)
    columns = columns_for(tx_n)
    locks = column_locks(school_class, subject, semester, now=now)
    for column in columns:
        column.locked, column.lock_reason = locks[column.kind].locked, locks[column.kind].reason
        column.lock_note = locks[column.kind].note if column.locked else ""
    cells = {(student_id, kind, idx): (value, version, corrected)
             for student_id, kind, idx, value, version, corrected in _cell_rows(school_class, subject, semester)
             .select(MarkCell.student, MarkCell.kind, MarkCell.idx, MarkCell.value, MarkCell.version,
                     MarkCell.corrected).tuples()}
    first_values = None
    if semester.number == 2:
        first = _first_semester(semester)
        first_values = _values_by_student(school_class, subject, first) if first else {}
    grid = Grid(assignment, semester, comment_only, tx_n, columns)
    away = subject_groups.away_from(school_class, subject)
    entries = [(e, None) for e in class_roster(school_class) if e.student.id not in away]
    if not subject_groups.class_studies(school_class, subject):  # only those who take it with another class
        elsewhere = subject_groups.taking_elsewhere(school_class, subject)
        entries = [(e, h) for e, h in entries if e.student.id in elsewhere]
    guests = subject_groups.guests_of(school_class, subject)
    for number, (student, home) in enumerate(guests, start=len(entries) + 1):
        # their cells live in their own class's book
        enrolment = enrolment_in(home.id, student.id)
        entries.append((RosterEntry(student, enrolment, number), home))
        for kind, idx, value, version, corrected in (
                _cell_rows(home, subject, semester, student)
                .select(MarkCell.kind, MarkCell.idx, MarkCell.value, MarkCell.version, MarkCell.corrected)
                .tuples()):
            cells[(student.id, kind, idx)] = (value, version, corrected)
        if first_values is not None and _first_semester(semester):
            first_values.update(_values_by_student(home, subject, _first_semester(semester), student))
    for entry, home in entries:
        student = entry.student
        row_cells, values = [], {}
        for column in columns:
            stored = cells.get((student.id, column.kind, column.idx))
            state = CellState(column, editable=not entry.has_left and not column.locked)
            if stored is not None:
                state.value, state.version, state.corrected = stored
                state.display = display(state.value, comment_only)
                values[(column.kind, column.idx)] = state.value
            row_cells.append(state)
        first = first_values.get(student.id, {}) if first_values is not None else None
        grid.rows.append(GridRow(entry.number, student, entry.has_left, row_cells,
                                 _averages(values, first, tx_n, comment_only), home))
    return grid


def student_averages(assignment: TeachingAssignment, semester: Semester, student: Student,
                     values: dict | None = None) -> Averages:
    """One student's averages after a save (the grid's average cells); `values`: the page's, when known."""
    school_class, subject = assignment.school_class, assignment.subject
    tx_n = _tx_of(assignment, school_class, subject)
    this = values if values is not None else _student_values(school_class, subject, semester, student)
    first = None
    if semester.number == 2:
        first_semester = _first_semester(semester)
        first = _student_values(school_class, subject, first_semester, student) if first_semester else {}
    return _averages(this, first, tx_n, subject.comment_only)


def state_after(result: "SaveResult", kind: str, idx: int, comment_only: bool) -> CellState:
    """The cell as the grid shows it after a save: what is stored now (a refused value stays typed)."""
    locked = result.status == "locked"
    state = CellState(Column(kind, idx, locked, result.message if locked else ""), result.value,
                      result.version, result.corrected, display(result.value, comment_only),
                      editable=result.status not in ("locked", "left"))
    if result.status in ("invalid", "left"):
        state.display = result.typed
    return state


# --- saving one cell ------------------------------------------------------------------------------

@dataclass
class SaveResult:
    """What happened to one save. status: saved, unchanged, invalid, left, forbidden, locked, conflict."""

    status: str
    message: str = ""
    value: str | None = None  # the value stored now
    version: int = 0  # the version stored now
    corrected: bool = False
    typed: str = ""  # what the person typed (kept in the cell when refused)
    by_name: str = ""  # conflict: who stored the value now there
    at: datetime | None = None  # conflict: when
    values: dict | None = None  # saved or unchanged: the student's values of the page, by (kind, idx)

    @property
    def ok(self) -> bool:
        return self.status in ("saved", "unchanged")


_FIND_CELL = Prepared(lambda school_class, subject, semester, student, kind, idx: (
    MarkCell.select(MarkCell, User).join(User, JOIN.LEFT_OUTER, on=(MarkCell.updated_by == User.id))
    .where((MarkCell.school_class == school_class) & (MarkCell.subject == subject)
           & (MarkCell.semester == semester) & (MarkCell.student == student) & (MarkCell.kind == kind)
           & (MarkCell.idx == idx)).limit(1)), 6)

_UPDATE_CELL = Prepared(lambda value, version, user, at, cell, stored_version: (
    MarkCell.update(value=value, version=version, updated_by=user, updated_at=at)
    .where((MarkCell.id == cell) & (MarkCell.version == stored_version))), 6)

_ADD_CHANGE = Prepared(lambda cell, old, new, version, user, name, at: MarkChange.insert(
    cell=cell, old_value=old, new_value=new, version=version, changed_by=user, changed_by_name=name,
    changed_at=at), 7)


def _student_cells_query(school_class, subject, semester, student):
    """One statement and one row for everything a save reads: the cell and the student's other values.

    The row is a JSON array of [kind, idx, id, value, version, corrected]: sqlite's driver lets the other
    threads run at every row it steps through, and on a busy evening each of those hand-overs costs more
    than reading the row.
    """
    fields = (MarkCell.kind, MarkCell.idx, MarkCell.id, MarkCell.value, MarkCell.version, MarkCell.corrected)
    if is_sqlite():
        rows = fn.json_group_array(fn.json_array(*fields))
    else:
        rows = fn.COALESCE(fn.json_agg(fn.json_build_array(*fields)), SQL("'[]'::json"))
    return MarkCell.select(rows).where(
        (MarkCell.school_class == school_class) & (MarkCell.subject == subject) & (MarkCell.semester == semester)
        & (MarkCell.student == student)).tuples()


_STUDENT_CELLS = Prepared(_student_cells_query, 4)


def _student_cells(school_class_id, subject_id, semester_id, student_id) -> list:
    found = _STUDENT_CELLS.first(school_class_id, subject_id, semester_id, student_id)[0]
    return json.loads(found) if isinstance(found, str) else found


@dataclass
class _Stored:
    """A stored cell as a save needs it (the conflict message reads the full row)."""

    id: int
    value: str | None
    version: int
    corrected: bool


def _find_cell(assignment, semester, student, kind, idx) -> MarkCell | None:
    return _FIND_CELL.first(assignment.school_class_id, assignment.subject_id, row_id(semester), row_id(student),
                            kind, idx)


def cell_key(assignment: TeachingAssignment, semester: Semester, student: Student, kind: str, idx: int) -> str:
    """The audit entity id of a cell: year/class/subject/semester/student/column."""
    school_class = assignment.school_class
    return (f"{school_class.year.name}/{school_class.name}/{assignment.subject.code}/HK{semester.number}/"
            f"{student.code}/{kind}{idx}")


def _conflict(cell: MarkCell | None, typed: str, comment_only: bool) -> SaveResult:
    if cell is None:  # a forged version for a cell nobody saved
        return SaveResult("conflict", "Ô điểm này đã thay đổi. Vui lòng tải lại trang.", typed=typed)
    by_name = cell.updated_by.full_name if cell.updated_by_id else "hệ thống"
    shown = display(cell.value, comment_only) or "(trống)"
    when = cell.updated_at.strftime("%d/%m/%Y %H:%M") if cell.updated_at else ""
    message = (f"Ô này vừa được {by_name} lưu giá trị {shown} lúc {when}. "
               f"Giá trị bạn nhập ({typed or 'trống'}) chưa được lưu; hãy xem lại rồi nhập lại nếu cần.")
    return SaveResult("conflict", message, cell.value, cell.version, cell.corrected, typed, by_name,
                      cell.updated_at)


def _unchanged_or_conflict(cell: MarkCell | None, new: str | None, expected_version: int, typed: str,
                           comment_only: bool, raced: bool = False) -> SaveResult | None:
    """The answer when the save writes nothing: the value is already there, or the version is stale."""
    stored_version = cell.version if cell else 0
    if (cell.value if cell else None) == new:  # the value already there (or still empty)
        return SaveResult("unchanged", "", new, stored_version, cell.corrected if cell else False, typed)
    if raced or expected_version != stored_version:
        return _conflict(cell, typed, comment_only)
    return None


def _create_cell(school_class, subject, semester, student, kind, idx, value, user_id, now) -> MarkCell:
    return MarkCell.create(school_class=school_class, subject=subject, semester=semester, student=student,
                           kind=kind, idx=idx, value=value, version=1, updated_by=user_id, updated_at=now)


def save_cell(assignment: TeachingAssignment, semester: Semester, student: Student, kind: str, idx: int,
              text: str, expected_version: int, user: User, now: datetime | None = None,
              enrolment: Enrolment | None = None) -> SaveResult:
    """Store one typed value if the cell may be written and nobody changed it since it was read.

    Refusals change nothing. A save of the value already stored is a no-op (no new version).
    `enrolment`: the student's enrolment in the class when the caller already read it.
    """
    from models.audit.log import current_actor, record
    from models.core import group_commit
    from models.gradebook.locks import cell_lock
    from models.rules.text import nfc

    now = now or datetime.now()
    typed = nfc(text or "").strip()
    school_class, subject = assignment.school_class, assignment.subject
    if semester.year_id != school_class.year_id:
        return SaveResult("forbidden", "Học kì không thuộc năm học của lớp.", typed=typed)
    if kind not in KINDS:
        return SaveResult("forbidden", "Cột điểm không hợp lệ.", typed=typed)
    limit = _tx_of(assignment, school_class, subject) if kind == "tx" else 1
    if not 1 <= idx <= limit:
        return SaveResult("forbidden", "Cột điểm không hợp lệ.", typed=typed)
    if enrolment is None or enrolment.school_class_id != school_class.id or enrolment.student_id != student.id:
        enrolment = enrolment_in(school_class.id, student.id)
    if enrolment is None:
        return SaveResult("forbidden", f"Học sinh không thuộc lớp {school_class.name}.", typed=typed)
    if enrolment.left_on is not None or student.has_left:
        return SaveResult("left", f"Học sinh {student.full_name} đã rời lớp ({student.status_label}): "
                                  "không nhập điểm được.", typed=typed)
    lock = cell_lock(school_class, subject, semester, kind, now=now)
    if lock.locked:
        stored = _find_cell(assignment, semester, student, kind, idx)
        return SaveResult("locked", f"Cột điểm đang khoá: {lock.reason}.",
                          stored.value if stored else None, stored.version if stored else 0,
                          stored.corrected if stored else False, typed)
    try:
        new = parse_value(typed, subject.comment_only)
    except ValueError as wrong:
        return SaveResult("invalid", str(wrong), typed=typed)

    # read first, outside the write lock; the write below only happens if the cell still has the version
    # read here (UPDATE … WHERE version = read), so a change in between is a conflict, never overwritten
    values, cell = {}, None
    for k, i, cell_id, value, version, corrected in _student_cells(school_class.id, subject.id, semester.id,
                                                                   student.id):
        values[(k, i)] = value
        if k == kind and i == idx:
            cell = _Stored(cell_id, value, version, bool(corrected))
    if cell is not None and cell.version != expected_version and cell.value != new:
        cell = _find_cell(assignment, semester, student, kind, idx)  # the full row names who changed it
    refused = _unchanged_or_conflict(cell, new, expected_version, typed, subject.comment_only)
    if refused is not None:
        refused.values = values if refused.ok else None
        return refused
    old = cell.value if cell else None
    version = (cell.version if cell else 0) + 1
    user_id, user_name = user.id, user.full_name
    key = cell_key(assignment, semester, student, kind, idx)
    actor = current_actor()  # the write may run in another request's thread (group commit)

    def write() -> SaveResult | None:
        """The statements; None when stored, the answer when someone else changed the cell first."""
        nonlocal cell
        if cell is None:
            try:
                if is_sqlite():  # a failed statement does not end a sqlite transaction
                    cell = _create_cell(school_class, subject, semester, student, kind, idx, new, user_id, now)
                else:
                    with db.atomic():  # a savepoint: a concurrent first save must not abort the transaction
                        cell = _create_cell(school_class, subject, semester, student, kind, idx, new, user_id, now)
            except IntegrityError:  # someone else saved it first
                return _unchanged_or_conflict(_find_cell(assignment, semester, student, kind, idx), new,
                                              expected_version, typed, subject.comment_only, raced=True)
        elif _UPDATE_CELL.run(new, version, user_id, now, cell.id, cell.version) != 1:
            return _unchanged_or_conflict(_find_cell(assignment, semester, student, kind, idx), new,
                                          expected_version, typed, subject.comment_only, raced=True)
        _ADD_CHANGE.run(cell.id, old, new, version, user_id, user_name, now)
        record("mark", "mark", key, before={"value": old}, after={"value": new}, actor=actor)
        return None

    raced = group_commit.run(write)
    if raced is not None:
        return raced
    values[(kind, idx)] = new
    return SaveResult("saved", "", new, version, cell.corrected, typed, values=values)


# --- history and progress -------------------------------------------------------------------------

def cell_history(cell_id: int) -> list[MarkChange]:
    """Every change of one cell, oldest first."""
    return list(MarkChange.select().where(MarkChange.cell == cell_id)
                .order_by(MarkChange.changed_at, MarkChange.id))


def find_cell(assignment: TeachingAssignment, semester: Semester, student: Student, kind: str,
              idx: int) -> MarkCell | None:
    """The stored cell, if anyone ever saved it."""
    return _find_cell(assignment, semester, student, kind, idx)


@dataclass
class Progress:
    """Entry progress of one class × subject × semester: filled cells against required ones."""

    assignment: TeachingAssignment
    semester: Semester
    filled: int
    required: int

    @property
    def percent(self) -> int:
        return 100 * self.filled // self.required if self.required else 0


def progress_for(assignments: list[TeachingAssignment], semesters: list[Semester]) -> list[Progress]:
    """Progress of each assignment in each semester: the students who study the subject with the class (still
    in their class; THPT: less those who study it elsewhere, plus guests from other classes, whose cells are
    in their own class's book) × required columns."""
    if not assignments or not semesters:
        return []
    classes = list({a.school_class_id: a.school_class for a in assignments}.values())
    subject_ids = {a.subject_id for a in assignments}
    seated = subject_groups.seats(classes, subject_ids)
    owner = {(home, subject_id, student_id): class_id
             for (class_id, subject_id), students in seated.items() for student_id, home in students.items()}
    periods = {(g, s): p for g, s, p in GradeSubject.select(GradeSubject.grade, GradeSubject.subject,
                                                            GradeSubject.periods_per_year).tuples()}
    topics = subject_groups.topic_tx_by_class(classes)
    tx_limits = {}
    for a in assignments:
        per_year = periods.get((a.school_class.grade_id, a.subject_id))
        tx_limits[(a.school_class_id, a.subject_id)] = (
            tt22.tx_count(per_year, a.subject.comment_only) + topics.get((a.school_class_id, a.subject_id), 0)
            if per_year else 0)
    filled: dict[tuple, int] = {}
    homes = sorted({home for home, _, _ in owner})
    query = (MarkCell.select(MarkCell.school_class, MarkCell.subject, MarkCell.semester, MarkCell.student,
                             MarkCell.kind, MarkCell.idx)
             .where(MarkCell.school_class.in_(homes) & MarkCell.subject.in_(subject_ids)
                    & MarkCell.semester.in_([s.id for s in semesters]) & MarkCell.value.is_null(False))
             .tuples()) if homes else []
    for home, subject_id, semester_id, student_id, kind, idx in query:
        class_id = owner.get((home, subject_id, student_id))
        if class_id is None:
            continue
        limit = tx_limits.get((class_id, subject_id), 0) if kind == "tx" else 1
        if idx <= limit:
            key = (class_id, subject_id, semester_id)
            filled[key] = filled.get(key, 0) + 1
    result = []
    for a in assignments:
        columns = tx_limits[(a.school_class_id, a.subject_id)] + 2
        size = len(seated.get((a.school_class_id, a.subject_id), ()))
        for s in semesters:
            result.append(Progress(a, s, filled.get((a.school_class_id, a.subject_id, s.id), 0), size * columns))
    return result


def column_index(assignment: TeachingAssignment, kind: str, idx: int) -> int:
    """The position of a column on the grid (for keyboard navigation)."""
    tx_n = required_tx(assignment.school_class, assignment.subject)
    return idx - 1 if kind == "tx" else tx_n + (0 if kind == "gk" else 1)


# --- corrections ----------------------------------------------------------------------------------
# the grade book's side of models/gradebook/corrections.py: writing an approved correction despite the lock,
# and counting the corrected marks of a printed page (red ink in the paper book)

def apply_correction(req, user: User, now: datetime) -> MarkCell:
    """Write an approved mark correction despite the lock; call inside write_transaction().

    Refused (ValueError) when the stored value changed since the request was filed.
    """
    from types import SimpleNamespace

    from models.audit.log import record

    if not db.in_transaction():
        raise RuntimeError("apply_correction must run inside write_transaction()")
    school_class, subject, semester, student = req.school_class, req.subject, req.semester, req.student
    cell = (MarkCell.select()
            .where((MarkCell.school_class == school_class) & (MarkCell.subject == subject)
                   & (MarkCell.semester == semester) & (MarkCell.student == student)
                   & (MarkCell.kind == req.kind) & (MarkCell.idx == req.idx)).first())
    current = cell.value if cell else None
    if current != req.old_value:
        raise ValueError(req.stale_message(current))
    if cell is None:
        version = 1
        cell = MarkCell.create(school_class=school_class, subject=subject, semester=semester, student=student,
                               kind=req.kind, idx=req.idx, value=req.new_value, version=version,
                               updated_by=user.id, updated_at=now, corrected=True)
    else:
        version = cell.version + 1
        updated = (MarkCell.update(value=req.new_value, version=version, updated_by=user.id, updated_at=now,
                                   corrected=True)
                   .where((MarkCell.id == cell.id) & (MarkCell.version == cell.version)).execute())
        if updated != 1:
            raise ValueError(req.stale_message(current))
    MarkChange.create(cell=cell.id, old_value=current, new_value=req.new_value, version=version,
                      changed_by=user.id, changed_by_name=user.full_name, changed_at=now,
                      correction_request_id=req.id)
    # cell_key reads only the class and the subject of the assignment: the same key as save_cell's
    page = SimpleNamespace(school_class=school_class, subject=subject)
    record("mark", "mark", cell_key(page, semester, student, req.kind, req.idx),
           before={"value": current}, after={"value": req.new_value}, reason=f"Sửa theo đề nghị #{req.id}")
    return cell


def correction_count(school_class: SchoolClass, subject: Subject, semester: Semester) -> int:
    """Marks corrected by an applied request on one page of the book ("Trong trang này có … điểm được sửa chữa")."""
    return (MarkCell.select()
            .where((MarkCell.school_class == school_class) & (MarkCell.subject == subject)
                   & (MarkCell.semester == semester) & MarkCell.corrected)
            .count())


def semester_today(year: SchoolYear | None, today: date | None = None) -> Semester | None:
    """The semester of `year` holding today; after the year has ended, the last one with marks in it
    (a past year is looked at for what was entered); else the last one already started, else the first."""
    if year is None:
        return None
    today = today or date.today()
    semesters = list(Semester.select().where(Semester.year == year).order_by(Semester.number))
    if semesters and today > semesters[-1].ends_on:
        with_marks = [s for s in semesters if MarkCell.select().where(MarkCell.semester == s).exists()]
        if with_marks:
            return with_marks[-1]
    started = [s for s in semesters if s.starts_on <= today]
    return started[-1] if started else (semesters[0] if semesters else None)


def semester_result(values: dict[tuple[str, int], str], tx_n: int, comment_only: bool):
    """ĐTBmhk (Decimal) or the comment subject's level from one student's stored values by (kind, idx);
    None while incomplete. For the year-end sheets (models/yearend/results.py)."""
    return _average(values, tx_n, comment_only)
