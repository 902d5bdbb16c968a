"""The admin's grade-book locks: entry windows per semester and column, and the principal's switch."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from peewee import fn
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from blueprints import htmx
from blueprints.admin import bp
from blueprints.admin.structure_forms import ChoiceField, _ParsedField, options
from blueprints.nfc_request import bounded_int
from models.core import write_transaction
from models.gradebook.locks import (
    KIND_LABELS,
    SCOPE_LABELS,
    EntryWindow,
    fill_default_windows,
    override_history,
    schedule_state,
    set_window,
    standing_overrides,
    switch_lock,
    target_label,
    window_rows,
)
from models.gradebook.marks import semester_today
from models.rules.locks import (
    SCHEDULE_DESCRIPTION,
    format_closing,
    format_opening,
    override_target,
    parse_moment,
)
from models.rules.text import nfc
from models.school.structure import Grade, SchoolClass, SchoolYear, Semester, Subject

FORM_ERRORS = "Chưa lưu được: vui lòng sửa các ô báo lỗi."
ACTIONS = {"lock": "Khoá ngay", "unlock": "Mở ngay", "schedule": "Trả về theo lịch"}
LOCKED_BY_ACTION = {"lock": True, "unlock": False, "schedule": None}


class MomentField(_ParsedField):
    """A window edge typed dd/mm/yyyy or dd/mm/yyyy HH:MM; a date alone is 00:00, or 24:00 when `end`."""

    def __init__(self, label=None, validators=None, end: bool = False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.end = end

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if text:
            self.data = parse_moment(text, end=self.end)  # its ValueError is the field's Vietnamese error

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format_closing(self.data) if self.end else format_opening(self.data)


class WindowForm(FlaskForm):
    window_id = HiddenField()
    kind = ChoiceField("Cột điểm", choices=options([("", "— Chọn cột điểm —"), *KIND_LABELS.items()]),
                       prompt="Vui lòng chọn cột điểm.")
    opens_at = MomentField("Mở từ", validators=[
        DataRequired("Vui lòng nhập thời điểm mở (dd/mm/yyyy hoặc dd/mm/yyyy HH:MM).")])
    closes_at = MomentField("Đóng vào", end=True, validators=[
        DataRequired("Vui lòng nhập thời điểm đóng (dd/mm/yyyy hoặc dd/mm/yyyy HH:MM).")])

    def editing_id(self) -> int | None:
        value = (self.window_id.data or "").strip()
        try:
            return bounded_int(value) if value.isdigit() else None
        except ValueError:
            return None


class SwitchForm(FlaskForm):
    action = ChoiceField("Thao tác", choices=options(ACTIONS.items()),
                         prompt="Vui lòng chọn khoá, mở hoặc trả về theo lịch.")
    scope = ChoiceField("Phạm vi", choices=options(SCOPE_LABELS.items()), prompt="Vui lòng chọn phạm vi.")
    # only the scope's own fields are in the page; the others are absent from the post and stay 0
    grade = ChoiceField("Khối", coerce=int, default=0)
    class_id = ChoiceField("Lớp", coerce=int, default=0)
    subject_id = ChoiceField("Môn học", coerce=int, default=0)
    reason = TextAreaField("Lý do", filters=[nfc], validators=[
        DataRequired("Vui lòng nhập lý do khoá/mở sổ điểm."),
        Length(max=500, message="Lý do tối đa 500 ký tự.")])

    def validate_grade(self, field):
        if self.scope.data == "grade" and not field.data:
            raise ValidationError("Vui lòng chọn khối.")

    def validate_class_id(self, field):
        if self.scope.data in ("class", "class_subject") and not field.data:
            raise ValidationError("Vui lòng chọn lớp.")

    def validate_subject_id(self, field):
        if self.scope.data == "class_subject" and not field.data:
            raise ValidationError("Vui lòng chọn môn học.")

    def target(self) -> str:
        return override_target(self.scope.data, self.grade.data or "", self.class_id.data or "",
                               self.subject_id.data or "")


def _switch_form(semester: Semester, formdata=True, **initial) -> SwitchForm:
    form = SwitchForm() if formdata else SwitchForm(formdata=None, **initial)
    form.grade.choices = options([(0, "— Chọn khối —")] + [
        (g.number, g.label) for g in Grade.select().order_by(Grade.number)])
    classes = (SchoolClass.select().where(SchoolClass.year == semester.year_id)
               .order_by(SchoolClass.grade, fn.LENGTH(SchoolClass.name), SchoolClass.name))  # 6A2 before 6A10
    form.class_id.choices = options([(0, "— Chọn lớp —")] + [(c.id, f"Lớp {c.name}") for c in classes])
    form.subject_id.choices = options([(0, "— Chọn môn học —")] + [
        (s.id, s.name) for s in Subject.select().order_by(Subject.position, Subject.name)])
    # the target's fields follow the scope: htmx swaps them in when the scope changes
    form.scope.render_kw = {"hx-get": url_for("admin.lock_target", semester_id=semester.id),
                            "hx-target": "#lock-target", "hx-swap": "outerHTML", "hx-trigger": "change"}
    return form


def _semester_or_404() -> Semester:
    """The semester the page is about: ?semester_id=…, else the current year's semester of today."""
    semester_id = request.args.get("semester_id", type=bounded_int)
    if semester_id:
        semester = Semester.get_or_none(Semester.id == semester_id)
        if semester is None:
            abort(404)
        return semester
    semester = semester_today(SchoolYear.current())
    if semester is None:
        abort(404)
    return semester


def _page(semester: Semester, status: int = 200, window_form=None, switch_form=None, error=None,
          window_error=None, switch_error=None):
    if window_form is None:
        edit = EntryWindow.get_or_none((EntryWindow.id == request.args.get("edit", type=bounded_int))
                                       & (EntryWindow.semester == semester))
        window_form = (WindowForm(formdata=None, window_id=str(edit.id), kind=edit.kind, opens_at=edit.opens_at,
                                  closes_at=edit.closes_at)
                       if edit else WindowForm(formdata=None))
    semesters = list(Semester.select(Semester, SchoolYear).join(SchoolYear)
                     .order_by(SchoolYear.start_year.desc(), Semester.number))
    return render_template(
        "admin/locks.html", semester=semester, semesters=semesters, windows=window_rows(semester),
        schedule=schedule_state(semester), standing=standing_overrides(semester),
        history=override_history(semester), window_form=window_form,
        switch_form=switch_form or _switch_form(semester, formdata=False, action="lock", scope="school"),
        kind_labels=KIND_LABELS, scope_labels=SCOPE_LABELS, target_label=target_label,
        schedule_description=SCHEDULE_DESCRIPTION,
        error=error, window_error=window_error, switch_error=switch_error), status


def _back(semester: Semester, message: str):
    flash(message, "success")
    return redirect(url_for("admin.locks", semester_id=semester.id), 303)


@bp.route("/locks", methods=["GET", "POST"])
def locks():
    """Entry windows and lock state of a semester; POST is the immediate lock/unlock switch."""
    semester = _semester_or_404()
    if request.method == "GET":
        return _page(semester)
    form = _switch_form(semester)
    if not form.validate():
        return _page(semester, 422, switch_form=form, switch_error=FORM_ERRORS)
    locked = LOCKED_BY_ACTION[form.action.data]
    try:
        with write_transaction():
            row = switch_lock(form.scope.data, form.target(), locked, form.reason.data, current_user.id,
                              semester=semester)
    except ValueError as refused:
        return _page(semester, 422, switch_form=form, switch_error=str(refused))
    label = target_label(row.scope, row.target)
    done = {True: f"Đã khoá sổ điểm: {label}.", False: f"Đã mở sổ điểm: {label}.",
            None: f"{label}: đã trả về theo lịch nhập điểm."}[locked]
    return _back(semester, done)


@bp.route("/locks/target")
def lock_target():
    """The switch form's target fields for the chosen scope (swapped in by htmx when the scope changes)."""
    semester = _semester_or_404()
    form = _switch_form(semester, formdata=False, scope=request.args.get("scope", "school"))
    if not htmx:
        return redirect(url_for("admin.locks", semester_id=semester.id))
    return render_template("admin/_lock_target.html", switch_form=form)


@bp.route("/locks/windows", methods=["POST"])
def lock_window_save():
    """Create an entry window, or change the one the form names."""
    semester = _semester_or_404()
    form = WindowForm()
    if not form.validate():
        return _page(semester, 422, window_form=form, window_error=FORM_ERRORS)
    editing = form.editing_id()
    try:
        with write_transaction():
            set_window(semester, form.kind.data, form.opens_at.data, form.closes_at.data,
                       user_id=current_user.id, window_id=editing)
    except ValueError as refused:
        return _page(semester, 422, window_form=form, window_error=str(refused))
    return _back(semester, "Đã lưu đợt nhập điểm." if editing else "Đã thêm đợt nhập điểm.")


@bp.route("/locks/defaults", methods=["POST"])
def lock_windows_default():
    """Fill the semester's windows from the school's schedule (docs/rules.md §14)."""
    semester = _semester_or_404()
    try:
        with write_transaction():
            added = fill_default_windows(semester, user_id=current_user.id)
    except ValueError as refused:
        return _page(semester, 422, error=str(refused))
    if not added:
        return _back(semester, "Các đợt nhập điểm theo quy định đã có sẵn, không thêm đợt nào.")
    return _back(semester, f"Đã thêm {added} đợt nhập điểm theo quy định của trường.")
