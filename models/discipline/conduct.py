"""Daily conduct (nề nếp, seed 002 Điều 4.2 and 6.1): the school's list of conduct items with their points, and
what the giám thị / ban thi đua or the class's homeroom teacher recorded of a student (or of the whole class) on a
day. A record is never deleted or edited: a mistake is withdrawn with a reason and stays visible, struck out.

The points of an item are copied onto each record when it is made, so changing an item later never rewrites a
past week's emulation.
"""
from dataclasses import dataclass
from datetime import date, datetime

from peewee import JOIN, BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, fn

from models.audit.log import record
from models.core import BaseModel, KeptModel, write_transaction
from models.people.records import Student
from models.rules.emulation import parse_points
from models.school.structure import Enrolment, SchoolClass, SchoolYear, Semester

SCOPES = {"student": "Từng học sinh", "class": "Cả lớp"}
MAX_NOTE = 300


class StaleItem(Exception):
    """Someone changed the item since the form was opened."""


class ConductItem(BaseModel):
    """One line of the school's list: đi muộn −2, phát biểu xây dựng bài +1, lớp vệ sinh bẩn −5 (whole class)."""

    name = CharField(max_length=120, unique=True)
    points = IntegerField()  # < 0 a violation, > 0 a good deed
    scope = CharField(max_length=8, default="student")  # SCOPES
    is_active = BooleanField(default=True)
    position = IntegerField(default=0)
    version = IntegerField(default=1)

    @property
    def is_violation(self) -> bool:
        return self.points < 0

    @property
    def points_text(self) -> str:
        return f"+{self.points}" if self.points > 0 else f"−{-self.points}"


class ConductRecord(KeptModel):
    """An item recorded on a day: of one student, or of the whole class (student is null)."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    student = ForeignKeyField(Student, null=True, backref="+")
    item = ForeignKeyField(ConductItem, backref="+")
    day = DateField()
    points = IntegerField()  # the item's points when recorded
    note = CharField(max_length=MAX_NOTE, default="")
    entered_by = IntegerField(null=True)  # account id
    entered_at = DateTimeField(default=datetime.now)
    withdrawn_at = DateTimeField(null=True)
    withdrawn_by = IntegerField(null=True)
    withdraw_reason = CharField(max_length=MAX_NOTE, default="")

    class Meta:
        indexes = ((("school_class", "day"), False), (("student", "day"), False))

    @property
    def points_text(self) -> str:
        return f"+{self.points}" if self.points > 0 else f"−{-self.points}"


# --- the list of items -------------------------------------------------------------------------------------

def items(active_only: bool = True) -> list[ConductItem]:
    """The list: violations first, then good deeds, each in the school's order."""
    query = ConductItem.select().order_by(ConductItem.position, ConductItem.name)
    if active_only:
        query = query.where(ConductItem.is_active)
    return sorted(query, key=lambda item: item.points > 0)


def _item_values(name: str, points_text: str, scope: str) -> tuple[str, int, str]:
    name = " ".join((name or "").split())
    if not name:
        raise ValueError("Nhập tên nội dung nề nếp, ví dụ “Đi muộn”.")
    if len(name) > 120:
        raise ValueError("Tên nội dung: tối đa 120 kí tự.")
    if scope not in SCOPES:
        raise ValueError("Chọn nội dung ghi cho từng học sinh hay cho cả lớp.")
    return name, parse_points(points_text), scope


def add_item(name: str, points_text: str, scope: str = "student") -> ConductItem:
    """A new item; ValueError (Vietnamese) for a bad name, points or scope, or a name already on the list."""
    name, points, scope = _item_values(name, points_text, scope)
    if ConductItem.select().where(ConductItem.name == name).exists():
        raise ValueError(f"Đã có nội dung “{name}” trong danh mục.")
    with write_transaction():
        position = (ConductItem.select().count() + 1) * 10
        item = ConductItem.create(name=name, points=points, scope=scope, position=position)
        record("create", "conduct_item", item.id, after={"name": name, "points": points, "applies_to": scope})
    return item


def update_item(item: ConductItem, version: int, name: str, points_text: str, scope: str, is_active: bool) -> ConductItem:
    """Change an item if nobody changed it since `version` was read (StaleItem otherwise); past records keep the
    points they were made with."""
    name, points, scope = _item_values(name, points_text, scope)
    if ConductItem.select().where((ConductItem.name == name) & (ConductItem.id != item.id)).exists():
        raise ValueError(f"Đã có nội dung “{name}” trong danh mục.")
    with write_transaction():
        before = {"name": item.name, "points": item.points, "applies_to": item.scope, "enabled": item.is_active}
        after = {"name": name, "points": points, "applies_to": scope, "enabled": is_active}
        changed = (ConductItem.update(name=name, points=points, scope=scope, is_active=is_active,
                                      version=ConductItem.version + 1)
                   .where((ConductItem.id == item.id) & (ConductItem.version == version)).execute())
        if not changed:
            raise StaleItem("Người khác vừa sửa nội dung này; tải lại trang để xem bản mới rồi sửa lại.")
        record("update", "conduct_item", item.id, before=before, after=after)
    return ConductItem.get_by_id(item.id)


# --- records -----------------------------------------------------------------------------------------------

def year_bounds(year: SchoolYear) -> tuple[date, date] | None:
    """The first and last day of the year's semesters."""
    days = list(Semester.select(fn.MIN(Semester.starts_on), fn.MAX(Semester.ends_on))
                .where(Semester.year == year).tuples())
    first, last = days[0] if days else (None, None)
    if first is None:
        return None
    return (date.fromisoformat(str(first)[:10]), date.fromisoformat(str(last)[:10]))


def _check_day(school_class: SchoolClass, day: date, today: date) -> None:
    if day > today:
        raise ValueError("Không ghi nề nếp cho ngày chưa tới.")
    bounds = year_bounds(school_class.year)
    if bounds and not bounds[0] <= day <= bounds[1]:
        raise ValueError(f"Ngày {day:%d/%m/%Y} không thuộc năm học {school_class.year.name} của lớp {school_class.name}.")


def record_conduct(school_class: SchoolClass, item: ConductItem | None, day: date, students: list[Student],
                   note: str = "", user=None, today: date | None = None) -> list[ConductRecord]:
    """Record an item on a day: one record per student tapped, or one for the whole class for a class item.
    ValueError (Vietnamese) for no item, no student, a student not in the class, a day to come or a long note."""
    today = today or date.today()
    if item is None or not item.is_active:
        raise ValueError("Chọn nội dung nề nếp (đi muộn, không đồng phục …).")
    _check_day(school_class, day, today)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValueError(f"Ghi chú: tối đa {MAX_NOTE} kí tự.")
    if item.scope == "class":
        targets: list[Student | None] = [None]
    else:
        if not students:
            raise ValueError("Chọn ít nhất một học sinh.")
        in_class = {e.student_id for e in Enrolment.select(Enrolment.student)
                    .where((Enrolment.school_class == school_class) & (Enrolment.joined_on.is_null() | (Enrolment.joined_on <= day))
                           & (Enrolment.left_on.is_null() | (Enrolment.left_on > day)))}
        strangers = [s.full_name for s in students if s.id not in in_class]
        if strangers:
            raise ValueError(f"Không thuộc lớp {school_class.name} ngày {day:%d/%m/%Y}: {', '.join(strangers)}.")
        targets = list(dict.fromkeys(students))
    made = []
    with write_transaction():
        for student in targets:
            row = ConductRecord.create(school_class=school_class, student=student, item=item, day=day,
                                       points=item.points, note=note, entered_by=getattr(user, "id", None))
            record("create", "conduct_record", row.id,
                   after={"class": school_class.name, "student": student.code if student else "",
                          "day": day, "name": item.name, "points": item.points, "text": note})
            made.append(row)
    return made


def withdraw(row: ConductRecord, reason: str, user=None) -> ConductRecord:
    """Withdraw a record made by mistake, with the reason; it stays in the list, struck out, and no longer counts."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("Nhập lí do rút lại ghi nhận.")
    if len(reason) > MAX_NOTE:
        raise ValueError(f"Lí do: tối đa {MAX_NOTE} kí tự.")
    with write_transaction():
        changed = (ConductRecord.update(withdrawn_at=datetime.now(), withdrawn_by=getattr(user, "id", None),
                                        withdraw_reason=reason)
                   .where((ConductRecord.id == row.id) & ConductRecord.withdrawn_at.is_null()).execute())
        if not changed:
            raise ValueError("Ghi nhận này đã được rút lại trước đó.")
        record("withdraw", "conduct_record", row.id, before={"withdrawn": False}, after={"withdrawn": True},
               reason=reason)
    return ConductRecord.get_by_id(row.id)


def _with_names(query):
    return (query.select(ConductRecord, ConductItem, Student).join(ConductItem)
            .switch(ConductRecord).join(Student, join_type=JOIN.LEFT_OUTER))


def of_class(school_class: SchoolClass, first: date, last: date) -> list[ConductRecord]:
    """The class's records of the days first … last (withdrawn ones too), newest first."""
    return list(_with_names(ConductRecord)
                .where((ConductRecord.school_class == school_class) & ConductRecord.day.between(first, last))
                .order_by(ConductRecord.day.desc(), ConductRecord.id.desc()))


def of_student(student: Student, school_class: SchoolClass | None = None) -> list[ConductRecord]:
    """A student's records (in one class, or all), oldest first; withdrawn ones too."""
    where = ConductRecord.student == student
    if school_class is not None:
        where &= ConductRecord.school_class == school_class
    return list(_with_names(ConductRecord).where(where).order_by(ConductRecord.day, ConductRecord.id))


@dataclass(frozen=True)
class StudentTally:
    """A student's conduct in a class's year: for the homeroom teacher's eye, never a level by itself."""

    violations: int
    good_deeds: int
    points: int

    @property
    def text(self) -> str:
        if not self.violations and not self.good_deeds:
            return "—"
        sign = "+" if self.points > 0 else ("−" if self.points < 0 else "")
        return f"{self.violations} vi phạm, {self.good_deeds} việc tốt ({sign}{abs(self.points)} điểm)"


def tallies(school_class: SchoolClass, first: date | None = None, last: date | None = None) -> dict[int, StudentTally]:
    """student id → their tally in the class (between first and last when given); withdrawn records left out."""
    where = ((ConductRecord.school_class == school_class) & ConductRecord.student.is_null(False)
             & ConductRecord.withdrawn_at.is_null())
    if first is not None:
        where &= ConductRecord.day >= first
    if last is not None:
        where &= ConductRecord.day <= last
    counts: dict[int, list[int]] = {}
    for student_id, points in ConductRecord.select(ConductRecord.student, ConductRecord.points).where(where).tuples():
        row = counts.setdefault(student_id, [0, 0, 0])
        row[0 if points < 0 else 1] += 1
        row[2] += points
    return {sid: StudentTally(*row) for sid, row in counts.items()}


def day_violations(day: date, school_class: SchoolClass | None = None) -> dict[Student, list[ConductRecord]]:
    """A day's violations per student (withdrawn ones left out), for the notices to families (issue 17): each student
    with their records of that day, in the order they were made. Whole-class items are not a student's."""
    where = ((ConductRecord.day == day) & (ConductRecord.points < 0) & ConductRecord.withdrawn_at.is_null()
             & ConductRecord.student.is_null(False))
    if school_class is not None:
        where &= ConductRecord.school_class == school_class
    found: dict[Student, list[ConductRecord]] = {}
    for row in _with_names(ConductRecord).where(where).order_by(ConductRecord.id):
        found.setdefault(row.student, []).append(row)
    return found


def day_counts(day: date) -> dict[int, int]:
    """class id → records (not withdrawn) of the day."""
    return dict(ConductRecord.select(ConductRecord.school_class, fn.COUNT(ConductRecord.id))
                .where((ConductRecord.day == day) & ConductRecord.withdrawn_at.is_null())
                .group_by(ConductRecord.school_class).tuples())


def semester_tallies(school_class: SchoolClass, semester: int) -> dict[int, StudentTally]:
    """Each student's tally in one semester of the class's year: shown beside the conduct rating as information only
    (the homeroom teacher decides the level; TT22 Điều 8)."""
    found = Semester.get_or_none((Semester.year == school_class.year_id) & (Semester.number == semester))
    if found is None:
        return {}
    return tallies(school_class, found.starts_on, found.ends_on)
