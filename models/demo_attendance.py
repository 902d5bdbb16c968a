"""Demo attendance: the demo school's calendar and plausible marks for September to December 2024.

Most students are never absent; those whose demo profile is "often_absent" miss several sessions a
month, mostly with permission (P). September to November are confirmed by the homeroom teacher;
nothing is locked, so the current month stays open.
"""
import random
from datetime import date, datetime, time

from models.core import write_transaction
from models.people.accounts import User
from models.attendance.register import AttendanceChange, AttendanceMark, AttendanceMonthConfirm
from models.school.calendar import Holiday, SchoolCalendar, year_calendar
from models.people.records import Student
from models.rules import calendar as rules
from models.school.structure import SchoolClass, SchoolYear, class_roster

MONTHS = [(2024, 9), (2024, 10), (2024, 11), (2024, 12)]
CONFIRMED = [(2024, 9), (2024, 10), (2024, 11)]
HOLIDAYS = [
    (date(2024, 9, 2), date(2024, 9, 3), "Quốc khánh"),
    (date(2025, 1, 1), date(2025, 1, 1), "Tết Dương lịch"),
    (date(2025, 1, 25), date(2025, 2, 2), "Tết Nguyên đán"),
]
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


def seed_demo_attendance(seed: int = 2024) -> str:
    """Set the demo calendar (6 days a week, 1 session) and fill September–December 2024; one transaction."""
    from models.demo import data as demo_data
    from models.audit.log import record

    rand = random.Random(seed)
    year = SchoolYear.get(SchoolYear.name == demo_data.SCHOOL_YEAR)
    with write_transaction():
        if SchoolCalendar.get_or_none(SchoolCalendar.year == year) is None:
            SchoolCalendar.create(year=year, days_per_week=6, sessions_per_day=1, auto_lock_day=None)
        for starts_on, ends_on, name in HOLIDAYS:
            Holiday.create(year=year, starts_on=starts_on, ends_on=ends_on, name=name)
        cal = year_calendar(year)
        school_days = {ym: [d for d in rules.month_days(*ym) if cal.sessions_on(d)] for ym in MONTHS}
        users = {u.staff_id: u.id for u in User.select(User.id, User.staff) if u.staff_id}
        marks = []
        confirms = []
        for school_class in SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name):
            profiles = {s.full_name: s.profile for s in demo_data.students(school_class.name, seed)}
            by = users.get(school_class.homeroom_teacher_id)
            for entry in class_roster(school_class):
                chance, most, share_p = PROFILE_ABSENCE.get(profiles.get(entry.student.full_name, "normal"),
                                                            PROFILE_ABSENCE["normal"])
                for ym in MONTHS:
                    if rand.random() >= chance:
                        continue
                    days = [d for d in school_days[ym]
                            if rules.enrolled_on(d, entry.enrolment.joined_on, entry.enrolment.left_on)]
                    if not days:
                        continue
                    for day in rand.sample(days, min(len(days), rand.randint(1, most))):
                        marks.append({"student": entry.student.id, "school_class": school_class.id, "day": day,
                                      "session": 1, "value": "P" if rand.random() < share_p else "K",
                                      "version": 1, "updated_by": by,
                                      "updated_at": datetime.combine(day, time(16, rand.randint(0, 59)))})
            for y, m in CONFIRMED:
                confirmed_on = rules.confirm_deadline(y, m, rand.randint(1, 3))
                confirms.append({"school_class": school_class.id, "month": rules.year_month(y, m),
                                 "confirmed_by": by, "confirmed_at": datetime.combine(confirmed_on, time(20, 0))})
        names = {c.id: c.name for c in SchoolClass.select(SchoolClass.id, SchoolClass.name)}
        codes = dict(Student.select(Student.id, Student.code).tuples())
        for start in range(0, len(marks), 500):
            AttendanceMark.insert_many(marks[start:start + 500]).execute()
        AttendanceChange.insert_from(
            AttendanceMark.select(AttendanceMark.id, AttendanceMark.value, AttendanceMark.version,
                                  AttendanceMark.updated_by, AttendanceMark.updated_at),
            fields=[AttendanceChange.mark, AttendanceChange.new_value, AttendanceChange.version,
                    AttendanceChange.changed_by, AttendanceChange.changed_at]).execute()
        AttendanceMonthConfirm.insert_many(confirms).execute()
        summary = f"{len(marks)} buổi nghỉ, {len(confirms)} xác nhận tháng"
        record("seed_demo", "attendance", year.name, after={"marks": len(marks), "confirms": len(confirms),
                                                            "digests": _seed_digests(marks, names, codes)})
    return f"Điểm danh mẫu tháng 9–12/2024: {summary}."
