"""The teacher's weekly teaching schedule (lịch báo giảng): generated from the timetable and the PPCT,
adjusted and submitted by the teacher, printed on A4.

Generating a week: every school day of the week (holidays and days outside the terms skipped by the school
calendar), the teacher's periods in the timetable version in force that day, and for each class and
subject the next lessons of the PPCT in order. "Next" continues from the last lesson number stored for
that class and subject before the week (a submitted schedule or the class log), counting the timetable's
periods after it; with nothing stored, it counts the periods from the start of the year.

A stored week is the teacher's: once they change a row or submit, the week's rows are kept as they stand
and later changes of the timetable no longer move them.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import NamedTuple

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from models.audit.log import record
from models.core import BaseModel, write_transaction
from models.people.records import Staff
from models.rules import timetable as rules
from models.rules.dates import format_date
from models.school.calendar import year_calendar
from models.school.structure import SchoolClass, SchoolYear, Subject, TeachingAssignment
from models.teaching import ppct
from models.teaching.class_log_book import ClassLogEntry
from models.teaching.timetable import TimetableSlot, TimetableVersion, versions

STATES = {"draft": "Đang soạn", "submitted": "Đã nộp"}
MAX_NOTE = 200


class TeachingWeek(BaseModel):
    teacher = ForeignKeyField(Staff, backref="+")
    week_start = DateField()  # the Monday
    state = CharField(default="draft")
    submitted_at = DateTimeField(null=True)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=datetime.now)

    class Meta:
        table_name = "teaching_week"
        indexes = ((("teacher", "week_start"), True),)


class ScheduleLesson(BaseModel):
    week = ForeignKeyField(TeachingWeek, backref="lessons")
    day = DateField()
    period = IntegerField()
    school_class = ForeignKeyField(SchoolClass, backref="+")
    subject = ForeignKeyField(Subject, backref="+")
    lesson_no = IntegerField(null=True)  # tiết theo PPCT
    title = CharField(max_length=ppct.MAX_TITLE, default="")
    note = CharField(max_length=MAX_NOTE, default="")
    version = IntegerField(default=1)

    class Meta:
        table_name = "schedule_lesson"
        indexes = ((("week", "day", "period"), True), (("school_class", "subject", "day"), False))


class WeekLesson(NamedTuple):
    """One lesson of a teacher's week (what teach-b's lesson plans hang on)."""

    day: date
    period: int
    school_class: SchoolClass
    subject: Subject
    lesson_no: int | None
    title: str


class Conflict(ValueError):
    """Saved by someone else since the page was opened (409)."""


# --- days ---------------------------------------------------------------------------------------------

def school_days(year: SchoolYear, start: date, end: date) -> list[date]:
    """The days from start to end (inclusive) with at least one session."""
    cal = year_calendar(year)
    out, day = [], start
    while day <= end:
        if cal.sessions_on(day):
            out.append(day)
        day += timedelta(days=1)
    return out


# --- the timetable as (day → lessons) ------------------------------------------------------------------

class _Timetables:
    """Every version's slots of the year in memory: (version id, weekday) → [(period, class, subject, teacher)]."""

    def __init__(self, year: SchoolYear, class_ids: set[int] | None = None, teacher_id: int | None = None):
        self.versions = versions(year)
        self.by_day: dict[tuple[int, int], list[tuple[int, int, int, int]]] = defaultdict(list)
        query = (TimetableSlot.select(TimetableSlot.timetable, TimetableSlot.weekday, TimetableSlot.period,
                                      TimetableSlot.school_class, TeachingAssignment.subject,
                                      TeachingAssignment.teacher)
                 .join(TeachingAssignment).join(TimetableVersion, on=(TimetableSlot.timetable == TimetableVersion.id))
                 .where(TimetableVersion.year == year))
        if class_ids is not None:
            query = query.where(TimetableSlot.school_class.in_(list(class_ids)))
        if teacher_id is not None:
            query = query.where(TeachingAssignment.teacher == teacher_id)
        for version_id, weekday, period, class_id, subject_id, teacher in query.tuples():
            self.by_day[(version_id, weekday)].append((period, class_id, subject_id, teacher))

    def on(self, day: date) -> list[tuple[int, int, int, int]]:
        effective = rules.version_on([v.effective_on for v in self.versions], day)
        version = next((v for v in self.versions if v.effective_on == effective), None)
        return sorted(self.by_day.get((version.id, day.weekday()), [])) if version else []


def _last_stored(class_id: int, subject_id: int, before: date) -> tuple[date, int, int] | None:
    """The latest (day, period, lesson number) stored for a class and subject before a day: a kept
    schedule row or a class-log entry."""
    found = []
    row = (ScheduleLesson.select(ScheduleLesson.day, ScheduleLesson.period, ScheduleLesson.lesson_no)
           .where((ScheduleLesson.school_class == class_id) & (ScheduleLesson.subject == subject_id)
                  & (ScheduleLesson.day < before) & ScheduleLesson.lesson_no.is_null(False))
           .order_by(ScheduleLesson.day.desc(), ScheduleLesson.period.desc()).tuples().first())
    if row:
        found.append(row)
    row = (ClassLogEntry.select(ClassLogEntry.day, ClassLogEntry.period, ClassLogEntry.lesson_no)
           .where((ClassLogEntry.school_class == class_id) & (ClassLogEntry.subject == subject_id)
                  & (ClassLogEntry.day < before) & ClassLogEntry.lesson_no.is_null(False))
           .order_by(ClassLogEntry.day.desc(), ClassLogEntry.period.desc()).tuples().first())
    if row:
        found.append(row)
    return max(found) if found else None


def next_lesson_numbers(year: SchoolYear, pairs: set[tuple[int, int]], before: date,
                        timetables: _Timetables | None = None) -> dict[tuple[int, int], int]:
    """(class id, subject id) → the PPCT number of its first lesson on or after `before`."""
    if not pairs:
        return {}
    span = year_calendar(year).span
    if span is None:
        return {pair: 1 for pair in pairs}
    timetables = timetables or _Timetables(year, class_ids={c for c, _ in pairs})
    out = {}
    starts = {}
    for pair in pairs:
        last = _last_stored(*pair, before)
        starts[pair] = last
        out[pair] = (last[2] if last else 0) + 1
    earliest = min([s[0] for s in starts.values() if s] + [span[0]]) if any(starts.values()) else span[0]
    for day in school_days(year, max(earliest, span[0]), before - timedelta(days=1)):
        for period, class_id, subject_id, _teacher in timetables.on(day):
            pair = (class_id, subject_id)
            if pair not in out:
                continue
            last = starts[pair]
            if last is None or (day, period) > (last[0], last[1]):
                out[pair] += 1
    return out


# --- a teacher's week --------------------------------------------------------------------------------

def generate_week(teacher_id: int, monday: date, year: SchoolYear | None = None) -> list[WeekLesson]:
    """The week as the timetable and the PPCT give it (nothing stored)."""
    year = year or SchoolYear.current()
    mine = _Timetables(year, teacher_id=teacher_id)
    days = school_days(year, monday, monday + timedelta(days=6))
    planned = [(day, period, class_id, subject_id) for day in days
               for period, class_id, subject_id, _t in mine.on(day)]
    if not planned:
        return []
    pairs = {(c, s) for _, _, c, s in planned}
    numbers = next_lesson_numbers(year, pairs, monday)
    classes = {c.id: c for c in SchoolClass.select().where(SchoolClass.id.in_([c for c, _ in pairs]))}
    subjects = {s.id: s for s in Subject.select().where(Subject.id.in_([s for _, s in pairs]))}
    titles: dict[tuple[int, int], dict[int, str]] = {}
    out = []
    for day, period, class_id, subject_id in planned:
        school_class = classes[class_id]
        key = (school_class.grade_id, subject_id)
        if key not in titles:
            titles[key] = ppct.lessons(year, *key)
        number = numbers[(class_id, subject_id)]
        numbers[(class_id, subject_id)] += 1
        out.append(WeekLesson(day, period, school_class, subjects[subject_id], number, titles[key].get(number, "")))
    return out


def stored_week(teacher_id: int, monday: date) -> TeachingWeek | None:
    return TeachingWeek.get_or_none((TeachingWeek.teacher == teacher_id) & (TeachingWeek.week_start == monday))


def stored_rows(week: TeachingWeek) -> list[ScheduleLesson]:
    return list(ScheduleLesson.select(ScheduleLesson, SchoolClass, Subject).join(SchoolClass)
                .switch(ScheduleLesson).join(Subject)
                .where(ScheduleLesson.week == week).order_by(ScheduleLesson.day, ScheduleLesson.period))


def week_lessons(teacher_staff, week_start: date) -> list[WeekLesson]:
    """A teacher's lessons of the school week starting on `week_start` (any day of it is taken to its
    Monday): as stored when the teacher has kept or submitted the week, otherwise as generated."""
    teacher_id = teacher_staff if isinstance(teacher_staff, int) else teacher_staff.id
    monday = rules.week_start(week_start)
    week = stored_week(teacher_id, monday)
    if week is None:
        return generate_week(teacher_id, monday)
    return [WeekLesson(r.day, r.period, r.school_class, r.subject, r.lesson_no, r.title) for r in stored_rows(week)]


def _keep(teacher_id: int, monday: date) -> TeachingWeek:
    """The stored week, storing the generated one first; call inside write_transaction()."""
    week = stored_week(teacher_id, monday)
    if week is not None:
        return week
    lessons = generate_week(teacher_id, monday)
    week = TeachingWeek.create(teacher=teacher_id, week_start=monday)
    if lessons:
        ScheduleLesson.insert_many([{"week": week.id, "day": x.day, "period": x.period,
                                     "school_class": x.school_class.id, "subject": x.subject.id,
                                     "lesson_no": x.lesson_no, "title": x.title} for x in lessons]).execute()
    return week


def _key(teacher: Staff | int, monday: date) -> str:
    staff = teacher if isinstance(teacher, Staff) else Staff.get_by_id(teacher)
    return f"{staff.code}/{monday.isoformat()}"


def save_lesson(teacher_id: int, monday: date, day: date, period: int, lesson_no: str, title: str, note: str,
                expected_version: int) -> ScheduleLesson:
    """The teacher's change of one row: another PPCT lesson number (its title follows unless typed), the
    title, a note. ValueError with the reason; Conflict when the row changed since it was shown."""
    text = (lesson_no or "").strip()
    number = None
    if text:
        if not text.isdigit() or not 1 <= int(text) <= 999:
            raise ValueError("Tiết PPCT phải là số nguyên từ 1 đến 999.")
        number = int(text)
    title = " ".join((title or "").split())
    note = " ".join((note or "").split())
    if len(title) > ppct.MAX_TITLE or len(note) > MAX_NOTE:
        raise ValueError(f"Tên bài tối đa {ppct.MAX_TITLE} kí tự, ghi chú tối đa {MAX_NOTE} kí tự.")
    with write_transaction():
        week = _keep(teacher_id, monday)
        if week.state == "submitted":
            raise ValueError("Lịch báo giảng tuần này đã nộp; không sửa được nữa.")
        row = ScheduleLesson.get_or_none((ScheduleLesson.week == week) & (ScheduleLesson.day == day)
                                         & (ScheduleLesson.period == period))
        if row is None:
            raise ValueError("Không có tiết này trong lịch báo giảng của tuần.")
        if row.version != expected_version:
            raise Conflict("Tiết này vừa được sửa ở nơi khác. Hãy tải lại trang.")
        year = row.school_class.year
        old_ppct = ppct.title_of(year, row.school_class.grade_id, row.subject_id, row.lesson_no)
        if number != row.lesson_no and (not title or title == row.title == old_ppct or title == old_ppct):
            title = ppct.title_of(year, row.school_class.grade_id, row.subject_id, number) or title
        before = {"lesson_no": row.lesson_no, "title": row.title, "note": row.note}
        after = {"lesson_no": number, "title": title, "note": note}
        if before == after:
            return row
        row.lesson_no, row.title, row.note, row.version = number, title, note, row.version + 1
        row.save()
        record("update", "teaching_week", f"{_key(teacher_id, monday)}/{day.isoformat()}/{period}",
               before=before, after=after)
    return row


def submit_week(teacher_id: int, monday: date, expected_version: int, now: datetime | None = None) -> TeachingWeek:
    with write_transaction():
        week = _keep(teacher_id, monday)
        if week.state == "submitted":
            raise ValueError(f"Lịch báo giảng tuần từ {format_date(monday)} đã nộp rồi.")
        if week.version != expected_version:
            raise Conflict("Lịch báo giảng vừa được nộp hoặc sửa ở nơi khác. Hãy tải lại trang.")
        missing = [r for r in stored_rows(week) if r.lesson_no is None or not r.title]
        if missing:
            first = missing[0]
            raise ValueError(f"Còn {len(missing)} tiết chưa có tiết PPCT hoặc tên bài (đầu tiên: "
                             f"{format_date(first.day)}, {rules.period_label(first.period)}, lớp "
                             f"{first.school_class.name}).")
        week.state, week.submitted_at, week.version = "submitted", now or datetime.now(), week.version + 1
        week.save()
        record("submit", "teaching_week", _key(teacher_id, monday), before={"state": "draft"},
               after={"state": "submitted"})
    return week


def week_status(year: SchoolYear, monday: date) -> list[tuple[Staff, TeachingWeek | None, int]]:
    """Every teacher with lessons in the week's timetable: their kept week (None: not started) and how many
    lessons the timetable gives them, by name."""
    timetables = _Timetables(year)
    load: dict[int, int] = defaultdict(int)
    for day in school_days(year, monday, monday + timedelta(days=6)):
        for _period, _class, _subject, teacher_id in timetables.on(day):
            load[teacher_id] += 1
    weeks = {w.teacher_id: w for w in TeachingWeek.select().where(TeachingWeek.week_start == monday)}
    people = sorted(Staff.select().where(Staff.id.in_(list(load) or [0])),
                    key=lambda s: (s.name_fold.split(" ")[-1], s.name_fold))
    return [(person, weeks.get(person.id), load[person.id]) for person in people]
