"""The clinic log (sổ theo dõi y tế) and the medicine and supplies stock it draws from.

Stock is held per batch (lô) with its expiry; every movement in or out is a StockMove row and an audit
entry, and a batch's quantity is the sum of its moves (kept on the batch for reading). Giving medicine in
the clinic log draws from the batch that expires first (first expiry, first out).
"""
from datetime import date, datetime, timedelta

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from models.audit.log import record
from models.core import KeptModel, write_transaction
from models.people.records import Student

EXPIRY_WARNING_DAYS = 30
MAX_TEXT = 1000


class MedicineItem(KeptModel):
    """A medicine or medical supply the clinic keeps (thuốc, vật tư y tế)."""

    name = CharField(max_length=120, unique=True)
    unit = CharField(max_length=20)  # viên, gói, chai, cuộn …
    low_stock = IntegerField(default=0)  # warn at or below this


class MedicineBatch(KeptModel):
    """One delivery of an item (lô): its expiry and what is left of it."""

    item = ForeignKeyField(MedicineItem, backref="batches")
    batch_code = CharField(max_length=40, default="")
    expires_on = DateField()
    received_on = DateField()
    quantity = IntegerField(default=0)  # what is left: the sum of its moves


class ClinicVisit(KeptModel):
    """A line of the clinic log: a student comes to the nurse."""

    student = ForeignKeyField(Student, backref="+")
    at = DateTimeField(index=True)
    complaint = TextField()  # what happened
    treatment = TextField(default="")  # what was done
    parent_informed = BooleanField(default=False)
    sent_home = BooleanField(default=False)
    entered_by = IntegerField(null=True)


class StockMove(KeptModel):
    """Nhập/xuất: a change of a batch's quantity; a dose given in the clinic points to its visit."""

    batch = ForeignKeyField(MedicineBatch, backref="moves")
    change = IntegerField()  # + in, − out
    kind = CharField(max_length=10)  # in, out, dispense
    reason = CharField(max_length=200, default="")
    visit = ForeignKeyField(ClinicVisit, null=True, backref="doses")
    at = DateTimeField(default=datetime.now)
    by = IntegerField(null=True)


def _text(value: str, label: str, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValueError(f"Xin ghi {label}.")
    if len(text) > limit:
        raise ValueError(f"{label.capitalize()}: tối đa {limit} kí tự.")
    return text


def _quantity(value, label: str = "Số lượng") -> int:
    text = str(value or "").strip()
    if not text.isdigit() or not 0 < int(text) <= 100000:
        raise ValueError(f"{label} phải là số nguyên dương, ví dụ 20.")
    return int(text)


def add_item(name: str, unit: str, low_stock) -> MedicineItem:
    name, unit = _text(name, "tên thuốc/vật tư", True, 120), _text(unit, "đơn vị tính", True, 20)
    low = str(low_stock or "0").strip()
    if not low.isdigit():
        raise ValueError("Mức báo sắp hết phải là số nguyên, ví dụ 10.")
    with write_transaction():
        if MedicineItem.select().where(fn.LOWER(MedicineItem.name) == name.lower()).exists():
            raise ValueError(f"Đã có “{name}” trong danh mục.")
        item = MedicineItem.create(name=name, unit=unit, low_stock=int(low))
        record("create", "medicine_item", item.id, after={"name": name, "unit": unit, "low_stock": int(low)})
    return item


def receive(item: MedicineItem, quantity, expires_on: date, batch_code: str = "", on: date | None = None,
            user=None) -> MedicineBatch:
    """Stock in (nhập kho): a new batch."""
    qty = _quantity(quantity)
    on = on or date.today()
    if expires_on <= on:
        raise ValueError("Hạn dùng phải sau ngày nhập: không nhập thuốc đã hết hạn.")
    with write_transaction():
        batch = MedicineBatch.create(item=item, batch_code=_text(batch_code, "số lô", limit=40),
                                     expires_on=expires_on, received_on=on, quantity=qty)
        StockMove.create(batch=batch, change=qty, kind="in", reason="Nhập kho", by=getattr(user, "id", None))
        record("stock_in", "medicine_batch", batch.id,
               after={"name": item.name, "quantity": qty, "expires_on": expires_on, "batch": batch.batch_code})
    return batch


def _draw(item: MedicineItem, qty: int, kind: str, reason: str, today: date, visit=None, user=None) -> None:
    """Take qty of an item from its unexpired batches, first expiry first; inside a transaction."""
    batches = list(MedicineBatch.select().where((MedicineBatch.item == item) & (MedicineBatch.quantity > 0)
                                                & (MedicineBatch.expires_on >= today))
                   .order_by(MedicineBatch.expires_on, MedicineBatch.id))
    if sum(b.quantity for b in batches) < qty:
        raise ValueError(f"Không đủ “{item.name}” còn hạn trong kho: còn {sum(b.quantity for b in batches)} "
                         f"{item.unit}.")
    left = qty
    for batch in batches:
        take = min(left, batch.quantity)
        (MedicineBatch.update(quantity=MedicineBatch.quantity - take).where(MedicineBatch.id == batch.id).execute())
        StockMove.create(batch=batch, change=-take, kind=kind, reason=reason, visit=visit,
                         by=getattr(user, "id", None))
        record("dispense" if kind == "dispense" else "stock_out", "medicine_batch", batch.id,
               before={"quantity": batch.quantity}, after={"quantity": batch.quantity - take, "name": item.name},
               reason=reason)
        left -= take
        if not left:
            break


def issue(item: MedicineItem, quantity, reason: str, user=None, today: date | None = None) -> None:
    """Stock out other than to a student (xuất: hết hạn, hỏng, cấp cho lớp …)."""
    qty = _quantity(quantity)
    reason = _text(reason, "lí do xuất", True, 200)
    with write_transaction():
        _draw(item, qty, "out", reason, today or date.today(), user=user)


def log_visit(student: Student, at: datetime, form: dict, doses: list[tuple[MedicineItem, str]],
              user=None) -> ClinicVisit:
    """A line of the clinic log; the medicine given comes out of stock in the same transaction."""
    complaint = _text(form.get("complaint"), "tình trạng của học sinh", True)
    treatment = _text(form.get("treatment"), "cách xử trí")
    parsed = [(item, _quantity(q, f"Số lượng {item.name}")) for item, q in doses]
    with write_transaction():
        visit = ClinicVisit.create(student=student, at=at, complaint=complaint, treatment=treatment,
                                   parent_informed=bool(form.get("parent_informed")),
                                   sent_home=bool(form.get("sent_home")), entered_by=getattr(user, "id", None))
        record("clinic_visit", "clinic_visit", visit.id, after={
            "student": student.code, "at": at, "complaint": complaint, "treatment": treatment,
            "parent_informed": visit.parent_informed, "sent_home": visit.sent_home,
            "medicine": [f"{item.name}: {q} {item.unit}" for item, q in parsed]})
        for item, qty in parsed:
            _draw(item, qty, "dispense", f"Cấp cho {student.full_name}", at.date(), visit=visit, user=user)
    return visit


def visits(day_from: date, day_to: date) -> list[ClinicVisit]:
    start, end = datetime.combine(day_from, datetime.min.time()), datetime.combine(day_to + timedelta(days=1),
                                                                                     datetime.min.time())
    return list(ClinicVisit.select(ClinicVisit, Student).join(Student)
                .where((ClinicVisit.at >= start) & (ClinicVisit.at < end)).order_by(ClinicVisit.at.desc()))


def doses_of(visit_ids: list[int]) -> dict[int, list[str]]:
    """What was given at each visit, as '2 viên Paracetamol 500 mg'."""
    out: dict[int, list[str]] = {}
    if not visit_ids:
        return out
    rows = (StockMove.select(StockMove, MedicineBatch, MedicineItem).join(MedicineBatch).join(MedicineItem)
            .where(StockMove.visit.in_(visit_ids)))
    for move in rows:
        out.setdefault(move.visit_id, []).append(f"{-move.change} {move.batch.item.unit} {move.batch.item.name}")
    return out


class StockLine:
    """An item with what is left, usable and expiring, for the stock page."""

    def __init__(self, item: MedicineItem, batches: list[MedicineBatch], today: date):
        self.item, self.batches = item, batches
        self.usable = sum(b.quantity for b in batches if b.expires_on >= today)
        soon = today + timedelta(days=EXPIRY_WARNING_DAYS)
        self.expiring = [b for b in batches if b.quantity > 0 and today <= b.expires_on <= soon]
        self.expired = [b for b in batches if b.quantity > 0 and b.expires_on < today]
        self.low = self.usable <= item.low_stock


def stock(today: date | None = None) -> list[StockLine]:
    today = today or date.today()
    batches: dict[int, list[MedicineBatch]] = {}
    for b in MedicineBatch.select().order_by(MedicineBatch.expires_on, MedicineBatch.id):
        batches.setdefault(b.item_id, []).append(b)
    return [StockLine(item, batches.get(item.id, []), today)
            for item in MedicineItem.select().order_by(MedicineItem.name)]


def warnings(today: date | None = None) -> list[str]:
    """Low stock and expiry within 30 days, in words for the nurse."""
    out = []
    for line in stock(today):
        if line.low:
            out.append(f"{line.item.name}: còn {line.usable} {line.item.unit}, dưới mức báo "
                       f"{line.item.low_stock}.")
        for b in line.expiring:
            out.append(f"{line.item.name} lô {b.batch_code or b.id}: {b.quantity} {line.item.unit} hết hạn ngày "
                       f"{b.expires_on:%d/%m/%Y}.")
        for b in line.expired:
            out.append(f"{line.item.name} lô {b.batch_code or b.id}: {b.quantity} {line.item.unit} đã hết hạn "
                       f"từ {b.expires_on:%d/%m/%Y}, cần xuất huỷ.")
    return out


def supplied_in(start: date, end: date) -> list[tuple[MedicineItem, int, int]]:
    """The yearly list (seed 000 Điều 22): per item, what came in and what was given out between two days."""
    lo, hi = datetime.combine(start, datetime.min.time()), datetime.combine(end + timedelta(days=1),
                                                                            datetime.min.time())
    totals: dict[int, list[int]] = {}
    for move in StockMove.select(StockMove, MedicineBatch).join(MedicineBatch).where(
            (StockMove.at >= lo) & (StockMove.at < hi)):
        t = totals.setdefault(move.batch.item_id, [0, 0])
        t[0 if move.change > 0 else 1] += abs(move.change)
    return [(item, *totals[item.id]) for item in MedicineItem.select().order_by(MedicineItem.name)
            if item.id in totals]
