"""The school calendar of a year: weekly schedule, holidays and make-up days (ngày học bù).

The pure rules are in models/rules/calendar.py; this file stores the school's choices and turns
them into rule objects for a year.
"""
import json
import time
from dataclasses import dataclass
from datetime import date, datetime

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from models.audit.log import AuditEntry
from models.core import BaseModel, reference_cache
from models.rules import calendar as rules
from models.school.structure import School, SchoolYear, Semester


class SchoolCalendar(BaseModel):
    """One per school year: the weekly schedule and the attendance auto-lock day."""

    year = ForeignKeyField(SchoolYear, unique=True, backref="+")
    days_per_week = IntegerField(default=6)
    sessions_per_day = IntegerField(default=1)
    # attendance of a month locks itself at 00:00 on this day of the next month (None: off)
    auto_lock_day = IntegerField(null=True)

    class Meta:
        table_name = "school_calendar"


class Holiday(BaseModel):
    year = ForeignKeyField(SchoolYear, backref="+")
    starts_on = DateField()
    ends_on = DateField()
    name = CharField()
    created_at = DateTimeField(default=datetime.now)

    class Meta:
        table_name = "holiday"


class MakeUpDay(BaseModel):
    year = ForeignKeyField(SchoolYear, backref="+")
    day = DateField()
    sessions = IntegerField(default=1)
    name = CharField(default="")
    created_at = DateTimeField(default=datetime.now)

    class Meta:
        table_name = "make_up_day"
        indexes = ((("year", "day"), True),)


@dataclass
class YearCalendar:
    """Everything the rules need to say how many sessions a day of the year has (two queries or so)."""

    schedule: rules.Schedule
    holidays: list[rules.Holiday]
    makeups: list[rules.MakeUpDay]
    terms: list[rules.Term]
    auto_lock_day: int | None = None

    def sessions_on(self, day: date) -> int:
        return rules.sessions_on(day, self.schedule, self.holidays, self.makeups, self.terms)

    def holiday_name(self, day: date) -> str:
        return next((h.name for h in self.holidays if h.covers(day)), "")

    @property
    def span(self) -> tuple[date, date] | None:
        if not self.terms:
            return None
        return min(t.starts_on for t in self.terms), max(t.ends_on for t in self.terms)


def settings_for(year: SchoolYear) -> SchoolCalendar:
    """The year's stored schedule, or an unsaved default (6 days, 1 session, no auto-lock)."""
    row = SchoolCalendar.get_or_none(SchoolCalendar.year == year)
    return row or SchoolCalendar(year=year, days_per_week=6, sessions_per_day=1, auto_lock_day=None)


# the calendar is read on every attendance save and changes a few times a year: keep it for a few
# seconds (another process may write it); any write of this process to a table other than the busy ones
# (a holiday, a semester's dates, ...) starts a new reference_cache generation and so drops it at once
_CACHE_SECONDS = 5.0
_cache: dict[tuple[object, int], tuple[float, int, "YearCalendar"]] = {}


def year_calendar(year: SchoolYear, clock=time.monotonic) -> YearCalendar:
    from models.core import db

    # a token on the database object, not id(): a new database may reuse a freed object's id
    token = db.obj.__dict__.setdefault("_calendar_cache_token", object())
    key = (token, year.id)
    kept = _cache.get(key)
    generation = reference_cache.generation()
    if kept is not None and kept[1] == generation and clock() - kept[0] < _CACHE_SECONDS:
        return kept[2]
    calendar = _load_calendar(year)
    _cache[key] = (clock(), generation, calendar)
    return calendar


def _load_calendar(year: SchoolYear) -> YearCalendar:
    settings = settings_for(year)
    holidays = [rules.Holiday(h.starts_on, h.ends_on, h.name)
                for h in Holiday.select().where(Holiday.year == year).order_by(Holiday.starts_on)]
    makeups = [rules.MakeUpDay(m.day, m.sessions, m.name)
               for m in MakeUpDay.select().where(MakeUpDay.year == year).order_by(MakeUpDay.day)]
    terms = [rules.Term(s.starts_on, s.ends_on)
             for s in Semester.select().where(Semester.year == year).order_by(Semester.number)]
    return YearCalendar(rules.Schedule(settings.days_per_week, settings.sessions_per_day), holidays, makeups,
                        terms, settings.auto_lock_day)


# --- admin writes: call inside write_transaction(); a refusal is a ValueError shown as is ----------

def set_schedule(year: SchoolYear, days_per_week: int, sessions_per_day: int,
                 auto_lock_day: int | None) -> None:
    from models.audit.log import record

    rules.check_schedule(days_per_week, sessions_per_day)
    if auto_lock_day is not None and not 1 <= auto_lock_day <= 28:
        raise ValueError("Ngày tự động khoá phải từ 1 đến 28 (hoặc để trống để tắt).")
    row = SchoolCalendar.get_or_none(SchoolCalendar.year == year)
    before = ({"days_per_week": row.days_per_week, "sessions_per_day": row.sessions_per_day,
               "auto_lock_day": row.auto_lock_day} if row else {})
    after = {"days_per_week": days_per_week, "sessions_per_day": sessions_per_day, "auto_lock_day": auto_lock_day}
    if before == after:
        return
    if row is None:
        SchoolCalendar.create(year=year, **after)
    else:
        SchoolCalendar.update(**after).where(SchoolCalendar.id == row.id).execute()
    record("schedule", "calendar", year.name, before=before or None, after=after)


def _inside_year(year: SchoolYear, *days: date) -> None:
    span = year_calendar(year).span
    if span and any(not span[0] <= d <= span[1] for d in days):
        raise ValueError(f"Ngày phải nằm trong năm học {year.name} "
                         f"({span[0]:%d/%m/%Y} – {span[1]:%d/%m/%Y}).")


def add_holiday(year: SchoolYear, starts_on: date, ends_on: date, name: str) -> Holiday:
    from models.audit.log import record
    from models.rules.text import nfc

    name = nfc(name or "").strip()
    if not name:
        raise ValueError("Vui lòng nhập tên ngày nghỉ.")
    rules.check_range(starts_on, ends_on)
    _inside_year(year, starts_on, ends_on)
    row = Holiday.create(year=year, starts_on=starts_on, ends_on=ends_on, name=name)
    record("holiday", "calendar", year.name, after={"name": name, "starts_on": starts_on, "ends_on": ends_on})
    return row


def remove_holiday(year: SchoolYear, holiday_id: int) -> None:
    from models.audit.log import record

    row = Holiday.get_or_none((Holiday.id == holiday_id) & (Holiday.year == year))
    if row is None:
        raise ValueError("Không tìm thấy ngày nghỉ này.")
    Holiday.delete().where(Holiday.id == row.id).execute()
    record("remove_holiday", "calendar", year.name,
           before={"name": row.name, "starts_on": row.starts_on, "ends_on": row.ends_on})


def add_makeup(year: SchoolYear, day: date, sessions: int, name: str) -> MakeUpDay:
    from models.audit.log import record
    from models.rules.text import nfc

    name = nfc(name or "").strip()
    if sessions not in rules.SESSIONS_PER_DAY:
        raise ValueError("Số buổi học bù phải là 1 hoặc 2.")
    _inside_year(year, day)
    if MakeUpDay.select().where((MakeUpDay.year == year) & (MakeUpDay.day == day)).exists():
        raise ValueError(f"Ngày {day:%d/%m/%Y} đã là ngày học bù.")
    row = MakeUpDay.create(year=year, day=day, sessions=sessions, name=name)
    record("makeup", "calendar", year.name, after={"day": day, "sessions": sessions, "name": name})
    return row


def remove_makeup(year: SchoolYear, makeup_id: int) -> None:
    from models.audit.log import record

    row = MakeUpDay.get_or_none((MakeUpDay.id == makeup_id) & (MakeUpDay.year == year))
    if row is None:
        raise ValueError("Không tìm thấy ngày học bù này.")
    MakeUpDay.delete().where(MakeUpDay.id == row.id).execute()
    record("remove_makeup", "calendar", year.name, before={"day": row.day, "sessions": row.sessions,
                                                             "name": row.name})


@dataclass
class MonthOverview:
    year: int
    month: int
    school_days: int
    sessions: int
    holidays: list[str]


def year_overview(year: SchoolYear) -> list[MonthOverview]:
    """Month by month over the year's semesters: school days, sessions and the holidays named."""
    cal = year_calendar(year)
    span = cal.span
    if span is None:
        return []
    result = []
    for y, m in rules.months_between(*span):
        counts = [cal.sessions_on(d) for d in rules.month_days(y, m)]
        names = list(dict.fromkeys(h.name for h in cal.holidays
                                   if h.starts_on <= date(y, m, len(counts)) and h.ends_on >= date(y, m, 1)))
        result.append(MonthOverview(y, m, sum(1 for c in counts if c), sum(counts), names))
    return result


def holidays_of(year: SchoolYear) -> list[Holiday]:
    return list(Holiday.select().where(Holiday.year == year).order_by(Holiday.starts_on))


def makeups_of(year: SchoolYear) -> list[MakeUpDay]:
    return list(MakeUpDay.select().where(MakeUpDay.year == year).order_by(MakeUpDay.day))


def page_day(year: SchoolYear, today: date | None = None) -> date:
    """The day a page of the school's daily work opens on (the class log, nề nếp, the day's notices): today
    inside the school year; for the demo school built for another day, the day it was built for; otherwise
    the nearer end of the year."""
    today = today or date.today()
    span = year_calendar(year).span
    if span is None or span[0] <= today <= span[1]:
        return today
    school = School.current()
    if school is not None and school.is_demo:
        entry = (AuditEntry.select().where((AuditEntry.action == "seed_demo") & (AuditEntry.entity == "school"))
                 .order_by(AuditEntry.id.desc()).first())
        built = json.loads(entry.after).get("today") if entry and entry.after else None
        if built:
            day = date.fromisoformat(built)
            if span[0] <= day <= span[1]:
                return day
    return span[0] if today < span[0] else span[1]
