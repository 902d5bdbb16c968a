"""Sổ ghi chép nội dung sinh hoạt chuyên môn (seed 004 B.III.3–5): the department's meetings. The head of department
drafts the agenda and sends it to the members before the meeting; at the meeting they tick who attended and write
what was discussed, the chair's conclusions and the points agreed; closing the minutes shows the agreed points to
every member. Closed minutes are not edited again. Printed as an A4 book (models/printing via the one renderer).
"""
from datetime import date, datetime

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.audit.log import record
from models.core import BaseModel, KeptModel, write_transaction
from models.people.records import Staff
from models.school.structure import Department, DepartmentMember, SchoolYear
from models.teaching.lesson_plans import Conflict, text_block

DRAFT, AGENDA_SENT, CLOSED = "draft", "agenda_sent", "closed"
STATES = {DRAFT: "Đang soạn", AGENDA_SENT: "Đã gửi dự kiến nội dung", CLOSED: "Đã chốt biên bản"}
TEXTS = ("agenda", "discussion", "conclusions", "agreed")
MAX_TEXT = 20000


class DepartmentMeeting(KeptModel):
    department = ForeignKeyField(Department, backref="+")
    year = ForeignKeyField(SchoolYear, backref="+")
    meeting_date = DateField()
    chair = ForeignKeyField(Staff, null=True, backref="+")
    agenda = TextField(default="")
    agenda_sent_at = DateTimeField(null=True)
    discussion = TextField(default="")
    conclusions = TextField(default="")
    agreed = TextField(default="")
    state = CharField(max_length=12, default=DRAFT)
    closed_at = DateTimeField(null=True)
    revision = IntegerField(default=1)
    created_at = DateTimeField(default=datetime.now)

    class Meta:
        indexes = ((("department", "meeting_date"), False),)

    @property
    def state_label(self) -> str:
        return STATES.get(self.state, self.state)


class MeetingAttendance(BaseModel):
    """A member ticked as present at a meeting (unticked before the minutes close: the row goes)."""

    meeting = ForeignKeyField(DepartmentMeeting, backref="attendance")
    staff = ForeignKeyField(Staff, backref="+")

    class Meta:
        indexes = ((("meeting", "staff"), True),)


def members(department: Department) -> list[Staff]:
    return sorted(Staff.select().join(DepartmentMember).where(DepartmentMember.department == department),
                  key=lambda s: (s.name_fold.split(" ")[-1:], s.name_fold))


def department_of_member(staff_id: int | None) -> Department | None:
    if staff_id is None:
        return None
    row = (DepartmentMember.select(DepartmentMember, Department).join(Department)
           .where(DepartmentMember.staff == staff_id).first())
    return row.department if row else None


def meetings_of(department: Department, year: SchoolYear) -> list[DepartmentMeeting]:
    return list(DepartmentMeeting.select().where((DepartmentMeeting.department == department)
                                                 & (DepartmentMeeting.year == year))
                .order_by(DepartmentMeeting.meeting_date, DepartmentMeeting.id))


def attendees(meeting: DepartmentMeeting) -> list[Staff]:
    return sorted(Staff.select().join(MeetingAttendance).where(MeetingAttendance.meeting == meeting),
                  key=lambda s: (s.name_fold.split(" ")[-1:], s.name_fold))


def for_member(department: Department, year: SchoolYear) -> tuple[list[DepartmentMeeting], list[DepartmentMeeting]]:
    """What a member sees: the agendas sent for meetings not yet closed, and the closed meetings' agreed points."""
    rows = meetings_of(department, year)
    return [m for m in rows if m.state == AGENDA_SENT], [m for m in rows if m.state == CLOSED][::-1]


def _check(meeting: DepartmentMeeting, revision: int | None) -> None:
    if revision is not None and meeting.revision != revision:
        raise Conflict("Biên bản này vừa được người khác thay đổi. Hãy tải lại trang để xem bản mới nhất.")
    if meeting.state == CLOSED:
        raise ValueError("Biên bản đã chốt: không sửa được.")


def _values(meeting_date: date, texts: dict) -> dict:
    out = {k: text_block(texts.get(k)) for k in TEXTS}
    if any(len(v) > MAX_TEXT for v in out.values()):
        raise ValueError(f"Nội dung quá dài: tối đa {MAX_TEXT} kí tự mỗi phần.")
    return {"meeting_date": meeting_date, **out}


def _snapshot(meeting: DepartmentMeeting, present: list[int]) -> dict:
    return {"meeting_date": meeting.meeting_date, **{k: getattr(meeting, k) for k in TEXTS},
            "attendees": sorted(present), "state": meeting.state}


def create(department: Department, year: SchoolYear, meeting_date: date, texts: dict, chair: Staff,
           now: datetime | None = None) -> DepartmentMeeting:
    values = _values(meeting_date, texts)
    with write_transaction():
        meeting = DepartmentMeeting.create(department=department, year=year, chair=chair, **values,
                                           created_at=now or datetime.now())
        record("create", "department_meeting", meeting.id, after=_snapshot(meeting, []))
    return meeting


def save(meeting: DepartmentMeeting, meeting_date: date, texts: dict, present: list[int], revision: int | None,
         then: str | None = None, now: datetime | None = None) -> DepartmentMeeting:
    """Write the minutes and who attended (only members of the department may be ticked); then, in the same
    transaction, send the agenda (then="send_agenda") or close the minutes (then="close"): a refusal writes nothing."""
    values = _values(meeting_date, texts)
    allowed = {s.id for s in members(meeting.department)}
    present = sorted({p for p in present if p in allowed})
    with write_transaction():
        meeting = DepartmentMeeting.get_by_id(meeting.id)
        _check(meeting, revision)
        before = _snapshot(meeting, [a.staff_id for a in meeting.attendance])
        for key, value in values.items():
            setattr(meeting, key, value)
        meeting.revision += 1
        meeting.save()
        MeetingAttendance.delete().where(MeetingAttendance.meeting == meeting).execute()
        for staff_id in present:
            MeetingAttendance.create(meeting=meeting, staff=staff_id)
        record("update", "department_meeting", meeting.id, before=before, after=_snapshot(meeting, present))
        if then == "send_agenda":
            _send_agenda(meeting, now)
        elif then == "close":
            _close(meeting, now)
    return meeting


def send_agenda(meeting: DepartmentMeeting, revision: int | None, now: datetime | None = None) -> DepartmentMeeting:
    """The draft agenda goes to every member (their page shows it until the minutes close)."""
    with write_transaction():
        meeting = DepartmentMeeting.get_by_id(meeting.id)
        _check(meeting, revision)
        _send_agenda(meeting, now)
    return meeting


def _send_agenda(meeting: DepartmentMeeting, now: datetime | None) -> None:
    if not meeting.agenda:
        raise ValueError("Hãy viết dự kiến nội dung họp trước khi gửi.")
    meeting.state, meeting.agenda_sent_at = AGENDA_SENT, now or datetime.now()
    meeting.revision += 1
    meeting.save()
    record("send_agenda", "department_meeting", meeting.id, after={"agenda": meeting.agenda})


def close(meeting: DepartmentMeeting, revision: int | None, now: datetime | None = None) -> DepartmentMeeting:
    """Close the minutes: the agreed points go to every member; nothing is edited afterwards."""
    with write_transaction():
        meeting = DepartmentMeeting.get_by_id(meeting.id)
        _check(meeting, revision)
        _close(meeting, now)
    return meeting


def _close(meeting: DepartmentMeeting, now: datetime | None) -> None:
    missing = [label for key, label in (("discussion", "nội dung thảo luận"), ("conclusions", "kết luận"),
                                        ("agreed", "nội dung đã thống nhất")) if not getattr(meeting, key)]
    if missing:
        raise ValueError("Chưa chốt được biên bản: còn thiếu " + ", ".join(missing) + ".")
    if not MeetingAttendance.select().where(MeetingAttendance.meeting == meeting).exists():
        raise ValueError("Chưa chốt được biên bản: hãy đánh dấu những người dự họp.")
    before = {"state": meeting.state}
    meeting.state, meeting.closed_at = CLOSED, now or datetime.now()
    meeting.revision += 1
    meeting.save()
    record("close_minutes", "department_meeting", meeting.id, before=before,
           after={"state": meeting.state, "agreed": meeting.agreed})
