"""The clinic log and the medicine stock."""
from datetime import date, datetime, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.nurse import bp
from models.health import clinic
from models.health import daily as daily_health
from models.people.records import Student, search_students
from models.rules.dates import parse_date
from models.rules.text import vietnamese_sort_key
from models.school.structure import SchoolClass, SchoolYear, class_roster, current_class_of, enrolment_in

DOSE_LINES = 3  # medicine lines on the clinic form


def _at(form) -> datetime:
    day = parse_date(form.get("day", ""))
    clock = (form.get("time") or "").strip()
    try:
        hour, minute = (int(p) for p in clock.split(":"))
        return datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute)
    except ValueError:
        raise ValueError(f"Giờ “{clock}” không hợp lệ: nhập giờ:phút, ví dụ 09:30.") from None


def _doses(form) -> list:
    doses = []
    for i in range(DOSE_LINES):
        item_id, qty = form.get(f"item_{i}", type=int), (form.get(f"qty_{i}") or "").strip()
        if not item_id and not qty:
            continue
        item = clinic.MedicineItem.get_or_none(clinic.MedicineItem.id == (item_id or 0))
        if item is None:
            raise ValueError("Chọn thuốc hoặc vật tư cho số lượng đã nhập.")
        doses.append((item, qty))
    return doses


@bp.route("/clinic", methods=["GET", "POST"])
def clinic_log():
    """The clinic log of the last days, and the form for a new visit (medicine given comes out of stock)."""
    error = None
    query = request.args.get("q", "")
    student = Student.get_or_none(Student.id == (request.values.get("student_id", type=int) or 0))
    if request.method == "POST":
        try:
            if student is None:
                raise ValueError("Chọn học sinh trước khi ghi sổ.")
            clinic.log_visit(student, _at(request.form), request.form, _doses(request.form), current_user)
        except ValueError as refused:
            error = str(refused)
        else:
            flash(f"Đã ghi sổ y tế: {student.full_name}.", "success")
            return redirect(url_for("nurse.clinic_log"))
    found = sorted(search_students(query), key=lambda s: vietnamese_sort_key(s.full_name)) if query else []
    today = date.today()
    visits = clinic.visits(today - timedelta(days=30), today)
    now = datetime.now()
    return render_template("nurse/clinic.html", error=error, query=query, found=[(s, current_class_of(s)) for s in found],
                           student=student, student_class=current_class_of(student) if student else None,
                           visits=visits, doses=clinic.doses_of([v.id for v in visits]), items=clinic.stock(today),
                           lines=range(DOSE_LINES), form=request.form if error else {}, can_edit=current_user.has_role("nurse"),
                           now_day=now.strftime("%d/%m/%Y"), now_time=now.strftime("%H:%M")), 422 if error else 200


@bp.route("/stock")
def stock():
    """What is in stock per item and batch, the warnings, and what was supplied this school year."""
    today = date.today()
    start = date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    return render_template("nurse/stock.html", lines=clinic.stock(today), warnings=clinic.warnings(today),
                           supplied=clinic.supplied_in(start, today), start=start, today=today)


@bp.route("/stock/item", methods=["POST"])
def add_item():
    """A new medicine or supply in the list."""
    try:
        clinic.add_item(request.form.get("name"), request.form.get("unit"), request.form.get("low_stock"))
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        flash("Đã thêm vào danh mục.", "success")
    return redirect(url_for("nurse.stock"))


def _item() -> clinic.MedicineItem:
    item = clinic.MedicineItem.get_or_none(clinic.MedicineItem.id == (request.form.get("item_id", type=int) or 0))
    if item is None:
        abort(404)
    return item


@bp.route("/stock/in", methods=["POST"])
def stock_in():
    """Nhập kho: a batch with its expiry."""
    item = _item()
    try:
        clinic.receive(item, request.form.get("quantity"), parse_date(request.form.get("expires_on", "")),
                       request.form.get("batch_code", ""), user=current_user)
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        flash(f"Đã nhập kho {item.name}.", "success")
    return redirect(url_for("nurse.stock"))


@bp.route("/stock/out", methods=["POST"])
def stock_out():
    """Xuất kho other than to a student (expired, broken, given to a class)."""
    item = _item()
    try:
        clinic.issue(item, request.form.get("quantity"), request.form.get("reason", ""), user=current_user)
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        flash(f"Đã xuất kho {item.name}.", "success")
    return redirect(url_for("nurse.stock"))


@bp.route("/daily", methods=["GET", "POST"])
def daily():
    """Daily health: a class's notes of the last days, and a new one (by class and student)."""
    year = SchoolYear.current()
    classes = list(SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name)) if year else []
    school_class = next((c for c in classes if c.id == request.values.get("class_id", type=int)), None)
    error = None
    if request.method == "POST":
        entry = enrolment_in(school_class.id, request.form.get("student_id", type=int) or 0) if school_class else None
        try:
            if entry is None:
                raise ValueError("Chọn lớp và học sinh.")
            daily_health.log_daily(school_class, entry.student, parse_date(request.form.get("day", "")),
                                   request.form.get("symptom", ""), request.form.get("note", ""), current_user)
        except ValueError as refused:
            error = str(refused)
        else:
            flash(f"Đã ghi: {entry.student.full_name}.", "success")
            return redirect(url_for("nurse.daily", class_id=school_class.id))
    today = date.today()
    return render_template("nurse/daily.html", classes=classes, school_class=school_class, error=error,
                           roster=class_roster(school_class) if school_class else [],
                           rows=daily_health.of_class(school_class, today - timedelta(days=7)) if school_class else [],
                           symptoms=daily_health.SYMPTOMS, today=today, form=request.form if error else {},
                           can_edit=current_user.has_role("nurse")), 422 if error else 200
