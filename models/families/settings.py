"""The school's settings for notices to families (one row) and the editable message templates (one per kind)."""
from datetime import datetime

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.audit.log import record
from models.core import BaseModel, sealed, write_transaction
from models.people.accounts import User
from models.people.records import Student
from models.rules.family_sms import GSM7_LIMIT, fill_template, sms_length, sms_text, template_problem

CHANNELS = {
    "print": "In phiếu liên lạc (cắt rời, phát cho học sinh)",
    "export": "Xuất Excel số điện thoại và nội dung (gửi qua nhà mạng)",
    "sms": "Gửi SMS từ điện thoại Android của trường (SMS Gateway for Android)",
}

CHANNEL_SHORT = {"print": "qua phiếu in", "export": "qua tệp Excel", "sms": "qua SMS"}

KINDS = {
    "day": "Nghỉ học, vi phạm trong ngày",
    "monthly_comment": "Nhận xét hằng tháng",
    "result": "Phiếu báo kết quả học tập",
    "health": "Thông báo sức khỏe",
    "fee": "Nhắc nộp các khoản thu",
    "urgent": "Thông báo khẩn của lớp, trường",
}

DEFAULT_TEMPLATES = {
    "day": "{truong} thông báo: em {hoc_sinh} lớp {lop} ngày {ngay} {noi_dung}. GVCN {gvcn}",
    "monthly_comment": "{truong}: nhận xét tháng {thang} của em {hoc_sinh} lớp {lop}: {noi_dung}",
    "result": "{truong}: kết quả học tập của em {hoc_sinh} lớp {lop}: {noi_dung}",
    "health": "{truong}, phòng y tế: em {hoc_sinh} lớp {lop} ngày {ngay}: {noi_dung}",
    "fee": "{truong} nhắc gia đình em {hoc_sinh} lớp {lop}: {noi_dung}",
    "urgent": "{truong} thông báo khẩn tới gia đình em {hoc_sinh} lớp {lop}: {noi_dung}",
}


class FamilySettings(BaseModel):
    """The school's one row: which channel notices go by, and the Android phone's local server."""

    channel = CharField(default="print")  # CHANNELS
    gateway_url = CharField(default="")  # e.g. http://192.168.1.50:8080 (the phone on the school's LAN)
    gateway_login = CharField(default="")
    gateway_password = CharField(default="")
    rate_per_minute = IntegerField(default=20)  # the phone's own carrier limits; 20/min is safe
    max_attempts = IntegerField(default=6)
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=datetime.now)

    class Meta:
        table_name = "family_settings"


class NoticeTemplate(BaseModel):
    """The text of one kind of notice, with {placeholders} (models/rules/family_sms.py PLACEHOLDERS)."""

    kind = CharField(unique=True)
    text = TextField()
    version = IntegerField(default=1)
    updated_by = ForeignKeyField(User, null=True, backref="+")
    updated_at = DateTimeField(default=datetime.now)

    class Meta:
        table_name = "notice_template"


class FamilyPreference(BaseModel):
    """A family's wish: opted out of messages (they are skipped and shown so)."""

    student = ForeignKeyField(Student, unique=True, backref="+")
    opted_out = BooleanField(default=False)
    note = CharField(default="")
    updated_by = ForeignKeyField(User, null=True, backref="+")
    updated_at = DateTimeField(default=datetime.now)

    class Meta:
        table_name = "family_preference"


def current() -> FamilySettings:
    """The school's settings (defaults until the admin saves them: printed slips)."""
    return FamilySettings.select().order_by(FamilySettings.id).first() or FamilySettings(channel="print")


def save_settings(values: dict, expected_version: int | None) -> FamilySettings:
    """Save the admin's form; a stale version (someone else saved meanwhile) is refused."""
    channel = values.get("channel", "")
    if channel not in CHANNELS:
        raise ValueError("Chọn một cách gửi thông báo.")
    url = (values.get("gateway_url") or "").strip().rstrip("/")
    if channel == "sms" and not url.startswith(("http://", "https://")):
        raise ValueError("Nhập địa chỉ máy chủ của điện thoại, ví dụ http://192.168.1.50:8080.")
    try:
        rate = int(values.get("rate_per_minute") or 20)
    except ValueError:
        raise ValueError("Số tin mỗi phút phải là số nguyên.") from None
    if not 1 <= rate <= 120:
        raise ValueError("Số tin mỗi phút phải từ 1 đến 120.")
    with write_transaction():
        row = FamilySettings.select().order_by(FamilySettings.id).first()
        if row is not None and expected_version is not None and row.version != expected_version:
            raise ConflictError("Người khác vừa lưu cài đặt này; tải lại trang để xem.")
        before = _settings_dict(row) if row else None
        row = row or FamilySettings(version=0)
        row.channel, row.gateway_url, row.rate_per_minute = channel, url, rate
        row.gateway_login = (values.get("gateway_login") or "").strip()
        if values.get("gateway_password"):  # blank keeps the stored password; sealed, never stored as typed
            row.gateway_password = sealed.seal(values["gateway_password"])
        row.version += 1
        row.updated_at = datetime.now()
        row.save()
        record("update", "family_settings", row.id, before=before, after=_settings_dict(row))
    return row


def gateway_password(row: FamilySettings) -> str:
    """The phone's password as typed (sealed in the database, models/core/sealed.py); raises
    sealed.UnreadableSecret with a Vietnamese message when SECRET_KEY changed since it was saved."""
    return sealed.unseal(row.gateway_password)


def _settings_dict(row: FamilySettings) -> dict:
    # the password itself never goes to the log
    return {"channel": row.channel, "gateway_url": row.gateway_url, "gateway_login": row.gateway_login,
            "rate_per_minute": row.rate_per_minute, "password_set": bool(row.gateway_password)}


class ConflictError(ValueError):
    """Someone else changed the thing since the page was loaded (answered 409)."""


def template_text(kind: str) -> str:
    row = NoticeTemplate.get_or_none(NoticeTemplate.kind == kind)
    return row.text if row else DEFAULT_TEMPLATES[kind]


def templates() -> list[tuple[str, str, str, int]]:
    """(kind, label, text, version) for every kind, in KINDS order."""
    rows = {t.kind: t for t in NoticeTemplate.select()}
    return [(k, label, rows[k].text if k in rows else DEFAULT_TEMPLATES[k], rows[k].version if k in rows else 0)
            for k, label in KINDS.items()]


SAMPLE = {"hoc_sinh": "Nguyễn Thị Phương Thảo", "lop": "6A1", "ngay": "02/12/2024", "thang": "12/2024",
          "noi_dung": "nghỉ học không phép buổi sáng", "truong": "Trường THCS Bình Minh",
          "gvcn": "Trần Thị Hồng Nhung"}


def check_template(text: str) -> str | None:
    """Why the template cannot be saved: a bad placeholder, or a sample notice longer than one SMS."""
    problem = template_problem(text)
    if problem:
        return problem
    length = sms_length(sms_text(fill_template(text, SAMPLE)))
    if length.count > GSM7_LIMIT:
        return (f"Mẫu tin quá dài: với một học sinh có tên dài, tin nhắn không dấu dài {length.count} ký tự, "
                f"quá {GSM7_LIMIT} ký tự của một tin SMS.")
    return None


def save_template(kind: str, text: str, expected_version: int, user: User | None) -> NoticeTemplate:
    if kind not in KINDS:
        raise ValueError("Không có loại thông báo này.")
    text = " ".join((text or "").split())
    problem = check_template(text)
    if problem:
        raise ValueError(problem)
    with write_transaction():
        row = NoticeTemplate.get_or_none(NoticeTemplate.kind == kind)
        if (row.version if row else 0) != expected_version:
            raise ConflictError("Người khác vừa sửa mẫu tin này; tải lại trang để xem bản mới.")
        before = {"text": row.text if row else DEFAULT_TEMPLATES[kind]}
        row = row or NoticeTemplate(kind=kind, version=0)
        row.text, row.updated_by, row.updated_at = text, user, datetime.now()
        row.version += 1
        row.save()
        record("update", "notice_template", kind, before=before, after={"text": text})
    return row


def opted_out_ids(student_ids: list[int]) -> set[int]:
    if not student_ids:
        return set()
    return {p.student_id for p in FamilyPreference.select(FamilyPreference.student)
            .where(FamilyPreference.student.in_(student_ids) & FamilyPreference.opted_out)}


def set_opt_out(student: Student, opted_out: bool, note: str, user: User | None) -> None:
    """Record that the family asked not to receive messages (or no longer)."""
    note = " ".join((note or "").split())[:200]
    with write_transaction():
        row = FamilyPreference.get_or_none(FamilyPreference.student == student)
        before = {"opted_out": row.opted_out, "note": row.note} if row else {"opted_out": False}
        if row is None:
            row = FamilyPreference(student=student)
        row.opted_out, row.note, row.updated_by, row.updated_at = opted_out, note, user, datetime.now()
        row.save()
        record("update", "family_preference", student.code, before=before,
               after={"opted_out": opted_out, "note": note})
