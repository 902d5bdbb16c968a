"""Demo school health: a periodic check for every class, a medicine stock with a batch near expiry and one
running low, a month of the clinic log, and allergies and conditions for some students.

Deterministic for a given day; the checks are drawn around the WHO 2007 medians so that the statuses spread
as in a real school (mostly bình thường, some thừa cân, béo phì, gầy còm).
"""
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from models.audit.log import record
from models.core import write_transaction
from models.health import checks, clinic, daily
from models.health.records import HealthRecord
from models.people.accounts import User
from models.rules import growth
from models.school.structure import SchoolClass, SchoolYear, class_roster

ALERTS = [  # (allergies, chronic conditions, notes for teachers)
    ("Dị ứng hải sản (tôm, cua)", "", "Không cho ăn hải sản trong bữa bán trú."),
    ("Dị ứng Penicillin", "", "Báo phòng y tế trước khi cho uống bất kì thuốc nào."),
    ("", "Hen phế quản", "Mang theo bình xịt; không chạy bền trong giờ Thể dục khi lên cơn."),
    ("", "Động kinh", "Khi lên cơn: đặt nằm nghiêng, gọi ngay phòng y tế."),
    ("Dị ứng phấn hoa", "Viêm mũi dị ứng", ""),
    ("", "Tim bẩm sinh đã mổ", "Miễn vận động mạnh theo giấy của bác sĩ."),
]
STOCK = [  # name, unit, warn at, [(quantity, days to expiry)]
    ("Paracetamol 500 mg", "viên", 30, [(200, 400), (40, 18)]),
    ("Oresol", "gói", 20, [(15, 300)]),  # below its warning level
    ("Băng cuộn y tế", "cuộn", 5, [(30, 900)]),
    ("Cồn 70 độ", "chai", 2, [(10, 500)]),
    ("Povidine 10%", "chai", 2, [(6, 25)]),
    ("Dầu gió", "chai", 3, [(12, 700)]),
]
COMPLAINTS = [("Sốt 38,5 độ", "Chườm mát, uống hạ sốt", "Paracetamol 500 mg", True, True),
              ("Đau bụng", "Nằm nghỉ, theo dõi", None, False, False),
              ("Trầy xước đầu gối khi đá cầu", "Rửa vết thương, sát trùng, băng", "Băng cuộn y tế", False, False),
              ("Tiêu chảy", "Uống Oresol, theo dõi", "Oresol", True, False),
              ("Đau đầu", "Nằm nghỉ 15 phút", None, False, False),
              ("Chóng mặt, mệt", "Nằm nghỉ, uống nước đường", None, True, True)]


def _check_day(year: SchoolYear, index: int, today: date) -> date | None:
    """Each class is checked on one day of the first weeks of October (or earlier if the year is young)."""
    day = date(year.start_year, 9, 20) + timedelta(days=index % 12)
    while day.weekday() == 6:
        day += timedelta(days=1)
    return day if day < today else None


def _row(rand: random.Random, entry, school_class, day: date) -> dict | None:
    student = entry.student
    sex = checks.sex_of(student)
    if not sex or not student.date_of_birth:
        return None
    age = growth.age_in_months(student.date_of_birth, day)
    h = growth.height_at_z(sex, age, max(-3.2, min(3, rand.gauss(-0.3, 1.0))))
    b = growth.bmi_at_z(sex, age, max(-2.8, min(3.5, rand.gauss(0.3, 1.15))))
    if h is None or b is None:
        return None
    height = Decimal(str(round(h, 1)))
    weight = Decimal(str(round(b * (float(height) / 100) ** 2, 1)))
    measured = checks.measure(student, day, height, weight)
    eye = 10 if rand.random() > 0.25 else rand.randint(3, 9)
    return {"student": student.id, "school_class": school_class.id, "checked_on": day, "height_cm": height,
            "weight_kg": weight, **measured, "eye_left": eye, "eye_right": eye if rand.random() < 0.7 else min(10, eye + 1),
            "refraction": ("C" if eye < 10 and rand.random() < 0.8 else "CL" if eye < 10 else ""),
            "dental": "Sâu răng" if rand.random() < 0.18 else "", "spine": rand.random() < 0.03, "other": "",
            "entered_at": datetime.combine(day, time(15, 0))}


def seed_demo_health(seed: int = 2024, today: date | None = None) -> str:
    """Fill the demo school's health data as it stands on `today`; one transaction (and the clinic's own)."""
    today = today or date.today()
    rand = random.Random(f"sotruong-demo-health:{seed}")
    year = SchoolYear.current()
    nurse = User.get_or_none(User.username == "yte")
    rows, alerts = [], 0
    with write_transaction():
        for index, school_class in enumerate(SchoolClass.select().where(SchoolClass.year == year)
                                             .order_by(SchoolClass.name)):
            day = _check_day(year, index, today)
            for entry in class_roster(school_class):
                if entry.has_left:
                    continue
                if rand.random() < 0.06:
                    allergies, conditions, notes = rand.choice(ALERTS)
                    HealthRecord.create(student=entry.student, allergies=allergies, chronic_conditions=conditions,
                                        teacher_notes=notes, blood_group=rand.choice(["A", "B", "AB", "O", "O"]))
                    alerts += 1
                row = _row(rand, entry, school_class, day) if day else None
                if row:
                    rows.append(row)
        for start in range(0, len(rows), 300):
            checks.HealthCheck.insert_many(rows[start:start + 300]).execute()
        record("seed_demo", "health_check", year.name, after={"students": len(rows), "until": today.isoformat()})
    items = {}
    for name, unit, low, batches in STOCK:
        items[name] = clinic.add_item(name, unit, low)
        for qty, days in batches:
            clinic.receive(items[name], qty, today + timedelta(days=days), f"L{rand.randint(1000, 9999)}",
                           on=today - timedelta(days=40), user=nurse)
    students = [e.student for c in SchoolClass.select().where(SchoolClass.year == year)
                for e in class_roster(c) if not e.has_left]
    visits = 0
    for back in range(30, 0, -1):
        day = today - timedelta(days=back)
        if day.weekday() == 6 or not students:
            continue
        for _ in range(rand.randint(0, 3)):
            complaint, treatment, medicine, informed, home = rand.choice(COMPLAINTS)
            at = datetime.combine(day, time(rand.randint(7, 10), rand.randint(0, 59)))
            doses = [(items[medicine], "1" if medicine != "Paracetamol 500 mg" else "2")] if medicine else []
            clinic.log_visit(rand.choice(students), at, {"complaint": complaint, "treatment": treatment,
                                                         "parent_informed": informed, "sent_home": home},
                             doses, user=nurse)
            visits += 1
    notes = _daily(rand, year, today, nurse)
    return (f"Y tế mẫu: {len(rows)} kết quả khám, {alerts} hồ sơ có lưu ý, {visits} lượt khám ở phòng y tế, "
            f"{notes} ghi nhận sức khỏe hằng ngày.")


def _daily(rand: random.Random, year: SchoolYear, today: date, nurse) -> int:
    """A month of daily health notes, and three of one class with diarrhoea in the last days (the warning)."""
    classes = list(SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name))
    rosters = {c.id: [e.student for e in class_roster(c) if not e.has_left] for c in classes}
    rows = []
    for back in range(30, -1, -1):
        day = today - timedelta(days=back)
        if day.weekday() == 6:
            continue
        for _ in range(rand.randint(2, 6)):
            school_class = rand.choice(classes)
            if rosters[school_class.id]:
                rows.append({"student": rand.choice(rosters[school_class.id]).id, "school_class": school_class.id,
                             "day": day, "symptom": rand.choice(["om", "sot", "ho", "dau_bung", "chan_thuong"]),
                             "note": "", "entered_by": getattr(nurse, "id", None),
                             "entered_at": datetime.combine(day, time(11, 0))})
    outbreak = next((c for c in classes if len(rosters[c.id]) >= 3), None)
    if outbreak is not None:
        for back, student in enumerate(rosters[outbreak.id][:3]):
            day = today - timedelta(days=back)
            rows.append({"student": student.id, "school_class": outbreak.id, "day": day, "symptom": "tieu_chay",
                         "note": "Đi ngoài nhiều lần", "entered_by": getattr(nurse, "id", None),
                         "entered_at": datetime.combine(day, time(9, 30))})
    with write_transaction():
        for start in range(0, len(rows), 300):
            daily.DailyHealth.insert_many(rows[start:start + 300]).execute()
        record("seed_demo", "daily_health", year.name, after={"students": len(rows), "until": today.isoformat()})
    return len(rows)
