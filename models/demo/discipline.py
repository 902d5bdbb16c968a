"""Demo nề nếp and sổ chủ nhiệm: the school's list of conduct items, the last four school weeks of records for every
class (some classes tidier than others, so the week's ranking spreads), and 6A1's homeroom book partly filled as a homeroom teacher would have it by `today`.

Deterministic for a given day; nothing is recorded on `today` itself, so the day's entry starts empty.
"""
import random
from datetime import date, datetime, timedelta

from models.audit.log import record
from models.core import write_transaction
from models.discipline import conduct
from models.homeroom_book.book import HomeroomBookSection, HomeroomNote, year_months
from models.people.accounts import User
from models.rules.emulation import week_start
from models.school.structure import School, SchoolClass, SchoolYear, class_roster

ITEMS = [  # name, points, scope
    ("Đi muộn", -2, "student"),
    ("Không mặc đồng phục", -2, "student"),
    ("Không học bài, không làm bài tập", -2, "student"),
    ("Nói chuyện riêng trong giờ học", -1, "student"),
    ("Không đeo khăn quàng đỏ, huy hiệu", -1, "student"),
    ("Dùng điện thoại trong giờ học", -3, "student"),
    ("Gây mất trật tự, xô đẩy bạn", -3, "student"),
    ("Lớp vệ sinh bẩn", -5, "class"),
    ("Lớp xếp hàng chào cờ chậm", -3, "class"),
    ("Phát biểu xây dựng bài", 1, "student"),
    ("Giúp đỡ bạn trong học tập", 2, "student"),
    ("Nhặt được của rơi trả lại", 3, "student"),
    ("Lớp có tiết học tốt", 5, "class"),
]
# a primary school's list: no telephones in class, the pupils' own forgetfulness instead
PRIMARY_ITEMS = [("Không mang đủ đồ dùng học tập", -1, "student") if name == "Dùng điện thoại trong giờ học"
                 else (name, points, scope) for name, points, scope in ITEMS]
WEEKS = 4

COMMITTEE = ("Lớp trưởng: {0}\nLớp phó học tập: {1}\nLớp phó văn thể mĩ: {2}\nLớp phó lao động: {3}\n"
             "Tổ trưởng tổ 1: {4}; tổ 2: {5}")
YEAR_PLAN = ("1. Ổn định nề nếp ngay từ tháng 9: đi học đúng giờ, đồng phục, trực nhật theo tổ.\n"
             "2. Phấn đấu 100% học sinh lên lớp, 30% học sinh đạt kết quả học tập Tốt; không có học sinh bỏ học.\n"
             "3. Thành lập đôi bạn cùng tiến; phụ đạo học sinh còn yếu môn Toán, Ngữ văn.\n"
             "4. Liên hệ thường xuyên với cha mẹ học sinh qua nhóm lớp và sổ liên lạc; họp cha mẹ học sinh 3 lần trong năm.\n"
             "5. Thi đua: lớp đạt thi đua tuần xếp trong 5 lớp đầu khối ít nhất 20 tuần.")
MONTH_PLANS = {
    9: ("Ổn định tổ chức lớp, bầu ban cán sự; học nội quy trường; họp cha mẹ học sinh đầu năm.",
        "Lớp đã ổn định; còn 3 học sinh hay đi muộn, đã trao đổi với gia đình."),
    10: ("Thi đua học tốt chào mừng 20/10; kiểm tra vở ghi; nhắc nhở học sinh chuẩn bị bài trước khi đến lớp.",
         "Nề nếp tiến bộ; số lượt đi muộn giảm; cần nhắc nhở giữ vệ sinh lớp học."),
    11: ("Thi đua chào mừng ngày Nhà giáo Việt Nam 20/11: mỗi học sinh phấn đấu có điểm tốt; văn nghệ của lớp.",
         "Lớp đạt giải ba văn nghệ khối 6; nhiều học sinh có tiến bộ trong học tập."),
    12: ("Ôn tập, kiểm tra cuối học kì I; giữ vững nề nếp trong mùa lạnh.", ""),
}
MEETINGS = ["Nhận xét tuần: lớp giữ trật tự tốt, còn {n} lượt đi muộn. Tuyên dương tổ {t}. Tuần tới: chuẩn bị bài đầy đủ.",
            "Nhận xét tuần: trực nhật sạch sẽ; nhắc nhở nói chuyện riêng trong giờ. Phân công tổ {t} trực nhật tuần tới.",
            "Nhận xét tuần: nhiều bạn phát biểu xây dựng bài; còn {n} bạn quên đồng phục. Kế hoạch tuần tới: ôn bài kiểm tra."]


def _school_days(today: date) -> list[date]:
    """Monday to Friday of the last WEEKS weeks before `today` (today itself left out)."""
    first = week_start(today) - timedelta(weeks=WEEKS)
    return [first + timedelta(days=i) for i in range((today - first).days) if (first + timedelta(days=i)).weekday() < 5]


def seed_demo_discipline(seed: int = 2024, today: date | None = None) -> str:
    """Fill the demo's nề nếp (lower secondary, THPT or primary) and 6A1's homeroom book (where there is a 6A1) as
    they stand on `today`; one transaction."""
    today = today or date.today()
    rand = random.Random(f"sotruong-demo-discipline:{seed}:{today.isoformat()}")
    year = SchoolYear.current()
    officer = User.get_or_none(User.username == "giamthi")
    school = School.current()
    primary = school is not None and school.level_list == ["tieu_hoc"]
    items = [conduct.add_item(name, str(points), scope) for name, points, scope in (PRIMARY_ITEMS if primary else ITEMS)]
    violations = [i for i in items if i.points < 0 and i.scope == "student"]
    good = [i for i in items if i.points > 0 and i.scope == "student"]
    whole_class = [i for i in items if i.scope == "class"]
    classes = list(SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name))
    days = [d for d in _school_days(today) if d >= _first_day(year)]
    rows = []
    for school_class in classes:
        students = [e.student for e in class_roster(school_class) if not e.has_left]
        if not students:
            continue
        unruly = rand.choice((1, 2, 2, 3))  # at most this many violations a day in this class
        for day in days:
            at = datetime.combine(day, datetime.min.time()).replace(hour=7, minute=30)
            picks = [(rand.choice(violations), rand.choice(students)) for _ in range(rand.randint(0, unruly))]
            picks += [(rand.choice(good), rand.choice(students)) for _ in range(rand.randint(0, 2))]
            if rand.random() < 0.12:
                picks.append((rand.choice(whole_class), None))
            for item, student in picks:
                rows.append({"school_class": school_class.id, "student": student.id if student else None,
                             "item": item.id, "day": day, "points": item.points, "note": "",
                             "entered_by": officer.id if officer else None, "entered_at": at})
    with write_transaction():
        for start in range(0, len(rows), 300):
            conduct.ConductRecord.insert_many(rows[start:start + 300]).execute()
        record("seed_demo", "conduct_record", year.name,
               after={"classes": len(classes), "records": len(rows), "until": today.isoformat()})
    notes = _homeroom_book(rand, year, today)
    book = f"; sổ chủ nhiệm 6A1: {notes} ghi chép" if notes is not None else ""
    return f"Nề nếp mẫu: {len(items)} nội dung, {len(rows)} ghi nhận của {len(classes)} lớp{book}."


def _first_day(year: SchoolYear) -> date:
    bounds = conduct.year_bounds(year)
    return bounds[0] if bounds else date(year.start_year, 9, 5)


def _homeroom_book(rand: random.Random, year: SchoolYear, today: date) -> int | None:
    """6A1's homeroom book up to `today`: committee, the year's plan, the months so far, weekly class meetings, the
    first parents' meeting, some contacts with families and progress notes; None when the school has no 6A1."""
    school_class = SchoolClass.get_or_none((SchoolClass.year == year) & (SchoolClass.name == "6A1"))
    if school_class is None:
        return None
    students = [e.student for e in class_roster(school_class) if not e.has_left]
    teacher = User.get_or_none(User.staff == school_class.homeroom_teacher_id)
    by = teacher.id if teacher else None
    first = _first_day(year)
    if today <= first or len(students) < 6:
        return 0
    now = datetime.combine(min(today, first + timedelta(days=20)), datetime.min.time()).replace(hour=20)
    sections = [("committee", "", COMMITTEE.format(*(s.full_name for s in students[:6]))),
                ("year_plan", "", YEAR_PLAN)]
    for month in year_months(school_class):
        y, m = int(month[:4]), int(month[5:])
        if date(y, m, 1) > today or m not in MONTH_PLANS:
            continue
        plan, review = MONTH_PLANS[m]
        sections.append(("month_plan", month, plan))
        month_over = date(y + (m == 12), m % 12 + 1, 1) <= today
        if review and month_over:
            sections.append(("month_review", month, review))
    notes = []
    day = week_start(first) + timedelta(days=5)  # the Saturday of each week: sinh hoạt lớp
    week = 1
    while day < today:
        if day >= first:
            text = rand.choice(MEETINGS).format(n=rand.randint(1, 4), t=rand.randint(1, 4))
            notes.append(("class_meeting", day, None, f"Tuần {week}", None, None, text))
            week += 1
        day += timedelta(days=7)
    meeting = first + timedelta(days=16)
    if meeting < today:
        notes.append(("parents_meeting", meeting, None, "Họp đầu năm học", len(students) - 3, len(students),
                      "Thông qua kế hoạch năm học của lớp; bầu ban đại diện cha mẹ học sinh lớp; phổ biến nội quy "
                      "nhà trường và các khoản thu. Phụ huynh thống nhất phối hợp nhắc nhở học sinh đi học đúng giờ."))
    for back, student, channel, text in ((40, students[2], "Điện thoại", "Báo gia đình em đi học muộn 3 buổi trong tuần; "
                                          "gia đình hứa đưa em đi sớm hơn."),
                                         (20, students[4], "Gặp trực tiếp", "Trao đổi với mẹ em về việc chưa làm bài tập "
                                          "môn Toán; thống nhất kiểm tra vở hằng tối."),
                                         (6, students[2], "Tin nhắn", "Báo gia đình em đã tiến bộ, tuần này không đi muộn.")):
        if today - timedelta(days=back) >= first:
            notes.append(("family_contact", today - timedelta(days=back), student, channel, None, None, text))
    for back, student, text in ((30, students[4], "Tiến bộ về ý thức làm bài tập; cần tiếp tục kèm môn Toán."),
                                (10, students[2], "Đi học đúng giờ cả hai tuần qua; được lớp tuyên dương.")):
        if today - timedelta(days=back) >= first:
            notes.append(("progress", today - timedelta(days=back), student, "", None, None, text))
    with write_transaction():
        for kind, period, text in sections:
            HomeroomBookSection.create(school_class=school_class, kind=kind, period=period, text=text, version=1,
                                       updated_at=now, updated_by=by)
        if notes:
            HomeroomNote.insert_many([{"school_class": school_class.id, "kind": kind, "day": day, "student": student.id if student else None,
             "channel": channel, "present": present, "expected": expected, "text": text, "entered_by": by,
             "entered_at": datetime.combine(day, datetime.min.time()).replace(hour=17)}
                for kind, day, student, channel, present, expected, text in notes]).execute()
        record("seed_demo", "homeroom_book", school_class.id,
               after={"class": school_class.name, "records": len(sections) + len(notes), "until": today.isoformat()})
    return len(notes)
