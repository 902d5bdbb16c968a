"""Replaying the audit log against the books: what happened behind the log's back shows.

The hash chain proves the log was not edited in place, but not that the marks and attendance still say
what the log says, nor that its last entries were not cut off. So:

- every mark cell's and attendance mark's value must equal the last value the log recorded for it
  (an `UPDATE mark_cell …` in the database, or deleted last entries, leave a difference);
- values seeded in bulk (the demo school) are not logged one by one: the seed's entry holds, per group
  (a class's subject in a semester, a class's month), a sum of the SHA-256 of every "key=value" it wrote.
  A cell later changed through the software gives its seeded value back as the `before` of its first entry;
- the chain head is kept outside the database (beside each backup, in each archive manifest), and
  `verify_head` proves the log still holds it: a truncated or rewritten-and-rehashed log does not.

The replay reads the log's mark and attendance entries once and every cell once: linear, no index needed,
and nothing is added to the save path.
"""
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from models.audit.log import AuditEntry
from models.core import db

_MOD = 2 ** 256
NO_VALUE = object()  # a key the log never mentioned


def _line_hash(key: str, value: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{key}={value}".encode()).digest(), "big")


def group_digests(rows: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """{group: hex} over (group, key, value) rows; a sum, so the order of the rows does not matter."""
    sums: dict[str, int] = {}
    for group, key, value in rows:
        sums[group] = (sums.get(group, 0) + _line_hash(key, value)) % _MOD
    return {group: f"{total:064x}" for group, total in sorted(sums.items())}


def mark_group(key: str) -> str:
    """year/class/subject/HKn of a cell key year/class/subject/HKn/student/column."""
    return key.rsplit("/", 2)[0]


def attendance_group(key: str) -> str:
    """class/yyyy-mm of an attendance key class/student/yyyy-mm-dd/session."""
    class_name, _student, day, _session = key.split("/")
    return f"{class_name}/{day[:7]}"


# --- reading the books and the log -----------------------------------------------------------------

def _rows(query):
    """A query's rows straight from the cursor: peewee's row building cost more than the reading."""
    sql, params = query.sql()
    return db.execute_sql(sql, params)


def _names():
    from models.people.records import Student
    from models.school.structure import SchoolClass, SchoolYear, Subject

    classes = {i: (c, y) for i, c, y in _rows(SchoolClass.select(SchoolClass.id, SchoolClass.name, SchoolYear.name)
                                               .join(SchoolYear))}
    return classes, dict(_rows(Subject.select(Subject.id, Subject.code))), \
        dict(_rows(Student.select(Student.id, Student.code)))


def _current_marks() -> dict[str, str | None]:
    from models.gradebook.marks import MarkCell
    from models.school.structure import Semester

    classes, subjects, students = _names()
    semesters = dict(_rows(Semester.select(Semester.id, Semester.number)))
    rows = _rows(MarkCell.select(MarkCell.school_class, MarkCell.subject, MarkCell.semester, MarkCell.student,
                                 MarkCell.kind, MarkCell.idx, MarkCell.value).order_by(MarkCell.id))
    return {f"{classes[c][1]}/{classes[c][0]}/{subjects[s]}/HK{semesters[n]}/{students[st]}/{k}{i}": v
            for c, s, n, st, k, i, v in rows}


def _current_primary() -> tuple[dict[str, str | None], dict[str, str | None]]:
    """The primary subject cells and trait ratings under the keys models/primary/assessments.py logs them by."""
    from models.primary.assessments import PrimaryCell, PrimaryTrait

    classes, subjects, students = _names()
    cells = _rows(PrimaryCell.select(PrimaryCell.school_class, PrimaryCell.subject, PrimaryCell.moment,
                                     PrimaryCell.student, PrimaryCell.field, PrimaryCell.value).order_by(PrimaryCell.id))
    traits = _rows(PrimaryTrait.select(PrimaryTrait.school_class, PrimaryTrait.moment, PrimaryTrait.student,
                                       PrimaryTrait.trait, PrimaryTrait.value).order_by(PrimaryTrait.id))
    return ({f"{classes[c][1]}/{classes[c][0]}/{subjects[s]}/{m}/{students[st]}/{f}": v
             for c, s, m, st, f, v in cells},
            {f"{classes[c][1]}/{classes[c][0]}/{m}/{students[st]}/{t}": v for c, m, st, t, v in traits})


def _current_attendance() -> dict[str, str | None]:
    from models.attendance.register import AttendanceMark

    classes, _subjects, students = _names()
    rows = _rows(AttendanceMark.select(AttendanceMark.school_class, AttendanceMark.student, AttendanceMark.day,
                                       AttendanceMark.session, AttendanceMark.value).order_by(AttendanceMark.id))
    return {f"{classes[c][0]}/{students[st]}/{d}/{n}": v for c, st, d, n, v in rows}  # str(date): yyyy-mm-dd


def _value(text: str):
    data = json.loads(text) if text else None
    return data.get("value") if isinstance(data, dict) else None


def _logged(action: str, entity: str) -> dict[str, tuple[str, str]]:
    """key → (the `before` of its first entry, the `after` of its last), as stored (JSON text)."""
    logged: dict[str, tuple[str, str]] = {}
    for key, before, after in (AuditEntry.select(AuditEntry.entity_id, AuditEntry.before, AuditEntry.after)
                               .where((AuditEntry.action == action) & (AuditEntry.entity == entity))
                               .order_by(AuditEntry.id).tuples().iterator()):
        first = logged.get(key)
        logged[key] = (first[0] if first else before, after)
    return logged


def _seeded(action: str, entity: str) -> tuple[dict[str, int], bool]:
    """The seeds' digests summed per group, and whether a seed without digests (an older one) exists."""
    sums: dict[str, int] = {}
    legacy = False
    for (after,) in (AuditEntry.select(AuditEntry.after)
                     .where((AuditEntry.action == action) & (AuditEntry.entity == entity)).tuples()):
        digests = (json.loads(after) if after else {}).get("digests")
        if digests is None:
            legacy = True
            continue
        for group, hex_sum in digests.items():
            sums[group] = (sums.get(group, 0) + int(hex_sum, 16)) % _MOD
    return sums, legacy


# --- the replay ----------------------------------------------------------------------------------

@dataclass
class ReplayReport:
    ok: bool
    marks: int = 0  # cells compared
    attendance: int = 0
    problem: str = ""
    primary: int = 0  # primary subject cells and trait ratings
    unverified: int = 0  # groups of seeded values an older seed left without digests


def _shown_mark(value) -> str:
    return "trống" if value in (None, "") else str(value).replace(".", ",")


def _shown_attendance(value) -> str:
    from models.attendance.register import VALUE_LABELS

    return VALUE_LABELS.get(value, str(value)).lower()


def _mark_place(key: str) -> str:
    from models.audit_check.entities import describe

    return "Ô điểm " + describe("mark", key).removeprefix("Điểm ")


def _attendance_place(key: str) -> str:
    from models.audit_check.entities import describe

    return describe("attendance", key)


def _shown_primary(value) -> str:
    return "trống" if value in (None, "") else f"“{value}”"


def _primary_place(entity: str):
    from models.audit_check.entities import describe

    return lambda key: describe(entity, key)


def _primary_group_place(group: str) -> str:
    from models.audit_check.entities import _subject
    from models.rules.tt27 import MOMENTS

    parts = group.split("/")
    what = f"môn {_subject(parts[2])} " if len(parts) == 4 else "phẩm chất, năng lực "
    return (f"Đánh giá mẫu lớp {parts[1]} {what}{MOMENTS.get(parts[-1], parts[-1]).lower()} "
            f"năm học {parts[0]}")


def _mark_group_place(group: str) -> str:
    from models.audit_check.entities import _semester, _subject

    year, class_name, subject, semester = group.split("/")
    return f"Điểm mẫu lớp {class_name} môn {_subject(subject)} {_semester(semester)} năm học {year}"


def _attendance_group_place(group: str) -> str:
    class_name, month = group.split("/")
    return f"Điểm danh mẫu lớp {class_name} tháng {month[5:]}/{month[:4]}"


@dataclass
class _Book:
    """One kind of value (marks, attendance), how its keys group and how it reads."""

    group_of: object
    shown: object
    place: object
    group_place: object


def _compare(book: _Book, current: dict, logged: dict, seeds: tuple[dict[str, int], bool]) -> tuple[str, int]:
    """The first difference ("" when none) and how many seeded groups could not be checked."""
    seed_sums, legacy = seeds
    baseline: dict[str, int] = {}
    first_of: dict[str, tuple[str, str]] = {}  # group → the first key and value it holds that the log did not write

    def seeded(key: str, value: str) -> None:
        group = book.group_of(key)
        baseline[group] = (baseline.get(group, 0) + _line_hash(key, value)) % _MOD
        first_of.setdefault(group, (key, value))

    for key, value in current.items():
        entry = logged.get(key)
        if entry is None:
            if value is not None:
                seeded(key, value)
            continue
        expected = _value(entry[1])
        if expected != value:
            return (f"{book.place(key)}: trong sổ {book.shown(value)}, nhật ký ghi {book.shown(expected)} — "
                    "đã bị sửa ngoài phần mềm."), 0
        before = _value(entry[0])
        if before is not None:  # its value before the first logged change: a seeded one
            seeded(key, before)
    for key, (before, after) in logged.items():
        if key in current:
            continue
        expected = _value(after)
        if expected is not None:
            return (f"{book.place(key)}: nhật ký ghi {book.shown(expected)} nhưng trong sổ không còn — "
                    "đã bị xoá ngoài phần mềm."), 0
        if _value(before) is not None:  # seeded, then cleared through the software
            seeded(key, _value(before))
    unverified = 0
    for group in sorted(set(baseline) | set(seed_sums)):
        if baseline.get(group, 0) == seed_sums.get(group, 0):
            continue
        if group not in seed_sums and legacy:
            unverified += 1  # an older seed wrote these values without digests
            continue
        if group not in seed_sums:
            key, value = first_of[group]
            return (f"{book.place(key)}: trong sổ có {book.shown(value)} mà nhật ký không ghi — "
                    "đã được ghi ngoài phần mềm."), 0
        return (f"{book.group_place(group)}: không còn khớp với tổng kiểm ghi trong nhật ký lúc tạo — "
                "có giá trị đã bị sửa, thêm hoặc xoá ngoài phần mềm."), 0
    return "", unverified


MARKS = _Book(mark_group, _shown_mark, _mark_place, _mark_group_place)
ATTENDANCE = _Book(attendance_group, _shown_attendance, _attendance_place, _attendance_group_place)
PRIMARY_CELLS = _Book(mark_group, _shown_primary, _primary_place("primary_cell"), _primary_group_place)
PRIMARY_TRAITS = _Book(mark_group, _shown_primary, _primary_place("primary_trait"), _primary_group_place)


def replay() -> ReplayReport:
    """Compare every mark cell, attendance mark, primary cell and trait rating with the last value the log
    recorded for it."""
    report = ReplayReport(True)
    marks = _current_marks()
    report.marks = len(marks)
    problem, unverified = _compare(MARKS, marks, _logged("mark", "mark"), _seeded("seed_demo_marks", "mark"))
    report.unverified += unverified
    if not problem:
        attendance = _current_attendance()
        report.attendance = len(attendance)
        problem, unverified = _compare(ATTENDANCE, attendance, _logged("attendance", "attendance"),
                                       _seeded("seed_demo", "attendance"))
        report.unverified += unverified
    if not problem:
        cells, traits = _current_primary()
        report.primary = len(cells) + len(traits)
        for book, current, entity in ((PRIMARY_CELLS, cells, "primary_cell"), (PRIMARY_TRAITS, traits, "primary_trait")):
            problem, unverified = _compare(book, current, _logged("assess", entity),
                                           _seeded("seed_demo_primary", entity))
            report.unverified += unverified
            if problem:
                break
    if problem:
        return ReplayReport(False, report.marks, report.attendance, problem, report.primary, report.unverified)
    return report


# --- the chain head kept outside the database -------------------------------------------------------

HEAD_SUFFIX = ".audit-head"


@dataclass
class HeadMark:
    hash: str
    entry_id: int
    at: str  # ISO time of the head entry

    def line(self) -> str:
        return f"{self.hash} {self.entry_id} {self.at}\n"

    @property
    def at_text(self) -> str:
        """dd/mm/yyyy HH:MM:SS, as the admin reads it."""
        from datetime import datetime

        try:
            return datetime.fromisoformat(self.at).strftime("%d/%m/%Y %H:%M:%S")
        except ValueError:
            return "—"


def head_mark() -> HeadMark:
    from models.audit.log import GENESIS

    row = (AuditEntry.select(AuditEntry.hash, AuditEntry.id, AuditEntry.at)
           .order_by(AuditEntry.id.desc()).limit(1).tuples().first())
    if row is None:
        return HeadMark(GENESIS, 0, "")
    at = row[2].isoformat(timespec="seconds") if hasattr(row[2], "isoformat") else str(row[2])
    return HeadMark(row[0], row[1], at)


def write_head_file(archive: Path, mark: HeadMark) -> Path:
    """<archive>.audit-head: one line "hash id time", written atomically beside the archive."""
    path = archive.with_name(archive.name + HEAD_SUFFIX)
    part = path.with_name(path.name + ".part")
    part.write_text(mark.line(), encoding="utf-8")
    part.replace(path)
    return path


def read_head_file(archive: Path) -> HeadMark | None:
    try:
        parts = archive.with_name(archive.name + HEAD_SUFFIX).read_text(encoding="utf-8").split()
    except OSError:
        return None
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    return HeadMark(parts[0], int(parts[1]), parts[2] if len(parts) > 2 else "")


def verify_head(head_hash: str) -> str:
    """"" when the log still holds an entry with this hash (the chain, checked apart, then proves
    everything before it); otherwise why not, in Vietnamese."""
    from models.audit.log import GENESIS

    head_hash = (head_hash or "").strip().lower()
    if len(head_hash) != 64 or any(c not in "0123456789abcdef" for c in head_hash):
        return "Mã băm đầu chuỗi phải gồm 64 chữ số thập lục phân."
    if head_hash == GENESIS or AuditEntry.select().where(AuditEntry.hash == head_hash).exists():
        return ""
    return (f"Nhật ký không còn mục nào có mã băm {head_hash[:16]}… đã ghi ngoài cơ sở dữ liệu: "
            "các mục cuối đã bị xoá, hoặc nhật ký đã bị viết lại và băm lại.")
