"""The append-only, hash-chained audit log and its one writer."""
import hashlib
import json
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from peewee import CharField, DateTimeField, IntegerField, TextField

from models.core import DeletionRefused, KeptModel, db, is_sqlite
from models.core.prepared import Prepared

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who is writing: set once per request (or per CLI command) and read by the audit writer."""

    user_id: int | None
    username: str
    address: str = ""


SYSTEM = Actor(None, "hệ thống", "")
_actor: ContextVar[Actor] = ContextVar("audit_actor", default=SYSTEM)


def set_actor(actor: Actor):
    return _actor.set(actor)


def reset_actor(token) -> None:
    _actor.reset(token)


def current_actor() -> Actor:
    return _actor.get()


def _default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=_default, separators=(",", ":"))


def canonical(value) -> str:
    """Stable JSON for hashing and storing before/after values."""
    if value is None:
        return ""
    return _CANONICAL.encode(value)


def _content_hash(prev_hash: str, at: datetime, user_id, username: str, address: str, action: str, entity: str,
                  entity_id: str, before: str, after: str, reason: str) -> str:
    # the stored text is what is hashed, so verification needs no reformatting
    payload = "\x1f".join([prev_hash, at.isoformat(timespec="microseconds"), "" if user_id is None else str(user_id),
                           username, address, action, entity, entity_id, before, after, reason])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AuditEntry(KeptModel):
    at = DateTimeField(index=True)
    user_id = IntegerField(null=True, index=True)
    username = CharField()
    address = CharField(default="")
    action = CharField(index=True)
    entity = CharField()  # (entity, entity_id): one index, see Meta
    entity_id = CharField()
    before = TextField(default="")
    after = TextField(default="")
    reason = TextField(default="")
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64)  # no index: every save writes one, and the chain is checked by walking it

    class Meta:
        indexes = ((("entity", "entity_id"), False),)

    def save(self, *args, **kwargs):
        if self.id is not None and not kwargs.get("force_insert"):
            raise DeletionRefused("audit entries are never changed")
        return super().save(*args, **kwargs)

    def content_hash(self) -> str:
        return _content_hash(self.prev_hash, self.at, self.user_id, self.username, self.address, self.action,
                             self.entity, self.entity_id, self.before, self.after, self.reason)

    @property
    def before_data(self):
        return json.loads(self.before) if self.before else None

    @property
    def after_data(self):
        return json.loads(self.after) if self.after else None

    @classmethod
    def head(cls) -> str:
        last = _HEAD_ROW.first()
        return last[1] if last else GENESIS


# built once: peewee's SQL building cost more than the two statements themselves, inside the write lock
_FIELDS = ("at", "user_id", "username", "address", "action", "entity", "entity_id", "before", "after", "reason",
           "prev_hash", "hash")
_HEAD_ROW = Prepared(lambda: AuditEntry.select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc())
                     .limit(1).tuples(), 0)
_HEAD_BEFORE = Prepared(lambda entry_id: AuditEntry.select(AuditEntry.hash).where(AuditEntry.id < entry_id)
                        .order_by(AuditEntry.id.desc()).limit(1).tuples(), 1)
_RELINK = Prepared(lambda prev_hash, new_hash, entry_id: AuditEntry.update(prev_hash=prev_hash, hash=new_hash)
                   .where(AuditEntry.id == entry_id), 3)
_INSERT = Prepared(lambda *values: AuditEntry.insert(**dict(zip(_FIELDS, values, strict=True))), len(_FIELDS))


def record(action: str, entity: str, entity_id, before=None, after=None, reason: str = "",
           actor: Actor | None = None) -> AuditEntry:
    """Append one entry; call inside write_transaction() so the entry commits with the change."""
    if not db.in_transaction():
        raise RuntimeError("audit.record must run inside write_transaction()")
    sqlite = is_sqlite()
    if not sqlite:
        # postgres: serialise chain appends; sqlite already has one writer under BEGIN IMMEDIATE
        db.execute_sql("SELECT pg_advisory_xact_lock(727274)")
    actor = actor or current_actor()
    # the row as a list in _FIELDS order, hashed and inserted as is; the model instance is built once, at the end
    row = [datetime.now(), actor.user_id, actor.username, actor.address or "", action, entity, str(entity_id),
           canonical(before), canonical(after), reason or "", "", ""]
    head = _known_head() if sqlite else (None, AuditEntry.head())
    row[10] = head[1]
    row[11] = _content_hash(row[10], *row[:10])
    entry_id = _INSERT.insert(*row)
    if sqlite and entry_id != head[0] + 1:  # another process appended since this one last committed: link to theirs
        before_row = _HEAD_BEFORE.first(entry_id)
        row[10] = before_row[0] if before_row else GENESIS
        row[11] = _content_hash(row[10], *row[:10])
        _RELINK.run(row[10], row[11], entry_id)
    if sqlite:
        _remember_head(entry_id, row[11])
    return AuditEntry(id=entry_id, **dict(zip(_FIELDS, row, strict=True)))


# sqlite: the chain's head as this process last committed it, so that an append need not read it first.
# Under BEGIN IMMEDIATE nobody else writes during the transaction; a write by another process between two
# transactions shows as a new id other than head + 1 (ids are the rowid: the largest one + 1) and the entry
# is re-linked above. A head appended inside a transaction becomes the known one only when it commits.
_committed_head: tuple = (None, 0, GENESIS)  # (database, id, hash)


def _known_head() -> tuple[int, str]:
    pending = getattr(db.top_transaction(), "audit_head", None)
    if pending is not None:
        return pending
    database, entry_id, entry_hash = _committed_head
    if database is db.obj:
        return entry_id, entry_hash
    row = _HEAD_ROW.first()
    return (row[0], row[1]) if row else (0, GENESIS)


def _remember_head(entry_id: int, entry_hash: str) -> None:
    database = db.obj
    db.top_transaction().audit_head = (entry_id, entry_hash)

    def committed():
        global _committed_head
        _committed_head = (database, entry_id, entry_hash)

    db.after_commit(committed)


@dataclass
class ChainReport:
    ok: bool
    count: int
    first_broken_id: int | None = None
    problem: str = ""


def verify_chain() -> ChainReport:
    """Walk the whole chain; report the first entry whose link or content does not match."""
    previous = GENESIS
    count = 0
    for entry in AuditEntry.select().order_by(AuditEntry.id).iterator():
        count += 1
        if entry.prev_hash != previous:
            return ChainReport(False, count, entry.id, "liên kết với mục trước bị đứt (có mục bị xoá hoặc sửa)")
        if entry.content_hash() != entry.hash:
            return ChainReport(False, count, entry.id, "nội dung mục đã bị sửa sau khi ghi")
        previous = entry.hash
    return ChainReport(True, count)


# --- admin: browsing the log -------------------------------------------------------------------------

import math  # noqa: E402
from datetime import timedelta  # noqa: E402

from peewee import fn  # noqa: E402

PAGE_SIZE = 50

# known actions in Vietnamese; an action not listed is shown as written
ACTION_LABELS = {
    "create": "Tạo mới",
    "update": "Sửa",
    "status": "Đổi trạng thái",
    "enrol": "Xếp lớp",
    "rejoin": "Trở lại lớp",
    "roles": "Đổi vai trò",
    "reset_password": "Đặt lại mật khẩu",
    "change_password": "Đổi mật khẩu",
    "enable": "Mở lại tài khoản",
    "disable": "Vô hiệu hoá tài khoản",
    "lock": "Khoá do nhập sai",
    "unlock": "Mở khoá tài khoản",
    "carry_forward": "Chuyển năm học",
    "set_current": "Đặt năm học hiện tại",
    "seed_demo": "Tạo trường mẫu",
    "member": "Đổi thành viên tổ",
    "head": "Đổi tổ trưởng",
    "homeroom": "Phân công chủ nhiệm",
    "assign": "Phân công giảng dạy",
    "coordinator": "Đổi giáo viên phụ trách chính",
    "unassign": "Bỏ phân công giảng dạy",
    "import": "Nhập danh sách từ Excel",
    "mark": "Nhập điểm",
    "seed_demo_marks": "Tạo điểm mẫu",
    "backup": "Sao lưu dữ liệu",
    "restore": "Khôi phục dữ liệu",
    "attendance": "Điểm danh",
    "confirm": "Xác nhận",
    "registration_number": "Cấp số đăng bộ",
}

ENTITY_LABELS = {
    "account": "Tài khoản",
    "student": "Học sinh",
    "staff": "Cán bộ, giáo viên",
    "school": "Trường",
    "school_year": "Năm học",
    "semester": "Học kì",
    "grade": "Khối",
    "subject": "Môn học",
    "grade_subject": "Môn học của khối",
    "department": "Tổ chuyên môn",
    "school_class": "Lớp",
    "teaching_assignment": "Phân công giảng dạy",
    "student_import": "Nhập danh sách học sinh",
    "lock": "Khoá/mở sổ điểm",
    "entry_window": "Thời gian nhập điểm",
    "mark": "Điểm",
    "backup": "Bản sao lưu",
    "attendance": "Điểm danh",
    "attendance_lock": "Khoá điểm danh",
    "calendar": "Lịch học",
    "attendance_month": "Tháng điểm danh",
    "attendance_delegate": "Người nhập điểm danh thay",
}

# field names of before/after in Vietnamese; others are shown as stored
FIELD_LABELS = {
    "username": "Tên đăng nhập", "roles": "Vai trò", "staff": "Cán bộ", "enabled": "Đang hoạt động",
    "locked_until": "Khoá đến", "full_name": "Họ và tên", "date_of_birth": "Ngày sinh", "gender": "Giới tính",
    "status": "Trạng thái", "effective_on": "Ngày hiệu lực", "other_school": "Trường chuyển đi/đến",
    "class": "Lớp", "year": "Năm học", "joined_on": "Ngày vào lớp", "left_on": "Ngày rời lớp",
    "name": "Tên", "code": "Mã", "position": "Chức vụ", "phone": "Điện thoại", "email": "Thư điện tử",
    "address": "Địa chỉ", "personal_id": "Số định danh cá nhân", "ethnicity": "Dân tộc", "religion": "Tôn giáo",
    "birthplace": "Nơi sinh", "permanent_address": "Địa chỉ thường trú", "current_address": "Chỗ ở hiện nay",
    "policy_family": "Con gia đình chính sách", "father_name": "Họ tên cha", "mother_name": "Họ tên mẹ",
    "guardian_name": "Người giám hộ", "sector_code": "Mã học sinh (CSDL ngành)", "qualification": "Trình độ",
    "periods_per_year": "Số tiết/năm", "teacher": "Giáo viên", "coordinator": "Phụ trách chính",
    "homeroom_teacher": "Giáo viên chủ nhiệm", "current": "Năm học hiện tại", "semesters": "Học kì",
    "starts_on": "Ngày bắt đầu", "ends_on": "Ngày kết thúc", "teaching_weeks": "Số tuần thực học",
    "kind": "Loại môn", "grade": "Khối", "head": "Tổ trưởng", "members": "Thành viên",
    "father_job": "Nghề nghiệp của cha", "father_phone": "Điện thoại của cha",
    "mother_job": "Nghề nghiệp của mẹ", "mother_phone": "Điện thoại của mẹ",
    "guardian_job": "Nghề nghiệp người giám hộ", "guardian_phone": "Điện thoại người giám hộ",
    "classes": "Số lớp", "students": "Số học sinh",
    "file": "Tệp", "sha256": "Mã SHA-256", "size": "Dung lượng (byte)", "pruned": "Bản cũ đã xoá",
    "ok": "Thành công", "folder": "Thư mục", "created_at": "Lập lúc", "replaced": "Bản cũ giữ tại",
    "value": "Giá trị",
}


# the same action word means another thing on another entity (an account's lock vs the grade book's)
ENTITY_ACTION_LABELS = {
    ("lock", "lock"): "Khoá sổ điểm",
    ("lock", "unlock"): "Mở sổ điểm",
    ("lock", "lock_schedule"): "Trả về theo lịch nhập điểm",
    ("entry_window", "create"): "Tạo thời gian nhập điểm",
    ("entry_window", "update"): "Sửa thời gian nhập điểm",
}


def action_label(action: str, entity: str | None = None) -> str:
    return ENTITY_ACTION_LABELS.get((entity, action)) or ACTION_LABELS.get(action, action)


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity)


def _display(key: str, value) -> str:
    """A stored before/after value as a person reads it: dd/mm/yyyy dates, Có/Không, Vietnamese labels."""
    from models.people.accounts import ROLES
    from models.people.records import STAFF_STATUSES, STUDENT_STATUSES

    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, list):
        if key == "roles":  # in the order of ROLES, as the account pages show them
            value = sorted(value, key=lambda r: list(ROLES).index(r) if r in ROLES else len(ROLES))
        return ", ".join(_display(key, v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{FIELD_LABELS.get(k, k)}: {_display(k, v)}" for k, v in value.items())
    if key == "roles":
        return ROLES.get(value, value)
    if key == "status":
        return {**STUDENT_STATUSES, **STAFF_STATUSES}.get(value, value)
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            return datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return value
    return str(value)


@dataclass
class FieldChange:
    key: str
    label: str
    old: str | None  # None: the field was not in `before`
    new: str | None  # None: the field was not in `after`


def field_changes(entry: AuditEntry) -> list[FieldChange]:
    """The entry's before → after values, one line per field, in the order they were written."""
    try:
        before, after = entry.before_data or {}, entry.after_data or {}
    except ValueError:  # not JSON: a row changed by hand; show it raw rather than fail the page
        return [FieldChange("", "Dữ liệu", entry.before or None, entry.after or None)]
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [FieldChange("", "Giá trị", _display("", before) if entry.before else None,
                            _display("", after) if entry.after else None)]
    return [FieldChange(k, FIELD_LABELS.get(k, k),
                        _display(k, before[k]) if k in before else None,
                        _display(k, after[k]) if k in after else None)
            for k in dict.fromkeys([*before, *after])]


@dataclass
class LogFilter:
    """What the admin asked for on the audit page; empty fields do not filter."""

    text: str = ""
    entity: str = ""
    action: str = ""
    username: str = ""
    date_from: date | None = None
    date_to: date | None = None  # inclusive


def _text_condition(text: str):
    """Entity id, username (accent-insensitive) or the name of the person or account an entry is about."""
    from models.people.accounts import User
    from models.people.records import search_staff, search_students
    from models.rules.text import fold

    key = fold(text)
    condition = fn.LOWER(AuditEntry.entity_id) == text.lower()
    if len(text) >= 3:
        condition |= fn.LOWER(AuditEntry.entity_id).contains(text.lower())
    if not key:
        return condition
    words = key.split(" ")
    usernames = [u for u in distinct_values(AuditEntry.username) if all(w in fold(u) for w in words)]
    if usernames:
        condition |= AuditEntry.username.in_(usernames)
    # students and staff are logged by their code, accounts by their id
    codes = [p.code for p in search_students(text, limit=200)] + [p.code for p in search_staff(text, limit=200)]
    if codes:
        condition |= AuditEntry.entity.in_(["student", "staff"]) & AuditEntry.entity_id.in_(codes)
    accounts = [str(u.id) for u in User.select(User.id, User.full_name, User.username)
                if all(w in fold(u.full_name) or w in u.username for w in words)]
    if accounts:
        condition |= (AuditEntry.entity == "account") & AuditEntry.entity_id.in_(accounts)
    return condition


def log_query(f: LogFilter):
    """The entries matching the filter, newest first."""
    q = AuditEntry.select()
    if f.text:
        q = q.where(_text_condition(f.text))
    if f.entity:
        q = q.where(AuditEntry.entity == f.entity)
    if f.action:
        q = q.where(AuditEntry.action == f.action)
    if f.username:
        q = q.where(AuditEntry.username == f.username)
    if f.date_from:
        q = q.where(AuditEntry.at >= datetime.combine(f.date_from, datetime.min.time()))
    if f.date_to:
        q = q.where(AuditEntry.at < datetime.combine(f.date_to + timedelta(days=1), datetime.min.time()))
    return q.order_by(AuditEntry.id.desc())


@dataclass
class LogPage:
    entries: list
    total: int
    page: int
    pages: int


def log_page(f: LogFilter, page: int = 1, per_page: int = PAGE_SIZE) -> LogPage:
    """One page of the filtered log; a page past the end shows the last one."""
    q = log_query(f)
    total = q.count()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    return LogPage(list(q.paginate(page, per_page)), total, page, pages)


def distinct_values(column) -> list[str]:
    """The distinct values of one column, for the filter selects."""
    return [row[0] for row in AuditEntry.select(column).distinct().order_by(column).tuples()]


def entries_about(entity: str, entity_id, limit: int = 100) -> list[AuditEntry]:
    """The latest entries about one thing, newest first."""
    return list(AuditEntry.select()
                .where((AuditEntry.entity == entity) & (AuditEntry.entity_id == str(entity_id)))
                .order_by(AuditEntry.id.desc()).limit(limit))


def neighbours(entry: AuditEntry) -> tuple[AuditEntry | None, AuditEntry | None]:
    """The entries written just before and just after this one."""
    older = AuditEntry.select().where(AuditEntry.id < entry.id).order_by(AuditEntry.id.desc()).first()
    newer = AuditEntry.select().where(AuditEntry.id > entry.id).order_by(AuditEntry.id).first()
    return older, newer
