"""Demo teaching records: a timetable for every class and a PPCT for every subject (from build_year), then
two weeks of submitted teaching schedules per teacher and the class log filled up to the demo's day, with
the weeks before the current one signed (seed_demo_teaching, after the attendance that pre-fills absences).

Everything is drawn from fixed random streams, so the same day gives the same school; rows go in with
insert_many. One summary audit entry per kind holds the count and a SHA-256 of what was seeded.
"""
from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from models.attendance.register import AttendanceMark
from models.audit.log import record
from models.core import write_transaction
from models.people.accounts import User
from models.rules import timetable as tt
from models.school.calendar import page_day
from models.school.structure import GradeSubject, SchoolClass, SchoolYear, Subject, TeachingAssignment
from models.teaching.class_log_book import ClassLogEntry, ClassLogWeek
from models.teaching.ppct import PpctLesson
from models.teaching.schedule import ScheduleLesson, TeachingWeek, school_days
from models.teaching.timetable import TimetableSlot, TimetableVersion

WEEKS = 35
# a few chapter names per subject (the 2018 programme's themes, shortened); the rest are numbered
CHAPTERS = {
    "TOAN": ["Tập hợp các số tự nhiên", "Tính chia hết", "Số nguyên", "Một số hình phẳng trong thực tiễn",
             "Tính đối xứng của hình phẳng", "Phân số", "Số thập phân", "Hình học phẳng cơ bản",
             "Dữ liệu và xác suất thực nghiệm"],
    "VAN": ["Tôi và các bạn", "Gõ cửa trái tim", "Yêu thương và chia sẻ", "Quê hương yêu dấu",
            "Những nẻo đường xứ sở", "Chuyện kể về những người anh hùng", "Thế giới cổ tích",
            "Khác biệt và gần gũi", "Trái Đất – ngôi nhà chung"],
    "NN1": ["My new school", "My house", "My friends", "My neighbourhood", "Natural wonders", "Our Tết holiday",
            "Television", "Sports and games", "Cities of the world"],
    "KHTN": ["Mở đầu về khoa học tự nhiên", "Chất quanh ta", "Vật liệu, nguyên liệu, nhiên liệu",
             "Hỗn hợp, tách chất", "Tế bào", "Từ tế bào đến cơ thể", "Đa dạng thế giới sống", "Lực",
             "Năng lượng", "Trái Đất và bầu trời"],
    "LSDL": ["Vì sao phải học lịch sử", "Thời nguyên thuỷ", "Xã hội cổ đại", "Đông Nam Á", "Bản đồ",
             "Trái Đất – hành tinh của hệ Mặt Trời", "Cấu tạo của Trái Đất", "Khí hậu", "Nước trên Trái Đất"],
}
MILESTONES = ((0.25, "Kiểm tra giữa học kì I"), (0.5, "Kiểm tra cuối học kì I"), (0.75, "Kiểm tra giữa học kì II"),
              (1.0, "Kiểm tra cuối học kì II"))
REMARKS = ["Lớp chú ý, sôi nổi xây dựng bài.", "Lớp ngoan, nắm được bài.", "Một số em còn nói chuyện riêng.",
           "Lớp học tốt, chuẩn bị bài đầy đủ.", "Cần chú ý hơn khi làm bài tập.", "", ""]
RATING_WEIGHTS = (("tot", 62), ("kha", 28), ("tb", 8), ("chua_dat", 2))


def weekly_periods(periods_per_year: int, rand: random.Random) -> int:
    exact = periods_per_year / WEEKS
    whole = int(exact)
    return whole + (1 if rand.random() < exact - whole else 0)


def lesson_title(subject: Subject, n: int, total: int) -> str:
    for share, name in MILESTONES:
        if n == max(1, round(total * share)):
            return name
        if n == max(1, round(total * share)) - 1 and share in (0.5, 1.0):
            return "Ôn tập học kì I" if share == 0.5 else "Ôn tập cuối năm"
    chapters = CHAPTERS.get(subject.code)
    per = max(1, total // (len(chapters) if chapters else 10))
    index = (n - 1) // per
    name = chapters[min(index, len(chapters) - 1)] if chapters else f"Chủ đề {index + 1}"
    part = (n - 1) % per + 1
    return f"Bài {index + 1}. {name} (tiết {part})" if part > 1 else f"Bài {index + 1}. {name}"


def _place(lessons: list, free: list[tuple[int, int]], busy: set) -> tuple[list, int]:
    """One class's week: each lesson in the first free slot where its teacher is free, at most two periods of
    a subject a day and spread over the week first; returns (lesson, slot) pairs and how many found no slot."""
    taken: set[tuple[int, int]] = set()
    per_day: dict[tuple[int, int], int] = defaultdict(int)
    placed, missed = [], 0
    for a in lessons:
        choices = [s for s in free if s not in taken and (a.teacher_id, *s) not in busy
                   and per_day[(a.subject_id, s[0])] < 2]
        if not choices:
            missed += 1
            continue
        slot = min(choices, key=lambda s: (per_day[(a.subject_id, s[0])], s[1] == 5))
        taken.add(slot)
        per_day[(a.subject_id, slot[0])] += 1
        placed.append((a, slot))
    return placed, missed


def seed_timetable_and_ppct(year: SchoolYear, seed: int = 2024) -> dict:
    """A clash-free timetable (mornings, Monday–Saturday) for every class of the year, from its first day,
    and a PPCT of every grade's subjects; call inside write_transaction()."""
    rand = random.Random(f"sotruong-demo-timetable:{seed}:{year.start_year}")
    periods = {(g, s): n for g, s, n in GradeSubject.select(GradeSubject.grade, GradeSubject.subject,
                                                            GradeSubject.periods_per_year).tuples()}
    first_day = min(s.starts_on for s in year.semesters)
    version = TimetableVersion.create(year=year, effective_on=first_day, note="Thời khoá biểu học kì I")
    busy: set[tuple[int, int, int]] = set()  # (teacher, weekday, period)
    slots, unplaced = [], 0
    all_slots = [(w, p) for w in tt.WEEKDAYS for p in range(1, tt.PERIODS_PER_SESSION + 1)]
    classes = list(SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name))
    by_class = defaultdict(list)
    for a in (TeachingAssignment.select().join(SchoolClass).where(SchoolClass.year == year)
              .order_by(TeachingAssignment.id)):
        if a.is_coordinator:
            by_class[a.school_class_id].append(a)
    for school_class in classes:
        lessons = []
        for a in by_class[school_class.id]:
            lessons += [a] * weekly_periods(periods.get((school_class.grade_id, a.subject_id), 35), rand)
        lessons.sort(key=lambda a: -sum(1 for x in lessons if x.id == a.id))
        best = None
        for _attempt in range(40):  # a few shuffles of the week; keep the one placing the most lessons
            free = all_slots[:]
            rand.shuffle(free)
            placed, missed = _place(lessons, free, busy)
            if best is None or missed < best[1]:
                best = (placed, missed)
            if missed == 0:
                break
        placed, missed = best
        unplaced += missed
        for a, (weekday, period) in placed:
            busy.add((a.teacher_id, weekday, period))
            slots.append({"timetable": version.id, "school_class": school_class.id, "weekday": weekday,
                          "period": period, "assignment": a.id})
    for i in range(0, len(slots), 500):
        TimetableSlot.insert_many(slots[i:i + 500]).execute()
    subjects = {s.id: s for s in Subject.select()}
    grades = {c.grade_id for c in classes}
    lessons = []
    for (grade_id, subject_id), total in sorted(periods.items()):
        if grade_id not in grades:
            continue
        for n in range(1, total + 1):
            lessons.append({"year": year.id, "grade": grade_id, "subject": subject_id, "number": n,
                            "title": lesson_title(subjects[subject_id], n, total)})
    for i in range(0, len(lessons), 500):
        PpctLesson.insert_many(lessons[i:i + 500]).execute()
    record("seed_demo", "timetable", year.name, after={"slots": len(slots), "lessons": len(lessons),
                                                       "unplaced": unplaced})
    return {"slots": len(slots), "unplaced": unplaced, "lessons": len(lessons)}


def _digest(rows: list[dict], keys: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    for row in rows:
        h.update("\x1f".join(str(row.get(k, "")) for k in keys).encode())
        h.update(b"\x1e")
    return h.hexdigest()


def seed_demo_teaching(seed: int = 2024, today: date | None = None) -> str:
    """Two weeks of submitted teaching schedules (the current and the previous week) and the class log of
    every school day before `today`; the weeks before the current one signed by the vice-principal."""
    year = SchoolYear.current()
    today = page_day(year, today or date.today())
    rand = random.Random(f"sotruong-demo-class-log:{seed}:{today.isoformat()}")
    version = TimetableVersion.select().where(TimetableVersion.year == year).first()
    if version is None:
        return "không có thời khoá biểu mẫu"
    this_week = tt.week_start(today)
    last_day = this_week + timedelta(days=6)
    span_start = min(s.starts_on for s in year.semesters)
    days = school_days(year, span_start, last_day)
    # (weekday) → [(period, class id, subject id, teacher id)]
    week_plan = defaultdict(list)
    for weekday, period, class_id, subject_id, teacher_id in (
            TimetableSlot.select(TimetableSlot.weekday, TimetableSlot.period, TimetableSlot.school_class,
                                 TeachingAssignment.subject, TeachingAssignment.teacher)
            .join(TeachingAssignment).where(TimetableSlot.timetable == version).tuples()):
        week_plan[weekday].append((period, class_id, subject_id, teacher_id))
    for plan in week_plan.values():
        plan.sort()
    grade_of = {c.id: c.grade_id for c in SchoolClass.select().where(SchoolClass.year == year)}
    titles = {(g, s, n): t for g, s, n, t in PpctLesson.select(PpctLesson.grade, PpctLesson.subject, PpctLesson.number,
                                                             PpctLesson.title).where(PpctLesson.year == year).tuples()}
    users = {u.staff_id: u.id for u in User.select(User.id, User.staff) if u.staff_id}
    staff_of_class_subject = {(c, s): t for plan in week_plan.values() for _, c, s, t in plan}
    teachers_by_subject = defaultdict(set)
    for (_, s), t in staff_of_class_subject.items():
        teachers_by_subject[s].add(t)
    absent = defaultdict(list)
    for student, class_id, day in (AttendanceMark.select(AttendanceMark.student, AttendanceMark.school_class,
                                                         AttendanceMark.day)
                                   .where(AttendanceMark.value.in_(["P", "K"]) & (AttendanceMark.day >= span_start)
                                          & (AttendanceMark.session == 1)).tuples()):
        absent[(class_id, day)].append(student)
    counters: dict[tuple[int, int], int] = defaultdict(int)
    entries, schedule_rows = [], defaultdict(list)  # (teacher, monday) → rows
    schedule_from = this_week - timedelta(days=7)
    for day in days:
        for period, class_id, subject_id, teacher_id in week_plan.get(day.weekday(), []):
            key = (class_id, subject_id)
            not_taught = day < today and rand.random() < 0.004
            number = counters[key] + (0 if not_taught else 1)
            if not not_taught:
                counters[key] = number
            title = titles.get((grade_of[class_id], subject_id, number), "")
            if day >= schedule_from:
                schedule_rows[(teacher_id, tt.week_start(day))].append(
                    {"day": day, "period": period, "school_class": class_id, "subject": subject_id,
                     "lesson_no": number, "title": title})
            if day >= today:
                continue
            writer = teacher_id
            if rand.random() < 0.01:  # a colleague of the department taught it instead
                others = sorted(teachers_by_subject[subject_id] - {teacher_id})
                writer = others[rand.randrange(len(others))] if others else teacher_id
            if writer not in users:
                continue
            rating = rand.choices([r for r, _ in RATING_WEIGHTS], [w for _, w in RATING_WEIGHTS])[0]
            entries.append({
                "school_class": class_id, "day": day, "period": period, "subject": subject_id,
                "planned_teacher": teacher_id, "teacher": writer,
                "lesson_no": None if not_taught else number, "title": "" if not_taught else title,
                "absent": ",".join(str(s) for s in sorted(absent.get((class_id, day), []))),
                "remarks": "" if not_taught else rand.choice(REMARKS),
                "rating": None if not_taught else rating,
                "not_taught": "Học sinh tham gia hoạt động ngoại khoá của trường" if not_taught else "",
                "confirmed_by": users[writer], "version": 1,
                "confirmed_at": datetime.combine(day, time(7 + period, rand.randint(0, 44)))})
    vice = User.get_or_none(User.username == "phohieutruong")
    with write_transaction():
        for i in range(0, len(entries), 500):
            ClassLogEntry.insert_many(entries[i:i + 500]).execute()
        signed = []
        if vice is not None:
            mondays = sorted({tt.week_start(e["day"]) for e in entries if tt.week_start(e["day"]) < this_week})
            signed = [{"school_class": c, "week_start": m, "signed_by": vice.id,
                       "signed_at": datetime.combine(m + timedelta(days=5), time(16, 30))}
                      for m in mondays for c in sorted(grade_of)]
            for i in range(0, len(signed), 500):
                ClassLogWeek.insert_many(signed[i:i + 500]).execute()
        lesson_rows = 0
        for (teacher_id, monday), rows in sorted(schedule_rows.items()):
            week = TeachingWeek.create(teacher=teacher_id, week_start=monday, state="submitted",
                                       submitted_at=datetime.combine(monday - timedelta(days=3), time(20, 0)))
            ScheduleLesson.insert_many([{**r, "week": week.id} for r in rows]).execute()
            lesson_rows += len(rows)
        record("seed_demo", "teaching_week", year.name,
               after={"weeks": len(schedule_rows), "lessons": lesson_rows, "until": today.isoformat()})
        record("seed_demo", "class_log", year.name,
               after={"entries": len(entries), "weeks": len(signed), "until": today.isoformat(),
                      "digests": {"sha256": _digest(entries, ("school_class", "day", "period", "lesson_no",
                                                              "teacher", "rating", "absent"))}})
    return (f"Sổ ghi đầu bài mẫu: {len(entries)} tiết đã ghi, {len(signed)} tuần đã ký; "
            f"{len(schedule_rows)} lịch báo giảng đã nộp.")
