"""Demo attendance: the demo school's calendar and plausible absences up to the day it is built.

Most students are never absent; those whose demo profile is "often_absent" miss several sessions a
month, mostly with permission (P). A month is confirmed by the homeroom teacher in the first days of
the next one, if those days are past; nothing is locked, so the current month stays open.
"""
import random
from datetime import date, datetime, time, timedelta

from models.attendance.register import AttendanceChange, AttendanceMark, AttendanceMonthConfirm
from models.core import write_transaction
from models.people.accounts import User
from models.people.records import Student
from models.rules import calendar as rules
from models.rules.dates import format_date
from models.rules.school_year import holidays_of
from models.school.calendar import Holiday, SchoolCalendar, year_calendar
from models.school.structure import SchoolClass, SchoolYear, class_roster

# absences a month: (chance of any, how many at most, share with permission)
PROFILE_ABSENCE = {"often_absent": (0.95, 6, 0.75), "weak": (0.15, 2, 0.6), "normal": (0.04, 1, 0.85),
                   "excellent": (0.02, 1, 1.0)}


def _seed_digests(marks: list[dict], names: dict, codes: dict) -> dict[str, str]:
    """The seeded marks' digests per class month, so that audit-verify can check marks not logged one by one."""
    from models.audit_check.replay import attendance_group, group_digests

    def keyed():
        for m in marks:
            key = f"{names[m['school_class']]}/{codes[m['student']]}/{m['day'].isoformat()}/{m['session']}"
            yield attendance_group(key), key, m["value"]

    return group_digests(keyed())


def seed_demo_attendance(seed: int = 2024, today: date | None = None) -> str:
    """Set the demo calendar (6 days a week, 1 session, the year's holidays) and fill every school day
    of the current year before `today`; one transaction."""
    from models.audit.log import record
    from models.demo.thpt import demo_students

    today = today or date.today()
    year = SchoolYear.current()
    with write_transaction():
        if SchoolCalendar.get_or_none(SchoolCalendar.year == year) is None:
            SchoolCalendar.create(year=year, days_per_week=6, sessions_per_day=1, auto_lock_day=None)
        for starts_on, ends_on, name in holidays_of(year.start_year):
            Holiday.create(year=year, starts_on=starts_on, ends_on=ends_on, name=name)
        cal = year_calendar(year)
        first = min(s.starts_on for s in year.semesters)
        last = max(s.ends_on for s in year.semesters)
        months = rules.months_between(first, min(last, today - timedelta(days=1))) if first < today else []
        school_days = {ym: [d for d in rules.month_days(*ym) if d < today and cal.sessions_on(d)] for ym in months}
        users = {u.staff_id: u.id for u in User.select(User.id, User.staff) if u.staff_id}
        marks = []
        confirms = []
        for school_class in SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name):
            profiles = {s.full_name: s.profile
                        for s in demo_students(school_class.name, seed, year.start_year)}
            by = users.get(school_class.homeroom_teacher_id)
            roster = class_roster(school_class)
            for ym in months:
                # one stream per class and month: a later day only adds absences
                rand = random.Random(f"sotruong-demo-attendance:{seed}:{school_class.name}:{rules.year_month(*ym)}")
                for entry in roster:
                    chance, most, share_p = PROFILE_ABSENCE.get(profiles.get(entry.student.full_name, "normal"),
                                                                PROFILE_ABSENCE["normal"])
                    if rand.random() >= chance:
                        continue
                    days = [d for d in rules.month_days(*ym) if cal.sessions_on(d)
                            and rules.enrolled_on(d, entry.enrolment.joined_on, entry.enrolment.left_on)]
                    for day in sorted(rand.sample(days, min(len(days), rand.randint(1, most)))):
                        value = "P" if rand.random() < share_p else "K"
                        if day in school_days[ym]:
                            marks.append({"student": entry.student.id, "school_class": school_class.id, "day": day,
                                          "session": 1, "value": value, "version": 1, "updated_by": by,
                                          "updated_at": datetime.combine(day, time(16, rand.randint(0, 59)))})
                # the homeroom teacher confirms a month within the first days of the next (KĐ (docs/rules.md))
                confirmed_on = rules.confirm_deadline(*ym, rand.randint(1, 3))
                if confirmed_on < today:
                    confirms.append({"school_class": school_class.id, "month": rules.year_month(*ym),
                                     "confirmed_by": by, "confirmed_at": datetime.combine(confirmed_on, time(20, 0))})
        for start in range(0, len(marks), 500):
            AttendanceMark.insert_many(marks[start:start + 500]).execute()
        AttendanceChange.insert_from(
            AttendanceMark.select(AttendanceMark.id, AttendanceMark.value, AttendanceMark.version,
                                  AttendanceMark.updated_by, AttendanceMark.updated_at),
            fields=[AttendanceChange.mark, AttendanceChange.new_value, AttendanceChange.version,
                    AttendanceChange.changed_by, AttendanceChange.changed_at]).execute()
        if confirms:
            AttendanceMonthConfirm.insert_many(confirms).execute()
        summary = f"{len(marks)} buổi nghỉ, {len(confirms)} xác nhận tháng"
        names = {c.id: c.name for c in SchoolClass.select(SchoolClass.id, SchoolClass.name)}
        codes = dict(Student.select(Student.id, Student.code).tuples())
        record("seed_demo", "attendance", year.name, after={"marks": len(marks), "confirms": len(confirms),
                                                           "until": today.isoformat(),
                                                           "digests": _seed_digests(marks, names, codes)})
    return f"Điểm danh mẫu đến hết ngày {format_date(today - timedelta(days=1))}: {summary}."
