"""Monitoring of the grade book by the vice-principal and the heads of department.

Entry progress against the school's deadlines (docs/rules.md §15), the score distribution (phổ điểm), the anomalies of
PTH (docs/rules.md) Điều 16.1.d, and the vice-principal's monthly comment on each class book (Điều 16.1.a).
Only students still in a class count (as in the teacher's progress): the marks of a student who
left stay in the book but not in these figures.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from models.core import DeletionRefused, KeptModel
from models.gradebook.marks import KIND_HEADERS, MarkCell, MarkChange, semester_today
from models.people.accounts import User
from models.people.records import Staff, Student
from models.rules import histogram, tt22
from models.rules import progress as rules
from models.school import subject_groups
from models.school.structure import (
    Department,
    DepartmentMember,
    Grade,
    GradeSubject,
    SchoolClass,
    SchoolYear,
    Semester,
    Subject,
    TeachingAssignment,
    class_sort_key,
)

# --- the students and marks that count ----------------------------------------------------------


def _tx_limits(classes: list[SchoolClass], subjects: list[Subject]) -> dict[tuple[int, int], int]:
    """ĐĐGtx columns per (class, subject) from the grade's periods (0 when the grade lacks the subject), plus
    the ĐĐGtx of the class's chuyên đề (THPT)."""
    periods = {(g, s): p for g, s, p in GradeSubject.select(GradeSubject.grade, GradeSubject.subject,
                                                            GradeSubject.periods_per_year).tuples()}
    topics = subject_groups.topic_tx_by_class(classes)
    limits = {}
    for c in classes:
        for s in subjects:
            per_year = periods.get((c.grade_id, s.id))
            limits[(c.id, s.id)] = (tt22.tx_count(per_year, s.comment_only) + topics.get((c.id, s.id), 0)
                                    if per_year else 0)
    return limits


@dataclass(frozen=True)
class CellValue:
    class_id: int  # the class the student studies the subject with (their own, or the elective's class)
    subject_id: int
    student_id: int
    kind: str
    idx: int
    value: str


def _counted_values(semester: Semester, classes: list[SchoolClass], subjects: list[Subject],
                    seated: dict | None = None) -> list[CellValue]:
    """The filled cells that count: students still studying the subject with the class (THPT: the class's
    group, less those who study it elsewhere, plus guests from other classes), columns the subject has."""
    if not classes or not subjects:
        return []
    seated = seated if seated is not None else subject_groups.seats(classes, {s.id for s in subjects})
    limits = _tx_limits(classes, subjects)
    owner = {(home, subject_id, student_id): class_id
             for (class_id, subject_id), students in seated.items() for student_id, home in students.items()}
    homes = sorted({home for home, _, _ in owner})
    if not homes:
        return []
    query = (MarkCell.select(MarkCell.school_class, MarkCell.subject, MarkCell.student, MarkCell.kind,
                             MarkCell.idx, MarkCell.value)
             .where((MarkCell.semester == semester) & MarkCell.school_class.in_(homes)
                    & MarkCell.subject.in_([s.id for s in subjects]) & MarkCell.value.is_null(False))
             .tuples())
    result = []
    for home, subject_id, student_id, kind, idx, value in query:
        class_id = owner.get((home, subject_id, student_id))
        if class_id is None:
            continue
        limit = limits.get((class_id, subject_id), 0) if kind == "tx" else 1
        if 1 <= idx <= limit:
            result.append(CellValue(class_id, subject_id, student_id, kind, idx, value))
    return result


# --- progress (TNT (docs/rules.md) §6.2) --------------------------------------------------------------------

@dataclass
class ProgressRow:
    """Entry progress of one teacher × class × subject in a semester, judged against the deadlines."""

    assignment: TeachingAssignment
    students: int
    tx_required: int
    tx_filled: int
    gk_filled: int
    ck_filled: int
    deadlines: list[rules.Deadline]

    @property
    def late(self) -> bool:
        return any(d.late for d in self.deadlines)

    @property
    def late_deadlines(self) -> list[rules.Deadline]:
        return [d for d in self.deadlines if d.late]

    def deadline(self, label: str) -> rules.Deadline | None:
        """The row's deadline of that rule ("ĐĐGgk", "ĐĐGck"), for the table's per-column status."""
        return next((d for d in self.deadlines if d.label == label), None)

    @property
    def tx_late(self) -> list[rules.Deadline]:
        """The late ĐĐGtx rules (50% by week 8, 100% before the finals)."""
        return [d for d in self.late_deadlines if "ĐĐGtx" in d.label]

    @property
    def tx_percent(self) -> int:
        return 100 * self.tx_filled // self.tx_required if self.tx_required else 0


def headed_department(staff_id: int | None) -> Department | None:
    """The department this staff member heads, if any."""
    if staff_id is None:
        return None
    row = (DepartmentMember.select(DepartmentMember, Department).join(Department)
           .where((DepartmentMember.staff == staff_id) & DepartmentMember.is_head).first())
    return row.department if row else None


def _assignments(year_id: int, department_id: int | None = None, teacher_id: int | None = None):
    query = (TeachingAssignment.select(TeachingAssignment, SchoolClass, Subject, Staff)
             .join(SchoolClass).switch(TeachingAssignment).join(Subject)
             .switch(TeachingAssignment).join(Staff)
             .where(SchoolClass.year == year_id))
    if department_id is not None:
        # a tổ chuyên môn answers for its subjects, whoever teaches them
        query = query.where(Subject.department == department_id)
    if teacher_id is not None:
        query = query.where(TeachingAssignment.teacher == teacher_id)
    return list(query)


def progress_rows(semester: Semester, today: date | None = None, department_id: int | None = None,
                  teacher_id: int | None = None, late_only: bool = False) -> list[ProgressRow]:
    """Each teacher × class × subject of the semester's year: counts and deadlines; late rows first.

    ĐĐGgk and ĐĐGck are judged from the semester's mid-term and final test dates (one date each for
    the whole school, set by the admin); a test without a date has no deadline.
    """
    from models.rules.text import vietnamese_sort_key

    today = today or date.today()
    assignments = _assignments(semester.year_id, department_id, teacher_id)
    classes = list({a.school_class_id: a.school_class for a in assignments}.values())
    subjects = list({a.subject_id: a.subject for a in assignments}.values())
    seated = subject_groups.seats(classes, {s.id for s in subjects})
    limits = _tx_limits(classes, subjects)
    filled: dict[tuple[int, int, str], int] = {}
    for v in _counted_values(semester, classes, subjects, seated):
        key = (v.class_id, v.subject_id, v.kind)
        filled[key] = filled.get(key, 0) + 1
    rows = []
    for a in assignments:
        students = len(seated.get((a.school_class_id, a.subject_id), ()))
        tx_required = limits[(a.school_class_id, a.subject_id)] * students
        counts = {k: filled.get((a.school_class_id, a.subject_id, k), 0) for k in ("tx", "gk", "ck")}
        deadlines = [*rules.tx_deadlines(counts["tx"], tx_required, semester.starts_on, semester.final_tests_on,
                                         today),
                     rules.periodic_deadline("ĐĐGgk", counts["gk"], students, semester.midterm_tests_on, today),
                     rules.periodic_deadline("ĐĐGck", counts["ck"], students, semester.final_tests_on, today)]
        rows.append(ProgressRow(a, students, tx_required, counts["tx"], counts["gk"], counts["ck"], deadlines))
    if late_only:
        rows = [r for r in rows if r.late]
    rows.sort(key=lambda r: (not r.late, vietnamese_sort_key(r.assignment.teacher.full_name),
                             r.assignment.teacher_id, class_sort_key(r.assignment.school_class.name),
                             r.assignment.subject.position, r.assignment.subject.name))
    return rows


def deadline_dates(semester: Semester) -> list[tuple[str, date | None, str]]:
    """The semester's deadlines as the page states them: (what, last day or None, the rule)."""
    finals = semester.final_tests_on
    return [("50% điểm ĐĐGtx", rules.half_tx_due(semester.starts_on), f"hết tuần {rules.HALF_TX_WEEK} của học kì"),
            ("100% điểm ĐĐGtx", rules.full_tx_due(finals),
             f"trước ngày kiểm tra cuối kì {rules.FULL_TX_DAYS_BEFORE_FINALS} ngày"),
            ("Điểm ĐĐGgk", rules.periodic_due(semester.midterm_tests_on),
             f"{rules.TEST_WORKING_DAYS} ngày làm việc sau ngày kiểm tra giữa kì"
             if semester.midterm_tests_on else "chưa có ngày kiểm tra giữa kì: không xét hạn"),
            ("Điểm ĐĐGck", rules.periodic_due(finals),
             f"{rules.TEST_WORKING_DAYS} ngày làm việc sau ngày kiểm tra cuối kì"
             if finals else "chưa có ngày kiểm tra cuối kì: không xét hạn")]


def departments() -> list[Department]:
    return list(Department.select().order_by(Department.name))


def teachers_of_year(year_id: int, department_id: int | None = None) -> list[Staff]:
    """Teachers with an assignment in the year (of the department's subjects), in Vietnamese order."""
    from models.rules.text import vietnamese_sort_key

    people = {a.teacher_id: a.teacher for a in _assignments(year_id, department_id)}
    return sorted(people.values(), key=lambda s: (vietnamese_sort_key(s.full_name), s.id))


# --- the score distribution (phổ điểm, Điều 16.1.c) ---------------------------------------------

BAND_LABELS = histogram.BAND_LABELS
COLUMNS = {"tx": "ĐĐGtx (mọi điểm thường xuyên)", "gk": "ĐĐGgk", "ck": "ĐĐGck",
           "avg": "ĐTBmhk (điểm trung bình môn học kì)"}


@dataclass
class GroupDistribution:
    """The marks of one class (or of the whole grade) in one column, binned and banded."""

    name: str
    marks: list[Decimal]
    mean: Decimal | None
    counts: list[int] = field(default_factory=list)
    bands: list[int] = field(default_factory=list)
    svg: str = ""
    school_class: SchoolClass | None = None

    @property
    def mean_text(self) -> str:
        return histogram.format_mean(self.mean)

    @property
    def band_cells(self) -> list[tuple[int, str]]:
        """Each band's count with its share of the marks ("12,5%")."""
        total = len(self.marks)
        return [(n, (format(Decimal(100 * n) / total, ".1f").replace(".", ",") + "%") if total else "")
                for n in self.bands]


@dataclass
class Distribution:
    semester: Semester
    subject: Subject
    grade: Grade
    column: str
    whole: GroupDistribution
    classes: list[GroupDistribution]

    @property
    def column_label(self) -> str:
        return COLUMNS[self.column]


def scored_subjects(grade: Grade | None = None) -> list[Subject]:
    """Subjects with marks (not comment-only), of the grade if given, in the school's order."""
    query = Subject.select().where(Subject.kind != "comment")
    if grade is not None:
        query = query.join(GradeSubject).where(GradeSubject.grade == grade)
    return list(query.order_by(Subject.position, Subject.name))


def column_marks(semester: Semester, subject: Subject, classes: list[SchoolClass],
                 column: str) -> dict[int, list[Decimal]]:
    """The marks of one column per class id: every ĐĐGtx mark, the ĐĐGgk, the ĐĐGck, or the
    ĐTBmhk of the students whose marks are complete (decision 2: no average otherwise)."""
    if column not in COLUMNS:
        raise ValueError("Vui lòng chọn cột điểm.")
    if subject.comment_only:
        raise ValueError(f"Môn {subject.name} đánh giá bằng nhận xét, không có phổ điểm.")
    values = _counted_values(semester, classes, [subject])
    result: dict[int, list[Decimal]] = {c.id: [] for c in classes}
    if column != "avg":
        for v in values:
            if v.kind == column:
                result[v.class_id].append(Decimal(v.value))
        return result
    limits = _tx_limits(classes, [subject])
    per_student: dict[tuple[int, int], dict] = {}
    for v in values:
        per_student.setdefault((v.class_id, v.student_id), {})[(v.kind, v.idx)] = Decimal(v.value)
    for (class_id, _), marks in per_student.items():
        tx_n = limits[(class_id, subject.id)]
        regular = [marks.get(("tx", i)) for i in range(1, tx_n + 1)]
        midterm, final = marks.get(("gk", 1)), marks.get(("ck", 1))
        if tx_n and None not in regular and midterm is not None and final is not None:
            result[class_id].append(tt22.semester_average(regular, midterm, final))
    return result


def distribution(semester: Semester, subject: Subject, grade: Grade, column: str) -> Distribution:
    """The grade's histogram and one per class beside it, each with the class and grade means."""
    classes = list(SchoolClass.select().where((SchoolClass.year == semester.year_id)
                                              & (SchoolClass.grade == grade)))
    studied = subject_groups.subjects_by_class(classes)  # THPT: only the classes whose group has the subject
    classes = [c for c in classes if studied[c.id] is None or subject.id in studied[c.id]]
    classes.sort(key=lambda c: class_sort_key(c.name))
    marks = column_marks(semester, subject, classes, column)
    pooled = [m for c in classes for m in marks[c.id]]
    grade_mean = histogram.mean_of(pooled)
    whole = GroupDistribution(f"Khối {grade.number}", pooled, grade_mean, histogram.bin_counts(pooled),
                              histogram.band_counts(pooled))
    whole.svg = histogram.render_svg(whole.counts, whole.name, grade_mean, None, mean_label="TB khối")
    groups = []
    for c in classes:
        own = marks[c.id]
        group = GroupDistribution(f"Lớp {c.name}", own, histogram.mean_of(own), histogram.bin_counts(own),
                                  histogram.band_counts(own), school_class=c)
        group.svg = histogram.render_svg(group.counts, group.name, group.mean, grade_mean)
        groups.append(group)
    return Distribution(semester, subject, grade, column, whole, groups)


# --- anomalies (Điều 16.1.d) -------------------------------------------------------------------

REPEATED_CHANGES = 3  # a cell changed this many times or more (its first entry not counted)
CROSSING_THRESHOLDS = tt22.SCORE_BAND_EDGES
_EDGES_TEXT = [f"{e:.1f}".replace(".", ",") for e in CROSSING_THRESHOLDS]  # 3,5; 5,0; 6,5; 8,0
CLASS_MEAN_GAP = Fraction(3, 2)  # a class mean more than 1,5 from the grade's
BURST_CHANGES = 20  # this many changes of existing values by one person …
BURST_WINDOW = timedelta(minutes=10)  # … within this span

ANOMALY_KINDS = {
    "repeated": "Sửa nhiều lần",
    "after_lock": "Sửa sau khi khoá",
    "crossing": "Sửa qua ngưỡng",
    "class_mean": "TB lớp lệch khối",
    "burst": "Sửa hàng loạt",
}

# how each kind is found, as the page explains it
ANOMALY_LIMITS = {
    "repeated": f"Ô điểm được sửa từ {REPEATED_CHANGES} lần trở lên (không tính lần nhập đầu tiên).",
    "after_lock": "Sửa theo đề nghị sửa điểm sau khi khoá, hoặc sửa điểm đã có khi lịch nhập điểm đã đóng "
                  "(chỉ được nhờ lệnh mở sổ).",
    "crossing": "Điểm cũ và điểm mới ở hai phía của mốc "
                + "; ".join(_EDGES_TEXT[:-1]) + f" hoặc {_EDGES_TEXT[-1]} (kể cả xoá rồi nhập lại).",
    "class_mean": "Điểm trung bình một cột của lớp lệch quá 1,5 điểm so với trung bình cả khối, cùng môn, cùng cột.",
    "burst": f"Một người sửa từ {BURST_CHANGES} điểm đã có trở lên trong vòng "
             f"{int(BURST_WINDOW.total_seconds() // 60)} phút.",
}


@dataclass
class Anomaly:
    kind: str
    detail: str
    at: datetime | None = None
    school_class: SchoolClass | None = None
    subject: Subject | None = None
    student: Student | None = None
    column: str = ""  # "ĐĐGtx 2"
    cell_id: int | None = None
    who: str = ""
    grade_id: int | None = None
    column_kind: str = ""
    # THPT: the student's own class when they take the subject with `school_class`'s teacher (their cell lives
    # in their own class's book, the anomaly concerns the teaching class's)
    home_class: SchoolClass | None = None
    _cell: "_Cell | None" = field(default=None, repr=False)  # ids to resolve into objects

    @property
    def kind_label(self) -> str:
        return ANOMALY_KINDS[self.kind]


@dataclass
class _Change:
    cell_id: int
    old: str | None
    new: str | None
    version: int
    by_id: int | None
    by_name: str
    at: datetime
    correction_id: int | None


@dataclass
class _Cell:
    id: int
    class_id: int
    subject_id: int
    student_id: int
    kind: str
    idx: int
    changes: list[_Change] = field(default_factory=list)

    @property
    def column(self) -> str:
        return f"{KIND_HEADERS[self.kind]} {self.idx}" if self.kind == "tx" else KIND_HEADERS[self.kind]


def _changed_cells(semester: Semester) -> dict[int, _Cell]:
    cells: dict[int, _Cell] = {}
    query = (MarkChange.select(MarkChange.cell, MarkChange.old_value, MarkChange.new_value, MarkChange.version,
                               MarkChange.changed_by, MarkChange.changed_by_name, MarkChange.changed_at,
                               MarkChange.correction_request_id, MarkCell.school_class, MarkCell.subject,
                               MarkCell.student, MarkCell.kind, MarkCell.idx)
             .join(MarkCell).where(MarkCell.semester == semester)
             .order_by(MarkChange.cell, MarkChange.changed_at, MarkChange.id).tuples())
    for (cell_id, old, new, version, by_id, by_name, at, correction_id, class_id, subject_id, student_id,
         kind, idx) in query:
        cell = cells.get(cell_id)
        if cell is None:
            cell = cells[cell_id] = _Cell(cell_id, class_id, subject_id, student_id, kind, idx)
        cell.changes.append(_Change(cell_id, old, new, version, by_id, by_name, at, correction_id))
    return cells


def _show(value: str | None, comment_only: bool) -> str:
    if value is None:
        return "(trống)"
    return value if comment_only else tt22.format_mark(Decimal(value))


def crossed(old: Decimal, new: Decimal) -> list[Decimal]:
    """The thresholds with old and new on different sides (a mark equal to one is on its upper side)."""
    return [t for t in CROSSING_THRESHOLDS if (old < t) != (new < t)]


def bursts(times: list[datetime], count: int = BURST_CHANGES,
           window: timedelta = BURST_WINDOW) -> list[tuple[int, int]]:
    """(first, last) positions of runs of at least `count` sorted moments within `window`; no overlaps."""
    found, i, j = [], 0, 0
    while i < len(times):
        j = max(j, i)
        while j + 1 < len(times) and times[j + 1] - times[i] <= window:
            j += 1
        if j - i + 1 >= count:
            found.append((i, j))
            i = j + 1
        else:
            i += 1
    return found


def _cell_anomalies(cells: dict[int, _Cell], subjects: dict[int, Subject], windows) -> list[Anomaly]:
    from models.rules.locks import is_open

    result = []
    kinds_with_windows = {w.kind for w in windows}
    for cell in cells.values():
        comment_only = subjects[cell.subject_id].comment_only
        base = {"cell_id": cell.id, "column": cell.column, "column_kind": cell.kind}
        # (a) the first entry (version 1) is not a change
        edits = [c for c in cell.changes if c.version > 1]
        if len(edits) >= REPEATED_CHANGES:
            trail = " → ".join([_show(edits[0].old, comment_only), *(_show(c.new, comment_only) for c in edits)])
            result.append(Anomaly("repeated", f"{len(edits)} lần sửa: {trail}", edits[-1].at,
                                  who=edits[-1].by_name, **base, _cell=cell))
        last_value = None  # the last non-empty value, so that clear-then-retype still shows the crossing
        for change in cell.changes:
            shown = f"{_show(change.old, comment_only)} → {_show(change.new, comment_only)}"
            # (b) a correction applied after the lock, or an edit the schedule alone would have refused
            if change.correction_id is not None:
                result.append(Anomaly("after_lock", f"{shown}: sửa theo đề nghị sửa điểm số {change.correction_id}",
                                      change.at, who=change.by_name, **base, _cell=cell))
            elif (change.old is not None and cell.kind in kinds_with_windows
                  and not is_open(windows, cell.kind, change.at)):
                result.append(Anomaly("after_lock", f"{shown}: sửa ngoài thời gian nhập điểm (khi có lệnh mở sổ)",
                                      change.at, who=change.by_name, **base, _cell=cell))
            # (c) a change that moves a mark across 3,5 / 5,0 / 6,5 / 8,0
            previous = change.old if change.old is not None else last_value
            if not comment_only and change.new is not None and previous is not None:
                lines = crossed(Decimal(previous), Decimal(change.new))
                if lines:
                    via = " (xoá rồi nhập lại)" if change.old is None else ""
                    detail = (f"{_show(previous, False)} → {_show(change.new, False)}{via}: qua ngưỡng "
                              + ", ".join(tt22.format_mark(t) for t in lines))
                    result.append(Anomaly("crossing", detail, change.at, who=change.by_name, **base, _cell=cell))
            if change.new is not None:
                last_value = change.new
    return result


def _class_mean_anomalies(semester: Semester) -> list[Anomaly]:
    """(d) a class's mean of a column more than 1,5 points from the grade's mean, same subject and column."""
    classes = {c.id: c for c in SchoolClass.select().where(SchoolClass.year == semester.year_id)}
    subjects = scored_subjects()
    sums: dict[tuple, list] = {}
    for v in _counted_values(semester, list(classes.values()), subjects):
        c = classes[v.class_id]
        for key in ((c.grade_id, v.subject_id, v.kind, None), (c.grade_id, v.subject_id, v.kind, c.id)):
            entry = sums.setdefault(key, [Fraction(0), 0])
            entry[0] += Fraction(Decimal(v.value))
            entry[1] += 1
    by_id = {s.id: s for s in subjects}
    result = []
    for (grade_id, subject_id, kind, class_id), (total, n) in sums.items():
        if class_id is None:
            continue
        grade_total, grade_n = sums[(grade_id, subject_id, kind, None)]
        class_mean, grade_mean = total / n, grade_total / grade_n
        if abs(class_mean - grade_mean) > CLASS_MEAN_GAP:
            two = histogram.format_mean
            detail = (f"{KIND_HEADERS[kind]}: TB lớp {two(_two(class_mean))} ({n} điểm), "
                      f"TB khối {two(_two(grade_mean))} ({grade_n} điểm)")
            result.append(Anomaly("class_mean", detail, school_class=classes[class_id], subject=by_id[subject_id],
                                  column=KIND_HEADERS[kind], grade_id=grade_id, column_kind=kind))
    return result


def _two(value: Fraction) -> Decimal:
    return histogram.mean_of([Decimal(value.numerator) / Decimal(value.denominator)])


def _burst_anomalies(cells: dict[int, _Cell]) -> list[Anomaly]:
    """(e) one person changing many existing values in a short time."""
    by_person: dict[int | None, list[_Change]] = {}
    for cell in cells.values():
        for change in cell.changes:
            if change.old is not None:
                by_person.setdefault(change.by_id, []).append(change)
    result = []
    for changes in by_person.values():
        changes.sort(key=lambda c: c.at)
        for first, last in bursts([c.at for c in changes]):
            start, end = changes[first], changes[last]
            minutes = max(1, round((end.at - start.at).total_seconds() / 60))
            detail = f"{last - first + 1} lần sửa điểm đã có trong {minutes} phút"
            cell = cells[start.cell_id]
            result.append(Anomaly("burst", detail, start.at, who=start.by_name, cell_id=cell.id,
                                  column=cell.column, column_kind=cell.kind, _cell=cell))
    return result


def anomalies(semester: Semester, kind: str | None = None) -> list[Anomaly]:
    """Every anomaly of the semester's book, newest first within each kind (kinds in ANOMALY_KINDS order).

    Approximation for (b): besides applied corrections, an edit of an existing value is flagged when
    the entry windows of its column kind were all closed at that moment (so only an unlock switch let
    it through); kinds without any window are not judged, as their schedule was never set.
    """
    from models.gradebook.locks import EntryWindow

    if kind is not None and kind not in ANOMALY_KINDS:
        raise ValueError("Loại bất thường không hợp lệ.")
    cells = _changed_cells(semester)
    subjects = {s.id: s for s in Subject.select()}
    windows = [w.as_rule() for w in EntryWindow.select().where(EntryWindow.semester == semester)]
    found = [*_cell_anomalies(cells, subjects, windows), *_class_mean_anomalies(semester),
             *_burst_anomalies(cells)]
    if kind is not None:
        found = [a for a in found if a.kind == kind]
    _attach(found, subjects)
    order = {k: i for i, k in enumerate(ANOMALY_KINDS)}
    found.sort(key=lambda a: (order[a.kind], -(a.at.timestamp() if a.at else 0),
                              class_sort_key(a.school_class.name) if a.school_class else ()))
    return found


def _attach(found: list[Anomaly], subjects: dict[int, Subject]) -> None:
    """Fill in class, subject and student objects for the rows built from ids (a few queries)."""
    cells = [a._cell for a in found if a._cell is not None]
    teaching = subject_groups.teaching_class_ids({(c.class_id, c.subject_id, c.student_id) for c in cells})
    class_ids = {c.class_id for c in cells} | set(teaching.values())
    student_ids = {c.student_id for c in cells}
    classes = {c.id: c for c in SchoolClass.select().where(SchoolClass.id.in_(list(class_ids)))} if class_ids else {}
    students = {s.id: s for s in Student.select().where(Student.id.in_(list(student_ids)))} if student_ids else {}
    for a in found:
        cell = a._cell
        if cell is None:
            continue
        teaching_id = teaching.get((cell.class_id, cell.subject_id, cell.student_id))
        if teaching_id is not None:
            a.school_class, a.home_class = classes.get(teaching_id), classes.get(cell.class_id)
        else:
            a.school_class = classes.get(cell.class_id)
        a.subject, a.student = subjects.get(cell.subject_id), students.get(cell.student_id)
        a.grade_id = a.school_class.grade_id if a.school_class else None


@dataclass
class CellHistory:
    cell: MarkCell
    school_class: SchoolClass  # the class the student studies the subject with
    subject: Subject
    semester: Semester
    student: Student
    column: str
    changes: list[MarkChange]
    home_class: SchoolClass | None = None  # THPT: their own class, whose book holds the cell, when another

    def show(self, value: str | None) -> str:
        return _show(value, self.subject.comment_only)


def cell_history(cell_id: int) -> CellHistory | None:
    """One cell with every change of its value, oldest first (read-only, for the vice-principal)."""
    from models.gradebook.marks import cell_history as changes_of

    cell = MarkCell.get_or_none(MarkCell.id == cell_id)
    if cell is None:
        return None
    column = f"{KIND_HEADERS[cell.kind]} {cell.idx}" if cell.kind == "tx" else KIND_HEADERS[cell.kind]
    teaching_id = subject_groups.teaching_class_ids([(cell.school_class_id, cell.subject_id, cell.student_id)])
    teaching_id = next(iter(teaching_id.values()), None)
    if teaching_id is not None:
        return CellHistory(cell, SchoolClass.get_by_id(teaching_id), cell.subject, cell.semester, cell.student,
                           column, changes_of(cell.id), home_class=cell.school_class)
    return CellHistory(cell, cell.school_class, cell.subject, cell.semester, cell.student, column,
                       changes_of(cell.id))


# --- the vice-principal's monthly comment on each class book (Điều 16.1.a) ---------------------------

COMMENT_MAX = 1000


class ClassBookComment(KeptModel):
    """One comment of the vice-principal on a class book for a month; a newer row supersedes, none is edited."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    year_month = CharField(max_length=7)  # "2024-10"
    text = TextField()
    by = ForeignKeyField(User, null=True, backref="+")
    by_name = CharField(default="")
    at = DateTimeField()

    class Meta:
        table_name = "class_book_comment"
        indexes = ((("school_class", "year_month"), False),)

    def save(self, *args, **kwargs):
        if self.id is not None and not kwargs.get("force_insert"):
            raise DeletionRefused("comments are never changed; add a new one")
        return super().save(*args, **kwargs)

    @property
    def month_label(self) -> str:
        return month_label(self.year_month)


def month_label(year_month: str) -> str:
    """"2024-10" → "Tháng 10/2024"."""
    year, month = year_month.split("-")
    return f"Tháng {int(month)}/{year}"


def year_months(year: SchoolYear) -> list[str]:
    """The months of the school year's semesters, "YYYY-MM", in order."""
    from models.rules.calendar import months_between
    from models.rules.calendar import year_month as ym

    semesters = list(Semester.select().where(Semester.year == year))
    if not semesters:
        return [ym(y, m) for y, m in months_between(date(year.start_year, 9, 1), date(year.start_year + 1, 5, 31))]
    start, end = min(s.starts_on for s in semesters), max(s.ends_on for s in semesters)
    return [ym(y, m) for y, m in months_between(start, end)]


def save_comment(school_class: SchoolClass, year_month: str, text: str, user: User | None,
                 now: datetime | None = None) -> ClassBookComment:
    """Add the month's comment on a class book (superseding any earlier one); call inside write_transaction()."""
    from models.audit.log import record
    from models.rules.calendar import parse_year_month
    from models.rules.text import nfc

    parse_year_month(year_month)
    if year_month not in year_months(school_class.year):
        raise ValueError(f"Tháng {year_month} không thuộc năm học {school_class.year.name}.")
    text = (nfc(text or "") or "").strip()
    if not text:
        raise ValueError("Vui lòng nhập nhận xét.")
    if len(text) > COMMENT_MAX:
        raise ValueError(f"Nhận xét tối đa {COMMENT_MAX} ký tự.")
    previous = latest_comment(school_class, year_month)
    row = ClassBookComment.create(school_class=school_class, year_month=year_month, text=text,
                                  by=user.id if user else None, by_name=user.full_name if user else "",
                                  at=now or datetime.now())
    record("comment", "class_book_comment", f"{school_class.year.name}/{school_class.name}/{year_month}",
           before={"text": previous.text} if previous else None, after={"text": text})
    return row


def latest_comment(school_class: SchoolClass, year_month: str) -> ClassBookComment | None:
    return (ClassBookComment.select()
            .where((ClassBookComment.school_class == school_class) & (ClassBookComment.year_month == year_month))
            .order_by(ClassBookComment.at.desc(), ClassBookComment.id.desc()).first())


def comment_history(school_class: SchoolClass, year_month: str) -> list[ClassBookComment]:
    """Every comment of the class × month, newest first."""
    return list(ClassBookComment.select()
                .where((ClassBookComment.school_class == school_class)
                       & (ClassBookComment.year_month == year_month))
                .order_by(ClassBookComment.at.desc(), ClassBookComment.id.desc()))


def comments_for(school_class: SchoolClass) -> list[ClassBookComment]:
    """The comment in force for each month of a class book, oldest month first (for the printed book:
    "Nhận xét của Hiệu trưởng về sử dụng sổ")."""
    latest: dict[str, ClassBookComment] = {}
    for row in (ClassBookComment.select().where(ClassBookComment.school_class == school_class)
                .order_by(ClassBookComment.at, ClassBookComment.id)):
        latest[row.year_month] = row
    return [latest[k] for k in sorted(latest)]


@dataclass
class CommentRow:
    school_class: SchoolClass
    comment: ClassBookComment | None
    versions: int


def comment_rows(year: SchoolYear, year_month: str) -> list[CommentRow]:
    """Every class of the year with its comment in force for the month and how many versions it has."""
    classes = list(SchoolClass.select().where(SchoolClass.year == year))
    classes.sort(key=lambda c: (c.grade_id, class_sort_key(c.name)))
    latest: dict[int, ClassBookComment] = {}
    versions: dict[int, int] = {}
    for row in (ClassBookComment.select()
                .where(ClassBookComment.school_class.in_([c.id for c in classes])
                       & (ClassBookComment.year_month == year_month))
                .order_by(ClassBookComment.at, ClassBookComment.id)):
        latest[row.school_class_id] = row
        versions[row.school_class_id] = versions.get(row.school_class_id, 0) + 1
    return [CommentRow(c, latest.get(c.id), versions.get(c.id, 0)) for c in classes]


def chosen_semester(year: SchoolYear | None, number: int | None) -> Semester | None:
    """Semester `number` (1 or 2) of the year when it exists, else the one holding today."""
    if year is None:
        return None
    if number in (1, 2):
        found = Semester.get_or_none((Semester.year == year) & (Semester.number == number))
        if found is not None:
            return found
    return semester_today(year)


def progress_context(semester: Semester | None, today: date, department: Department | None,
                     teacher_id: int | None, late_only: bool) -> dict:
    """What a progress table needs (the vice-principal's page and the head of department's)."""
    if semester is None:
        return {"rows": [], "deadlines": [], "semester": None}
    rows = progress_rows(semester, today, department.id if department else None, teacher_id, late_only)
    return {"rows": rows, "deadlines": deadline_dates(semester), "semester": semester,
            "late_count": sum(1 for r in rows if r.late),
            "department_names": {d.id: d.name for d in departments()}}
