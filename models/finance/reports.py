"""Reports of the year's books: collections by item, class and period; outstanding balances by class;
exemptions granted by category. Every total is summed from the same payment lines and charges as the
ledger, so the reports reconcile with it (tests/test_finance.py proves it)."""
import io
from dataclasses import dataclass

from peewee import fn

from models.finance.fees import POLICY_CATEGORIES, Charge, Exemption, FeeItem, period_label
from models.finance.payments import Payment, PaymentLine
from models.school.structure import SchoolClass, SchoolYear, class_sort_key


@dataclass
class Report:
    title: str
    columns: list[str]
    rows: list[list]  # text cells, then amounts (int)
    total: int

    def xlsx(self) -> bytes:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = self.title[:31]
        sheet.append([self.title])
        sheet.append(self.columns)
        for row in self.rows:
            sheet.append(row)
        sheet.append(["Tổng cộng"] + [""] * (len(self.columns) - 2) + [self.total])
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, int):
                    cell.number_format = "#,##0"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def collections(year: SchoolYear) -> Report:
    """Net collections (payments less reversals) by item, class and period."""
    rows = (PaymentLine.select(FeeItem.name, SchoolClass.name, Charge.period, fn.SUM(PaymentLine.amount))
            .join(Payment, on=(PaymentLine.payment == Payment.id))
            .switch(PaymentLine).join(Charge).join(FeeItem)
            .switch(Charge).join(SchoolClass)
            .where(Payment.year == year)
            .group_by(FeeItem.name, SchoolClass.name, Charge.period).tuples())
    out = sorted(([item, cls, period_label(year, period), int(total)] for item, cls, period, total in rows),
                 key=lambda r: (r[0], class_sort_key(r[1]), r[2]))
    return Report(f"Tổng hợp thu năm học {year.name}", ["Khoản thu", "Lớp", "Kì thu", "Đã thu (đồng)"], out,
                  sum(r[3] for r in out))


def outstanding(year: SchoolYear) -> Report:
    """By class: charged, collected and still owed."""
    due = dict(Charge.select(Charge.school_class, fn.SUM(Charge.due)).join(FeeItem)
               .where(FeeItem.year == year).group_by(Charge.school_class).tuples())
    paid = dict(PaymentLine.select(Charge.school_class, fn.SUM(PaymentLine.amount)).join(Charge).join(FeeItem)
                .where(FeeItem.year == year).group_by(Charge.school_class).tuples())
    classes = sorted(SchoolClass.select().where(SchoolClass.id.in_(list(due))), key=lambda c: class_sort_key(c.name))
    out = [[c.name, int(due[c.id]), int(paid.get(c.id) or 0), int(due[c.id]) - int(paid.get(c.id) or 0)]
           for c in classes]
    return Report(f"Công nợ theo lớp năm học {year.name}", ["Lớp", "Phải thu", "Đã thu", "Còn nợ (đồng)"], out,
                  sum(r[3] for r in out))


def exemptions_granted(year: SchoolYear) -> Report:
    """By policy category: students and the đồng taken off their charges."""
    rows = (Charge.select(Exemption.category, fn.COUNT(fn.DISTINCT(Charge.student)), fn.SUM(Charge.reduction))
            .join(Exemption).where(Exemption.year == year).group_by(Exemption.category).tuples())
    out = [[POLICY_CATEGORIES.get(cat, cat), int(n), int(total)] for cat, n, total in rows]
    out.sort(key=lambda r: r[0])
    return Report(f"Miễn, giảm năm học {year.name}", ["Đối tượng", "Số học sinh", "Số tiền miễn giảm (đồng)"], out,
                  sum(r[2] for r in out))


def policy_list(year: SchoolYear) -> Report:
    """Danh sách học sinh hưởng chế độ chính sách: each exemption with its student, class, document and
    the đồng taken off the charges raised so far."""
    from models.people.records import Student
    from models.rules.text import vietnamese_sort_key
    from models.school.structure import current_class_of

    taken = dict(Charge.select(Charge.exemption, fn.SUM(Charge.reduction))
                 .where(Charge.exemption.is_null(False)).group_by(Charge.exemption).tuples())
    rows = []
    for e in Exemption.select(Exemption, Student).join(Student).where(Exemption.year == year):
        school_class = current_class_of(e.student, year)
        rows.append([POLICY_CATEGORIES.get(e.category, e.category), e.student.full_name,
                     school_class.name if school_class else "", f"{e.percent.normalize():f}".replace(".", ",") + "%",
                     e.document, int(taken.get(e.id) or 0)])
    rows.sort(key=lambda r: (r[0], class_sort_key(r[2]), vietnamese_sort_key(r[1])))
    return Report(f"Học sinh hưởng chế độ chính sách năm học {year.name}",
                  ["Đối tượng", "Học sinh", "Lớp", "Tỉ lệ", "Văn bản", "Đã miễn giảm (đồng)"], rows,
                  sum(r[5] for r in rows))


def ledger_total(year: SchoolYear) -> int:
    return int(Payment.select(fn.COALESCE(fn.SUM(Payment.amount), 0)).where(Payment.year == year).scalar())


REPORTS = {"thu": collections, "cong-no": outstanding, "mien-giam": exemptions_granted,
           "che-do-chinh-sach": policy_list}
