"""Attendance (điểm danh): one mark per student per school session, month locks, totals and the monthly sheet.

A mark is (student, class, day, session); its value is "P" (nghỉ có phép), "K" (nghỉ không phép)
or None (present, or cleared). Every change adds one to the version and appends an
AttendanceChange; a save against a stale version is refused, never applied. docs/rules.md §3.11:
both P and K count toward the 45-session limit of Điều 12.
"""
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from peewee import (
    JOIN,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    TextField,
    fn,
)

from models.core import BaseModel, DeletionRefused, KeptModel, db, is_sqlite, row_id, write_transaction
from models.core.prepared import Prepared
from models.people.accounts import User
from models.people.records import Staff, Student
from models.rules import calendar as rules
from models.rules.dates import format_date, weekday_short
from models.rules.locks import LockState
from models.school.calendar import YearCalendar, year_calendar
from models.school.structure import (
    Enrolment,
    School,
    SchoolClass,
    SchoolYear,
    Semester,
    class_roster,
    enrolment_in,
)

VALUES = ("P", "K")
VALUE_LABELS = {"P": "Nghỉ có phép", "K": "Nghỉ không phép", None: "Có mặt"}
CYCLE = {None: "P", "P": "K", "K": None}  # a click: blank → P → K → blank
CONFIRM_DAY = 3  # KĐ (docs/rules.md): absences are entered within the first 3 days of the next month


class AttendanceMark(KeptModel):
    """One session of one student; created at its first save (version 1), never deleted."""

    student = ForeignKeyField(Student, backref="+")
    school_class = ForeignKeyField(SchoolClass, backref="+")
    day = DateField()
    session = IntegerField(default=1)  # 1 (sáng) or 2 (chiều)
    value = CharField(max_length=1, null=True)
    version = IntegerField(default=1)
    updated_by = ForeignKeyField(User, null=True, backref="+")
    updated_at = DateTimeField(null=True)

    class Meta:
        table_name = "attendance_mark"
        indexes = (
            (("student", "school_class", "day", "session"), True),
            (("school_class", "day"), False),
        )


class AttendanceChange(KeptModel):
    """Append-only history of a mark: old → new, who, when."""

    mark = ForeignKeyField(AttendanceMark, backref="changes")
    old_value = CharField(max_length=1, null=True)
    new_value = CharField(max_length=1, null=True)
    version = IntegerField()
    changed_by = ForeignKeyField(User, null=True, backref="+")
    changed_at = DateTimeField()
    correction_request_id = IntegerField(null=True)  # set when an approved correction wrote it

    class Meta:
        table_name = "attendance_change"

    def save(self, *args, **kwargs):
        if self.id is not None and not kwargs.get("force_insert"):
            raise DeletionRefused("attendance history is never changed")
        return super().save(*args, **kwargs)


class AttendanceLock(KeptModel):
    """One lock switch of a month, for one class or (school_class None) the whole school; newer rows win."""

    year = ForeignKeyField(SchoolYear, backref="+")
    month = CharField(max_length=7)  # "YYYY-MM"
    school_class = ForeignKeyField(SchoolClass, null=True, backref="+")
    locked = BooleanField()
    reason = TextField()
    created_by = ForeignKeyField(User, null=True, backref="+")
    created_at = DateTimeField(default=datetime.now, index=True)

    class Meta:
        table_name = "attendance_lock"
        indexes = ((("month", "school_class"), False),)

    def save(self, *args, **kwargs):
        if self.id is not None and not kwargs.get("force_insert"):
            raise DeletionRefused("lock switches are never changed; add a new one")
        return super().save(*args, **kwargs)


class AttendanceMonthConfirm(KeptModel):
    """The homeroom teacher's "Xác nhận đã nhập đủ tháng" for a class and month."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    month = CharField(max_length=7)
    confirmed_by = ForeignKeyField(User, null=True, backref="+")
    confirmed_at = DateTimeField()

    class Meta:
        table_name = "attendance_month_confirm"
        indexes = ((("school_class", "month"), False),)


class AttendanceDelegate(BaseModel):
    """A staff member (giám thị, PTH (docs/rules.md) Điều 21) allowed to enter a class's attendance this year.

    Ending a delegation sets ended_at; the row stays as the record of who could write when.
    """

    school_class = ForeignKeyField(SchoolClass, backref="+")
    staff = ForeignKeyField(Staff, backref="+")
    year = ForeignKeyField(SchoolYear, backref="+")
    created_by = ForeignKeyField(User, null=True, backref="+")
    created_at = DateTimeField(default=datetime.now)
    ended_at = DateTimeField(null=True)

    class Meta:
        table_name = "attendance_delegate"
        indexes = ((("school_class", "staff"), False),)


# --- the printed monthly sheet: the contract with the print views ---------------------------------

@dataclass
class SheetRow:
    number: int
    student_id: int
    full_name: str
    has_left: bool
    status_label: str
    # one per day 1..days_in_month: "" present, "P", "K" (two sessions: "PK", "KK" …), None not markable
    cells: list[str | None]
    total: int  # sessions absent
    p: int  # có phép
    k: int  # không phép


@dataclass
class MonthSheet:
    school_name: str
    header_line_1: str
    header_line_2: str
    place_name: str
    class_name: str
    class_id: int
    year_name: str
    year: int
    month: int
    days_in_month: int
    weekdays: list[str]  # "T2".."CN" per day
    school_days: list[bool]  # per day: is it a school day
    rows: list[SheetRow]
    day_totals: list[int]  # sessions absent per day
    class_size: int  # sĩ số at the end of the month
    homeroom_name: str
    principal_name: str
    total: int
    p: int
    k: int
    data_version: str  # sha256 hex of exactly the printed data


# --- reading a month -------------------------------------------------------------------------------

@dataclass
class _Month:
    school_class: SchoolClass
    year: int
    month: int
    days: list[date]
    calendar: YearCalendar
    sessions: list[int]  # per day
    roster: list
    marks: dict  # (student_id, day, session) → AttendanceMark


def _read_month(school_class: SchoolClass, year: int, month: int) -> _Month:
    days = rules.month_days(year, month)
    cal = year_calendar(school_class.year)
    roster = class_roster(school_class)
    query = (AttendanceMark.select(AttendanceMark, User)
             .join(User, JOIN.LEFT_OUTER, on=(AttendanceMark.updated_by == User.id))
             .where((AttendanceMark.school_class == school_class)
                    & (AttendanceMark.day >= days[0]) & (AttendanceMark.day <= days[-1])))
    marks = {(m.student_id, m.day, m.session): m for m in query}
    return _Month(school_class, year, month, days, cal, [cal.sessions_on(d) for d in days], roster, marks)


def _markable(entry, day: date) -> bool:
    return rules.enrolled_on(day, entry.enrolment.joined_on, entry.enrolment.left_on)


def principal_name() -> str:
    from models.people.accounts import UserRole

    user = (User.select().join(UserRole).where((UserRole.role == "principal") & User.is_enabled)
            .order_by(User.id).first())
    return user.full_name if user else ""


def month_sheet(school_class: SchoolClass, year: int, month: int) -> MonthSheet:
    """The data printed on the monthly attendance sheet of a class (Sổ gọi tên và ghi điểm)."""
    data = _read_month(school_class, year, month)
    n = len(data.days)
    rows, day_totals = [], [0] * n
    for entry in data.roster:
        cells: list[str | None] = []
        p = k = 0
        for i, day in enumerate(data.days):
            sessions = data.sessions[i]
            if not sessions or not _markable(entry, day):
                cells.append(None)
                continue
            values = []
            for s in range(1, sessions + 1):
                mark = data.marks.get((entry.student.id, day, s))
                values.append(mark.value if mark else None)
            p += values.count("P")
            k += values.count("K")
            day_totals[i] += values.count("P") + values.count("K")
            cells.append(rules.cell_text(values))
        rows.append(SheetRow(entry.number, entry.student.id, entry.student.full_name, entry.has_left,
                             entry.student.status_label if entry.has_left else "", cells, p + k, p, k))
    school = School.current()
    homeroom = school_class.homeroom_teacher
    sheet = MonthSheet(
        school_name=school.name if school else "", header_line_1=school.header_line_1 if school else "",
        header_line_2=school.header_line_2 if school else "", place_name=school.place_name if school else "",
        class_name=school_class.name, class_id=school_class.id, year_name=school_class.year.name,
        year=year, month=month, days_in_month=n, weekdays=[weekday_short(d) for d in data.days],
        school_days=[bool(s) for s in data.sessions], rows=rows, day_totals=day_totals,
        class_size=_size_at(data.roster, data.days[-1]),
        homeroom_name=homeroom.full_name if homeroom else "", principal_name=principal_name(),
        total=sum(r.total for r in rows), p=sum(r.p for r in rows), k=sum(r.k for r in rows), data_version="")
    sheet.data_version = _data_version(sheet)
    return sheet


def _size_at(roster, day: date) -> int:
    """Sĩ số on the last day of the month: students enrolled on that day."""
    return sum(1 for e in roster if _markable(e, day))


def _data_version(sheet: MonthSheet) -> str:
    from dataclasses import asdict

    payload = asdict(sheet)
    payload.pop("data_version")
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the homeroom grid -----------------------------------------------------------------------------

@dataclass
class GridCell:
    day: date
    session: int
    value: str | None
    version: int
    markable: bool  # a school session the student was enrolled on
    editable: bool  # markable and the month is not locked


@dataclass
class GridRow:
    number: int
    student: Student
    has_left: bool
    cells: list[list[GridCell]]  # per day, its sessions (empty: not a school day)
    total: int
    p: int
    k: int


@dataclass
class MonthGrid:
    school_class: SchoolClass
    year: int
    month: int
    days: list[date]
    weekdays: list[str]
    sessions: list[int]
    holiday_names: list[str]
    rows: list[GridRow]
    day_totals: list[int]
    lock: LockState
    confirm: "AttendanceMonthConfirm | None"
    sessions_per_day: int
    total: int = 0
    p: int = 0
    k: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def year_month(self) -> str:
        return rules.year_month(self.year, self.month)


def month_grid(school_class: SchoolClass, year: int, month: int, now: datetime | None = None) -> MonthGrid:
    """Everything the month grid shows, in three queries or so (one for all the marks)."""
    data = _read_month(school_class, year, month)
    lock = month_lock(school_class, rules.year_month(year, month), now=now)
    rows, day_totals = [], [0] * len(data.days)
    for entry in data.roster:
        cells, p, k = [], 0, 0
        for i, day in enumerate(data.days):
            markable = bool(data.sessions[i]) and _markable(entry, day)
            day_cells = []
            for s in range(1, data.sessions[i] + 1):
                mark = data.marks.get((entry.student.id, day, s))
                value = mark.value if mark else None
                if markable:
                    p += value == "P"
                    k += value == "K"
                    day_totals[i] += value in VALUES
                day_cells.append(GridCell(day, s, value if markable else None, mark.version if mark else 0,
                                          markable, markable and not lock.locked))
            cells.append(day_cells)
        rows.append(GridRow(entry.number, entry.student, entry.has_left, cells, p + k, p, k))
    return MonthGrid(school_class, year, month, data.days, [weekday_short(d) for d in data.days], data.sessions,
                     [data.calendar.holiday_name(d) for d in data.days], rows, day_totals, lock,
                     month_confirmation(school_class, rules.year_month(year, month)),
                     data.calendar.schedule.sessions_per_day,
                     sum(r.total for r in rows), sum(r.p for r in rows), sum(r.k for r in rows))


@dataclass
class StudentMonthTotals:
    total: int
    p: int
    k: int


def student_month_totals(school_class: SchoolClass, student: Student, year: int, month: int) -> StudentMonthTotals:
    days = rules.month_days(year, month)
    counts = _count(AttendanceMark.select(AttendanceMark.value).where(
        (AttendanceMark.school_class == school_class) & (AttendanceMark.student == student)
        & (AttendanceMark.day >= days[0]) & (AttendanceMark.day <= days[-1])))
    return StudentMonthTotals(counts["P"] + counts["K"], counts["P"], counts["K"])


def day_total(school_class: SchoolClass, day: date) -> int:
    """Sessions absent in the class on that day."""
    return (AttendanceMark.select().where((AttendanceMark.school_class == school_class)
                                          & (AttendanceMark.day == day) & AttendanceMark.value.in_(VALUES))
            .count())


# the class's absences of the month: a save answers with its student's, its day's and the class's totals
_CELL_TOTALS = Prepared(lambda school_class, first, last: (
    AttendanceMark.select(AttendanceMark.student, AttendanceMark.day, AttendanceMark.value)
    .where((AttendanceMark.school_class == school_class) & AttendanceMark.value.in_(VALUES)
           & (AttendanceMark.day >= first) & (AttendanceMark.day <= last)).tuples()), 3)


def cell_totals(school_class: SchoolClass, student: Student,
                day: date) -> tuple[StudentMonthTotals, int, StudentMonthTotals]:
    """What a saved cell shows beside it, in one query: the student's month totals, the day's total
    and the class's month totals (the footer and the "Tổng tháng" line)."""
    days = rules.month_days(day.year, day.month)
    mine, everyone, on_day = {"P": 0, "K": 0}, {"P": 0, "K": 0}, 0
    for student_id, marked_on, value in _CELL_TOTALS.all(school_class.id, days[0], days[-1]):
        everyone[value] += 1
        if student_id == student.id:
            mine[value] += 1
        on_day += marked_on == day
    return (StudentMonthTotals(mine["P"] + mine["K"], mine["P"], mine["K"]), on_day,
            StudentMonthTotals(everyone["P"] + everyone["K"], everyone["P"], everyone["K"]))


def _count(query) -> dict:
    counts = {"P": 0, "K": 0}
    for (value,) in query.tuples():
        if value in counts:
            counts[value] += 1
    return counts


# --- the one lock check ----------------------------------------------------------------------------

def _month_label(year_month: str) -> str:
    y, m = rules.parse_year_month(year_month)
    return f"tháng {m}/{y}"


_LATEST_SWITCH = Prepared(lambda year_month, school_class: (
    AttendanceLock.select()
    .where((AttendanceLock.month == year_month)
           & ((AttendanceLock.school_class == school_class) | AttendanceLock.school_class.is_null()))
    .order_by(AttendanceLock.created_at.desc(), AttendanceLock.id.desc()).limit(1)), 2)


def month_lock(school_class: SchoolClass, year_month: str, now: datetime | None = None) -> LockState:
    """Whether the class's attendance of that month may be written now, and why not.

    The latest explicit switch (for this class or for the whole school, whichever is newer)
    decides; without one, the auto-lock day of the calendar does.
    """
    now = now or datetime.now()
    switch = _LATEST_SWITCH.first(year_month, school_class.id)
    label = _month_label(year_month)
    if switch is not None:
        scope = f"lớp {school_class.name}" if switch.school_class_id else "toàn trường"
        if switch.locked:
            return LockState(True, f"Điểm danh {label} đã bị khoá ({scope}) từ "
                                   f"{switch.created_at:%d/%m/%Y %H:%M}", switch.reason)
        return LockState(False, f"Điểm danh {label} được mở lại ({scope})", switch.reason)
    y, m = rules.parse_year_month(year_month)
    at = rules.auto_lock_at(y, m, year_calendar(school_class.year).auto_lock_day)
    if at is not None and now >= at:
        return LockState(True, f"Điểm danh {label} đã tự động khoá từ 00:00 ngày {format_date(at)}")
    return LockState(False, "")


def switch_month_lock(year: SchoolYear, year_month: str, school_class: SchoolClass | None, locked: bool,
                      reason: str, user: User | None, now: datetime | None = None) -> AttendanceLock:
    """Lock or unlock a month for a class or the whole school; call inside write_transaction()."""
    from models.audit.log import record
    from models.rules.text import nfc

    rules.parse_year_month(year_month)
    reason = nfc(reason or "").strip()
    if not reason:
        raise ValueError("Vui lòng ghi lí do khoá hoặc mở.")
    if school_class is not None and school_class.year_id != year.id:
        raise ValueError("Lớp không thuộc năm học này.")
    row = AttendanceLock.create(year=year, month=year_month, school_class=school_class, locked=locked,
                                reason=reason, created_by=user.id if user else None,
                                created_at=now or datetime.now())
    target = school_class.name if school_class else "toàn trường"
    record("lock" if locked else "unlock", "attendance_lock", f"{year_month}/{target}",
           after={"month": year_month, "class": target, "locked": locked}, reason=reason)
    return row


def lock_history(year: SchoolYear, limit: int = 100) -> list[AttendanceLock]:
    return list(AttendanceLock.select(AttendanceLock, SchoolClass)
                .join(SchoolClass, JOIN.LEFT_OUTER)
                .where(AttendanceLock.year == year)
                .order_by(AttendanceLock.created_at.desc(), AttendanceLock.id.desc()).limit(limit))


# --- saving one session ----------------------------------------------------------------------------

@dataclass
class SaveResult:
    """status: saved, unchanged, invalid, not_school, not_enrolled, forbidden, locked, conflict."""

    status: str
    message: str = ""
    value: str | None = None  # the value stored now
    version: int = 0  # the version stored now
    by_name: str = ""  # conflict: who stored the value now there
    at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("saved", "unchanged")


def parse_value(text: str | None) -> str | None:
    value = (text or "").strip().upper()
    if value == "":
        return None
    if value not in VALUES:
        raise ValueError(f"Giá trị điểm danh không hợp lệ: {text} (chỉ P, K hoặc để trống).")
    return value


_FIND_MARK = Prepared(lambda school_class, student, day, session: (
    AttendanceMark.select(AttendanceMark, User)
    .join(User, JOIN.LEFT_OUTER, on=(AttendanceMark.updated_by == User.id))
    .where((AttendanceMark.school_class == school_class) & (AttendanceMark.student == student)
           & (AttendanceMark.day == day) & (AttendanceMark.session == session)).limit(1)), 4)
_ADD_MARK = Prepared(lambda student, school_class, day, session, value, version, user, at: AttendanceMark.insert(
    student=student, school_class=school_class, day=day, session=session, value=value, version=version,
    updated_by=user, updated_at=at), 8)
_UPDATE_MARK = Prepared(lambda value, version, user, at, mark, stored_version: (
    AttendanceMark.update(value=value, version=version, updated_by=user, updated_at=at)
    .where((AttendanceMark.id == mark) & (AttendanceMark.version == stored_version))), 6)
_ADD_CHANGE = Prepared(lambda mark, old, new, version, user, at: AttendanceChange.insert(
    mark=mark, old_value=old, new_value=new, version=version, changed_by=user, changed_at=at), 6)


def _find_mark(school_class, student, day, session) -> AttendanceMark | None:
    return _FIND_MARK.first(row_id(school_class), row_id(student), day, session)


def _conflict(mark: AttendanceMark | None) -> SaveResult:
    if mark is None:
        return SaveResult("conflict", "Ô điểm danh này đã thay đổi. Vui lòng tải lại trang.")
    by_name = mark.updated_by.full_name if mark.updated_by_id else "hệ thống"
    shown = mark.value or "(có mặt)"
    when = f"{mark.updated_at:%d/%m/%Y %H:%M}" if mark.updated_at else ""
    return SaveResult("conflict", f"Ô này vừa được {by_name} lưu giá trị {shown} lúc {when}. "
                                  "Giá trị bạn chọn chưa được lưu; hãy xem lại rồi chọn lại nếu cần.",
                      mark.value, mark.version, by_name, mark.updated_at)


def mark_key(school_class: SchoolClass, student: Student, day: date, session: int) -> str:
    return f"{school_class.name}/{student.code}/{day.isoformat()}/{session}"


def save_mark(school_class: SchoolClass, student: Student, day: date, session: int, value: str | None,
              expected_version: int, user: User, now: datetime | None = None,
              enrolment: Enrolment | None = None) -> SaveResult:
    """Store one session's mark if it may be written and nobody changed it since it was read.

    Refusals change nothing; saving the value already stored is a no-op (no new version).
    `enrolment`: the student's enrolment in the class when the caller already read it.
    """
    from models.audit.log import record

    now = now or datetime.now()
    try:
        new = parse_value(value)
    except ValueError as wrong:
        return SaveResult("invalid", str(wrong))
    if enrolment is None or enrolment.school_class_id != school_class.id or enrolment.student_id != student.id:
        enrolment = enrolment_in(school_class.id, student.id)
    if enrolment is None:
        return SaveResult("forbidden", f"Học sinh không thuộc lớp {school_class.name}.")
    cal = year_calendar(school_class.year)
    sessions = cal.sessions_on(day)
    if sessions == 0:
        why = cal.holiday_name(day)
        return SaveResult("not_school", f"Ngày {format_date(day)} không phải ngày học"
                                        + (f" ({why})." if why else "."))
    if not 1 <= session <= sessions:
        return SaveResult("not_school", f"Ngày {format_date(day)} chỉ có {sessions} buổi học.")
    if not rules.enrolled_on(day, enrolment.joined_on, enrolment.left_on):
        return SaveResult("not_enrolled", f"Ngày {format_date(day)} học sinh {student.full_name} "
                                          f"không có trong lớp {school_class.name}.")
    lock = month_lock(school_class, rules.year_month(day.year, day.month), now=now)
    if lock.locked:
        stored = _find_mark(school_class, student, day, session)
        return SaveResult("locked", f"{lock.reason}. Không sửa được điểm danh của tháng này.",
                          stored.value if stored else None, stored.version if stored else 0)
    with write_transaction():
        mark = _find_mark(school_class, student, day, session)
        stored_version = mark.version if mark else 0
        old = mark.value if mark else None
        if old == new:
            return SaveResult("unchanged", "", new, stored_version)
        if expected_version != stored_version:
            return _conflict(mark)
        version = stored_version + 1
        if mark is None:
            try:
                if is_sqlite():  # a failed statement does not end a sqlite transaction
                    mark_id = _ADD_MARK.insert(student.id, school_class.id, day, session, new, version, user.id, now)
                else:
                    with db.atomic():  # a savepoint: a concurrent first save must not abort the transaction
                        mark_id = _ADD_MARK.insert(student.id, school_class.id, day, session, new, version,
                                                   user.id, now)
            except IntegrityError:
                return _conflict(_find_mark(school_class, student, day, session))
        else:
            mark_id = mark.id
            if _UPDATE_MARK.run(new, version, user.id, now, mark.id, stored_version) != 1:
                return _conflict(_find_mark(school_class, student, day, session))
        _ADD_CHANGE.run(mark_id, old, new, version, user.id, now)
        record("attendance", "attendance", mark_key(school_class, student, day, session),
               before={"value": old}, after={"value": new})
    return SaveResult("saved", "", new, version)


def mark_history(school_class: SchoolClass, student: Student, day: date, session: int) -> list[AttendanceChange]:
    mark = _find_mark(school_class, student, day, session)
    if mark is None:
        return []
    return list(AttendanceChange.select().where(AttendanceChange.mark == mark)
                .order_by(AttendanceChange.changed_at, AttendanceChange.id))


# --- totals for the year-end rules -----------------------------------------------------------------

@dataclass
class Totals:
    sessions: int  # sessions absent (P + K)
    p: int
    k: int


def absence_totals(student: Student, year: SchoolYear, semester: int | None = None) -> Totals:
    """Sessions absent in the year (semester None) or in semester 1 or 2, over all the year's classes."""
    terms = Semester.select().where(Semester.year == year)
    if semester is not None:
        terms = terms.where(Semester.number == semester)
    condition = None
    for term in terms:
        inside = (AttendanceMark.day >= term.starts_on) & (AttendanceMark.day <= term.ends_on)
        condition = inside if condition is None else (condition | inside)
    if condition is None:
        return Totals(0, 0, 0)
    counts = _count(AttendanceMark.select(AttendanceMark.value).join(SchoolClass)
                    .where((AttendanceMark.student == student) & (SchoolClass.year == year) & condition))
    return Totals(counts["P"] + counts["K"], counts["P"], counts["K"])


# --- month confirmation and the completeness dashboard ---------------------------------------------

def month_confirmation(school_class: SchoolClass, year_month: str) -> AttendanceMonthConfirm | None:
    return (AttendanceMonthConfirm.select(AttendanceMonthConfirm, User)
            .join(User, JOIN.LEFT_OUTER, on=(AttendanceMonthConfirm.confirmed_by == User.id))
            .where((AttendanceMonthConfirm.school_class == school_class)
                   & (AttendanceMonthConfirm.month == year_month))
            .order_by(AttendanceMonthConfirm.confirmed_at).first())


def confirm_month(school_class: SchoolClass, year_month: str, user: User,
                  now: datetime | None = None) -> AttendanceMonthConfirm:
    """Xác nhận đã nhập đủ tháng; call inside write_transaction(). A second confirmation is refused."""
    from models.audit.log import record

    y, m = rules.parse_year_month(year_month)
    now = now or datetime.now()
    if now.date() < rules.month_days(y, m)[-1]:
        raise ValueError(f"Chỉ xác nhận được từ ngày cuối của {_month_label(year_month)}.")
    if month_confirmation(school_class, year_month) is not None:
        raise ValueError(f"Điểm danh {_month_label(year_month)} của lớp {school_class.name} đã được xác nhận.")
    row = AttendanceMonthConfirm.create(school_class=school_class, month=year_month, confirmed_by=user.id,
                                        confirmed_at=now)
    record("confirm", "attendance_month", f"{year_month}/{school_class.name}",
           after={"month": year_month, "class": school_class.name})
    return row


@dataclass
class Completeness:
    school_class: SchoolClass
    homeroom_name: str
    confirm: AttendanceMonthConfirm | None
    deadline: date
    status: str  # "done", "late_done", "waiting", "late"

    @property
    def label(self) -> str:
        return {"done": "Đã xác nhận", "late_done": "Xác nhận muộn", "waiting": "Chưa xác nhận (còn hạn)",
                "late": "Quá hạn, chưa xác nhận"}[self.status]

    @property
    def badge(self) -> str:
        return {"done": "success", "late_done": "warning", "waiting": "info", "late": "error"}[self.status]


def attendance_completeness(year: SchoolYear | None = None, now: datetime | None = None,
                            year_month: str | None = None) -> tuple[str, list[Completeness]]:
    """For each class: is last month (or year_month) confirmed by the 3rd of the next month?

    Returns the month looked at ("YYYY-MM") and one line per class; the VP page calls this too.
    """
    from models.school.structure import class_sort_key

    now = now or datetime.now()
    year = year or SchoolYear.current()
    if year_month is None:
        y, m = rules.previous_month(now.year, now.month)
        year_month = rules.year_month(y, m)
    y, m = rules.parse_year_month(year_month)
    deadline = rules.confirm_deadline(y, m, CONFIRM_DAY)
    if year is None:
        return year_month, []
    classes = sorted(SchoolClass.select(SchoolClass, Staff).join(Staff, JOIN.LEFT_OUTER)
                     .where(SchoolClass.year == year), key=lambda c: class_sort_key(c.name))
    confirms = {}
    for c in (AttendanceMonthConfirm.select(AttendanceMonthConfirm, User)
              .join(User, JOIN.LEFT_OUTER, on=(AttendanceMonthConfirm.confirmed_by == User.id))
              .where(AttendanceMonthConfirm.month == year_month)
              .order_by(AttendanceMonthConfirm.confirmed_at.desc())):
        confirms[c.school_class_id] = c
    result = []
    for school_class in classes:
        confirm = confirms.get(school_class.id)
        if confirm is not None:
            status = "done" if confirm.confirmed_at.date() <= deadline else "late_done"
        else:
            status = "waiting" if now.date() <= deadline else "late"
        homeroom = school_class.homeroom_teacher
        result.append(Completeness(school_class, homeroom.full_name if homeroom else "", confirm, deadline, status))
    return year_month, result


# --- delegates (giám thị) --------------------------------------------------------------------------

def delegated_classes(user, year: SchoolYear | None = None) -> list[SchoolClass]:
    """The classes whose attendance the user may enter as a delegate this year."""
    year = year or SchoolYear.current()
    if user.staff_id is None or year is None:
        return []
    from models.school.structure import class_sort_key

    return sorted(SchoolClass.select().join(AttendanceDelegate, on=(AttendanceDelegate.school_class == SchoolClass.id))
                  .where((AttendanceDelegate.staff == user.staff_id) & (AttendanceDelegate.year == year)
                         & AttendanceDelegate.ended_at.is_null())
                  .distinct(), key=lambda c: class_sort_key(c.name))


def delegates_of(year: SchoolYear) -> list[AttendanceDelegate]:
    from models.school.structure import class_sort_key

    rows = list(AttendanceDelegate.select(AttendanceDelegate, SchoolClass, Staff)
                .join(SchoolClass).switch(AttendanceDelegate).join(Staff)
                .where((AttendanceDelegate.year == year) & AttendanceDelegate.ended_at.is_null()))
    rows.sort(key=lambda d: (class_sort_key(d.school_class.name), d.staff.full_name))
    return rows


def add_delegate(school_class: SchoolClass, staff: Staff, user: User | None) -> AttendanceDelegate:
    """Let a staff member enter the class's attendance; call inside write_transaction()."""
    from models.audit.log import record

    if staff.has_left:
        raise ValueError(f"{staff.full_name} không còn công tác tại trường.")
    if school_class.homeroom_teacher_id == staff.id:
        raise ValueError(f"{staff.full_name} là giáo viên chủ nhiệm lớp {school_class.name}.")
    if (AttendanceDelegate.select().where((AttendanceDelegate.school_class == school_class)
                                          & (AttendanceDelegate.staff == staff)
                                          & AttendanceDelegate.ended_at.is_null()).exists()):
        raise ValueError(f"{staff.full_name} đã được giao nhập điểm danh lớp {school_class.name}.")
    row = AttendanceDelegate.create(school_class=school_class, staff=staff, year=school_class.year_id,
                                    created_by=user.id if user else None)
    record("delegate", "attendance_delegate", f"{school_class.year.name}/{school_class.name}",
           after={"staff": staff.code, "class": school_class.name})
    return row


def end_delegate(delegate_id: int, now: datetime | None = None) -> None:
    from models.audit.log import record

    row = AttendanceDelegate.get_or_none((AttendanceDelegate.id == delegate_id) & AttendanceDelegate.ended_at.is_null())
    if row is None:
        raise ValueError("Không tìm thấy người được giao này.")
    AttendanceDelegate.update(ended_at=now or datetime.now()).where(AttendanceDelegate.id == row.id).execute()
    record("undelegate", "attendance_delegate", f"{row.school_class.year.name}/{row.school_class.name}",
           before={"staff": row.staff.code, "class": row.school_class.name})


def month_to_open(school_class: SchoolClass, months: list[tuple[int, int]], today: date) -> tuple[int, int]:
    """Which month the grid opens on: this month inside the school year; outside it, the first month
    after the last confirmed one (the month still being entered), else the year's last month."""
    target = (today.year, today.month)
    if not months or target in months:
        return target
    confirmed = (AttendanceMonthConfirm.select(fn.MAX(AttendanceMonthConfirm.month))
                 .where(AttendanceMonthConfirm.school_class == school_class).scalar())
    if confirmed:
        year, month = (int(x) for x in confirmed.split("-"))
        following = (year + month // 12, month % 12 + 1)
        if following in months:
            return following
    return months[-1] if target > months[-1] else months[0]


def month_to_review(year: SchoolYear, today: date) -> str:
    """"YYYY-MM" the office's attendance pages open on (rules.month_to_review) for the school year."""
    span = year_calendar(year).span
    months = rules.months_between(*span) if span else []
    last_day = None
    if months and (today.year, today.month) not in months:
        last_day = (AttendanceMark.select(fn.MAX(AttendanceMark.day))
                    .join(SchoolClass, on=(AttendanceMark.school_class == SchoolClass.id))
                    .where((SchoolClass.year == year) & AttendanceMark.value.in_(VALUES)).scalar())
    if isinstance(last_day, str):  # SQLite hands back the text of a MAX() of dates
        last_day = date.fromisoformat(last_day[:10])
    last = (last_day.year, last_day.month) if last_day else None
    return rules.year_month(*rules.month_to_review(months, today, last))
