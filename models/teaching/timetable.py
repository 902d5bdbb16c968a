"""The timetable (thời khoá biểu): versions with the date each takes effect, a class's grid of
(weekday, period) → teaching assignment, the admin's grid save and the Excel import.

A timetable changes during the year: each change is a new version from a date; the version in force
on a day is the latest one taking effect on or before it (rules/timetable.py version_on). Saving a
class's grid or importing a sheet checks that no teacher is in two classes at once in that version.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from peewee import DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.audit.log import record
from models.core import BaseModel, write_transaction
from models.rules import timetable as rules
from models.rules.dates import format_date
from models.rules.text import fold
from models.school.structure import SchoolClass, SchoolYear, Subject, TeachingAssignment

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 200


class TimetableVersion(BaseModel):
    """One timetable of the year, in force from `effective_on` until the next version."""

    year = ForeignKeyField(SchoolYear, backref="+")
    effective_on = DateField()
    note = TextField(default="")
    created_at = DateTimeField(default=datetime.now)

    class Meta:
        table_name = "timetable_version"
        indexes = ((("year", "effective_on"), True),)


class TimetableSlot(BaseModel):
    """A class's lesson at (weekday, period) in one version: the assignment says subject and teacher."""

    timetable = ForeignKeyField(TimetableVersion, backref="slots")
    school_class = ForeignKeyField(SchoolClass, backref="+")
    weekday = IntegerField()  # 0 Monday … 5 Saturday
    period = IntegerField()  # 1–5 morning, 6–10 afternoon
    assignment = ForeignKeyField(TeachingAssignment, backref="+")

    class Meta:
        table_name = "timetable_slot"
        indexes = ((("timetable", "school_class", "weekday", "period"), True),)


class Conflict(ValueError):
    """Someone else saved this timetable first (answered with 409)."""


# --- reading ----------------------------------------------------------------------------------------

def versions(year: SchoolYear) -> list[TimetableVersion]:
    return list(TimetableVersion.select().where(TimetableVersion.year == year)
                .order_by(TimetableVersion.effective_on))


def version_on(year: SchoolYear, day: date, cache: list[TimetableVersion] | None = None) -> TimetableVersion | None:
    found = cache if cache is not None else versions(year)
    effective = rules.version_on([v.effective_on for v in found], day)
    return next((v for v in found if v.effective_on == effective), None)


def class_grid(timetable: TimetableVersion, school_class: SchoolClass) -> dict[tuple[int, int], TeachingAssignment]:
    """(weekday, period) → assignment of one class in one version."""
    rows = (TimetableSlot.select(TimetableSlot, TeachingAssignment, Subject)
            .join(TeachingAssignment).join(Subject)
            .where((TimetableSlot.timetable == timetable) & (TimetableSlot.school_class == school_class)))
    return {(s.weekday, s.period): s.assignment for s in rows}


def slots_of_teacher(timetable: TimetableVersion, staff_id: int) -> list[TimetableSlot]:
    return list(TimetableSlot.select(TimetableSlot, TeachingAssignment, SchoolClass, Subject)
                .join(TeachingAssignment).join(SchoolClass).switch(TeachingAssignment).join(Subject)
                .where((TimetableSlot.timetable == timetable) & (TeachingAssignment.teacher == staff_id))
                .order_by(TimetableSlot.weekday, TimetableSlot.period))


def slots_of_class_day(timetable: TimetableVersion, school_class_id: int, weekday: int) -> list[TimetableSlot]:
    return list(TimetableSlot.select(TimetableSlot, TeachingAssignment, Subject)
                .join(TeachingAssignment).join(Subject)
                .where((TimetableSlot.timetable == timetable) & (TimetableSlot.school_class == school_class_id)
                       & (TimetableSlot.weekday == weekday))
                .order_by(TimetableSlot.period))


def _all_slots(timetable: TimetableVersion) -> list[rules.Slot]:
    rows = (TimetableSlot.select(TimetableSlot.weekday, TimetableSlot.period, SchoolClass.name, Subject.name,
                                 TeachingAssignment.teacher)
            .join(SchoolClass, on=(TimetableSlot.school_class == SchoolClass.id))
            .switch(TimetableSlot).join(TeachingAssignment).join(Subject)
            .where(TimetableSlot.timetable == timetable).tuples())
    return [rules.Slot(c, w, p, s, str(t)) for w, p, c, s, t in rows]


def _clash_messages(slots: list[rules.Slot], class_name: str | None = None) -> list[str]:
    """The clashes as sentences naming the teacher (only those touching `class_name` when given)."""
    from models.people.records import Staff

    found = [c for c in rules.clashes(slots) if class_name is None or class_name in c.classes]
    names = {str(s.id): s.full_name for s in Staff.select().where(Staff.id.in_([int(c.teacher) for c in found]))} \
        if found else {}
    return [c._replace(teacher=names.get(c.teacher, c.teacher)).message for c in found]


# --- writing ----------------------------------------------------------------------------------------

def create_version(year: SchoolYear, effective_on: date, note: str = "",
                   copy_from: TimetableVersion | None = None) -> TimetableVersion:
    """A new version from a date (a copy of an earlier one, so that only the change has to be entered)."""
    if TimetableVersion.get_or_none((TimetableVersion.year == year) & (TimetableVersion.effective_on == effective_on)):
        raise ValueError(f"Đã có thời khoá biểu áp dụng từ ngày {format_date(effective_on)}.")
    with write_transaction():
        created = TimetableVersion.create(year=year, effective_on=effective_on, note=(note or "").strip()[:200])
        copied = 0
        if copy_from is not None:
            rows = [{"timetable": created.id, "school_class": s.school_class_id, "weekday": s.weekday,
                     "period": s.period, "assignment": s.assignment_id}
                    for s in TimetableSlot.select().where(TimetableSlot.timetable == copy_from)]
            for i in range(0, len(rows), 500):
                TimetableSlot.insert_many(rows[i:i + 500]).execute()
            copied = len(rows)
        record("create", "timetable", f"{year.name}/{effective_on.isoformat()}",
               after={"effective_on": effective_on, "slots": copied})
    return created


def grid_token(timetable: TimetableVersion, school_class: SchoolClass) -> str:
    """The class's grid as it stands, in a few characters: the page sends it back, and a save is refused when
    the grid changed since (two people on two classes never stop each other)."""
    import hashlib

    cells = sorted((w, p, a.id) for (w, p), a in class_grid(timetable, school_class).items())
    return hashlib.sha256(repr(cells).encode()).hexdigest()[:16]


def save_class_grid(timetable: TimetableVersion, school_class: SchoolClass,
                    cells: dict[tuple[int, int], int | None], expected: str) -> list[str]:
    """Replace one class's grid: (weekday, period) → assignment id (None: no lesson). Refused (ValueError)
    when an assignment is not the class's or a teacher would be in two classes at once; Conflict when the
    class's grid was saved by someone else since the page was opened (`expected`: its grid_token then)."""
    own = {a.id: a for a in TeachingAssignment.select().where(TeachingAssignment.school_class == school_class)}
    for (weekday, period), assignment_id in cells.items():
        if weekday not in rules.WEEKDAYS:
            raise ValueError("Ngày trong tuần không hợp lệ.")
        rules.check_period(period)
        if assignment_id is not None and assignment_id not in own:
            raise ValueError(f"{rules.WEEKDAY_LABELS[weekday]}, {rules.period_label(period)}: "
                             f"môn không được phân công cho lớp {school_class.name}.")
    wanted = {k: v for k, v in cells.items() if v is not None}
    with write_transaction():
        current = TimetableVersion.get_by_id(timetable.id)
        if grid_token(current, school_class) != expected:
            raise Conflict("Thời khoá biểu này vừa được người khác sửa. Hãy tải lại trang rồi sửa lại.")
        before = {f"{w}/{p}": a.id for (w, p), a in class_grid(current, school_class).items()}
        after = {f"{w}/{p}": a for (w, p), a in sorted(wanted.items())}
        if before == after:
            return []
        (TimetableSlot.delete().where((TimetableSlot.timetable == current)
                                      & (TimetableSlot.school_class == school_class)).execute())
        TimetableSlot.insert_many([{"timetable": current.id, "school_class": school_class.id, "weekday": w,
                                    "period": p, "assignment": a} for (w, p), a in wanted.items()]).execute()
        mine = _clash_messages(_all_slots(current), school_class.name)
        if mine:
            raise ValueError(" ".join(mine))  # rolls the transaction back
        record("update", "timetable", f"{current.year.name}/{current.effective_on.isoformat()}/{school_class.name}",
               before={"slots": before}, after={"slots": after})
    return []


# --- the Excel import ------------------------------------------------------------------------------
# The layout timetable programs export: row 1 the headers "Thứ", "Buổi", "Tiết", then one column per
# class (6A1, 6A2, …); one row per (weekday, session, period); a cell holds the subject ("Toán") and,
# where the class has several teachers of it, the teacher ("Toán - Nguyễn Văn An"). An empty cell: no lesson.

@dataclass
class TimetableImport:
    cells: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (class id, weekday, period) → assignment
    errors: list[str] = field(default_factory=list)
    classes: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _sheet_rows(data: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    if not data:
        raise ValueError("Tệp tải lên trống.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError("Tệp lớn hơn 2 MB.")
    if not data.startswith(b"PK\x03\x04"):
        raise ValueError("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.")
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ValueError("Không đọc được tệp Excel (.xlsx).") from None
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(tuple(row))
        if len(rows) > MAX_ROWS + 1:
            raise ValueError(f"Bảng có hơn {MAX_ROWS} dòng: không phải thời khoá biểu của một trường.")
    return rows


def read_import(year: SchoolYear, data: bytes) -> TimetableImport:
    """Read a sheet into cells, naming every row that cannot be read; ValueError for a file that is no sheet."""
    rows = _sheet_rows(data)
    result = TimetableImport()
    if not rows:
        result.errors.append("Bảng tính trống.")
        return result
    header = [fold(str(h or "")).strip() for h in rows[0]]
    if header[:3] != ["thu", "buoi", "tiet"]:
        result.errors.append("Dòng 1: ba cột đầu phải là “Thứ”, “Buổi”, “Tiết”, sau đó mỗi lớp một cột.")
        return result
    classes = {c.name.upper(): c for c in SchoolClass.select().where(SchoolClass.year == year)}
    columns = {}
    for index, name in enumerate(rows[0][3:], start=3):
        text = str(name or "").strip().upper()
        if not text:
            continue
        if text not in classes:
            result.errors.append(f"Dòng 1, cột {index + 1}: không có lớp “{name}” trong năm học {year.name}.")
            continue
        columns[index] = classes[text]
    result.classes = len(columns)
    assignments = defaultdict(list)  # (class id, folded subject name or code) → assignments
    for a in (TeachingAssignment.select(TeachingAssignment, Subject).join(Subject)
              .switch(TeachingAssignment).join(SchoolClass).where(SchoolClass.year == year)):
        assignments[(a.school_class_id, fold(a.subject.name))].append(a)
        assignments[(a.school_class_id, fold(a.subject.code))].append(a)
    from models.people.records import Staff
    teacher_names = {s.id: fold(s.full_name) for s in Staff.select(Staff.id, Staff.full_name)}
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(v or "").strip() for v in row):
            continue
        try:
            weekday = rules.parse_weekday(row[0])
            session = rules.parse_session(row[1] if len(row) > 1 else "")
            period = rules.day_period(session, rules.parse_period_number(row[2] if len(row) > 2 else ""))
        except ValueError as wrong:
            result.errors.append(f"Dòng {number}: {wrong}")
            continue
        where = f"Dòng {number} ({rules.WEEKDAY_LABELS[weekday]}, {rules.period_label(period)})"
        for index, school_class in columns.items():
            value = row[index] if index < len(row) else None
            subject_text, teacher_text = rules.split_cell(value)
            if not subject_text:
                continue
            found = assignments.get((school_class.id, fold(subject_text)), [])
            if teacher_text:
                found = [a for a in found if teacher_names.get(a.teacher_id) == fold(teacher_text)]
            elif len(found) > 1:
                found = [a for a in found if a.is_coordinator][:1] or found[:1]
            if not found:
                who = f" của giáo viên “{teacher_text}”" if teacher_text else ""
                result.errors.append(f"{where}, lớp {school_class.name}: môn “{subject_text}”{who} chưa được "
                                     f"phân công cho lớp này.")
                continue
            key = (school_class.id, weekday, period)
            if key in result.cells:
                result.errors.append(f"{where}, lớp {school_class.name}: tiết này đã có ở một dòng trên.")
                continue
            result.cells[key] = found[0].id
    if result.ok:
        by_id = {a.id: a for lst in assignments.values() for a in lst}
        names = {c.id: c.name for c in columns.values()}
        slots = [rules.Slot(names[c], w, p, by_id[a].subject.name, str(by_id[a].teacher_id))
                 for (c, w, p), a in result.cells.items()]
        result.errors.extend(_clash_messages(slots))
    return result


def import_timetable(year: SchoolYear, effective_on: date, data: bytes, filename: str = "") -> TimetableImport:
    """All or nothing: the sheet becomes the version from `effective_on` (created, or its classes replaced)
    only when every row reads; otherwise nothing changes and the errors name the rows."""
    result = read_import(year, data)
    if not result.ok:
        return result
    with write_transaction():
        version = TimetableVersion.get_or_none((TimetableVersion.year == year)
                                               & (TimetableVersion.effective_on == effective_on))
        if version is None:
            version = TimetableVersion.create(year=year, effective_on=effective_on, note=f"Nhập từ {filename}"[:200])
        class_ids = {c for c, _, _ in result.cells}
        (TimetableSlot.delete().where((TimetableSlot.timetable == version)
                                      & (TimetableSlot.school_class.in_(list(class_ids)))).execute())
        rows = [{"timetable": version.id, "school_class": c, "weekday": w, "period": p, "assignment": a}
                for (c, w, p), a in result.cells.items()]
        for i in range(0, len(rows), 500):
            TimetableSlot.insert_many(rows[i:i + 500]).execute()
        record("import", "timetable", f"{year.name}/{effective_on.isoformat()}",
               after={"classes": len(class_ids), "slots": len(rows), "file": filename})
    return result


def template_workbook(year: SchoolYear) -> bytes:
    """An empty sheet in the import layout, with the year's classes as columns."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "TKB"
    names = [c.name for c in SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name)]
    sheet.append(["Thứ", "Buổi", "Tiết", *names])
    for weekday in rules.WEEKDAYS:
        for p in range(1, rules.PERIODS_PER_SESSION + 1):
            sheet.append([weekday + 2, "Sáng", p])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
