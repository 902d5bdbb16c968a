"""Fee items, exemptions (miễn, giảm) and the charges generated from them per class and period."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
)

from models.audit.log import record
from models.core import BaseModel, KeptModel, write_transaction
from models.people.records import Student
from models.rules.money import after_reduction
from models.school.structure import Enrolment, SchoolClass, SchoolYear, Semester

# amounts are stored as 32-bit integers (PostgreSQL integer); one item per period never nears this
MAX_ITEM_AMOUNT = 1_000_000_000

# how often an item is charged
PERIOD_KINDS = {"month": "Hằng tháng", "semester": "Theo học kì", "year": "Cả năm học"}

# policy categories (đối tượng chính sách) of exemptions and reductions; Nghị định 81/2021/NĐ-CP Điều 15-16
POLICY_CATEGORIES = {
    "con_chinh_sach": "Con gia đình chính sách (người có công với cách mạng)",
    "ho_ngheo": "Học sinh thuộc hộ nghèo",
    "can_ngheo": "Học sinh thuộc hộ cận nghèo",
    "khuyet_tat": "Học sinh khuyết tật",
    "mo_coi": "Học sinh mồ côi, không nơi nương tựa",
    "dan_toc_thieu_so": "Học sinh dân tộc thiểu số ở vùng đặc biệt khó khăn",
    "khac": "Đối tượng khác theo quyết định của địa phương",
}


class FeeItem(BaseModel):
    """One thing the school collects in a year: học phí, bảo hiểm y tế, bán trú, …"""

    year = ForeignKeyField(SchoolYear, backref="fee_items")
    name = CharField()
    amount = IntegerField()  # đồng per period
    period = CharField(default="month")  # PERIOD_KINDS
    grades = CharField(default="")  # "6,7" ; empty: every grade
    mandatory = BooleanField(default=True)

    class Meta:
        indexes = ((("year", "name"), True),)

    def grade_list(self) -> list[int]:
        return [int(g) for g in self.grades.split(",") if g]

    def applies_to_grade(self, grade_number: int) -> bool:
        return not self.grades or grade_number in self.grade_list()

    @property
    def period_label(self) -> str:
        return PERIOD_KINDS.get(self.period, self.period)

    def snapshot(self) -> dict:
        return {"name": self.name, "amount": self.amount, "period": self.period, "grades": self.grades,
                "mandatory": self.mandatory}


class Exemption(KeptModel):
    """A reduction of `percent` % granted to a student by a document, valid between two dates.

    fee_item empty: it reduces every mandatory item (học phí and the like)."""

    student = ForeignKeyField(Student, backref="exemptions")
    year = ForeignKeyField(SchoolYear, backref="exemptions")
    fee_item = ForeignKeyField(FeeItem, null=True, backref="exemptions")
    category = CharField()  # POLICY_CATEGORIES
    percent = DecimalField(max_digits=5, decimal_places=2, auto_round=True)
    document = CharField()  # "Quyết định số 15/QĐ-UBND ngày 01/9/2025"
    valid_from = DateField()
    valid_to = DateField(null=True)
    created_at = DateTimeField(default=datetime.now)

    @property
    def category_label(self) -> str:
        return POLICY_CATEGORIES.get(self.category, self.category)

    def covers(self, item: FeeItem, starts_on: date, ends_on: date) -> bool:
        valid = self.valid_from <= ends_on and (self.valid_to is None or self.valid_to >= starts_on)
        return valid and (self.fee_item_id == item.id if self.fee_item_id else item.mandatory)


class Charge(KeptModel):
    """What one student owes for one item in one period: the amount, the reduction, what is due."""

    student = ForeignKeyField(Student, backref="charges")
    school_class = ForeignKeyField(SchoolClass, backref="charges")
    fee_item = ForeignKeyField(FeeItem, backref="charges")
    period = CharField()  # Period.key
    amount = IntegerField()
    reduction = IntegerField(default=0)
    due = IntegerField()
    exemption = ForeignKeyField(Exemption, null=True)
    created_at = DateTimeField(default=datetime.now)

    class Meta:
        indexes = ((("student", "fee_item", "period"), True),)


@dataclass(frozen=True)
class Period:
    key: str  # "2025-09", "hk1", "nam"
    kind: str  # PERIOD_KINDS
    label: str
    starts_on: date
    ends_on: date


def periods_of(year: SchoolYear) -> list[Period]:
    """The months, semesters and whole year that charges are raised for, from the year's semesters."""
    semesters = list(Semester.select().where(Semester.year == year).order_by(Semester.number))
    if not semesters:
        return []
    out = [Period("nam", "year", f"Cả năm học {year.name}", semesters[0].starts_on, semesters[-1].ends_on)]
    roman = {1: "I", 2: "II"}
    for s in semesters:
        out.append(Period(f"hk{s.number}", "semester", f"Học kì {roman.get(s.number, s.number)}",
                          s.starts_on, s.ends_on))
    first = semesters[0].starts_on.replace(day=1)
    while first <= semesters[-1].ends_on:
        following = (first + timedelta(days=32)).replace(day=1)
        out.append(Period(f"{first:%Y-%m}", "month", f"Tháng {first.month}/{first.year}", first,
                          following - timedelta(days=1)))
        first = following
    return out


def period_by_key(year: SchoolYear, key: str) -> Period | None:
    return next((p for p in periods_of(year) if p.key == key), None)


def period_label(year: SchoolYear, key: str) -> str:
    found = period_by_key(year, key)
    return found.label if found else key


# --- fee items -----------------------------------------------------------------------------------------

def _clean_item(year: SchoolYear, name: str, amount: int, period: str, grades: list[int], exclude_id=None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValueError("Chưa nhập tên khoản thu.")
    if amount <= 0:
        raise ValueError("Số tiền của khoản thu phải lớn hơn 0 đ.")
    if amount > MAX_ITEM_AMOUNT:
        raise ValueError("Số tiền của khoản thu quá lớn (tối đa 1.000.000.000 đ mỗi kì).")
    if period not in PERIOD_KINDS:
        raise ValueError("Chọn kì thu: hằng tháng, theo học kì hoặc cả năm học.")
    clash = FeeItem.select().where((FeeItem.year == year) & (FeeItem.name == name))
    if exclude_id:
        clash = clash.where(FeeItem.id != exclude_id)
    if clash.exists():
        raise ValueError(f"Khoản thu “{name}” đã có trong năm học {year.name}.")
    return name


def create_fee_item(year: SchoolYear, name: str, amount: int, period: str, grades: list[int],
                    mandatory: bool) -> FeeItem:
    with write_transaction():
        name = _clean_item(year, name, amount, period, grades)
        item = FeeItem.create(year=year, name=name, amount=amount, period=period,
                              grades=",".join(str(g) for g in sorted(set(grades))), mandatory=mandatory)
        record("create", "fee_item", item.id, after={"year": year.name, **item.snapshot()})
    return item


def update_fee_item(item: FeeItem, name: str, amount: int, period: str, grades: list[int],
                    mandatory: bool) -> FeeItem:
    """Change an item; charges already raised keep their amounts (they are in the books)."""
    with write_transaction():
        name = _clean_item(item.year, name, amount, period, grades, exclude_id=item.id)
        before = item.snapshot()
        item.name, item.amount, item.period, item.mandatory = name, amount, period, mandatory
        item.grades = ",".join(str(g) for g in sorted(set(grades)))
        item.save()
        if before != item.snapshot():
            record("update", "fee_item", item.id, before=before, after=item.snapshot())
    return item


def fee_items(year: SchoolYear) -> list[FeeItem]:
    return list(FeeItem.select().where(FeeItem.year == year).order_by(FeeItem.mandatory.desc(), FeeItem.name))


# --- exemptions ----------------------------------------------------------------------------------------

def grant_exemption(student: Student, year: SchoolYear, category: str, percent, document: str,
                    valid_from: date, valid_to: date | None, fee_item: FeeItem | None = None) -> Exemption:
    """Attach a reduction to a student; the charges raised after it carry it."""
    document = " ".join((document or "").split())
    if category not in POLICY_CATEGORIES:
        raise ValueError("Chọn đối tượng chính sách.")
    if not document:
        raise ValueError("Chưa nhập văn bản cho hưởng miễn giảm (số, ngày quyết định).")
    if valid_to is not None and valid_to < valid_from:
        raise ValueError("Ngày hết hiệu lực phải sau ngày bắt đầu.")
    after_reduction(0, percent)  # refuses a percentage outside 0–100 with the rule's message
    if fee_item is not None and fee_item.year_id != year.id:
        raise ValueError("Khoản thu không thuộc năm học này.")
    with write_transaction():
        exemption = Exemption.create(student=student, year=year, fee_item=fee_item, category=category,
                                     percent=percent, document=document, valid_from=valid_from, valid_to=valid_to)
        record("create", "exemption", exemption.id, after={
            "student": student.code, "category": category, "percent": str(percent), "document": document,
            "valid_from": valid_from, "valid_to": valid_to, "fee_item": fee_item.name if fee_item else ""})
    return exemption


def exemptions_of_year(year: SchoolYear) -> list[Exemption]:
    return list(Exemption.select(Exemption, Student).join(Student)
                .where(Exemption.year == year).order_by(Exemption.category, Student.name_fold))


# --- charges -------------------------------------------------------------------------------------------

def _enrolled_during(school_class: SchoolClass, period: Period) -> list[Student]:
    """Students of the class for at least one day of the period: one who left before it is not charged."""
    rows = (Enrolment.select(Enrolment, Student).join(Student)
            .where((Enrolment.school_class == school_class)
                   & (Enrolment.joined_on.is_null() | (Enrolment.joined_on <= period.ends_on))
                   & (Enrolment.left_on.is_null() | (Enrolment.left_on >= period.starts_on))))
    return [e.student for e in rows]


def generate_charges(school_class: SchoolClass, period_key: str, item_ids: list[int]) -> int:
    """Raise the chosen items' charges on the class for a period; returns how many were new.

    Run again, it adds only what is missing (a student who joined late), never changes a raised charge.
    Several exemptions on one item: the largest reduction counts, they do not add up."""
    year = school_class.year
    period = period_by_key(year, period_key)
    if period is None:
        raise ValueError("Chọn kì thu của năm học.")
    items = [i for i in fee_items(year) if i.id in set(item_ids)]
    if not items:
        raise ValueError("Chọn ít nhất một khoản thu.")
    wrong = next((i for i in items if i.period != period.kind), None)
    if wrong is not None:
        raise ValueError(f"Khoản “{wrong.name}” thu {PERIOD_KINDS[wrong.period].lower()}, "
                         f"không thu cho {period.label[0].lower()}{period.label[1:]}.")
    items = [i for i in items if i.applies_to_grade(school_class.grade.number)]
    if not items:
        raise ValueError(f"Các khoản đã chọn không áp dụng cho khối {school_class.grade.number}.")
    created = 0
    with write_transaction():
        students = _enrolled_during(school_class, period)
        exemptions = {}
        for e in Exemption.select().where((Exemption.year == year) & Exemption.student.in_([s.id for s in students])):
            exemptions.setdefault(e.student_id, []).append(e)
        existing = {(c.student_id, c.fee_item_id) for c in Charge.select(Charge.student, Charge.fee_item)
                    .where((Charge.period == period.key) & Charge.fee_item.in_([i.id for i in items]))}
        for student in students:
            for item in items:
                if (student.id, item.id) in existing:
                    continue
                best = max((e for e in exemptions.get(student.id, []) if e.covers(item, period.starts_on,
                                                                                  period.ends_on)),
                           key=lambda e: e.percent, default=None)
                due = after_reduction(item.amount, best.percent) if best else item.amount
                Charge.create(student=student, school_class=school_class, fee_item=item, period=period.key,
                              amount=item.amount, reduction=item.amount - due, due=due, exemption=best)
                created += 1
        record("charge", "school_class", school_class.id, after={
            "class": school_class.name, "period": period.label, "items": [i.name for i in items],
            "charges": created})
    return created


def charges_of_student(student: Student, year: SchoolYear) -> list[Charge]:
    return list(Charge.select(Charge, FeeItem).join(FeeItem)
                .where((Charge.student == student) & (FeeItem.year == year))
                .order_by(Charge.period, FeeItem.name))
