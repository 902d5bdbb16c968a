"""The demo school's books: this year's fee items, exemptions for policy families, the first semester's
charges, payments for most students and two reversals. Deterministic for a given seed and day."""
import random
from datetime import date, timedelta

from models.core import write_transaction
from models.finance import disclosure, fees, payments
from models.people.records import Student
from models.school.structure import Enrolment, SchoolClass, SchoolYear

# (name, amount in đồng, period, grades, mandatory)
DEMO_FEE_ITEMS = [
    ("Học phí", 100_000, "month", [], True),
    # 4,5 % × 2.340.000 đ × 12 tháng × 70 % (học sinh được ngân sách hỗ trợ 30 %)
    ("Bảo hiểm y tế", 884_520, "year", [], True),
    ("Bán trú", 450_000, "month", [6, 7], False),
]

DEMO_DISCLOSURE = [
    ("thu", "Ngân sách nhà nước cấp chi thường xuyên", 14_850_000_000, 6_187_500_000),
    ("thu", "Thu hoạt động dịch vụ (bán trú)", 1_620_000_000, 540_000_000),
    ("chi", "Chi thanh toán cá nhân (lương, phụ cấp)", 12_960_000_000, 5_400_000_000),
    ("chi", "Chi nghiệp vụ chuyên môn", 1_215_000_000, 412_300_000),
    ("chi", "Chi mua sắm, sửa chữa tài sản", 675_000_000, 128_750_000),
]


def seed_demo_finance(seed: int = 2024, today: date | None = None) -> str:
    """Fill the current year's books up to `today`; returns a one-line summary."""
    today = today or date.today()
    year = SchoolYear.current()
    rng = random.Random(seed)
    with write_transaction():
        items = {name: fees.create_fee_item(year, name, amount, period, grades, mandatory)
                 for name, amount, period, grades, mandatory in DEMO_FEE_ITEMS}
        semester_one = min(year.semesters, key=lambda s: s.number)
        students = list(Student.select().join(Enrolment).join(SchoolClass)
                        .where(SchoolClass.year == year).order_by(Student.id).distinct())
        granted = 0
        for index, student in enumerate(students):
            if student.policy_family:  # Nghị định 81/2021/NĐ-CP Điều 15: miễn học phí
                fees.grant_exemption(student, year, "con_chinh_sach", 100, "Quyết định số 45/QĐ-UBND ngày "
                                     f"{semester_one.starts_on:%d/%m/%Y}", semester_one.starts_on, None,
                                     items["Học phí"])
                granted += 1
            elif index % 40 == 7:  # Điều 16: giảm 50 % học phí
                fees.grant_exemption(student, year, "can_ngheo", 50, "Quyết định số 46/QĐ-UBND ngày "
                                     f"{semester_one.starts_on:%d/%m/%Y}", semester_one.starts_on, None,
                                     items["Học phí"])
                granted += 1
        months = [p for p in fees.periods_of(year) if p.kind == "month"
                  and semester_one.starts_on <= p.ends_on and p.starts_on <= min(semester_one.ends_on, today)]
        charged = 0
        classes = list(SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name))
        for school_class in classes:
            charged += fees.generate_charges(school_class, "nam", [items["Bảo hiểm y tế"].id])
            for month in months:
                charged += fees.generate_charges(school_class, month.key, [items["Học phí"].id])
        paid, reversed_ = 0, 0
        first_day = semester_one.starts_on
        last_day = max(first_day, min(today - timedelta(days=1), semester_one.ends_on))
        for student in students if today > first_day else []:
            if rng.random() < 0.15:  # some families have not paid yet
                continue
            balance = payments.student_balance(student, year)
            lines = {line.charge.id: line.owed for line in balance.lines if line.owed > 0}
            if not lines:
                continue
            day = first_day + timedelta(days=rng.randrange((last_day - first_day).days + 1))
            payment = payments.record_payment(student, year, lines, day, rng.choice(["cash", "cash", "transfer"]),
                                              student.mother_name or student.father_name)
            paid += 1
            if reversed_ < 2 and paid % 150 == 0:
                payments.reverse_payment(payment, "Thu nhầm số tiền, hoàn trả phụ huynh", day)
                reversed_ += 1
        # công khai tài chính of the year: the estimate and what was spent so far (illustrative figures)
        for kind, category, estimate, actual in DEMO_DISCLOSURE:
            disclosure.set_line(year, "nam", kind, category, estimate, actual)
    return (f"{len(items)} khoản thu, {granted} học sinh miễn giảm, {charged} khoản phải thu, "
            f"{paid} phiếu thu, {reversed_} phiếu huỷ")
