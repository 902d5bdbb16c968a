"""The class result sheets per semester and year (TT22 Điều 8–15), computed, never typed: every subject's
ĐTBmhk/ĐTBmcn or level from the grade book, học tập, rèn luyện, absences, award and promotion by the rule
functions of models/rules/tt22.py. A subject not yet complete for a student is flagged with the teacher who
has not finished, and nothing downstream of it is computed (docs/rules.md §1.2).

A handful of queries per class whatever its size: the marks, the conduct levels, the absences.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from models.attendance.register import VALUES, AttendanceMark
from models.gradebook.marks import MarkCell, semester_result
from models.people.records import Staff, Student
from models.rules import tt22
from models.school import subject_groups
from models.school.structure import (
    Enrolment,
    GradeSubject,
    SchoolClass,
    SchoolYear,
    Semester,
    Subject,
    TeachingAssignment,
    class_roster,
)
from models.yearend import records

YEAR = None  # the period of a year sheet (semester 1 or 2 otherwise)


@dataclass
class SubjectColumn:
    subject: Subject
    tx_n: int
    teachers: str  # who teaches it in the class ("chưa phân công" when nobody)

    @property
    def comment_only(self) -> bool:
        return self.subject.comment_only


@dataclass
class Absences:
    p: int = 0
    k: int = 0

    @property
    def total(self) -> int:
        return self.p + self.k


@dataclass
class StudentResult:
    number: int
    student: Student
    has_left: bool
    subjects: dict[int, Decimal | str | None]  # subject id → average, level, or None (incomplete)
    missing: list[str]  # names of the subjects not complete
    conduct: str | None
    conduct_comment: str
    learning: str | None
    absences: Absences
    award: str | None = None
    promotion: str | None = None
    retest: list[str] = field(default_factory=list)
    # after summer (year sheet only): the re-assessed conduct and learning, and the decision
    summer: tt22.SummerResult | None = None
    retest_values: dict[str, str] = field(default_factory=dict)  # subject name → value as stored
    summer_conduct: str | None = None
    studied: set[int] | None = None  # THPT: the student's subjects (class group + own electives); None: every one

    def studies(self, subject_id: int) -> bool:
        return self.studied is None or subject_id in self.studied

    def subject_text(self, subject_id: int) -> str:
        value = self.subjects.get(subject_id)
        if value is None:
            return ""
        return value if isinstance(value, str) else tt22.format_mark(value)

    @property
    def complete(self) -> bool:
        return not self.missing and self.conduct is not None

    @property
    def final_decision(self) -> str | None:
        """The decision that stands: after summer when there is one, else the first."""
        return self.summer.decision if self.summer else self.promotion

    def snapshot(self, columns: list["SubjectColumn"]) -> dict:
        """What the principal approves (stored as the frozen result, compared to find a change)."""
        return {"subjects": {c.subject.code: self.subject_text(c.subject.id) for c in columns},
                "conduct": self.conduct, "learning": self.learning, "p": self.absences.p, "k": self.absences.k,
                "award": self.award, "promotion": self.promotion, "retest": self.retest}


@dataclass
class Incomplete:
    subject: Subject
    teachers: str
    students: int  # how many students still lack a complete result

    @property
    def text(self) -> str:
        return f"{self.subject.name} ({self.teachers}): {self.students} học sinh chưa đủ điểm"


@dataclass
class ClassSheet:
    school_class: SchoolClass
    semester: int | None  # 1, 2 or YEAR
    columns: list[SubjectColumn]
    rows: list[StudentResult]
    incomplete: list[Incomplete]
    missing_conduct: int  # students without a conduct level

    @property
    def title(self) -> str:
        return "Cả năm" if self.semester is None else f"Học kì {'I' if self.semester == 1 else 'II'}"

    @property
    def complete(self) -> bool:
        return not self.incomplete and not self.missing_conduct

    @property
    def active_rows(self) -> list[StudentResult]:
        return [r for r in self.rows if not r.has_left]


def subject_columns(school_class: SchoolClass) -> list[SubjectColumn]:
    """The subjects of the class's book in the book's order, with the teacher(s) of each in the class.

    Without a subject group: every subject of the grade. THPT: the class's group subjects (ĐĐGtx with its
    chuyên đề) and the electives its students take with another class (taught by that class's teacher).
    """
    return _columns(school_class, subject_groups.book_subject_ids(school_class))


def _columns(school_class: SchoolClass, wanted: set[int] | None) -> list[SubjectColumn]:
    teachers: dict[int, list[str]] = {}
    for assignment in (TeachingAssignment.select(TeachingAssignment, Staff).join(Staff)
                       .where(TeachingAssignment.school_class == school_class)
                       .order_by(TeachingAssignment.is_coordinator.desc(), TeachingAssignment.id)):
        teachers.setdefault(assignment.subject_id, []).append(assignment.teacher.full_name)
    own = subject_groups.class_subject_ids(school_class)
    topics = subject_groups.topic_tx_by_class([school_class])
    columns = []
    for gs in (GradeSubject.select(GradeSubject, Subject).join(Subject)
               .where(GradeSubject.grade == school_class.grade_id).order_by(Subject.position, Subject.name)):
        if wanted is not None and gs.subject_id not in wanted:
            continue
        names = teachers.get(gs.subject_id)
        if own is not None and gs.subject_id not in own:  # only taken with another class
            names = subject_groups.teachers_elsewhere(school_class, gs.subject)
        columns.append(SubjectColumn(gs.subject, tt22.tx_count(gs.periods_per_year, gs.subject.comment_only)
                                     + topics.get((school_class.id, gs.subject_id), 0),
                                     ", ".join(names) if names else "chưa phân công"))
    return columns


def _student_subjects(school_class: SchoolClass, columns: list[SubjectColumn], student_ids: list[int]
                      ) -> tuple[dict[int, set[int]] | None, dict[tuple[int, int], int]]:
    """THPT: each student's subjects (the class's less those replaced, plus those taken with another class) and
    the ĐĐGtx of a subject taken elsewhere (that class's chuyên đề); (None, {}) without a group."""
    own = subject_groups.class_subject_ids(school_class)
    if own is None:
        return None, {}
    electives = list(subject_groups.StudentElective.select(subject_groups.StudentElective, SchoolClass)
                     .join(SchoolClass, on=(subject_groups.StudentElective.teaching_class == SchoolClass.id))
                     .where(subject_groups.StudentElective.student.in_(student_ids)
                            & (SchoolClass.year == school_class.year_id))) if student_ids else []
    topics = subject_groups.topic_tx_by_class({e.teaching_class.id: e.teaching_class for e in electives}.values())
    own_topics = subject_groups.topic_tx_by_class([school_class])
    base = {c.subject.id: c.tx_n - own_topics.get((school_class.id, c.subject.id), 0) for c in columns}
    studied = {sid: set(own) for sid in student_ids}
    tx_of: dict[tuple[int, int], int] = {}
    for e in electives:
        mine = studied[e.student_id]
        mine.discard(e.replaces_id)
        mine.add(e.subject_id)
        if e.subject_id in base:
            tx_of[(e.student_id, e.subject_id)] = base[e.subject_id] + topics.get((e.teaching_class_id, e.subject_id), 0)
    return studied, tx_of


def _semester_values(school_class: SchoolClass, semester: Semester | None) -> dict[tuple[int, int], dict]:
    """(student id, subject id) → {(kind, idx): value}: every mark of the class in the semester, one query."""
    found: dict[tuple[int, int], dict] = {}
    if semester is None:
        return found
    for student_id, subject_id, kind, idx, value in (
            MarkCell.select(MarkCell.student, MarkCell.subject, MarkCell.kind, MarkCell.idx, MarkCell.value)
            .where((MarkCell.school_class == school_class) & (MarkCell.semester == semester)).tuples()):
        found.setdefault((student_id, subject_id), {})[(kind, idx)] = value
    return found


def _semesters(year: SchoolYear) -> dict[int, Semester]:
    return {s.number: s for s in Semester.select().where(Semester.year == year)}


def _absences(school_class: SchoolClass, student_ids: list[int], semesters: dict[int, Semester]
              ) -> dict[tuple[int, int | None], Absences]:
    """(student id, semester or None for the year) → sessions absent in any class of the year (P, K)."""
    found: dict[tuple[int, int | None], Absences] = {}
    if not student_ids:
        return found
    query = (AttendanceMark.select(AttendanceMark.student, AttendanceMark.day, AttendanceMark.value)
             .join(SchoolClass)
             .where((SchoolClass.year == school_class.year_id) & AttendanceMark.student.in_(student_ids)
                    & AttendanceMark.value.in_(VALUES)).tuples())
    for student_id, day, value in query:
        for number, term in semesters.items():
            if term.starts_on <= day <= term.ends_on:
                for key in ((student_id, number), (student_id, None)):
                    totals = found.setdefault(key, Absences())
                    if value == "P":
                        totals.p += 1
                    else:
                        totals.k += 1
    return found


def _learning(values: dict[int, Decimal | str | None], columns: list[SubjectColumn]) -> str | None:
    if any(values.get(c.subject.id) is None for c in columns) or not columns:
        return None
    scored = {c.subject.name: values[c.subject.id] for c in columns if not c.comment_only}
    commented = {c.subject.name: values[c.subject.id] for c in columns if c.comment_only}
    return tt22.learning_result(scored, commented)


def class_sheet(school_class: SchoolClass, semester: int | None = YEAR) -> ClassSheet:
    """The class's result sheet for semester 1, 2 or the year (None)."""
    columns = subject_columns(school_class)
    terms = _semesters(school_class.year)
    roster = class_roster(school_class)
    first = _semester_values(school_class, terms.get(1))
    second = _semester_values(school_class, terms.get(2))
    conduct = records.conduct_levels(school_class)
    absences = _absences(school_class, [e.student.id for e in roster], terms)
    studied, tx_of = _student_subjects(school_class, columns, [e.student.id for e in roster])
    year = semester is None
    if year:
        retests = records.retest_values(school_class)
        summer = records.summer_conducts(school_class)
    rows, missing_by_subject, missing_conduct = [], {}, 0
    for entry in roster:
        student = entry.student
        values: dict[int, Decimal | str | None] = {}
        mine = studied.get(student.id, set()) if studied is not None else None
        own_columns = [c for c in columns if mine is None or c.subject.id in mine]
        for column in own_columns:
            sid = column.subject.id
            tx_n = tx_of.get((student.id, sid), column.tx_n)
            one = semester_result(first.get((student.id, sid), {}), tx_n, column.comment_only)
            two = semester_result(second.get((student.id, sid), {}), tx_n, column.comment_only)
            if semester == 1:
                values[sid] = one
            elif semester == 2:
                values[sid] = two
            elif column.comment_only:
                values[sid] = two  # the year of a comment subject is semester II's (docs/rules.md §1.5)
            else:
                values[sid] = tt22.year_average(one, two) if one is not None and two is not None else None
        missing = [c.subject.name for c in own_columns if values[c.subject.id] is None]
        ratings = (conduct.get((student.id, 1)), conduct.get((student.id, 2)))
        if year:
            levels = [r.level if r else None for r in ratings]
            level = tt22.conduct_year(*levels) if all(levels) else None
            comment = ""
        else:
            rating = ratings[semester - 1]
            level, comment = (rating.level, rating.comment) if rating else (None, "")
        result = StudentResult(entry.number, student, entry.has_left, values, missing, level, comment,
                               _learning(values, own_columns), absences.get((student.id, semester), Absences()),
                               studied=mine)
        if year and result.conduct and result.learning:
            _year_outcome(result, own_columns, retests.get(student.id, {}), summer.get(student.id))
        if not entry.has_left:
            for name in missing:
                missing_by_subject[name] = missing_by_subject.get(name, 0) + 1
            missing_conduct += result.conduct is None
        rows.append(result)
    incomplete = [Incomplete(c.subject, c.teachers, missing_by_subject[c.subject.name])
                  for c in columns if c.subject.name in missing_by_subject]
    return ClassSheet(school_class, semester, columns, rows, incomplete, missing_conduct)


def _year_outcome(result: StudentResult, columns: list[SubjectColumn], retests: dict[int, str],
                  summer: "records.SummerConduct | None") -> None:
    scored = {c.subject.name: result.subjects[c.subject.id] for c in columns if not c.comment_only}
    commented = {c.subject.name: result.subjects[c.subject.id] for c in columns if c.comment_only}
    result.award = tt22.award(result.conduct, result.learning, scored)
    result.promotion = tt22.promotion(result.conduct, result.learning, result.absences.total)
    if result.learning == tt22.CHUA_DAT:
        result.retest = tt22.retest_subjects(scored, commented)
    if result.promotion in (tt22.PROMOTED, tt22.NOT_PROMOTED):
        return
    by_id = {c.subject.id: c for c in columns}
    retest_scores = {by_id[sid].subject.name: Decimal(v) for sid, v in retests.items()
                     if sid in by_id and not by_id[sid].comment_only and by_id[sid].subject.name in result.retest}
    retest_levels = {by_id[sid].subject.name: v for sid, v in retests.items()
                     if sid in by_id and by_id[sid].comment_only and by_id[sid].subject.name in result.retest}
    result.retest_values = {name: (tt22.format_mark(v) if isinstance(v, Decimal) else v)
                            for name, v in {**retest_scores, **retest_levels}.items()}
    result.summer_conduct = summer.level if summer else None
    if not retest_scores and not retest_levels and summer is None:
        return
    result.summer = tt22.promotion_after_summer(
        result.conduct, scored, commented, result.absences.total,
        conduct_after_training=result.summer_conduct, retest_scores=retest_scores, retest_levels=retest_levels)


def student_year(student: Student, year: SchoolYear) -> StudentResult | None:
    """One student's year result in the class they ended the year in (for the class book and the học bạ)."""
    enrolments = list(Enrolment.select(Enrolment).join(SchoolClass)
                      .where((Enrolment.student == student) & (SchoolClass.year == year)).order_by(Enrolment.id))
    staying = [e for e in enrolments if e.left_on is None]
    enrolment = (staying or enrolments or [None])[-1]
    if enrolment is None:
        return None
    sheet = class_sheet(enrolment.school_class, YEAR)
    return next((r for r in sheet.rows if r.student.id == student.id), None)
