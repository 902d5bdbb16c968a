"""Lesson plans (kế hoạch bài dạy) and the year plans: states, deadlines, and what an uploaded plan file is.

Pure functions: no database, no Flask. Seed 002 Điều 5.2: "Nộp kế hoạch bài dạy đầy đủ theo thời khoá biểu cho
tổ trưởng phê duyệt trước 1 tuần" — a plan is due `due_days` (the setting LESSON_PLAN_DUE_DAYS, default 7)
days before its lesson. Seed 004 B.1.2–1.3: the teacher's year plan is confirmed by the head of department, the
department's plan approved by the principal; they walk the same four states.
"""
import io
import zipfile
from datetime import date, datetime, timedelta

DUE_DAYS = 7
MAX_FILE_MB = 10

DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"
STATES = {DRAFT: "Nháp", SUBMITTED: "Đã nộp", RETURNED: "Bị trả lại", APPROVED: "Đã duyệt"}
# the teacher's year plan is "confirmed" by the head of department: same state, its own word
CONFIRMED_LABEL = "Đã xác nhận"

# the document types a plan may be uploaded as: read from the content, never from the name
PDF = ("pdf", "application/pdf")
DOCX = ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
ODT = ("odt", "application/vnd.oasis.opendocument.text")


def state_label(state: str) -> str:
    return STATES.get(state, state)


def due_date(lesson_date: date, due_days: int = DUE_DAYS) -> date:
    """The last day the plan of a lesson may be submitted on time."""
    return lesson_date - timedelta(days=due_days)


def is_late(submitted_on: date, lesson_date: date, due_days: int = DUE_DAYS) -> bool:
    """Submitted after its due day (the first submission counts: a returned plan sent again is not late again)."""
    return submitted_on > due_date(lesson_date, due_days)


def is_overdue(state: str, lesson_date: date, today: date, due_days: int = DUE_DAYS) -> bool:
    """Not with the head of department (a draft, or returned and not sent again) after its due day: missing."""
    return state in (DRAFT, RETURNED) and today > due_date(lesson_date, due_days)


def week_start(day: date) -> date:
    """The Monday of the school week holding `day`."""
    return day - timedelta(days=day.weekday())


def week_label(monday: date) -> str:
    """"Tuần 02/12/2024 – 08/12/2024"."""
    return f"Tuần {monday:%d/%m/%Y} – {monday + timedelta(days=6):%d/%m/%Y}"


# --- the walk: who moves a plan from which state ---------------------------------------------------------------

def check_editable(state: str) -> None:
    """The teacher writes a plan while it is a draft or after it was returned; a plan with the head or approved is
    fixed."""
    if state == SUBMITTED:
        raise ValueError("Kế hoạch đã nộp, đang chờ tổ trưởng duyệt: không sửa được.")
    if state == APPROVED:
        raise ValueError("Kế hoạch đã được duyệt: không sửa được.")


def check_submit(state: str, has_content: bool) -> None:
    check_editable(state)
    if not has_content:
        raise ValueError("Kế hoạch chưa có nội dung: hãy tải tệp lên hoặc viết mục tiêu và các hoạt động.")


def check_review(state: str, action: str, comment: str) -> None:
    """Approve or return a submitted plan; a return must say why."""
    if state != SUBMITTED:
        raise ValueError(f"Kế hoạch đang ở trạng thái “{state_label(state)}”: chỉ duyệt hoặc trả lại kế hoạch đã nộp.")
    if action == "return" and not (comment or "").strip():
        raise ValueError("Hãy ghi ý kiến khi trả lại kế hoạch để giáo viên biết cần sửa gì.")
    if action not in ("approve", "return"):
        raise ValueError("Thao tác không hợp lệ.")


def needs_new_version(state: str) -> bool:
    """A returned plan keeps the version the head read; what the teacher writes next is a new version."""
    return state == RETURNED


def form_has_content(objectives: str, activities: str) -> bool:
    """A written plan needs at least its objectives and its activities."""
    return bool((objectives or "").strip()) and bool((activities or "").strip())


# --- the uploaded file --------------------------------------------------------------------------------------------

def check_plan_file(data: bytes, max_bytes: int = MAX_FILE_MB * 1024 * 1024) -> tuple[str, str]:
    """(extension, mimetype) of an uploaded plan: PDF by its magic bytes, DOCX and ODT by their zip structure.
    ValueError with a Vietnamese message for anything else, an empty file or one over `max_bytes`."""
    if not data:
        raise ValueError("Tệp kế hoạch bài dạy trống.")
    if len(data) > max_bytes:
        raise ValueError(f"Tệp kế hoạch bài dạy quá lớn: tối đa {max_bytes // (1024 * 1024)} MB.")
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        kind = _office_kind(data)
        if kind:
            return kind
    raise ValueError("Tệp kế hoạch bài dạy phải là PDF, DOCX hoặc ODT (nội dung tệp không đúng định dạng).")


def _office_kind(data: bytes) -> tuple[str, str] | None:
    """DOCX: a zip with [Content_Types].xml and word/document.xml; ODT: a zip whose `mimetype` member says so.
    Only the directory and the few bytes of `mimetype` are read (a zip bomb is never unpacked)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                if archive.read("mimetype").strip() == ODT[1].encode():
                    return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, KeyError, NotImplementedError, RuntimeError, ValueError, OSError):
        return None
    return None


# --- counts for the department and the vice-principal ------------------------------------------------------------

def tally(plans, today: date, due_days: int = DUE_DAYS) -> dict[str, int]:
    """Counts of plans given as (state, lesson_date, late) triples: each state, late ones, overdue (missing) ones."""
    counts = {DRAFT: 0, SUBMITTED: 0, RETURNED: 0, APPROVED: 0, "late": 0, "overdue": 0, "total": 0}
    for state, lesson_date, late in plans:
        counts["total"] += 1
        counts[state] = counts.get(state, 0) + 1
        counts["late"] += bool(late)
        counts["overdue"] += is_overdue(state, lesson_date, today, due_days)
    return counts


def missing_lessons(scheduled, planned) -> list:
    """Lessons of the schedule without a submitted plan: `scheduled` and `planned` are iterables of
    (assignment id, lesson date, PPCT lesson number); the teaching schedule (issue #16 part A) passes its lessons."""
    have = set(planned)
    return [lesson for lesson in scheduled if lesson not in have]


def submitted_on(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment
