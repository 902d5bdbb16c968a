"""The public financial disclosure (công khai tài chính, seed 004 B.1.1): the budget estimate and the actual
revenue and spending by category and period, entered by the accountant, beside what the school's own
receipts collected (taken from the ledger, never typed, so the two cannot disagree)."""
from dataclasses import dataclass

from peewee import BigIntegerField, CharField, ForeignKeyField, fn

from models.audit.log import record
from models.core import BaseModel, write_transaction
from models.finance.fees import Charge, FeeItem, periods_of
from models.finance.payments import Payment, PaymentLine
from models.school.structure import SchoolYear

KINDS = {"thu": "Thu", "chi": "Chi"}


class DisclosureLine(BaseModel):
    year = ForeignKeyField(SchoolYear, backref="disclosure_lines")
    period = CharField()  # a Period.key of the year
    kind = CharField()  # KINDS
    category = CharField()  # "Ngân sách nhà nước cấp chi thường xuyên", "Chi thanh toán cá nhân", …
    # a school's yearly budget runs to tens of billions of đồng: past a 32-bit integer
    estimate = BigIntegerField(default=0)  # dự toán, đồng
    actual = BigIntegerField(default=0)  # thực hiện, đồng

    class Meta:
        indexes = ((("year", "period", "kind", "category"), True),)


def set_line(year: SchoolYear, period: str, kind: str, category: str, estimate: int, actual: int) -> DisclosureLine:
    """Enter or correct one category's estimate and actual for a period (audited, before and after)."""
    category = " ".join((category or "").split())
    if kind not in KINDS:
        raise ValueError("Chọn thu hoặc chi.")
    if not category:
        raise ValueError("Chưa nhập nội dung (khoản mục thu, chi).")
    if period not in {p.key for p in periods_of(year)}:
        raise ValueError("Chọn kì công khai của năm học.")
    if estimate < 0 or actual < 0:
        raise ValueError("Số tiền không được âm.")
    if max(estimate, actual) >= 10**15:
        raise ValueError("Số tiền quá lớn.")
    with write_transaction():
        line = DisclosureLine.get_or_none((DisclosureLine.year == year) & (DisclosureLine.period == period)
                                          & (DisclosureLine.kind == kind) & (DisclosureLine.category == category))
        after = {"period": period, "kind": kind, "category": category, "estimate": estimate, "actual": actual}
        if line is None:
            line = DisclosureLine.create(year=year, **after)
            record("create", "disclosure", line.id, after=after)
        elif (line.estimate, line.actual) != (estimate, actual):
            before = {"estimate": line.estimate, "actual": line.actual}
            line.estimate, line.actual = estimate, actual
            line.save()
            record("update", "disclosure", line.id, before=before, after={"estimate": estimate, "actual": actual})
    return line


@dataclass
class DisclosureRow:
    category: str
    estimate: int | None
    actual: int
    from_ledger: bool = False


@dataclass
class DisclosureTable:
    revenue: list[DisclosureRow]
    spending: list[DisclosureRow]

    @property
    def revenue_actual(self) -> int:
        return sum(r.actual for r in self.revenue)

    @property
    def spending_actual(self) -> int:
        return sum(r.actual for r in self.spending)

    @property
    def revenue_estimate(self) -> int:
        return sum(r.estimate or 0 for r in self.revenue)

    @property
    def spending_estimate(self) -> int:
        return sum(r.estimate or 0 for r in self.spending)


def disclosure_table(year: SchoolYear, period: str) -> DisclosureTable:
    """The entered lines of the period, and under revenue one line per fee item with the net collected
    (payments less reversals) on charges of that period (the whole year: on every charge of the year)."""
    lines = list(DisclosureLine.select().where((DisclosureLine.year == year) & (DisclosureLine.period == period))
                 .order_by(DisclosureLine.id))
    revenue = [DisclosureRow(line.category, line.estimate, line.actual) for line in lines if line.kind == "thu"]
    spending = [DisclosureRow(line.category, line.estimate, line.actual) for line in lines if line.kind == "chi"]
    collected = (PaymentLine.select(FeeItem.name, fn.SUM(PaymentLine.amount))
                 .join(Payment, on=(PaymentLine.payment == Payment.id)).switch(PaymentLine)
                 .join(Charge).join(FeeItem).where(Payment.year == year))
    if period != "nam":
        collected = collected.where(Charge.period.in_(_periods_within(year, period)))
    for name, total in collected.group_by(FeeItem.name).order_by(FeeItem.name).tuples():
        revenue.append(DisclosureRow(f"{name} (theo sổ phiếu thu)", None, int(total), from_ledger=True))
    return DisclosureTable(revenue, spending)


def _periods_within(year: SchoolYear, key: str) -> list[str]:
    """The period itself and, for a semester, the months whose 15th falls in it (each month in one only)."""
    periods = periods_of(year)
    outer = next(p for p in periods if p.key == key)
    inside = [p.key for p in periods if p.kind == "month" and outer.kind == "semester"
              and outer.starts_on <= p.starts_on.replace(day=15) <= outer.ends_on]
    return [key, *inside]
