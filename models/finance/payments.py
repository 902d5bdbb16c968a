"""Payments (phiếu thu) with one gap-free receipt sequence per year, reversing entries, balances.

A posted payment is never edited or deleted: a mistake is undone by a reversal, a second row with the
opposite amounts that points at the first and carries the reason. Both stay in the books.
"""
from dataclasses import dataclass, field
from datetime import date, datetime

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField, fn

from models.audit.log import current_actor, record
from models.core import BaseModel, KeptModel, write_transaction
from models.finance.fees import Charge, FeeItem, period_label
from models.people.records import Student
from models.rules.money import format_vnd
from models.rules.text import vietnamese_sort_key
from models.school.structure import Enrolment, SchoolClass, SchoolYear

METHODS = {"cash": "Tiền mặt", "transfer": "Chuyển khoản"}


class ReceiptCounter(BaseModel):
    """The last receipt number given in a year; bumped in the payment's own transaction, so a payment
    that rolls back gives its number back and the sequence has no gap."""

    year = ForeignKeyField(SchoolYear, unique=True)
    last = IntegerField(default=0)


class Payment(KeptModel):
    """One receipt, or (reverses set, no number) the entry that undoes one."""

    year = ForeignKeyField(SchoolYear, backref="payments")
    receipt_no = IntegerField(null=True)  # null on a reversal
    student = ForeignKeyField(Student, backref="payments")
    amount = IntegerField()  # negative on a reversal
    paid_on = DateField()
    method = CharField(default="cash")  # METHODS
    payer = CharField(default="")  # người nộp tiền
    reverses = ForeignKeyField("self", null=True, unique=True, backref="reversed_by")
    reason = TextField(default="")
    created_at = DateTimeField(default=datetime.now)
    created_by = CharField(default="")

    class Meta:
        indexes = ((("year", "receipt_no"), True),)

    def save(self, *args, **kwargs):
        if self.id is not None and not kwargs.get("force_insert"):
            raise PermissionError("a posted payment is never edited")
        return super().save(*args, **kwargs)

    @property
    def method_label(self) -> str:
        return METHODS.get(self.method, self.method)

    @property
    def receipt_label(self) -> str:
        return f"{self.receipt_no:05d}" if self.receipt_no else ""

    @property
    def is_reversed(self) -> bool:
        return self.reverses_id is None and Payment.select().where(Payment.reverses == self.id).exists()


class PaymentLine(KeptModel):
    """How much of a payment went to one charge."""

    payment = ForeignKeyField(Payment, backref="lines")
    charge = ForeignKeyField(Charge, backref="payment_lines")
    amount = IntegerField()


def next_receipt_number(year: SchoolYear) -> int:
    """The next number of the year's sequence; call inside the payment's write_transaction().

    The UPDATE takes the counter row's lock (postgres: a second payment waits on it and then reads the
    committed value; sqlite: BEGIN IMMEDIATE already lets one writer in), so two payments never share a
    number, and a rollback returns it."""
    ReceiptCounter.insert(year=year, last=0).on_conflict_ignore().execute()
    ReceiptCounter.update(last=ReceiptCounter.last + 1).where(ReceiptCounter.year == year).execute()
    return ReceiptCounter.select(ReceiptCounter.last).where(ReceiptCounter.year == year).scalar()


def paid_per_charge(charge_ids: list[int]) -> dict[int, int]:
    if not charge_ids:
        return {}
    rows = (PaymentLine.select(PaymentLine.charge, fn.SUM(PaymentLine.amount))
            .where(PaymentLine.charge.in_(charge_ids)).group_by(PaymentLine.charge).tuples())
    return {charge_id: int(total or 0) for charge_id, total in rows}


def record_payment(student: Student, year: SchoolYear, lines: dict[int, int], paid_on: date, method: str,
                   payer: str = "") -> Payment:
    """Post a payment of `lines` (charge id → đồng) with the next receipt number; nothing is written if
    any line is wrong."""
    if method not in METHODS:
        raise ValueError("Chọn hình thức nộp: tiền mặt hoặc chuyển khoản.")
    lines = {cid: amount for cid, amount in lines.items() if amount}
    if not lines:
        raise ValueError("Chưa nhập số tiền nộp cho khoản nào.")
    if any(amount < 0 for amount in lines.values()):
        raise ValueError("Số tiền nộp không được âm.")
    with write_transaction():
        charges = {c.id: c for c in Charge.select(Charge, FeeItem).join(FeeItem)
                   .where(Charge.id.in_(list(lines)) & (Charge.student == student) & (FeeItem.year == year))}
        if len(charges) != len(lines):
            raise ValueError("Có khoản thu không phải của học sinh này.")
        paid = paid_per_charge(list(lines))
        for cid, amount in lines.items():
            owed = charges[cid].due - paid.get(cid, 0)
            if amount > owed:
                raise ValueError(f"Khoản “{charges[cid].fee_item.name}” chỉ còn nợ {format_vnd(owed)}, "
                                 f"không thu {format_vnd(amount)}.")
        number = next_receipt_number(year)
        payment = Payment.create(year=year, receipt_no=number, student=student, amount=sum(lines.values()),
                                 paid_on=paid_on, method=method, payer=" ".join(payer.split()),
                                 created_by=current_actor().username)
        PaymentLine.insert_many([{"payment": payment.id, "charge": cid, "amount": amount}
                                 for cid, amount in lines.items()]).execute()
        record("pay", "payment", payment.id, after={
            "receipt_no": number, "student": student.code, "amount": payment.amount, "paid_on": paid_on,
            "pay_method": method, "payer": payment.payer,
            "lines": {charges[cid].fee_item.name + " " + charges[cid].period: a for cid, a in lines.items()}})
    return payment


def reverse_payment(payment: Payment, reason: str, on: date) -> Payment:
    """Undo a posted payment with an opposite entry; the receipt stays in the books, marked reversed."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValueError("Phải ghi lí do huỷ phiếu thu.")
    if payment.reverses_id is not None:
        raise ValueError("Đây là bút toán huỷ, không huỷ tiếp được.")
    with write_transaction():
        if Payment.select().where(Payment.reverses == payment.id).exists():
            raise ValueError(f"Phiếu thu số {payment.receipt_label} đã được huỷ trước đó.")
        reversal = Payment.create(year=payment.year_id, receipt_no=None, student=payment.student_id,
                                  amount=-payment.amount, paid_on=on, method=payment.method, payer=payment.payer,
                                  reverses=payment.id, reason=reason, created_by=current_actor().username)
        PaymentLine.insert_many([{"payment": reversal.id, "charge": line.charge_id, "amount": -line.amount}
                                 for line in payment.lines]).execute()
        record("reverse", "payment", payment.id, reason=reason, after={
            "receipt_no": payment.receipt_no, "amount": reversal.amount, "reversal": reversal.id, "day": on})
    return reversal


def payments_of_year(year: SchoolYear, student: Student | None = None) -> list[Payment]:
    query = (Payment.select(Payment, Student).join(Student).where(Payment.year == year)
             .order_by(Payment.id.desc()))
    if student is not None:
        query = query.where(Payment.student == student)
    return list(query)


# --- balances ------------------------------------------------------------------------------------------

@dataclass
class ChargeLine:
    charge: Charge
    paid: int

    @property
    def owed(self) -> int:
        return self.charge.due - self.paid


@dataclass
class StudentBalance:
    student: Student
    left: bool = False
    lines: list[ChargeLine] = field(default_factory=list)

    @property
    def due(self) -> int:
        return sum(line.charge.due for line in self.lines)

    @property
    def reduction(self) -> int:
        return sum(line.charge.reduction for line in self.lines)

    @property
    def paid(self) -> int:
        return sum(line.paid for line in self.lines)

    @property
    def owed(self) -> int:
        return self.due - self.paid


def student_balance(student: Student, year: SchoolYear) -> StudentBalance:
    charges = list(Charge.select(Charge, FeeItem).join(FeeItem)
                   .where((Charge.student == student) & (FeeItem.year == year))
                   .order_by(Charge.period, FeeItem.name))
    paid = paid_per_charge([c.id for c in charges])
    return StudentBalance(student, student.has_left, [ChargeLine(c, paid.get(c.id, 0)) for c in charges])


def class_balances(school_class: SchoolClass) -> list[StudentBalance]:
    """Every student ever in the class (those who left too, if they were charged), in list order."""
    enrolments = list(Enrolment.select(Enrolment, Student).join(Student)
                      .where(Enrolment.school_class == school_class))
    charges = list(Charge.select(Charge, FeeItem).join(FeeItem)
                   .where(Charge.school_class == school_class).order_by(Charge.period, FeeItem.name))
    paid = paid_per_charge([c.id for c in charges])
    by_student: dict[int, StudentBalance] = {}
    for e in enrolments:
        by_student[e.student.id] = StudentBalance(e.student, e.left_on is not None or e.student.has_left)
    for c in charges:
        if c.student_id in by_student:
            by_student[c.student_id].lines.append(ChargeLine(c, paid.get(c.id, 0)))
    rows = [b for b in by_student.values() if b.lines or not b.left]
    rows.sort(key=lambda b: (vietnamese_sort_key(b.student.full_name), b.student.id))
    return rows


def charge_label(charge: Charge) -> str:
    return f"{charge.fee_item.name} – {period_label(charge.fee_item.year, charge.period)}"
