"""Notices to families: one row per notice, from its making to its delivery state. Never deleted.

States (STATES): pending (chờ gửi) → sending (đang gửi, only the SMS sender) → sent (đã gửi: handed over
printed, exported to the provider, or accepted by the phone) → delivered (đã nhận, the phone's delivery
report); failed (lỗi) with the reason; skipped (bỏ qua) when the family opted out. Each notice carries an
idempotency key, which is the message id given to the SMS gateway (models/families/sender.py).
"""
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from peewee import (
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    TextField,
)

from models.audit.log import record
from models.core import KeptModel, write_transaction
from models.discipline.conduct import day_violations
from models.families import settings
from models.families.settings import KINDS, ConflictError
from models.people.accounts import User
from models.people.records import Staff, Student
from models.rules.dates import format_date
from models.rules.family_sms import GSM7_LIMIT, fill_template, normalise_mobile, sms_length, sms_text
from models.school.structure import School, SchoolClass, class_roster

STATES = {"pending": "Chờ gửi", "sending": "Đang gửi", "sent": "Đã gửi", "delivered": "Đã nhận",
          "failed": "Lỗi", "skipped": "Bỏ qua"}
CONTACTS = {"mother": "Mẹ", "father": "Cha", "guardian": "Người giám hộ"}
SESSIONS = {1: "buổi sáng", 2: "buổi chiều"}
ABSENCE = {"P": "nghỉ học có phép", "K": "nghỉ học không phép"}


class FamilyNotice(KeptModel):
    student = ForeignKeyField(Student, backref="+")
    school_class = ForeignKeyField(SchoolClass, backref="+")
    kind = CharField()  # settings.KINDS
    day = DateField()  # the day the notice is about
    source = CharField(default="")  # what it was made from ("attendance", "manual:…"): one day notice per student
    contact = CharField(default="")  # CONTACTS: whose phone
    phone = CharField(default="")  # normalised 0xxxxxxxxx, or as typed when it is not valid
    phone_problem = CharField(default="")  # why the phone cannot receive an SMS
    text = TextField()  # the full Vietnamese text (printed slips, Excel)
    state = CharField(default="pending")  # STATES
    channel = CharField(default="")  # how it went out (settings.CHANNELS), set when sent
    key = CharField(max_length=36, unique=True)  # idempotency key = the gateway's message id
    created_by = ForeignKeyField(User, null=True, backref="+")
    created_at = DateTimeField(default=datetime.now)
    queued_at = DateTimeField(null=True)  # "Gửi" pressed: the SMS sender may take it
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(null=True)
    sent_at = DateTimeField(null=True)
    delivered_at = DateTimeField(null=True)
    error = TextField(default="")
    gateway_state = CharField(default="")
    version = IntegerField(default=1)

    class Meta:
        table_name = "family_notice"
        indexes = (
            (("student", "kind", "day", "source"), True),
            (("school_class", "day"), False),
            (("state", "next_attempt_at"), False),
            (("created_by", "created_at"), False),
        )

    @property
    def state_label(self) -> str:
        return STATES.get(self.state, self.state)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def contact_label(self) -> str:
        return CONTACTS.get(self.contact, "")

    @property
    def sms(self) -> str:
        return sms_text(self.text)

    @property
    def sms_length_label(self) -> str:
        return sms_length(self.sms).label


def family_contact(student: Student) -> tuple[str, str, str]:
    """(contact, phone, problem): the first of mother's, father's, guardian's phone that is a valid mobile;
    if none is, the first one given with why it is not."""
    given = [(c, getattr(student, f"{c}_phone") or "") for c in CONTACTS]
    given = [(c, p) for c, p in given if p.strip()]
    first_problem = None
    for contact, phone in given:
        try:
            return contact, normalise_mobile(phone), ""
        except ValueError as why:
            first_problem = first_problem or (contact, phone.strip(), str(why))
    if first_problem:
        return first_problem
    return "", "", "Hồ sơ học sinh chưa có số điện thoại của cha, mẹ hoặc người giám hộ."


def template_values(school_class: SchoolClass, student: Student | None, day: date, content: str) -> dict:
    """What each placeholder of a template stands for in this notice."""
    school = School.select().first()
    teacher = Staff.get_or_none(Staff.id == school_class.homeroom_teacher_id) if school_class.homeroom_teacher_id else None
    return {"hoc_sinh": student.full_name if student else "", "lop": school_class.name, "ngay": format_date(day),
            "thang": f"{day.month:02d}/{day.year}", "noi_dung": content, "truong": school.name if school else "",
            "gvcn": teacher.full_name if teacher else ""}


def compose(kind: str, school_class: SchoolClass, student: Student, day: date, content: str) -> str:
    return fill_template(settings.template_text(kind), template_values(school_class, student, day, content))


def _too_long(text: str) -> str | None:
    length = sms_length(sms_text(text))
    if settings.current().channel == "sms" and length.count > GSM7_LIMIT:
        return f"dài {length.count} ký tự, quá {GSM7_LIMIT} ký tự của một tin SMS"
    return None


def _create(kind: str, school_class: SchoolClass, student: Student, day: date, source: str, text: str,
            user: User | None, opted_out: bool) -> FamilyNotice:
    contact, phone, problem = family_contact(student)
    notice = FamilyNotice.create(
        student=student, school_class=school_class, kind=kind, day=day, source=source, contact=contact,
        phone=phone, phone_problem=problem, text=text, state="skipped" if opted_out else "pending",
        key=uuid.uuid4().hex, created_by=user, error="Gia đình đã đề nghị không nhận tin nhắn." if opted_out else "")
    record("create", "family_notice", notice.id, after={
        "student": student.code, "kind": kind, "day": day, "text": text, "phone": phone,
        "state": notice.state, "key": notice.key})
    return notice


# --- the day's absences and violations ---------------------------------------------------------------

def day_absences(school_class: SchoolClass, day: date) -> dict[int, str]:
    """Student id → what to tell the family of the day's absences ("nghỉ học không phép buổi sáng")."""
    from models.attendance.register import AttendanceMark

    marks = (AttendanceMark.select(AttendanceMark.student, AttendanceMark.session, AttendanceMark.value)
             .where((AttendanceMark.school_class == school_class) & (AttendanceMark.day == day)
                    & AttendanceMark.value.is_null(False)).order_by(AttendanceMark.session))
    by_student: dict[int, list[str]] = {}
    for mark in marks:
        by_student.setdefault(mark.student_id, []).append(
            f"{ABSENCE.get(mark.value, 'nghỉ học')} {SESSIONS.get(mark.session, '')}".strip())
    return {sid: ", ".join(parts) for sid, parts in by_student.items()}


@dataclass
class DayDraft:
    """One student's notice of the day before it is made: who, to which phone, what it says."""

    student: Student
    content: str
    text: str
    contact: str
    phone: str
    phone_problem: str
    opted_out: bool
    existing: FamilyNotice | None

    @property
    def sms_label(self) -> str:
        return sms_length(sms_text(self.text)).label

    @property
    def too_long(self) -> bool:
        return sms_length(sms_text(self.text)).count > GSM7_LIMIT


def day_violation_texts(school_class: SchoolClass, day: date) -> dict[int, list[str]]:
    """student id → the names of the day's violations recorded for them (withdrawn ones left out)."""
    return {student.id: [r.item.name for r in records]
            for student, records in day_violations(day, school_class).items()}


def day_drafts(school_class: SchoolClass, day: date,
               violations: dict[int, list[str]] | None = None) -> list[DayDraft]:
    """The day's notices as they would be made: each student absent (attendance) or with violations.

    `violations` (student id → the day's violation texts) defaults to what the giám thị and the GVCN recorded
    that day (models/discipline, day_violation_texts)."""
    absences = day_absences(school_class, day)
    if violations is None:
        violations = day_violation_texts(school_class, day)
    violations = {sid: [t for t in texts if t.strip()] for sid, texts in (violations or {}).items()}
    roster = [e for e in class_roster(school_class) if not e.has_left]
    ids = [e.student.id for e in roster]
    opted = settings.opted_out_ids(ids)
    existing = {n.student_id: n for n in FamilyNotice.select().where(
        (FamilyNotice.school_class == school_class) & (FamilyNotice.day == day) & (FamilyNotice.kind == "day")
        & (FamilyNotice.source == "attendance"))}
    drafts = []
    for entry in roster:
        sid = entry.student.id
        parts = ([absences[sid]] if sid in absences else []) + (
            ["vi phạm: " + "; ".join(violations[sid])] if violations.get(sid) else [])
        if not parts:
            continue
        content = "; ".join(parts)
        contact, phone, problem = family_contact(entry.student)
        drafts.append(DayDraft(entry.student, content, compose("day", school_class, entry.student, day, content),
                               contact, phone, problem, sid in opted, existing.get(sid)))
    return drafts


def create_day_notices(school_class: SchoolClass, day: date, user: User | None,
                       violations: dict[int, list[str]] | None = None) -> list[FamilyNotice]:
    """Make the day's notice for each student absent or with violations who has none yet for that day.

    A family that opted out gets a notice in state "bỏ qua" (so the page shows it was skipped)."""
    drafts = [d for d in day_drafts(school_class, day, violations) if d.existing is None]
    if settings.current().channel == "sms":
        long = [d.student.full_name for d in drafts if d.too_long]
        if long:
            raise ValueError(f"Tin nhắn quá {GSM7_LIMIT} ký tự với: {', '.join(long)}. Rút gọn mẫu tin "
                             "“Nghỉ học, vi phạm trong ngày” (Quản trị › Thông báo gia đình).")
    made = []
    try:
        with write_transaction():
            for d in drafts:
                made.append(_create("day", school_class, d.student, day, "attendance", d.text, user, d.opted_out))
    except IntegrityError:  # a second press at the same moment made them first
        raise ValueError("Thông báo trong ngày vừa được lập (bấm hai lần?); tải lại trang để xem.") from None
    return made


# --- a notice written by hand: the monthly comment, the result slip, an urgent notice ------------------

def create_notices(kind: str, school_class: SchoolClass, contents: list[tuple[Student, str]], day: date,
                   user: User | None, source: str = "") -> list[FamilyNotice]:
    """One notice of `kind` to each student's family, its text from the kind's template with that student's
    content. With a `source`, a student who already has that day's notice of that source gets no second one;
    without, each call is its own (source "manual:…")."""
    if kind not in KINDS:
        raise ValueError("Chọn loại thông báo.")
    contents = [(s, " ".join((c or "").split())) for s, c in contents]
    if any(not c for _, c in contents):
        raise ValueError("Chưa nhập nội dung thông báo.")
    if not contents:
        raise ValueError("Chọn ít nhất một học sinh.")
    source = source or "manual:" + uuid.uuid4().hex[:12]
    texts = {s.id: compose(kind, school_class, s, day, c) for s, c in contents}
    for s, _ in contents:
        why = _too_long(texts[s.id])
        if why:
            raise ValueError(f"Tin gửi gia đình em {s.full_name} {why}: rút gọn nội dung.")
    opted = settings.opted_out_ids([s.id for s, _ in contents])
    with write_transaction():
        made_before = {n.student_id for n in FamilyNotice.select(FamilyNotice.student).where(
            (FamilyNotice.kind == kind) & (FamilyNotice.day == day) & (FamilyNotice.source == source)
            & FamilyNotice.student.in_([s.id for s, _ in contents]))}
        return [_create(kind, school_class, s, day, source, texts[s.id], user, s.id in opted)
                for s, _ in contents if s.id not in made_before]


def create_notice(kind: str, school_class: SchoolClass, students: list[Student], day: date, content: str,
                  user: User | None) -> list[FamilyNotice]:
    """One notice of `kind` with the same content to each student's family (the class's urgent notice …)."""
    content = " ".join((content or "").split())
    if not content:
        raise ValueError("Chưa nhập nội dung thông báo.")
    if not students:
        raise ValueError("Chọn ít nhất một học sinh.")
    return create_notices(kind, school_class, [(s, content) for s in students], day, user)


def create_fee_reminders(school_class: SchoolClass, day: date, user: User | None) -> list[FamilyNotice]:
    """The accountant's reminder to each family of the class that still owes: how much is left to pay.
    Once a day per student."""
    from models.finance.payments import class_balances
    from models.rules.money import format_vnd

    owing = [b for b in class_balances(school_class) if b.owed > 0 and not b.left]
    if not owing:
        return []
    return create_notices("fee", school_class, [
        (b.student, f"các khoản thu của nhà trường còn {format_vnd(b.owed)} chưa nộp, kính mong gia đình nộp tại "
                    "phòng kế toán") for b in owing], day, user, source="fee")


# --- state changes ---------------------------------------------------------------------------------

def set_state(notice: FamilyNotice, state: str, action: str, **fields) -> None:
    """Change a notice's state in the caller's write transaction, with its audit entry."""
    before = {"state": notice.state}
    notice.state = state
    for name, value in fields.items():
        setattr(notice, name, value)
    notice.version += 1
    notice.save()
    after = {"state": state}
    if fields.get("error"):
        after["error"] = fields["error"]
    if fields.get("channel"):
        after["channel"] = fields["channel"]
    record(action, "family_notice", notice.id, before=before, after=after)


def class_notices(school_class: SchoolClass, day: date | None = None, states: tuple[str, ...] = ()) -> list[FamilyNotice]:
    query = (FamilyNotice.select(FamilyNotice, Student).join(Student)
             .where(FamilyNotice.school_class == school_class).order_by(FamilyNotice.id))
    if day is not None:
        query = query.where(FamilyNotice.day == day)
    if states:
        query = query.where(FamilyNotice.state.in_(states))
    return list(query)


def mark_handed_over(notices: list[FamilyNotice], channel: str) -> int:
    """Printed slips handed out, or rows exported to the provider: pending → sent (đã gửi)."""
    done = 0
    with write_transaction():
        for notice in notices:
            fresh = FamilyNotice.get_by_id(notice.id)
            if fresh.state != "pending":
                continue
            if channel == "export" and fresh.phone_problem:
                set_state(fresh, "failed", "notice_failed", error=fresh.phone_problem, channel=channel)
                continue
            set_state(fresh, "sent", "notice_sent", channel=channel, sent_at=datetime.now())
            done += 1
    return done


def queue_for_sms(notices: list[FamilyNotice]) -> tuple[int, int, int]:
    """"Gửi" on the SMS channel: pending notices go to the sender's queue; those whose phone cannot get
    an SMS fail at once with the reason; those longer than one SMS stay pending for their text to be
    shortened. Returns (queued, failed, too long)."""
    queued = failed = too_long = 0
    now = datetime.now()
    with write_transaction():
        for notice in notices:
            fresh = FamilyNotice.get_by_id(notice.id)
            if fresh.state != "pending" or fresh.queued_at is not None:
                continue
            if fresh.phone_problem:
                set_state(fresh, "failed", "notice_failed", error=fresh.phone_problem, channel="sms")
                failed += 1
                continue
            if sms_length(fresh.sms).count > GSM7_LIMIT:
                too_long += 1
                continue
            fresh.queued_at, fresh.next_attempt_at = now, now
            set_state(fresh, "pending", "notice_queue", channel="sms")
            queued += 1
    return queued, failed, too_long


def edit_text(notice: FamilyNotice, text: str, expected_version: int) -> FamilyNotice:
    """Correct a pending notice's text before it goes out; refused once it is on its way or if stale."""
    text = " ".join((text or "").split())
    if not text:
        raise ValueError("Nội dung thông báo không được để trống.")
    with write_transaction():
        fresh = FamilyNotice.get_by_id(notice.id)
        if fresh.version != expected_version:
            raise ConflictError("Thông báo này vừa được người khác sửa hoặc đã gửi; tải lại trang để xem.")
        if fresh.state != "pending" or fresh.queued_at is not None:
            raise ValueError("Thông báo đã gửi hoặc đang chờ máy gửi, không sửa được nữa.")
        why = _too_long(text)
        if why:
            raise ValueError(f"Nội dung {why}.")
        before = {"text": fresh.text}
        fresh.text = text
        fresh.version += 1
        fresh.save()
        record("update", "family_notice", fresh.id, before=before, after={"text": text})
    return fresh
