"""What the school types at year end: conduct levels with a comment, the homeroom teacher's and subject
teachers' comments, the class's submission state and its steps, the frozen results, re-test values and
the after-summer conduct. Everything else on a result sheet is computed (models/yearend/results.py).

Every write here goes through models.audit.log.record(); rows are never deleted.
"""
import json
from dataclasses import dataclass
from datetime import datetime

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.core import KeptModel, write_transaction
from models.people.accounts import User
from models.people.records import Student
from models.rules import tt22
from models.school.structure import SchoolClass, Subject, enrolment_in

COMMENT_MAX = 300  # a short comment: one or two lines of the học bạ

# the class's year-end state (seed 000 Điều 15.4): draft → submitted → passed → approved; returned goes back
DRAFT = "draft"
SUBMITTED = "submitted"
PASSED = "passed"
RETURNED = "returned"
APPROVED = "approved"
STATE_LABELS = {DRAFT: "Đang nhập", SUBMITTED: "GVCN đã nộp, chờ phó hiệu trưởng xem xét",
                PASSED: "Phó hiệu trưởng đã chuyển, chờ hiệu trưởng duyệt", RETURNED: "Bị trả lại",
                APPROVED: "Hiệu trưởng đã duyệt"}
STEP_LABELS = {"submit": "GVCN nộp kết quả", "pass": "Phó hiệu trưởng chuyển hiệu trưởng duyệt",
               "return": "Trả lại", "approve": "Hiệu trưởng duyệt", "reapprove": "Hiệu trưởng duyệt lại"}

# conduct keys typed in the grid (T, K, Đ, C) → the level
CONDUCT_KEYS = {"T": tt22.TOT, "K": tt22.KHA, "Đ": tt22.DAT, "D": tt22.DAT, "C": tt22.CHUA_DAT}


class ConductRating(KeptModel):
    """Rèn luyện of one student in one semester of a class (Điều 8): a level and a short comment."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    student = ForeignKeyField(Student, backref="+")
    semester = IntegerField()  # 1 or 2
    level = CharField(max_length=10, null=True)
    comment = CharField(max_length=COMMENT_MAX, default="")
    version = IntegerField(default=1)
    updated_by = ForeignKeyField(User, null=True, backref="+")
    updated_at = DateTimeField(null=True)

    class Meta:
        table_name = "conduct_rating"
        indexes = ((("school_class", "student", "semester"), True),)


class StudentComment(KeptModel):
    """A comment on a student for the học bạ: the homeroom teacher's (subject None) or a subject teacher's."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    student = ForeignKeyField(Student, backref="+")
    subject = ForeignKeyField(Subject, null=True, backref="+")  # None: the GVCN's comment
    text = CharField(max_length=COMMENT_MAX, default="")
    version = IntegerField(default=1)
    updated_by = ForeignKeyField(User, null=True, backref="+")
    updated_at = DateTimeField(null=True)

    class Meta:
        table_name = "student_comment"
        indexes = ((("school_class", "student", "subject"), True),)


class ClassYearEnd(KeptModel):
    """A class's year-end submission: its state, the reason it was last returned, whether it is approved."""

    school_class = ForeignKeyField(SchoolClass, backref="+", unique=True)
    state = CharField(max_length=10, default=DRAFT)
    reason = CharField(default="")  # why it was returned
    approved_at = DateTimeField(null=True)
    updated_at = DateTimeField(null=True)

    class Meta:
        table_name = "class_year_end"


class YearEndStep(KeptModel):
    """One step of a class's year-end walk (shown on the class page): who, when, why. Append-only."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    step = CharField(max_length=10)  # STEP_LABELS
    by = ForeignKeyField(User, null=True, backref="+")
    by_name = CharField(default="")
    at = DateTimeField()
    reason = CharField(default="")

    class Meta:
        table_name = "year_end_step"
        indexes = ((("school_class",), False),)


class FrozenResult(KeptModel):
    """The year result of one student as the principal approved it (JSON), replaced at each re-approval."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    student = ForeignKeyField(Student, backref="+")
    data = TextField()
    approved_at = DateTimeField()

    class Meta:
        table_name = "frozen_result"
        indexes = ((("school_class", "student"), True),)


class RetestValue(KeptModel):
    """A re-test mark (scored subject) or level (comment subject) after summer (Điều 13), typed by the office."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    student = ForeignKeyField(Student, backref="+")
    subject = ForeignKeyField(Subject, backref="+")
    value = CharField(max_length=4)
    updated_by = ForeignKeyField(User, null=True, backref="+")
    updated_at = DateTimeField(null=True)

    class Meta:
        table_name = "retest_value"
        indexes = ((("school_class", "student", "subject"), True),)


class SummerConduct(KeptModel):
    """The homeroom teacher's conduct level after summer training (Điều 14)."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    student = ForeignKeyField(Student, backref="+")
    level = CharField(max_length=10)
    comment = CharField(max_length=COMMENT_MAX, default="")
    updated_by = ForeignKeyField(User, null=True, backref="+")
    updated_at = DateTimeField(null=True)

    class Meta:
        table_name = "summer_conduct"
        indexes = ((("school_class", "student"), True),)


class FinalDecision(KeptModel):
    """The decision after summer, recorded beside the first (which stays on the sheet)."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    student = ForeignKeyField(Student, backref="+")
    conduct = CharField(max_length=10)
    learning = CharField(max_length=10)
    decision = CharField(max_length=40)
    updated_by = ForeignKeyField(User, null=True, backref="+")
    updated_at = DateTimeField(null=True)

    class Meta:
        table_name = "final_decision"
        indexes = ((("school_class", "student"), True),)


# --- reading ---------------------------------------------------------------------------------------

def conduct_levels(school_class: SchoolClass) -> dict[tuple[int, int], ConductRating]:
    """(student id, semester) → the rating, for the whole class: one query."""
    return {(r.student_id, r.semester): r
            for r in ConductRating.select().where(ConductRating.school_class == school_class)}


def comments(school_class: SchoolClass, subject: Subject | None = None) -> dict[int, StudentComment]:
    """student id → the GVCN's comment (subject None) or the subject teacher's."""
    where = StudentComment.school_class == school_class
    where &= StudentComment.subject.is_null() if subject is None else StudentComment.subject == subject
    return {c.student_id: c for c in StudentComment.select().where(where)}


def subject_comments(school_class: SchoolClass) -> dict[tuple[int, int], str]:
    """(student id, subject id) → the subject teacher's comment, for the whole class: one query (the học bạ)."""
    return {(c.student_id, c.subject_id): c.text
            for c in StudentComment.select().where((StudentComment.school_class == school_class)
                                                   & StudentComment.subject.is_null(False)) if c.text}


def year_end_of(school_class: SchoolClass) -> ClassYearEnd:
    """The class's year-end state; a class nobody has submitted yet is a draft (not stored)."""
    row = ClassYearEnd.get_or_none(ClassYearEnd.school_class == school_class)
    return row or ClassYearEnd(school_class=school_class, state=DRAFT)


def steps_of(school_class: SchoolClass) -> list[YearEndStep]:
    return list(YearEndStep.select().where(YearEndStep.school_class == school_class)
                .order_by(YearEndStep.at, YearEndStep.id))


def retest_values(school_class: SchoolClass) -> dict[int, dict[int, str]]:
    """student id → {subject id: value}."""
    found: dict[int, dict[int, str]] = {}
    for r in RetestValue.select().where(RetestValue.school_class == school_class):
        found.setdefault(r.student_id, {})[r.subject_id] = r.value
    return found


def summer_conducts(school_class: SchoolClass) -> dict[int, SummerConduct]:
    return {r.student_id: r for r in SummerConduct.select().where(SummerConduct.school_class == school_class)}


def final_decisions(school_class: SchoolClass) -> dict[int, FinalDecision]:
    return {r.student_id: r for r in FinalDecision.select().where(FinalDecision.school_class == school_class)}


def frozen_results(school_class: SchoolClass) -> dict[int, dict]:
    return {r.student_id: json.loads(r.data)
            for r in FrozenResult.select().where(FrozenResult.school_class == school_class)}


def year_level(first: str | None, second: str | None) -> str | None:
    """The year's conduct from the two semesters (Điều 8 table), None until both are rated."""
    return tt22.conduct_year(first, second) if first and second else None


def conduct_key(level: str | None) -> str:
    """The key the grid shows for a level: T, K, Đ, C."""
    return {tt22.TOT: "T", tt22.KHA: "K", tt22.DAT: "Đ", tt22.CHUA_DAT: "C"}.get(level, "")


# --- writing ---------------------------------------------------------------------------------------

@dataclass
class SaveResult:
    """status: saved, unchanged, invalid, locked, conflict, forbidden."""

    status: str
    message: str = ""
    level: str | None = None
    comment: str = ""
    version: int = 0

    @property
    def ok(self) -> bool:
        return self.status in ("saved", "unchanged")


def parse_conduct(text: str | None) -> str | None:
    """A typed conduct level: T, K, Đ (or D), C, or the level's name; "" clears. ValueError otherwise."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        return None
    key = cleaned.upper()
    if key in CONDUCT_KEYS:
        return CONDUCT_KEYS[key]
    for level in tt22.LEVELS:
        if cleaned.casefold() == level.casefold():
            return level
    raise ValueError("Mức rèn luyện phải là T (Tốt), K (Khá), Đ (Đạt) hoặc C (Chưa đạt).")


def clean_comment(text: str | None) -> str:
    cleaned = " ".join((text or "").split())
    if len(cleaned) > COMMENT_MAX:
        raise ValueError(f"Nhận xét dài quá {COMMENT_MAX} kí tự.")
    return cleaned


def frozen_message(school_class: SchoolClass) -> str | None:
    """Why the class's results can no longer be typed, or None while they can."""
    state = year_end_of(school_class).state
    if state == APPROVED:
        return ("Kết quả cả năm của lớp đã được hiệu trưởng duyệt: rèn luyện không sửa trực tiếp được nữa. Muốn "
                "sửa, bấm “Đề nghị sửa” ở dòng của học sinh và ghi lí do; phó hiệu trưởng duyệt, quản trị áp dụng, "
                "rồi hiệu trưởng duyệt lại kết quả của lớp. Điểm sửa qua đề nghị sửa điểm.")
    if state in (SUBMITTED, PASSED):
        return "Lớp đã nộp kết quả cuối năm; chờ trả lại để sửa."
    return None


def _conflict(row) -> SaveResult:
    who = row.updated_by.full_name if row.updated_by_id else "người khác"
    when = f"{row.updated_at:%d/%m/%Y %H:%M}" if row.updated_at else ""
    return SaveResult("conflict", f"Ô này vừa được {who} lưu lúc {when}. Giá trị bạn nhập chưa được lưu; "
                                  "hãy xem lại rồi nhập lại nếu cần.",
                      getattr(row, "level", None), getattr(row, "comment", ""), row.version)


def save_conduct(school_class: SchoolClass, student: Student, semester: int, level_text: str | None,
                 comment_text: str | None, expected_version: int, user: User,
                 now: datetime | None = None) -> SaveResult:
    """Store one student's conduct level and/or comment for a semester (None keeps what is stored, "" clears),
    if nobody changed it since it was read (`expected_version`, 0 for a new one). Refusals change nothing."""
    from models.audit.log import record

    now = now or datetime.now()
    if semester not in (1, 2):
        return SaveResult("invalid", "Học kì phải là 1 hoặc 2.")
    try:
        level = None if level_text is None else parse_conduct(level_text)
        comment = None if comment_text is None else clean_comment(comment_text)
    except ValueError as wrong:
        return SaveResult("invalid", str(wrong))
    if enrolment_in(school_class.id, student.id) is None:
        return SaveResult("forbidden", f"Học sinh không thuộc lớp {school_class.name}.")
    with write_transaction():
        row = ConductRating.get_or_none((ConductRating.school_class == school_class)
                                        & (ConductRating.student == student) & (ConductRating.semester == semester))
        stored_version = row.version if row else 0
        blocked = frozen_message(school_class)
        if blocked:
            return SaveResult("locked", blocked, row.level if row else None, row.comment if row else "",
                              stored_version)
        old_level, old_comment = (row.level, row.comment) if row else (None, "")
        new_comment = old_comment if comment is None else comment
        level = old_level if level_text is None else level
        if (old_level, old_comment) == (level, new_comment):
            return SaveResult("unchanged", "", level, new_comment, stored_version)
        if expected_version != stored_version:
            return _conflict(row) if row else SaveResult("conflict", "Ô này đã thay đổi. Vui lòng tải lại trang.")
        if row is None:
            row = ConductRating.create(school_class=school_class, student=student, semester=semester, level=level,
                                       comment=new_comment, version=1, updated_by=user, updated_at=now)
        elif ConductRating.update(level=level, comment=new_comment, version=stored_version + 1, updated_by=user,
                                  updated_at=now).where((ConductRating.id == row.id)
                                                        & (ConductRating.version == stored_version)).execute() != 1:
            return _conflict(ConductRating.get_by_id(row.id))
        record("conduct", "conduct", f"{school_class.name}/{student.code}/HK{semester}",
               before={"level": old_level, "comment": old_comment}, after={"level": level, "comment": new_comment})
    return SaveResult("saved", "", level, new_comment, stored_version + 1)


def save_comment(school_class: SchoolClass, student: Student, subject: Subject | None, text: str | None,
                 expected_version: int, user: User, now: datetime | None = None) -> SaveResult:
    """Store the GVCN's comment (subject None) or a subject teacher's comment on a student."""
    from models.audit.log import record

    now = now or datetime.now()
    try:
        new = clean_comment(text)
    except ValueError as wrong:
        return SaveResult("invalid", str(wrong))
    if enrolment_in(school_class.id, student.id) is None:
        return SaveResult("forbidden", f"Học sinh không thuộc lớp {school_class.name}.")
    where = (StudentComment.school_class == school_class) & (StudentComment.student == student)
    where &= StudentComment.subject.is_null() if subject is None else StudentComment.subject == subject
    with write_transaction():
        row = StudentComment.get_or_none(where)
        stored_version = row.version if row else 0
        old = row.text if row else ""
        if old == new:
            return SaveResult("unchanged", "", comment=new, version=stored_version)
        if expected_version != stored_version:
            return _conflict(row) if row else SaveResult("conflict", "Nhận xét này đã thay đổi. Vui lòng tải lại trang.")
        if row is None:
            StudentComment.create(school_class=school_class, student=student, subject=subject, text=new, version=1,
                                  updated_by=user, updated_at=now)
        elif StudentComment.update(text=new, version=stored_version + 1, updated_by=user, updated_at=now).where(
                (StudentComment.id == row.id) & (StudentComment.version == stored_version)).execute() != 1:
            return _conflict(StudentComment.get_by_id(row.id))
        key = f"{school_class.name}/{student.code}/{subject.code if subject else 'GVCN'}"
        record("comment", "student_comment", key, before={"text": old}, after={"text": new})
    return SaveResult("saved", "", comment=new, version=stored_version + 1)
