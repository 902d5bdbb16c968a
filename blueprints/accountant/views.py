"""The accountant's pages: fee items, exemptions, charges, payments and receipts, reversals, balances."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.accountant import bp
from blueprints.accountant.forms import grades_of, id_of, optional_date, payment_lines
from models.finance import fees, payments
from models.people.records import Student
from models.printing.renderer import PrintError, ascii_name, render_pdf, render_print_html
from models.rules.dates import parse_date
from models.rules.money import parse_percent, parse_vnd, vnd_in_words
from models.school.calendar import page_day
from models.school.structure import Grade, SchoolClass, SchoolYear, class_size, current_class_of


def _year() -> SchoolYear:
    year = SchoolYear.current()
    if year is None:
        abort(404)
    return year


def _classes(year: SchoolYear) -> list[SchoolClass]:
    rows = list(SchoolClass.select().where(SchoolClass.year == year))
    rows.sort(key=lambda c: (c.grade_id, len(c.name), c.name))
    return rows


@bp.route("/")
def home():
    """Each class: sĩ số, what it was charged, what was paid, what is still owed."""
    year = SchoolYear.current()
    rows = []
    for c in _classes(year) if year else []:
        balances = payments.class_balances(c)
        rows.append((c, class_size(c), sum(b.due for b in balances), sum(b.paid for b in balances),
                     sum(b.owed for b in balances)))
    totals = [sum(r[i] for r in rows) for i in range(1, 5)]
    return render_template("accountant/home.html", rows=rows, year=year, totals=totals)


@bp.route("/fees", methods=["GET", "POST"])
def fee_items():
    """The year's fee items; a new one from the form."""
    year = _year()
    error, status = None, 200
    if request.method == "POST":
        form = request.form
        try:
            item = fees.create_fee_item(year, form.get("name", ""), parse_vnd(form.get("amount", "")),
                                        form.get("period", ""), grades_of(form.getlist("grades")),
                                        form.get("mandatory") == "1")
            flash(f"Đã thêm khoản thu “{item.name}”.", "success")
            return redirect(url_for("accountant.fee_items"))
        except ValueError as exc:
            error, status = str(exc), 422
    grades = list(Grade.select().order_by(Grade.number))
    return render_template("accountant/fees.html", year=year, items=fees.fee_items(year), grades=grades,
                           periods=fees.PERIOD_KINDS, error=error, form=request.form), status


@bp.route("/exemptions", methods=["GET", "POST"])
def exemptions():
    """Exemptions and reductions (miễn, giảm) granted this year; a new one from the form."""
    year = _year()
    error, status = None, 200
    if request.method == "POST":
        form = request.form
        try:
            code = form.get("student_code", "").strip()
            student = Student.get_or_none(Student.code == code) if code else None
            if student is None:
                raise ValueError("Không tìm thấy học sinh có mã này.")
            item_id = form.get("fee_item", "")
            item = fees.FeeItem.get_or_none((fees.FeeItem.id == id_of(item_id, "khoản thu"))
                                            & (fees.FeeItem.year == year)) if item_id else None
            if item_id and item is None:
                raise ValueError("Khoản thu không thuộc năm học này.")
            fees.grant_exemption(student, year, form.get("category", ""), parse_percent(form.get("percent", "")),
                                 form.get("document", ""), parse_date(form.get("valid_from", "")),
                                 optional_date(form.get("valid_to", "")), item)
            flash(f"Đã ghi miễn giảm cho {student.full_name}.", "success")
            return redirect(url_for("accountant.exemptions"))
        except ValueError as exc:
            error, status = str(exc), 422
    return render_template("accountant/exemptions.html", year=year, rows=fees.exemptions_of_year(year),
                           items=fees.fee_items(year), categories=fees.POLICY_CATEGORIES, error=error,
                           form=request.form), status


@bp.route("/charges", methods=["GET", "POST"])
def charges():
    """Raise the charges of a class for a period from the chosen items."""
    year = _year()
    error, status = None, 200
    if request.method == "POST":
        form = request.form
        try:
            school_class = SchoolClass.get_or_none((SchoolClass.id == id_of(form.get("class_id"), "lớp"))
                                                   & (SchoolClass.year == year))
            if school_class is None:
                raise ValueError("Chưa chọn lớp.")
            item_ids = [id_of(v, "khoản thu") for v in form.getlist("items")]
            created = fees.generate_charges(school_class, form.get("period", ""), item_ids)
            flash(f"Đã lập {created} khoản phải thu cho lớp {school_class.name}.", "success")
            return redirect(url_for("accountant.class_balances", class_id=school_class.id))
        except ValueError as exc:
            error, status = str(exc), 422
    return render_template("accountant/charges.html", year=year, classes=_classes(year),
                           periods=fees.periods_of(year), items=fees.fee_items(year), error=error,
                           form=request.form), status


@bp.route("/class/<int:class_id>")
def class_balances(class_id: int):
    """Who in the class still owes what."""
    school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
    if school_class is None:
        abort(404)
    return render_template("accountant/class_balances.html", school_class=school_class,
                           rows=payments.class_balances(school_class))


@bp.route("/class/<int:class_id>/remind", methods=["POST"])
def remind_families(class_id: int):
    """A fee reminder to each family of the class that still owes (sent by the school's channel from the
    homeroom teacher's page of the day's notices)."""
    from models.families.notices import create_fee_reminders

    school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
    if school_class is None:
        abort(404)
    try:
        made = create_fee_reminders(school_class, page_day(school_class.year), current_user)
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        flash(f"Đã lập {len(made)} thông báo nhắc nộp gửi gia đình; giáo viên chủ nhiệm gửi đi cùng thông báo "
              "trong ngày." if made else "Không có thông báo mới: lớp không còn ai nợ hoặc đã nhắc hôm nay.", "success")
    return redirect(url_for("accountant.class_balances", class_id=class_id))


def _student_page(student: Student, year: SchoolYear, error: str | None = None, status: int = 200):
    balance = payments.student_balance(student, year)
    return render_template("accountant/student.html", student=student, year=year, balance=balance,
                           school_class=current_class_of(student, year), period_label=fees.period_label,
                           history=payments.payments_of_year(year, student), methods=payments.METHODS,
                           error=error, today=date.today()), status


@bp.route("/student/<int:student_id>")
def student(student_id: int):
    """A student's charges, what was paid against each, the receipts, and the payment form."""
    return _student_page(Student.get_or_none(Student.id == student_id) or abort(404), _year())


@bp.route("/student/<int:student_id>/pay", methods=["POST"])
def pay(student_id: int):
    """Post a payment and give it the next receipt number."""
    year = _year()
    person = Student.get_or_none(Student.id == student_id) or abort(404)
    try:
        payment = payments.record_payment(person, year, payment_lines(request.form),
                                          parse_date(request.form.get("paid_on", "")),
                                          request.form.get("method", ""), request.form.get("payer", ""))
    except ValueError as exc:
        return _student_page(person, year, str(exc), 422)
    flash(f"Đã lập phiếu thu số {payment.receipt_label}.", "success")
    return redirect(url_for("accountant.student", student_id=person.id, receipt=payment.id))


def _payment(payment_id: int) -> payments.Payment:
    return payments.Payment.get_or_none(payments.Payment.id == payment_id) or abort(404)


@bp.route("/payment/<int:payment_id>/reverse", methods=["POST"])
def reverse(payment_id: int):
    """Undo a receipt with a reversing entry and its reason; both stay in the books."""
    payment = _payment(payment_id)
    try:
        payments.reverse_payment(payment, request.form.get("reason", ""), date.today())
    except ValueError as exc:
        return _student_page(payment.student, payment.year, str(exc), 422)
    flash(f"Đã huỷ phiếu thu số {payment.receipt_label}.", "success")
    return redirect(url_for("accountant.student", student_id=payment.student_id))


def _receipt_context(payment: payments.Payment) -> dict:
    from models.school.structure import School

    if payment.receipt_no is None:
        abort(404)
    from models.people.accounts import User

    lines = [(payments.charge_label(line.charge), line.amount) for line in payment.lines]
    writer = User.get_or_none(User.username == payment.created_by)
    return {"payment": payment, "lines": lines, "school": School.current(),
            "school_class": current_class_of(payment.student, payment.year),
            "in_words": vnd_in_words(payment.amount), "reversed": payment.is_reversed,
            "writer_name": writer.full_name if writer else payment.created_by}


@bp.route("/receipt/<int:payment_id>")
def receipt(payment_id: int):
    """The receipt (phiếu thu) as the browser prints it."""
    payment = _payment(payment_id)
    return render_print_html("print/receipt.html", **_receipt_context(payment),
                             pdf_url=url_for("accountant.receipt_pdf", payment_id=payment.id),
                             back_url=url_for("accountant.student", student_id=payment.student_id))


@bp.route("/receipt/<int:payment_id>.pdf")
def receipt_pdf(payment_id: int):
    """The receipt as an A5 PDF through the one print renderer."""
    from urllib.parse import quote

    from flask import Response

    payment = _payment(payment_id)
    try:
        data = render_pdf("print/receipt.html", **_receipt_context(payment))
    except PrintError:
        abort(500)
    name = f"Phiếu thu {payment.receipt_label} - {payment.student.full_name}.pdf"
    resp = Response(data, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f"inline; filename={ascii_name(name)}; filename*=UTF-8''{quote(name)}"
    return resp


@bp.route("/ledger")
def ledger():
    """Every receipt and reversal of the year, newest first (sổ phiếu thu)."""
    year = _year()
    rows = payments.payments_of_year(year)
    return render_template("accountant/ledger.html", year=year, rows=rows,
                           total=sum(p.amount for p in rows))


@bp.route("/reports")
def reports_page():
    """Collections, outstanding balances and exemptions of the year, each with its total and the ledger's."""
    from models.finance import reports

    year = _year()
    return render_template("accountant/reports.html", year=year,
                           reports=[(key, build(year)) for key, build in reports.REPORTS.items()],
                           ledger=reports.ledger_total(year))


@bp.route("/reports/<kind>.xlsx")
def report_xlsx(kind: str):
    """One report as an Excel workbook."""
    from urllib.parse import quote

    from flask import Response

    from models.finance import reports

    build = reports.REPORTS.get(kind) or abort(404)
    report = build(_year())
    resp = Response(report.xlsx(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"{report.title}.xlsx"
    resp.headers["Content-Disposition"] = (f"attachment; filename={ascii_name(name)}; "
                                           f"filename*=UTF-8''{quote(name)}")
    return resp


@bp.route("/disclosure", methods=["GET", "POST"])
def disclosure():
    """Enter the budget estimate and actual revenue and spending by category for a period."""
    from models.finance import disclosure as public

    year = _year()
    period = request.values.get("period", "nam")
    error, status = None, 200
    if request.method == "POST":
        form = request.form
        try:
            public.set_line(year, period, form.get("kind", ""), form.get("category", ""),
                            parse_vnd(form.get("estimate", "") or "0"), parse_vnd(form.get("actual", "") or "0"))
            flash("Đã ghi khoản mục công khai.", "success")
            return redirect(url_for("accountant.disclosure", period=period))
        except ValueError as exc:
            error, status = str(exc), 422
    if fees.period_by_key(year, period) is None:
        abort(404)
    return render_template("accountant/disclosure.html", year=year, period=period, periods=fees.periods_of(year),
                           table=public.disclosure_table(year, period), kinds=public.KINDS, error=error,
                           form=request.form), status
