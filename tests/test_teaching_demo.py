"""The demo's teaching records, drawn on the small school: a clash-free timetable, a PPCT agreeing with the
periods, submitted schedules, the class log up to the day before the demo's day with earlier weeks signed,
the same records for the same day."""
import json
from datetime import date

from models.audit.log import AuditEntry
from models.core import write_transaction
from models.demo.teaching import lesson_title, seed_demo_teaching, seed_timetable_and_ppct
from models.rules import timetable as rules
from models.school.structure import GradeSubject, Subject
from models.teaching import ppct, schedule
from models.teaching.class_log_book import ClassLogEntry, ClassLogWeek
from models.teaching.schedule import ScheduleLesson, TeachingWeek
from models.teaching.timetable import TimetableSlot, versions

DAY = date(2024, 12, 4)  # a Wednesday


def _seed(school):
    with write_transaction():
        seed_timetable_and_ppct(school["year"])
    return seed_demo_teaching(today=DAY)


def test_demo_teaching_records(app, school):
    summary = _seed(school)
    assert "tiết đã ghi" in summary
    version = versions(school["year"])[0]
    slots = [rules.Slot(str(s.school_class_id), s.weekday, s.period, "", str(s.assignment.teacher_id))
             for s in TimetableSlot.select().where(TimetableSlot.timetable == version)]
    assert slots and rules.clashes(slots) == []
    for gs in GradeSubject.select():
        assert len(ppct.lessons(school["year"], gs.grade_id, gs.subject_id)) == gs.periods_per_year
    days = [d for (d,) in ClassLogEntry.select(ClassLogEntry.day).tuples()]
    assert max(days) == date(2024, 12, 3) and min(days) >= date(2024, 9, 5)
    signed = {w for (w,) in ClassLogWeek.select(ClassLogWeek.week_start).tuples()}
    assert max(signed) == date(2024, 11, 25) and date(2024, 12, 2) not in signed
    weeks = {(t, w, s) for t, w, s in TeachingWeek.select(TeachingWeek.teacher, TeachingWeek.week_start,
                                                          TeachingWeek.state).tuples()}
    assert {w for _, w, _ in weeks} == {date(2024, 11, 25), date(2024, 12, 2)}
    assert {s for _, _, s in weeks} == {"submitted"}
    # the class log and the kept schedule agree, and next week's generated schedule continues them
    giaovien = school["staff"]["giaovien"]
    kept = schedule.week_lessons(giaovien, DAY)
    logged = {(e.day, e.period): e.lesson_no for e in ClassLogEntry.select()
              .where((ClassLogEntry.planned_teacher == giaovien) & (ClassLogEntry.day >= date(2024, 12, 2)))}
    assert logged and all(logged[(x.day, x.period)] == x.lesson_no for x in kept if (x.day, x.period) in logged
                          and logged[(x.day, x.period)] is not None)
    nxt = schedule.week_lessons(giaovien, date(2024, 12, 9))
    assert nxt and nxt[0].lesson_no == max(x.lesson_no for x in kept) + 1
    assert ScheduleLesson.select().count() > 0


def test_the_same_day_gives_the_same_class_log(app, school):
    _seed(school)
    first = json.loads(AuditEntry.select().where((AuditEntry.entity == "class_log")
                                                 & (AuditEntry.action == "seed_demo")).get().after)["digests"]
    with write_transaction():
        for model in (ClassLogWeek, ClassLogEntry, ScheduleLesson, TeachingWeek):
            model.delete().execute()
    seed_demo_teaching(today=DAY)
    second = json.loads(AuditEntry.select().where((AuditEntry.entity == "class_log")
                                                  & (AuditEntry.action == "seed_demo"))
                        .order_by(AuditEntry.id.desc()).get().after)["digests"]
    assert first == second


def test_lesson_titles():
    toan = Subject(code="TOAN", name="Toán")
    assert lesson_title(toan, 1, 140) == "Bài 1. Tập hợp các số tự nhiên"
    assert lesson_title(toan, 70, 140) == "Kiểm tra cuối học kì I"
    assert lesson_title(toan, 69, 140) == "Ôn tập học kì I"
    assert lesson_title(Subject(code="GDDP", name="GDĐP"), 5, 35).startswith("Bài 2. Chủ đề 2")
