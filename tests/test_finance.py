"""Finance: fee items, exemptions rounded to the đồng, charges per period, gap-free receipts, reversals."""
import threading
from datetime import date
from decimal import Decimal

import pytest

from models.audit.log import AuditEntry
from models.core import DeletionRefused, db, write_transaction
from models.finance import fees, payments
from models.finance.fees import Charge, create_fee_item, generate_charges, grant_exemption
from models.finance.payments import Payment, record_payment, reverse_payment, student_balance
from models.school.structure import Enrolment


@pytest.fixture
def fee_setup(school):
    year = school["year"]
    tuition = create_fee_item(year, "Học phí", 333_333, "month", [6, 7], True)
    insurance = create_fee_item(year, "Bảo hiểm y tế", 680_400, "year", [], True)
    lunch = create_fee_item(year, "Bán trú", 500_000, "month", [6], False)
    return {**school, "tuition": tuition, "insurance": insurance, "lunch": lunch}


def student(s, name="Nguyễn Thị An"):
    return s["students"][name]


def test_a_fee_item_is_audited_and_a_duplicate_name_refused(fee_setup):
    entry = AuditEntry.select().where(AuditEntry.entity == "fee_item").order_by(AuditEntry.id).first()
    assert entry.action == "create" and '"amount":333333' in entry.after
    with pytest.raises(ValueError, match="đã có"):
        create_fee_item(fee_setup["year"], "Học phí", 1000, "month", [], True)
    with pytest.raises(ValueError, match="lớn hơn 0"):
        create_fee_item(fee_setup["year"], "Quỹ lớp", 0, "month", [], False)
    with pytest.raises(ValueError, match="quá lớn"):
        create_fee_item(fee_setup["year"], "Quỹ lớp", 1_000_000_001, "month", [], False)
    assert fees.FeeItem.select().count() == 3


def test_exemption_reduces_the_charge_rounded_half_up_to_the_dong(fee_setup):
    s = fee_setup
    an = student(s)
    # 333.333 × 50 % = 166.666,5 → 166.667 left to pay
    grant_exemption(an, s["year"], "ho_ngheo", Decimal("50"), "QĐ 12/QĐ-UBND ngày 01/09/2024",
                    date(2024, 9, 1), None, fee_item=s["tuition"])
    assert generate_charges(s["classes"]["6A1"], "2024-10", [s["tuition"].id]) == 7
    charge = Charge.get((Charge.student == an) & (Charge.period == "2024-10"))
    assert (charge.amount, charge.reduction, charge.due) == (333_333, 166_666, 166_667)
    other = Charge.get((Charge.student == student(s, "Lê Văn An")) & (Charge.period == "2024-10"))
    assert other.due == 333_333 and other.exemption_id is None


def test_exemption_only_within_its_dates_and_the_largest_counts(fee_setup):
    s = fee_setup
    an = student(s)
    grant_exemption(an, s["year"], "can_ngheo", Decimal("12.5"), "QĐ 3", date(2024, 11, 1), date(2024, 11, 30))
    grant_exemption(an, s["year"], "khuyet_tat", Decimal("70"), "QĐ 4", date(2024, 11, 15), None)
    for month in ("2024-10", "2024-11", "2024-12"):
        generate_charges(s["classes"]["6A1"], month, [s["tuition"].id])
    due = {c.period: c.due for c in Charge.select().where(Charge.student == an)}
    # 333.333 × 30 % = 99.999,9 → 100.000
    assert due == {"2024-10": 333_333, "2024-11": 100_000, "2024-12": 100_000}
    # voluntary items are not reduced by a general exemption
    generate_charges(s["classes"]["6A1"], "2024-12", [s["lunch"].id])
    assert Charge.get((Charge.student == an) & (Charge.fee_item == s["lunch"])).due == 500_000


def test_generating_twice_adds_nothing_and_wrong_period_or_grade_is_refused(fee_setup):
    s = fee_setup
    c = s["classes"]["6A1"]
    assert generate_charges(c, "nam", [s["insurance"].id]) == 7
    assert generate_charges(c, "nam", [s["insurance"].id]) == 0
    with pytest.raises(ValueError, match="không thu cho"):
        generate_charges(c, "hk1", [s["tuition"].id])
    with pytest.raises(ValueError, match="không áp dụng cho khối 7"):
        generate_charges(s["classes"]["7A1"], "2024-10", [s["lunch"].id])
    with pytest.raises(ValueError, match="kì thu"):
        generate_charges(c, "2030-01", [s["tuition"].id])
    assert Charge.select().count() == 7
    assert AuditEntry.select().where(AuditEntry.action == "charge").count() == 2


def test_a_student_who_leaves_is_charged_only_for_the_periods_enrolled(fee_setup):
    s = fee_setup
    leaver = student(s, "Trần Văn Bình")
    with write_transaction():
        Enrolment.update(left_on=date(2024, 10, 20)).where(Enrolment.student == leaver).execute()
    for month in ("2024-09", "2024-10", "2024-11"):
        generate_charges(s["classes"]["6A1"], month, [s["tuition"].id])
    assert sorted(c.period for c in Charge.select().where(Charge.student == leaver)) == ["2024-09", "2024-10"]
    assert Charge.select().where(Charge.period == "2024-11").count() == 6


def charged(s, name="Nguyễn Thị An", period="2024-10"):
    generate_charges(s["classes"]["6A1"], period, [s["tuition"].id])
    return Charge.get((Charge.student == student(s, name)) & (Charge.period == period))


def test_payment_gets_the_next_receipt_number_and_is_audited(fee_setup):
    s = fee_setup
    charge = charged(s)
    p1 = record_payment(student(s), s["year"], {charge.id: 100_000}, date(2024, 10, 5), "cash", "Nguyễn Văn Ba")
    p2 = record_payment(student(s), s["year"], {charge.id: 233_333}, date(2024, 10, 6), "transfer")
    assert (p1.receipt_no, p2.receipt_no) == (1, 2)
    assert student_balance(student(s), s["year"]).owed == 0
    entry = AuditEntry.select().where((AuditEntry.entity == "payment") & (AuditEntry.action == "pay")).first()
    assert '"receipt_no":1' in entry.after and '"amount":100000' in entry.after


def test_overpaying_or_a_foreign_charge_is_refused_and_nothing_is_written(fee_setup):
    s = fee_setup
    charge = charged(s)
    other = Charge.get((Charge.student == student(s, "Lê Văn An")) & (Charge.period == "2024-10"))
    with pytest.raises(ValueError, match="chỉ còn nợ 333.333 đ"):
        record_payment(student(s), s["year"], {charge.id: 333_334}, date(2024, 10, 5), "cash")
    with pytest.raises(ValueError, match="không phải của học sinh"):
        record_payment(student(s), s["year"], {other.id: 1000}, date(2024, 10, 5), "cash")
    with pytest.raises(ValueError, match="Chưa nhập"):
        record_payment(student(s), s["year"], {charge.id: 0}, date(2024, 10, 5), "cash")
    with pytest.raises(ValueError, match="hình thức"):
        record_payment(student(s), s["year"], {charge.id: 1000}, date(2024, 10, 5), "cheque")
    assert Payment.select().count() == 0
    assert record_payment(student(s), s["year"], {charge.id: 1000}, date(2024, 10, 5), "cash").receipt_no == 1


def test_a_payment_that_rolls_back_gives_its_receipt_number_back(fee_setup, monkeypatch):
    s = fee_setup
    charge = charged(s)
    real = payments.PaymentLine.insert_many

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(payments.PaymentLine, "insert_many", broken)
    with pytest.raises(RuntimeError):
        record_payment(student(s), s["year"], {charge.id: 1000}, date(2024, 10, 5), "cash")
    monkeypatch.setattr(payments.PaymentLine, "insert_many", real)
    assert record_payment(student(s), s["year"], {charge.id: 1000}, date(2024, 10, 5), "cash").receipt_no == 1


def test_concurrent_payments_take_one_gap_free_sequence(fee_setup):
    s = fee_setup
    names = list(s["students"])[:7]
    charges = [charged(s, name) for name in names]
    numbers, errors = [], []
    start = threading.Barrier(len(charges))

    def pay(charge, name):
        try:
            db.connect(reuse_if_open=True)
            start.wait()
            for _ in range(3):
                p = record_payment(student(s, name), s["year"], {charge.id: 1000}, date(2024, 10, 5), "cash")
                numbers.append(p.receipt_no)
        except Exception as exc:  # collected: an assertion in a thread would be lost
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=pay, args=(c, n)) for c, n in zip(charges, names, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, 22))
    assert sorted(Payment.select(Payment.receipt_no).tuples()) == [(n,) for n in range(1, 22)]


def test_a_reversal_undoes_a_payment_and_both_stay_in_the_books(fee_setup):
    s = fee_setup
    charge = charged(s)
    paid = record_payment(student(s), s["year"], {charge.id: 333_333}, date(2024, 10, 5), "cash")
    assert student_balance(student(s), s["year"]).owed == 0
    with pytest.raises(ValueError, match="lí do"):
        reverse_payment(paid, "  ", date(2024, 10, 6))
    reversal = reverse_payment(paid, "Thu nhầm học sinh", date(2024, 10, 6))
    assert reversal.amount == -333_333 and reversal.reverses_id == paid.id and reversal.receipt_no is None
    assert student_balance(student(s), s["year"]).owed == 333_333
    assert Payment.select().count() == 2 and Payment.get_by_id(paid.id).is_reversed
    with pytest.raises(ValueError, match="đã được huỷ"):
        reverse_payment(paid, "lần nữa", date(2024, 10, 7))
    with pytest.raises(ValueError, match="bút toán huỷ"):
        reverse_payment(reversal, "lần nữa", date(2024, 10, 7))
    entry = AuditEntry.get((AuditEntry.entity == "payment") & (AuditEntry.action == "reverse"))
    assert entry.reason == "Thu nhầm học sinh" and entry.entity_id == str(paid.id)
    # the charge can be paid again, on the next number
    again = record_payment(student(s), s["year"], {charge.id: 333_333}, date(2024, 10, 7), "cash")
    assert again.receipt_no == 2


def test_a_posted_payment_is_never_edited_or_deleted(fee_setup):
    s = fee_setup
    charge = charged(s)
    paid = record_payment(student(s), s["year"], {charge.id: 1000}, date(2024, 10, 5), "cash")
    paid.amount = 5
    with pytest.raises(PermissionError):
        paid.save()
    with pytest.raises(DeletionRefused):
        paid.delete_instance()
    assert Payment.get_by_id(paid.id).amount == 1000


def test_class_balances_list_who_owes_what(fee_setup):
    s = fee_setup
    charge = charged(s)
    record_payment(student(s), s["year"], {charge.id: 33_333}, date(2024, 10, 5), "cash")
    rows = payments.class_balances(s["classes"]["6A1"])
    assert len(rows) == 7
    an = next(r for r in rows if r.student.id == student(s).id)
    assert (an.due, an.paid, an.owed) == (333_333, 33_333, 300_000)
    assert sum(r.owed for r in rows) == 7 * 333_333 - 33_333


def test_reports_reconcile_with_the_payments_ledger(fee_setup):
    from io import BytesIO

    from openpyxl import load_workbook

    from models.finance import reports

    s = fee_setup
    an, binh = student(s), student(s, "Trần Văn Bình")
    grant_exemption(an, s["year"], "ho_ngheo", Decimal("50"), "QĐ 1", date(2024, 9, 1), None, s["tuition"])
    for month in ("2024-09", "2024-10"):
        generate_charges(s["classes"]["6A1"], month, [s["tuition"].id])
    generate_charges(s["classes"]["6A2"], "nam", [s["insurance"].id])
    a = Charge.get((Charge.student == an) & (Charge.period == "2024-09"))
    b = Charge.get((Charge.student == binh) & (Charge.period == "2024-10"))
    c = Charge.get(Charge.student == student(s, "Bùi Thị Cúc"))
    record_payment(an, s["year"], {a.id: a.due}, date(2024, 9, 9), "cash")
    wrong = record_payment(binh, s["year"], {b.id: 200_000}, date(2024, 10, 9), "transfer")
    reverse_payment(wrong, "Sai số tiền", date(2024, 10, 10))
    record_payment(binh, s["year"], {b.id: 100_000}, date(2024, 10, 10), "cash")
    record_payment(student(s, "Bùi Thị Cúc"), s["year"], {c.id: 680_400}, date(2024, 9, 9), "cash")

    ledger = reports.ledger_total(s["year"])
    assert ledger == 166_667 + 100_000 + 680_400
    assert reports.collections(s["year"]).total == ledger
    due = sum(ch.due for ch in Charge.select())
    owed = reports.outstanding(s["year"])
    assert owed.total == due - ledger
    assert sum(r[2] for r in owed.rows) == ledger
    granted = reports.exemptions_granted(s["year"])
    assert granted.rows == [[fees.POLICY_CATEGORIES["ho_ngheo"], 1, 2 * 166_666]]
    policy = reports.policy_list(s["year"])
    assert [r[1:4] for r in policy.rows] == [["Nguyễn Thị An", "6A1", "50%"]] and policy.total == granted.total
    sheet = load_workbook(BytesIO(reports.collections(s["year"]).xlsx())).active
    assert sheet.cell(sheet.max_row, sheet.max_column).value == ledger


def test_disclosure_lines_are_audited_and_ledger_revenue_is_taken_from_the_receipts(fee_setup):
    from models.finance.disclosure import disclosure_table, set_line

    s = fee_setup
    # tens of billions: past a 32-bit integer (the PostgreSQL run proves the column holds it)
    set_line(s["year"], "nam", "thu", "Ngân sách nhà nước cấp", 14_850_000_000, 6_187_500_000)
    set_line(s["year"], "nam", "chi", "Chi thanh toán cá nhân", 700_000_000, 350_000_000)
    set_line(s["year"], "nam", "chi", "Chi thanh toán cá nhân", 700_000_000, 360_000_000)
    with pytest.raises(ValueError, match="Chưa nhập nội dung"):
        set_line(s["year"], "nam", "chi", "  ", 1, 1)
    with pytest.raises(ValueError, match="kì công khai"):
        set_line(s["year"], "2031-01", "chi", "Chi khác", 1, 1)
    charge = charged(s, period="2024-10")
    record_payment(student(s), s["year"], {charge.id: 333_333}, date(2024, 10, 5), "cash")
    table = disclosure_table(s["year"], "nam")
    assert [r.actual for r in table.revenue] == [6_187_500_000, 333_333]
    assert table.revenue[1].from_ledger and table.spending_actual == 360_000_000
    # october belongs to semester I, not II
    assert disclosure_table(s["year"], "hk1").revenue_actual == 333_333
    assert disclosure_table(s["year"], "hk2").revenue_actual == 0
    actions = [e.action for e in AuditEntry.select().where(AuditEntry.entity == "disclosure").order_by(AuditEntry.id)]
    assert actions == ["create", "create", "update"]
