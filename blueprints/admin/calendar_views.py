"""The admin's school calendar, attendance month locks, the completeness dashboard and attendance delegates."""
from datetime import datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.admin import bp
from blueprints.admin.structure_forms import ChoiceField, DateField, WholeNumberField, options
from models.attendance import register as attendance
from models.core import write_transaction
from models.people.records import Staff
from models.rules import calendar as cal_rules
from models.rules.text import nfc, vietnamese_sort_key
from models.school.calendar import (
    add_holiday,
    add_makeup,
    holidays_of,
    makeups_of,
    remove_holiday,
    remove_makeup,
    set_schedule,
    settings_for,
    year_calendar,
    year_overview,
)
from models.school.structure import SchoolClass, SchoolYear, class_sort_key

FORM_ERRORS = "Chưa lưu được: vui lòng sửa các ô báo lỗi."


class ScheduleForm(FlaskForm):
    days_per_week = ChoiceField("Số ngày học mỗi tuần", coerce=int,
                                choices=options([(6, "6 ngày (thứ Hai – thứ Bảy)"), (5, "5 ngày (thứ Hai – thứ Sáu)")]))
    sessions_per_day = ChoiceField("Số buổi học mỗi ngày", coerce=int,
                                   choices=options([(1, "1 buổi"), (2, "2 buổi (sáng, chiều)")]))


class HolidayForm(FlaskForm):
    name = StringField("Tên ngày nghỉ", filters=[nfc], validators=[
        DataRequired("Vui lòng nhập tên ngày nghỉ."), Length(max=120, message="Tối đa 120 ký tự.")])
    starts_on = DateField("Từ ngày", validators=[DataRequired("Vui lòng nhập ngày bắt đầu (dd/mm/yyyy).")])
    ends_on = DateField("Đến ngày", validators=[DataRequired("Vui lòng nhập ngày kết thúc (dd/mm/yyyy).")])


class MakeUpForm(FlaskForm):
    day = DateField("Ngày học bù", validators=[DataRequired("Vui lòng nhập ngày học bù (dd/mm/yyyy).")])
    sessions = ChoiceField("Số buổi", coerce=int, choices=options([(1, "1 buổi"), (2, "2 buổi")]))
    name = StringField("Ghi chú", filters=[nfc], validators=[Length(max=120, message="Tối đa 120 ký tự.")])


class LockForm(FlaskForm):
    month = ChoiceField("Tháng", prompt="Vui lòng chọn tháng.")
    class_id = ChoiceField("Phạm vi", coerce=int, default=0)
    action = ChoiceField("Thao tác", choices=options([("lock", "Khoá"), ("unlock", "Mở")]),
                         prompt="Vui lòng chọn khoá hoặc mở.")
    reason = TextAreaField("Lý do", filters=[nfc], validators=[
        DataRequired("Vui lòng nhập lý do khoá/mở điểm danh."), Length(max=500, message="Tối đa 500 ký tự.")])


class AutoLockForm(FlaskForm):
    auto_lock_day = WholeNumberField("Tự động khoá vào ngày (của tháng sau)")


class DelegateForm(FlaskForm):
    class_id = ChoiceField("Lớp", coerce=int, prompt="Vui lòng chọn lớp.")
    staff_id = ChoiceField("Người nhập điểm danh (giám thị)", coerce=int, prompt="Vui lòng chọn người.")


def _year() -> SchoolYear:
    year = SchoolYear.current()
    if year is None:
        abort(404)
    return year


def _classes(year: SchoolYear) -> list[SchoolClass]:
    return sorted(SchoolClass.select().where(SchoolClass.year == year), key=lambda c: class_sort_key(c.name))


def _calendar_page(year, schedule_form=None, holiday_form=None, makeup_form=None, error=None, status=200):
    settings = settings_for(year)
    schedule_form = schedule_form or ScheduleForm(data={"days_per_week": settings.days_per_week,
                                                        "sessions_per_day": settings.sessions_per_day})
    return render_template("admin/calendar.html", year=year, schedule_form=schedule_form,
                           holiday_form=holiday_form or HolidayForm(formdata=None),
                           makeup_form=makeup_form or MakeUpForm(formdata=None),
                           holidays=holidays_of(year), makeups=makeups_of(year), overview=year_overview(year),
                           span=year_calendar(year).span, error=error), status


def _write(action, success: str, endpoint: str):
    """Run one model write in a transaction: flash and redirect, or return the refusal's text."""
    try:
        with write_transaction():
            action()
    except ValueError as refused:
        return str(refused)
    flash(success, "success")
    return redirect(url_for(endpoint), 303)


@bp.route("/calendar", methods=["GET", "POST"])
def calendar():
    """Lịch học: the weekly schedule, holidays and make-up days, with a month-by-month overview."""
    year = _year()
    form = ScheduleForm()
    if form.is_submitted():
        if not form.validate():
            return _calendar_page(year, schedule_form=form, error=FORM_ERRORS, status=422)
        settings = settings_for(year)
        done = _write(lambda: set_schedule(year, form.days_per_week.data, form.sessions_per_day.data,
                                           settings.auto_lock_day), "Đã lưu lịch học trong tuần.", "admin.calendar")
        if isinstance(done, str):
            return _calendar_page(year, schedule_form=form, error=done, status=422)
        return done
    return _calendar_page(year)


@bp.route("/calendar/holiday", methods=["POST"])
def calendar_holiday():
    """Add a holiday (ngày nghỉ) to the year's calendar."""
    year = _year()
    form = HolidayForm()
    if not form.validate():
        return _calendar_page(year, holiday_form=form, error=FORM_ERRORS, status=422)
    done = _write(lambda: add_holiday(year, form.starts_on.data, form.ends_on.data, form.name.data),
                  "Đã thêm ngày nghỉ.", "admin.calendar")
    if isinstance(done, str):
        return _calendar_page(year, holiday_form=form, error=done, status=422)
    return done


@bp.route("/calendar/holiday/<int:holiday_id>/remove", methods=["POST"])
def calendar_holiday_remove(holiday_id: int):
    """Remove a holiday entered by mistake."""
    year = _year()
    done = _write(lambda: remove_holiday(year, holiday_id), "Đã bỏ ngày nghỉ.", "admin.calendar")
    if isinstance(done, str):
        abort(404)
    return done


@bp.route("/calendar/makeup", methods=["POST"])
def calendar_makeup():
    """Add a make-up day (ngày học bù): a day that becomes a school day."""
    year = _year()
    form = MakeUpForm()
    if not form.validate():
        return _calendar_page(year, makeup_form=form, error=FORM_ERRORS, status=422)
    done = _write(lambda: add_makeup(year, form.day.data, form.sessions.data, form.name.data),
                  "Đã thêm ngày học bù.", "admin.calendar")
    if isinstance(done, str):
        return _calendar_page(year, makeup_form=form, error=done, status=422)
    return done


@bp.route("/calendar/makeup/<int:makeup_id>/remove", methods=["POST"])
def calendar_makeup_remove(makeup_id: int):
    """Remove a make-up day entered by mistake."""
    year = _year()
    done = _write(lambda: remove_makeup(year, makeup_id), "Đã bỏ ngày học bù.", "admin.calendar")
    if isinstance(done, str):
        abort(404)
    return done


# --- month locks and the completeness dashboard ----------------------------------------------------

def _lock_form(year, formdata=True) -> LockForm:
    form = LockForm() if formdata else LockForm(formdata=None)
    span = year_calendar(year).span
    months = cal_rules.months_between(*span) if span else []
    form.month.choices = options([("", "— Chọn tháng —")] + [(cal_rules.year_month(y, m), f"Tháng {m}/{y}")
                                                          for y, m in months])
    form.class_id.choices = options([(0, "Toàn trường")] + [(c.id, f"Lớp {c.name}") for c in _classes(year)])
    return form


def _locks_page(year, form=None, auto_form=None, error=None, status=200):
    now = datetime.now()
    month, rows = attendance.attendance_completeness(year, now=now,
                                                     year_month=attendance.month_to_review(year, now.date()))
    settings = settings_for(year)
    return render_template("admin/attendance_locks.html", year=year, form=form or _lock_form(year, False),
                           auto_form=auto_form or AutoLockForm(data={"auto_lock_day": settings.auto_lock_day}),
                           history=attendance.lock_history(year), completeness=rows, completeness_month=month,
                           auto_lock_day=settings.auto_lock_day, error=error), status


@bp.route("/attendance/locks", methods=["GET", "POST"])
def attendance_locks():
    """Khoá điểm danh: lock or unlock a month for a class or the whole school; who confirmed last month."""
    year = _year()
    form = _lock_form(year)
    if not form.is_submitted():
        return _locks_page(year)
    if not form.validate():
        return _locks_page(year, form=form, error=FORM_ERRORS, status=422)
    school_class = None
    if form.class_id.data:
        school_class = SchoolClass.get_or_none((SchoolClass.id == form.class_id.data) & (SchoolClass.year == year))
        if school_class is None:
            abort(404)
    locked = form.action.data == "lock"
    done = _write(lambda: attendance.switch_month_lock(year, form.month.data, school_class, locked,
                                                       form.reason.data, current_user),
                  "Đã khoá điểm danh." if locked else "Đã mở điểm danh.", "admin.attendance_locks")
    if isinstance(done, str):
        return _locks_page(year, form=form, error=done, status=422)
    return done


@bp.route("/attendance/auto-lock", methods=["POST"])
def attendance_auto_lock():
    """Set (or turn off) "tự động khoá vào ngày N của tháng sau"."""
    year = _year()
    form = AutoLockForm()
    if not form.validate():
        return _locks_page(year, auto_form=form, error=FORM_ERRORS, status=422)
    settings = settings_for(year)
    done = _write(lambda: set_schedule(year, settings.days_per_week, settings.sessions_per_day,
                                       form.auto_lock_day.data),
                  "Đã lưu ngày tự động khoá.", "admin.attendance_locks")
    if isinstance(done, str):
        return _locks_page(year, auto_form=form, error=done, status=422)
    return done


# --- delegates ---------------------------------------------------------------------------------------

def _delegate_form(year, formdata=True) -> DelegateForm:
    form = DelegateForm() if formdata else DelegateForm(formdata=None)
    form.class_id.choices = options([(0, "— Chọn lớp —")] + [(c.id, c.name) for c in _classes(year)])
    staff = sorted(Staff.select().where(Staff.status == "dang_cong_tac"),
                   key=lambda s: (vietnamese_sort_key(s.full_name), s.id))
    form.staff_id.choices = options([(0, "— Chọn người —")] + [(s.id, f"{s.full_name} ({s.position})"
                                                                  if s.position else s.full_name) for s in staff])
    return form


def _delegates_page(year, form=None, error=None, status=200):
    return render_template("admin/attendance_delegates.html", year=year,
                           form=form or _delegate_form(year, False), delegates=attendance.delegates_of(year),
                           error=error), status


@bp.route("/attendance/delegates", methods=["GET", "POST"])
def attendance_delegates():
    """Người nhập điểm danh thay GVCN (giám thị, Điều 21): who may enter which class's attendance."""
    year = _year()
    form = _delegate_form(year)
    if not form.is_submitted():
        return _delegates_page(year)
    if not form.validate():
        return _delegates_page(year, form=form, error=FORM_ERRORS, status=422)
    school_class = SchoolClass.get_or_none((SchoolClass.id == form.class_id.data) & (SchoolClass.year == year))
    staff = Staff.get_or_none(Staff.id == form.staff_id.data)
    if school_class is None or staff is None:
        abort(404)
    done = _write(lambda: attendance.add_delegate(school_class, staff, current_user),
                  "Đã giao nhập điểm danh.", "admin.attendance_delegates")
    if isinstance(done, str):
        return _delegates_page(year, form=form, error=done, status=422)
    return done


@bp.route("/attendance/delegates/<int:delegate_id>/end", methods=["POST"])
def attendance_delegate_end(delegate_id: int):
    """End a delegation (the record stays)."""
    done = _write(lambda: attendance.end_delegate(delegate_id), "Đã thôi giao nhập điểm danh.",
                  "admin.attendance_delegates")
    if isinstance(done, str):
        abort(404)
    return done
