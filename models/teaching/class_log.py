"""The class log (sổ ghi đầu bài): per class, day and period of the timetable, the lesson taught (PPCT
number and title, pre-filled from the teacher's schedule), the absent students (pre-filled from the day's
attendance), the teacher's remarks and rating, confirmed by the teacher who taught it; the week signed by
the vice-principal or principal.

Who writes: the teacher of the period in the timetable, or a teacher who taught it instead (dạy thay),
recorded as such; the first of them to write the period owns it. A period not taught carries its reason
instead of a rating. After the week is signed nothing in it changes. To correct it, the teacher who wrote
the period files a request saying what is wrong (ClassLogRequest); the vice-principal or principal approves
it, which reopens the week (the signature withdrawn, audited with who had signed and the request as the
reason), or refuses it with an answer; the teacher corrects the period and the week is signed again. The heads
may also reopen a week themselves with a reason. The request's steps are the grade book's (file → decide →
apply) without its value columns, which hold a mark or an absence, not a lesson's text.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from models.attendance.register import AttendanceMark
from models.audit.log import record
from models.core import write_transaction
from models.people.accounts import User
from models.people.records import Staff
from models.rules import class_log as rules
from models.rules import timetable as tt
from models.rules.dates import format_date
from models.school.calendar import page_day
from models.school.structure import SchoolClass, SchoolYear, Subject, TeachingAssignment, class_roster
from models.teaching import ppct, schedule
from models.teaching.class_log_book import ClassLogEntry, ClassLogRequest, ClassLogWeek
from models.teaching.timetable import slots_of_class_day, version_on


class Conflict(ValueError):
    """Written by someone else since the form was shown (409)."""


@dataclass
class PeriodView:
    """One period of a class's day: the timetable's lesson, the entry when written, what pre-fills it."""

    school_class: SchoolClass
    day: date
    period: int
    subject: Subject
    planned_teacher: Staff | None
    entry: ClassLogEntry | None
    lesson_no: int | None = None
    title: str = ""
    absent_ids: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return tt.period_label(self.period)

    @property
    def key(self) -> str:
        return f"{self.school_class.id}-{self.day.isoformat()}-{self.period}"


# --- reading -------------------------------------------------------------------------------------------

def signed(school_class_id: int, day: date) -> ClassLogWeek | None:
    return ClassLogWeek.get_or_none((ClassLogWeek.school_class == school_class_id)
                                    & (ClassLogWeek.week_start == tt.week_start(day)))


def _absent_from_attendance(school_class_id: int, day: date, session: int) -> list[int]:
    return [s for (s,) in AttendanceMark.select(AttendanceMark.student)
            .where((AttendanceMark.school_class == school_class_id) & (AttendanceMark.day == day)
                   & (AttendanceMark.session == session) & AttendanceMark.value.in_(["P", "K"])).tuples()]


def _entries(school_class_id: int, start: date, end: date) -> dict[tuple[date, int], ClassLogEntry]:
    rows = (ClassLogEntry.select().where((ClassLogEntry.school_class == school_class_id)
                                         & (ClassLogEntry.day >= start) & (ClassLogEntry.day <= end)))
    return {(e.day, e.period): e for e in rows}


def class_day(school_class: SchoolClass, day: date, prefill: bool = True) -> list[PeriodView]:
    """The class's periods of a day from the timetable (and any entry written for a period since removed)."""
    year = school_class.year
    if not schedule.school_days(year, day, day):
        return []
    version = version_on(year, day)
    slots = slots_of_class_day(version, school_class.id, day.weekday()) if version else []
    entries = _entries(school_class.id, day, day)
    teachers = {s.id: s for s in Staff.select().where(Staff.id.in_(
        [s.assignment.teacher_id for s in slots] + [e.teacher_id for e in entries.values()] or [0]))}
    views = []
    for slot in slots:
        views.append(PeriodView(school_class, day, slot.period, slot.assignment.subject,
                                teachers.get(slot.assignment.teacher_id), entries.pop((day, slot.period), None)))
    for (_day, period), entry in entries.items():
        views.append(PeriodView(school_class, day, period, entry.subject, teachers.get(entry.planned_teacher_id),
                                entry))
    views.sort(key=lambda v: v.period)
    if prefill:
        weeks: dict = {}
        for view in views:
            _prefill(view, weeks)
    return views


def _prefill(view: PeriodView, weeks: dict | None = None) -> None:
    """The entry's values, or the planned teacher's schedule and the day's attendance; `weeks` keeps each
    teacher's week once per page (generating one walks the year's timetable)."""
    if view.entry is not None:
        view.lesson_no, view.title, view.absent_ids = view.entry.lesson_no, view.entry.title, view.entry.absent_ids
        return
    if view.planned_teacher is not None:
        weeks = {} if weeks is None else weeks
        key = (view.planned_teacher.id, tt.week_start(view.day))
        if key not in weeks:
            weeks[key] = schedule.week_lessons(view.planned_teacher, view.day)
        for lesson in weeks[key]:
            if lesson.day == view.day and lesson.period == view.period:
                view.lesson_no, view.title = lesson.lesson_no, lesson.title
                break
    view.absent_ids = _absent_from_attendance(view.school_class.id, view.day, tt.session_of(view.period))


def teacher_day(staff: Staff, day: date, year: SchoolYear | None = None) -> list[PeriodView]:
    """The periods a teacher teaches on a day (their timetable's) and those they wrote as a substitute."""
    year = year or SchoolYear.current()
    class_ids = {s.school_class_id for s in
                 TeachingAssignment.select(TeachingAssignment.school_class).join(SchoolClass)
                 .where((TeachingAssignment.teacher == staff) & (SchoolClass.year == year))}
    class_ids |= {e.school_class_id for e in ClassLogEntry.select(ClassLogEntry.school_class)
                  .where((ClassLogEntry.teacher == staff) & (ClassLogEntry.day == day))}
    out, weeks = [], {}
    for school_class in SchoolClass.select().where(SchoolClass.id.in_(list(class_ids) or [0])):
        for view in class_day(school_class, day, prefill=False):
            mine = (view.planned_teacher is not None and view.planned_teacher.id == staff.id) or (
                view.entry is not None and view.entry.teacher_id == staff.id)
            if mine:
                _prefill(view, weeks)
                out.append(view)
    out.sort(key=lambda v: (v.period, v.school_class.name))
    return out


def class_week(school_class: SchoolClass, monday: date) -> list[tuple[date, list[PeriodView]]]:
    """The class's school days of the week with their periods (as written, or as the timetable has them)."""
    days = schedule.school_days(school_class.year, monday, monday + timedelta(days=6))
    return [(day, class_day(school_class, day, prefill=False)) for day in days]


def student_names(school_class: SchoolClass) -> dict[int, str]:
    return {e.student.id: e.student.full_name for e in class_roster(school_class)}


# --- writing -------------------------------------------------------------------------------------------

def save_entry(school_class: SchoolClass, day: date, period: int, staff: Staff, user: User, values: dict,
               expected_version: int, substitute: bool = False, now: datetime | None = None) -> ClassLogEntry:
    """Write (or rewrite) one period. ValueError with the reason; Conflict when it changed meanwhile.
    values: lesson_no, title, absent (student ids), remarks, rating, not_taught (a reason)."""
    view = next((v for v in class_day(school_class, day, prefill=False) if v.period == period), None)
    if view is None:
        raise ValueError(f"Lớp {school_class.name} không có {tt.period_label(period)} ngày {format_date(day)} "
                         f"trong thời khoá biểu.")
    planned_id = view.planned_teacher.id if view.planned_teacher else None
    owner = view.entry.teacher_id if view.entry else None
    if owner is not None and owner != staff.id:
        raise PermissionError(f"Tiết này đã được giáo viên {view.entry.teacher.full_name} ghi.")
    if owner is None and planned_id != staff.id and not substitute:
        raise PermissionError("Đây không phải tiết của thầy/cô; nếu dạy thay, hãy chọn “Ghi tiết dạy thay”.")
    if signed(school_class.id, day):
        raise ValueError("Tuần này của sổ ghi đầu bài đã được ký duyệt; không sửa được nữa. "
                         "Muốn sửa, hãy đề nghị Ban giám hiệu mở lại tuần (ghi rõ lí do).")
    reason = " ".join((values.get("not_taught") or "").split())
    remarks = (values.get("remarks") or "").strip()
    title = " ".join((values.get("title") or "").split())
    lesson_text = str(values.get("lesson_no") or "").strip()
    if len(reason) > rules.MAX_REASON:
        raise ValueError(f"Lí do không dạy tối đa {rules.MAX_REASON} kí tự.")
    if len(remarks) > rules.MAX_REMARKS:
        raise ValueError(f"Nhận xét tối đa {rules.MAX_REMARKS} kí tự.")
    if len(title) > ppct.MAX_TITLE:
        raise ValueError(f"Tên bài tối đa {ppct.MAX_TITLE} kí tự.")
    lesson_no = None
    if lesson_text:
        if not lesson_text.isdigit() or not 1 <= int(lesson_text) <= 999:
            raise ValueError("Tiết PPCT phải là số nguyên từ 1 đến 999.")
        lesson_no = int(lesson_text)
    if reason:
        rating, lesson_no, title = None, None, ""
    else:
        rating = rules.check_rating(values.get("rating"))
        if lesson_no is None or not title:
            raise ValueError("Hãy ghi tiết PPCT và tên bài (hoặc lí do nếu tiết không dạy).")
    roster = student_names(school_class)
    absent = sorted({int(x) for x in values.get("absent") or [] if str(x).isdigit()})
    if any(a not in roster for a in absent):
        raise ValueError("Có học sinh vắng không thuộc lớp.")
    after = {"lesson_no": lesson_no, "title": title, "absent": ",".join(map(str, absent)), "remarks": remarks,
             "rating": rating, "not_taught": reason}
    now = now or datetime.now()
    with write_transaction():
        entry = ClassLogEntry.get_or_none((ClassLogEntry.school_class == school_class) & (ClassLogEntry.day == day)
                                          & (ClassLogEntry.period == period))
        stored_version = entry.version if entry else 0
        if stored_version != expected_version:
            raise Conflict("Tiết này vừa được ghi ở nơi khác. Hãy tải lại trang để xem.")
        before = {k: getattr(entry, k) for k in after} if entry else None
        if entry is None:
            entry = ClassLogEntry.create(school_class=school_class, day=day, period=period, subject=view.subject,
                                         planned_teacher=planned_id, teacher=staff, confirmed_by=user,
                                         confirmed_at=now, version=1, **after)
        else:
            if before == after:
                return entry
            changed = (ClassLogEntry.update(**after, confirmed_by=user, confirmed_at=now, version=stored_version + 1)
                       .where((ClassLogEntry.id == entry.id) & (ClassLogEntry.version == stored_version)).execute())
            if changed != 1:
                raise Conflict("Tiết này vừa được ghi ở nơi khác. Hãy tải lại trang để xem.")
            entry = ClassLogEntry.get_by_id(entry.id)
        who = {"teacher": staff.full_name, **({"substitute": True} if entry.is_substitute else {})}
        record("update" if before else "create", "class_log",
               f"{school_class.year.name}/{school_class.name}/{day.isoformat()}/{period}",
               before=before, after={**after, **who})
    return entry


def sign_week(school_class: SchoolClass, monday: date, user: User, now: datetime | None = None) -> ClassLogWeek:
    monday = tt.week_start(monday)
    with write_transaction():
        if signed(school_class.id, monday):
            raise ValueError(f"Tuần từ {format_date(monday)} của lớp {school_class.name} đã được ký duyệt.")
        week = ClassLogWeek.create(school_class=school_class, week_start=monday, signed_by=user,
                                   signed_at=now or datetime.now())
        record("sign", "class_log_week", f"{school_class.year.name}/{school_class.name}/{monday.isoformat()}",
               after={"signed_by": user.full_name})
    return week


def reopen_week(school_class: SchoolClass, monday: date, user: User, reason: str) -> None:
    """The heads' way to let a signed week be corrected: the signature is withdrawn with a reason (kept in the
    audit log with who had signed); the teacher corrects the period and the week is signed again."""
    monday = tt.week_start(monday)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValueError("Hãy ghi lí do mở lại tuần để sửa.")
    if len(reason) > rules.MAX_REASON:
        raise ValueError(f"Lí do tối đa {rules.MAX_REASON} kí tự.")
    with write_transaction():
        week = signed(school_class.id, monday)
        if week is None:
            raise ValueError(f"Tuần từ {format_date(monday)} của lớp {school_class.name} chưa được ký duyệt.")
        before = {"signed_by": week.signed_by.full_name, "at": week.signed_at}
        week.delete_instance()
        record("reopen", "class_log_week", f"{school_class.year.name}/{school_class.name}/{monday.isoformat()}",
               before=before, after={"signed_by": ""}, reason=reason)


# --- a correction after signing: the teacher asks, the heads decide ---------------------------------------

def _clean_reason(text: str, what: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValueError(f"Hãy ghi {what}.")
    if len(text) > rules.MAX_REASON:
        raise ValueError(f"{what[0].upper()}{what[1:]}: tối đa {rules.MAX_REASON} kí tự.")
    return text


def may_request(school_class: SchoolClass, day: date, period: int, staff: Staff | None) -> bool:
    """Only who wrote the period (or, before anyone wrote it, the timetable's teacher) asks to correct it."""
    if staff is None:
        return False
    view = next((v for v in class_day(school_class, day, prefill=False) if v.period == period), None)
    if view is None:
        return False
    owner = view.entry.teacher_id if view.entry else (view.planned_teacher.id if view.planned_teacher else None)
    return owner == staff.id


def open_request(school_class: SchoolClass, day: date, period: int) -> ClassLogRequest | None:
    return (ClassLogRequest.select().where((ClassLogRequest.school_class == school_class) & (ClassLogRequest.day == day)
                                           & (ClassLogRequest.period == period) & (ClassLogRequest.state == "waiting"))
            .first())


def file_request(school_class: SchoolClass, day: date, period: int, user: User, reason: str,
                 now: datetime | None = None) -> ClassLogRequest:
    """The teacher asks to correct a period of a signed week, saying what is wrong (ValueError when refused)."""
    reason = _clean_reason(reason, "điều cần sửa và lí do")
    if not signed(school_class.id, day):
        raise ValueError("Tuần này chưa được ký duyệt: thầy/cô sửa trực tiếp tiết học, không cần đề nghị.")
    with write_transaction():
        existing = open_request(school_class, day, period)
        if existing is not None:
            raise ValueError(f"Tiết này đã có đề nghị sửa #{existing.id} đang chờ Ban giám hiệu duyệt.")
        req = ClassLogRequest.create(school_class=school_class, day=day, period=period, filed_by=user,
                                     filed_at=now or datetime.now(), reason=reason)
        record("file", "class_log_request", req.id, after={"state": "waiting", "day": day.isoformat(),
                                                            "period": period}, reason=reason)
    return req


def decide_request(req: ClassLogRequest, user: User, approve: bool, answer: str = "",
                   now: datetime | None = None) -> ClassLogRequest:
    """The vice-principal or principal decides: approving reopens the week (the signature withdrawn, with the
    request as its reason) so that the teacher corrects the period, and the week is signed again; refusing
    needs an answer."""
    answer = " ".join((answer or "").split())
    if not approve:
        answer = _clean_reason(answer, "lí do không duyệt")
    with write_transaction():
        current = ClassLogRequest.get_by_id(req.id)
        if current.state != "waiting":
            raise ValueError(f"Đề nghị #{req.id} đã được quyết định ({current.state_label.lower()}).")
        if approve and signed(current.school_class_id, current.day):
            reopen_week(current.school_class, current.day, user,
                        f"Đề nghị sửa #{current.id} của {current.filed_by.full_name}: {current.reason}"[:rules.MAX_REASON])
        current.state = "approved" if approve else "refused"
        current.decided_by, current.decided_at, current.answer = user, now or datetime.now(), answer[:rules.MAX_REASON]
        current.save()
        record("approve" if approve else "reject", "class_log_request", current.id,
               before={"state": "waiting"}, after={"state": current.state}, reason=answer)
    return current


def waiting_requests(year: SchoolYear) -> list[ClassLogRequest]:
    return list(ClassLogRequest.select().join(SchoolClass).where((SchoolClass.year == year)
                                                                  & (ClassLogRequest.state == "waiting"))
                .order_by(ClassLogRequest.filed_at))


def requests_of_day(school_class_ids: list[int], day: date) -> dict[tuple[int, int], ClassLogRequest]:
    """(class id, period) → the latest request about that period of the day."""
    found: dict[tuple[int, int], ClassLogRequest] = {}
    for req in (ClassLogRequest.select().where(ClassLogRequest.school_class.in_(school_class_ids or [0])
                                               & (ClassLogRequest.day == day)).order_by(ClassLogRequest.id)):
        found[(req.school_class_id, req.period)] = req
    return found


def week_progress(year: SchoolYear, monday: date, today: date | None = None) -> dict[int, tuple[int, int]]:
    """class id → (periods written, periods in the timetable) for the school days of the week up to today
    (the teaching day of the year: the demo's own day for the demo school)."""
    today = today or page_day(year)
    days = schedule.school_days(year, monday, min(monday + timedelta(days=6), today))
    timetables = schedule._Timetables(year)
    planned: dict[int, int] = defaultdict(int)
    for day in days:
        for _period, class_id, _s, _t in timetables.on(day):
            planned[class_id] += 1
    written: dict[int, int] = defaultdict(int)
    for (class_id,) in (ClassLogEntry.select(ClassLogEntry.school_class)
                        .where((ClassLogEntry.day >= monday) & (ClassLogEntry.day <= monday + timedelta(days=6)))
                        .tuples()):
        written[class_id] += 1
    return {c: (written.get(c, 0), planned.get(c, 0)) for c in set(planned) | set(written)}


def week_ranking(year: SchoolYear, monday: date) -> list[rules.ClassScore]:
    """The classes of the year ranked by the ratings of their lessons in the week (xếp hạng thi đua tuần)."""
    classes = {c.id: c.name for c in SchoolClass.select().where(SchoolClass.year == year)}
    ratings: dict[str, list[str]] = {name: [] for name in classes.values()}
    for class_id, rating in (ClassLogEntry.select(ClassLogEntry.school_class, ClassLogEntry.rating)
                             .where((ClassLogEntry.day >= monday) & (ClassLogEntry.day < monday + timedelta(days=7))
                                    & ClassLogEntry.rating.is_null(False)).tuples()):
        if class_id in classes:
            ratings[classes[class_id]].append(rating)
    return rules.ranking(ratings)


def absent_names(entry_or_view, names: dict[int, str]) -> str:
    ids = entry_or_view.absent_ids
    return ", ".join(names.get(i, "?") for i in ids)



def print_pages(school_class: SchoolClass, mondays: list[date]) -> list[tuple[date, int, list, ClassLogWeek | None]]:
    """The pages of the printed book, one week per spread: (Monday, 1 for the left page with Monday to
    Wednesday or 2 for the right page with Thursday to Saturday, those days with their periods, the signature)."""
    pages = []
    for monday in mondays:
        week = class_week(school_class, monday)
        mark = signed(school_class.id, monday)
        pages.append((monday, 1, [(d, p) for d, p in week if d.weekday() < 3], mark))
        pages.append((monday, 2, [(d, p) for d, p in week if d.weekday() >= 3], mark))
    return pages


def weeks_of_year(school_class: SchoolClass, until: date) -> list[date]:
    """The Mondays of the school weeks from the start of the year up to `until` that hold a school day."""
    span = schedule.year_calendar(school_class.year).span
    if span is None:
        return []
    monday, out = tt.week_start(span[0]), []
    while monday <= min(until, span[1]):
        if schedule.school_days(school_class.year, monday, monday + timedelta(days=6)):
            out.append(monday)
        monday += timedelta(days=7)
    return out
