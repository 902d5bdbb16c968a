"""Class lists from and to Excel: stored uploads, the import plan, the all-or-nothing commit, the export.

An upload is read once, when it arrives, within the size bounds of rules/class_list_excel.py (a file
that cannot be a class list is refused then and nothing is kept). What was read is kept under
<UPLOAD_DIR>/imports/<token>.json (the class, the joining date, the original file name for display
and the cells of each student row); the .xlsx itself is not kept. The preview and the commit check
those rows again against the database, without parsing the file again. A kept upload is deleted
once imported, or after a day (IMPORT_KEEP); the imports folder is left out of backups.

Rows that carry a mã định danh of an existing student update that student's profile (and put them
in the class if they are not in it yet) instead of creating a duplicate; an export can therefore
be corrected in Excel and imported again. A student who has left may appear only unchanged and
already in the class (an exported list keeps them).

An import is used once: the summary audit entry ("import", "student_import", token) is written in
the same transaction as the students, so a second commit of the same token finds it and stops.
"""
from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from models.audit.log import AuditEntry, record
from models.people.records import STUDENT_STATUSES, Student, create_student, update_profile
from models.rules.class_list_excel import (
    ImportPreview,
    SheetRows,
    preview_from_sheet,
    read_sheet,
    sheet_from_json,
    sheet_to_json,
    write_class_list,
)
from models.rules.dates import format_date
from models.rules.text import fold
from models.school.structure import Enrolment, School, SchoolClass, class_roster, current_class_of, enrol

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
IMPORT_SUBDIR = "imports"
IMPORT_KEEP = timedelta(days=1)
AUDIT_ENTITY = "student_import"
_TOKEN_RE = re.compile(r"[0-9a-f]{32}")
_ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAME = "Mau-danh-sach-hoc-sinh.xlsx"


class ImportNotFound(LookupError):
    """No stored upload under this token."""


class ImportAlreadyDone(ValueError):
    """The upload was already imported."""


@dataclass
class StoredImport:
    token: str
    path: Path
    class_id: int
    joined_on: date
    filename: str
    uploaded_at: datetime
    sheet: SheetRows

    @property
    def school_class(self) -> SchoolClass | None:
        return SchoolClass.get_or_none(SchoolClass.id == self.class_id)


def check_upload(data: bytes) -> None:
    """Refuse an upload that is empty, larger than 5 MB or not an .xlsx by its first bytes."""
    if not data:
        raise ValueError("Tệp tải lên trống.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError("Tệp lớn hơn 5 MB; hãy bỏ bớt các trang tính và hình ảnh không cần thiết.")
    if data.startswith(_OLE_MAGIC):
        raise ValueError("Đây là tệp .xls (Excel 97-2003). Hãy mở bằng Excel và lưu lại dưới dạng .xlsx rồi tải lên.")
    if not data.startswith(_ZIP_MAGIC):
        raise ValueError("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.")


def _imports_dir(upload_dir: str | Path) -> Path:
    path = Path(upload_dir) / IMPORT_SUBDIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def purge_uploads(upload_dir: str | Path, now: datetime | None = None) -> int:
    """Delete kept uploads older than IMPORT_KEEP (and any older-style .xlsx); returns how many files went."""
    folder = Path(upload_dir) / IMPORT_SUBDIR
    if not folder.is_dir():
        return 0
    cutoff = ((now or datetime.now()) - IMPORT_KEEP).timestamp()
    removed = 0
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another request purged it first
            pass
    return removed


def store_upload(upload_dir: str | Path, data: bytes, school_class: SchoolClass, joined_on: date,
                 filename: str = "", now: datetime | None = None) -> str:
    """Read a checked upload once and keep what was read under a random name; returns its token.

    ValueError (nothing kept) for a file that is not a class list at all: not an .xlsx, too big
    unpacked, too many rows.
    """
    check_upload(data)
    sheet = read_sheet(data)
    if sheet.refused:
        raise ValueError(" ".join(sheet.file_errors))
    purge_uploads(upload_dir, now)
    folder = _imports_dir(upload_dir)
    token = secrets.token_hex(16)
    meta = {"class_id": school_class.id, "joined_on": joined_on.isoformat(),
            "filename": Path(filename or "").name[:200],  # shown only, never used as a path
            "uploaded_at": (now or datetime.now()).isoformat(timespec="seconds"),
            "sheet": sheet_to_json(sheet)}
    partial = folder / f"{token}.json.part"  # renamed when complete: a preview never reads half a file
    partial.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    partial.replace(folder / f"{token}.json")
    return token


def load_import(upload_dir: str | Path, token: str, now: datetime | None = None) -> StoredImport:
    """The kept upload of a token; ImportNotFound for a malformed, unknown, imported or expired token."""
    if not _TOKEN_RE.fullmatch(token or ""):
        raise ImportNotFound(token)
    path = Path(upload_dir) / IMPORT_SUBDIR / f"{token}.json"
    if not path.is_file():
        raise ImportNotFound(token)
    meta = json.loads(path.read_text(encoding="utf-8"))
    uploaded_at = datetime.fromisoformat(meta["uploaded_at"])
    if "sheet" not in meta or uploaded_at < (now or datetime.now()) - IMPORT_KEEP:
        discard_upload(upload_dir, token)
        raise ImportNotFound(token)
    return StoredImport(token=token, path=path, class_id=int(meta["class_id"]),
                        joined_on=date.fromisoformat(meta["joined_on"]), filename=meta.get("filename", ""),
                        uploaded_at=uploaded_at, sheet=sheet_from_json(meta["sheet"]))


def discard_upload(upload_dir: str | Path, token: str) -> None:
    """Delete what is kept of an upload (after its import, or when it expired)."""
    if not _TOKEN_RE.fullmatch(token or ""):
        return
    for suffix in (".json", ".xlsx"):
        (Path(upload_dir) / IMPORT_SUBDIR / f"{token}{suffix}").unlink(missing_ok=True)


def import_done(token: str) -> AuditEntry | None:
    """The audit entry of the commit of this upload, if it was committed."""
    return (AuditEntry.select()
            .where((AuditEntry.entity == AUDIT_ENTITY) & (AuditEntry.entity_id == token))
            .first())


# --- the plan: what a commit would do, row by row ---------------------------------------------------

NEW, UPDATE, SAME, REFUSED = "new", "update", "same", "refused"


@dataclass
class ImportPlan:
    stored: StoredImport
    school_class: SchoolClass
    preview: ImportPreview
    actions: dict[int, str] = field(default_factory=dict)  # line -> NEW / UPDATE / SAME / REFUSED
    existing: dict[int, Student] = field(default_factory=dict)  # line -> student for a known code
    changes: dict[int, dict] = field(default_factory=dict)  # line -> profile fields that change
    committed: bool = False

    @property
    def is_valid(self) -> bool:
        return self.preview.is_valid

    def count(self, action: str) -> int:
        return sum(1 for a in self.actions.values() if a == action)


def _profile_of(values: dict) -> dict:
    return {key: values[key] for key in Student.PROFILE_FIELDS if key in values}


def _diff(student: Student, profile: dict) -> dict:
    return {key: value for key, value in profile.items() if getattr(student, key) != value}


def plan_import(stored: StoredImport, today: date) -> ImportPlan:
    """Check every kept row against the sheet rules and the database (the file is not parsed again)."""
    school_class = stored.school_class
    if school_class is None:
        raise ImportNotFound(stored.token)
    known = {code for (code,) in Student.select(Student.code).tuples()}
    preview = preview_from_sheet(stored.sheet, today=today, known_codes=known)
    plan = ImportPlan(stored, school_class, preview)
    for row in preview.rows:
        _plan_row(plan, row)
        if row.errors:
            plan.actions[row.line] = REFUSED
    return plan


def _plan_row(plan: ImportPlan, row) -> None:
    values = row.values
    school_class = plan.school_class
    code = values.get("ma_dinh_danh")
    student = Student.get_or_none(Student.code == code) if code else None
    personal_id = values.get("personal_id")
    if personal_id:
        other = (Student.select().where((Student.personal_id == personal_id)
                                        & (Student.id != (student.id if student else 0))).first())
        if other is not None:
            row.errors.append(f"Số định danh cá nhân: trùng với học sinh {other.full_name} ({other.code}) "
                              "đã có trong trường.")
    if student is None:
        if values.get("full_name") and values.get("date_of_birth"):
            twin = (Student.select().where((Student.name_fold == fold(values["full_name"]))
                                           & (Student.date_of_birth == values["date_of_birth"])).first())
            if twin is not None:
                plan.preview.warnings.append(
                    f"Dòng {row.line}: trường đã có học sinh {twin.full_name} sinh ngày "
                    f"{format_date(twin.date_of_birth)} (mã {twin.code}). Nếu là cùng một người, hãy ghi mã "
                    "định danh vào cột “Mã định danh” để cập nhật thay vì tạo hồ sơ mới.")
        plan.actions[row.line] = NEW
        return
    plan.existing[row.line] = student
    changes = _diff(student, _profile_of(values)) if row.ok else {}
    in_class = Enrolment.select().where((Enrolment.student == student)
                                        & (Enrolment.school_class == school_class)).exists()
    current = current_class_of(student, school_class.year)
    if current is not None and current.id != school_class.id:
        row.errors.append(f"Mã định danh: học sinh {student.full_name} đang thuộc lớp {current.name} "
                          "trong năm học này.")
    elif student.has_left and (changes or not in_class):
        row.errors.append(f"Mã định danh: học sinh {student.full_name} đã rời trường "
                          f"({student.status_label}); hồ sơ chỉ được xem, không được sửa hay xếp lớp.")
    plan.changes[row.line] = changes
    plan.actions[row.line] = UPDATE if (changes or not in_class) else SAME


def commit_import(stored: StoredImport, today: date) -> ImportPlan:
    """Import every row or none; call inside write_transaction(). The plan says whether it committed.

    ImportAlreadyDone if this upload was imported before; an invalid plan is returned uncommitted.
    """
    done = import_done(stored.token)
    if done is not None:
        raise ImportAlreadyDone(f"Tệp này đã được nhập lúc {done.at:%d/%m/%Y %H:%M}; không nhập lại lần nữa.")
    plan = plan_import(stored, today)
    if not plan.is_valid:
        return plan
    school_class = plan.school_class
    joined_on = stored.joined_on
    for row in plan.preview.rows:
        profile = _profile_of(row.values)
        student = plan.existing.get(row.line)
        if student is None:
            student = create_student(profile, school_class.year.start_year, effective_on=joined_on)
        elif plan.changes.get(row.line):
            update_profile(student, profile, reason="Nhập danh sách từ Excel")
        enrol(student, school_class, joined_on)  # no-op when already in the class
    record("import", AUDIT_ENTITY, stored.token,
           after={"class": school_class.name, "year": school_class.year.name, "file": stored.filename,
                  "created": plan.count(NEW), "updated": plan.count(UPDATE), "unchanged": plan.count(SAME)})
    plan.committed = True
    return plan


# --- export -----------------------------------------------------------------------------------------

def class_list_rows(school_class: SchoolClass) -> list[dict]:
    """The roster as write_class_list rows, those who left included with their status."""
    rows = []
    for entry in class_roster(school_class):
        student = entry.student
        row = {"ma_dinh_danh": student.code, **student.profile()}
        status = student.status
        if entry.enrolment.left_on is not None and not student.has_left:
            row["status"] = f"Đã rời lớp {format_date(entry.enrolment.left_on)}"
        else:
            row["status"] = STUDENT_STATUSES.get(status, status)
        rows.append(row)
    return rows


def export_class_list(school_class: SchoolClass) -> tuple[bytes, str]:
    """The class list as .xlsx bytes and its download name ("Danh-sach-6A1-2024-2025.xlsx")."""
    school = School.current()
    year = school_class.year.name
    titles = [school.name if school else "", f"DANH SÁCH HỌC SINH LỚP {school_class.name} – NĂM HỌC {year}"]
    data = write_class_list([t for t in titles if t], class_list_rows(school_class))
    name = re.sub(r"[^0-9A-Za-z_-]+", "-", school_class.name).strip("-") or "lop"
    return data, f"Danh-sach-{name}-{year}.xlsx"
