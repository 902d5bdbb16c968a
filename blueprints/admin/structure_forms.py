"""Forms of the admin's school-structure pages: school, years, subjects, departments, classes."""
import re

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from models.rules.dates import parse_date
from models.rules.identifiers import validate_phone
from models.rules.text import nfc
from models.school.structure import ASSESSMENT_KINDS, LEVELS, MAX_PERIODS_PER_YEAR, MAX_TEACHING_WEEKS


class _ParsedField(StringField):
    """A field whose typed text failed to parse reports only that, not "please fill in" as well."""

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


class DateField(_ParsedField):
    """Any date typed as dd/mm/yyyy (not a birth date: no age check); the value is a date or None."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if self.raw.strip():
            try:
                self.data = parse_date(self.raw)
            except ValueError as bad:
                raise ValueError(str(bad)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%d/%m/%Y") if self.data else ""


class WholeNumberField(_ParsedField):
    """A whole number; anything else is refused in Vietnamese (wtforms' IntegerField says it in English)."""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if text:
            if not (text.isascii() and text.isdigit()):
                raise ValueError(f"{self.label.text} phải là số nguyên.")
            if len(text) > 18:  # beyond the database's 64-bit integers
                raise ValueError(f"{self.label.text} quá lớn.")
            self.data = int(text)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the choices of a select."""
    return [SelectChoice(value, label) for value, label in pairs]


class ChoiceField(SelectField):
    """A select whose refusals are Vietnamese; choices of ids use coerce=int.

    `prompt` is the message when nothing was chosen (an empty value or the placeholder 0)."""

    def __init__(self, label=None, validators=None, prompt=None, **kwargs):
        message = f"{label}: lựa chọn không hợp lệ."
        super().__init__(label, validators, invalid_value_message=message, invalid_choice_message=message,
                         **kwargs)
        self.prompt = prompt

    def pre_validate(self, form):
        if self.prompt and (self.data in (None, "", 0) or (self.raw_data or [""])[0] == ""):
            self.errors[:] = []  # "could not coerce ''" says less than the prompt
            raise StopValidation(self.prompt)
        super().pre_validate(form)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, **kwargs):
        message = f"{label}: lựa chọn không hợp lệ."
        super().__init__(label, validators, invalid_value_message=message, invalid_choice_message=message,
                         **kwargs)


def _text(label, required=False, max_len=120):
    validators = [Length(max=max_len, message=f"Tối đa {max_len} ký tự.")]
    if required:
        validators.insert(0, DataRequired(f"Vui lòng nhập {label[0].lower() + label[1:]}."))
    return StringField(label, validators=validators, filters=[nfc])


def _school_phone(form, field):
    """A mobile number as for people, or the school's 11-digit landline (024 3825 1234)."""
    try:
        field.data = validate_phone(field.data or "")
    except ValueError as bad:
        digits = re.sub(r"[ .\-]", "", field.data or "")
        if not re.fullmatch(r"02[0-9]{9}", digits):
            raise ValidationError(str(bad)) from None
        field.data = digits


def _at_least_one(form, field):
    if not field.data:
        raise ValidationError("Vui lòng chọn ít nhất một cấp học.")


class SchoolForm(FlaskForm):
    name = _text("Tên trường", required=True)
    code = _text("Mã trường", max_len=20)
    header_line_1 = _text("Dòng tiêu đề 1 (cơ quan chủ quản)")
    header_line_2 = _text("Dòng tiêu đề 2 (phòng/sở giáo dục)")
    levels = CheckboxesField("Cấp học", choices=options(LEVELS.items()), validators=[_at_least_one])
    address = TextAreaField("Địa chỉ", filters=[nfc], validators=[Length(max=300, message="Tối đa 300 ký tự.")])
    phone = StringField("Điện thoại", validators=[_school_phone])
    email = StringField("Thư điện tử", filters=[nfc], validators=[
        Length(max=120, message="Tối đa 120 ký tự."),
        Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Địa chỉ thư điện tử không hợp lệ.")])
    place_name = _text("Địa danh", max_len=60)
    regulation_ref = _text("Văn bản quy định lịch nhập điểm", max_len=150)

    def values(self) -> dict:
        data = {name: f.data or "" for name, f in self._fields.items() if name not in ("csrf_token", "levels")}
        return {**data, "levels": ",".join(self.levels.data or [])}


class YearForm(FlaskForm):
    start_year = WholeNumberField("Năm bắt đầu", validators=[
        InputRequired("Vui lòng nhập năm bắt đầu, ví dụ 2025."),
        NumberRange(2000, 2100, message="Năm bắt đầu phải từ 2000 đến 2100.")])


class SemesterForm(FlaskForm):
    starts_on = DateField("Ngày bắt đầu", validators=[DataRequired("Vui lòng nhập ngày bắt đầu (dd/mm/yyyy).")])
    ends_on = DateField("Ngày kết thúc", validators=[DataRequired("Vui lòng nhập ngày kết thúc (dd/mm/yyyy).")])
    teaching_weeks = WholeNumberField("Số tuần thực học", validators=[
        InputRequired("Vui lòng nhập số tuần thực học."),
        NumberRange(1, MAX_TEACHING_WEEKS, message=f"Số tuần thực học phải từ 1 đến {MAX_TEACHING_WEEKS}.")])
    midterm_tests_on = DateField("Ngày kiểm tra giữa kì")
    final_tests_on = DateField("Ngày kiểm tra cuối kì")


class CarryForwardForm(FlaskForm):
    staying = TextAreaField("Học sinh ở lại lớp (mã định danh)",
                            validators=[Length(max=20000, message="Danh sách quá dài.")])

    def codes(self) -> list[str]:
        return (self.staying.data or "").replace(",", " ").replace(";", " ").split()


def _periods(label="Số tiết/năm"):
    return WholeNumberField(label, validators=[
        InputRequired("Vui lòng nhập số tiết/năm."),
        NumberRange(1, MAX_PERIODS_PER_YEAR,
                    message=f"Số tiết/năm phải là số nguyên từ 1 đến {MAX_PERIODS_PER_YEAR}.")])


class SubjectForm(FlaskForm):
    code = StringField("Mã môn", filters=[nfc], validators=[
        DataRequired("Vui lòng nhập mã môn học."),
        Regexp(r"^[A-Za-z0-9_]{1,20}$", message="Mã môn chỉ gồm chữ cái không dấu, chữ số và dấu _, tối đa 20 ký tự.")])
    name = _text("Tên môn", required=True, max_len=80)
    kind = ChoiceField("Hình thức đánh giá", choices=options(ASSESSMENT_KINDS.items()))
    department_id = ChoiceField("Tổ chuyên môn", coerce=int)
    position = WholeNumberField("Thứ tự hiển thị", default=0, validators=[
        Optional(), NumberRange(0, 999, message="Thứ tự hiển thị phải từ 0 đến 999.")])


class GradeSubjectForm(FlaskForm):
    grade_id = ChoiceField("Khối", coerce=int, prompt="Vui lòng chọn khối.")
    subject_id = ChoiceField("Môn học", coerce=int, prompt="Vui lòng chọn môn học.")
    periods = _periods()


class PeriodsForm(FlaskForm):
    periods = _periods()


class DepartmentForm(FlaskForm):
    name = _text("Tên tổ", required=True, max_len=100)
    code = StringField("Mã tổ", filters=[nfc], validators=[
        DataRequired("Vui lòng nhập mã tổ."),
        Regexp(r"^[A-Za-z0-9_]{1,20}$", message="Mã tổ chỉ gồm chữ cái không dấu, chữ số và dấu _, tối đa 20 ký tự.")])


class StaffChoiceForm(FlaskForm):
    """One staff member chosen from those đang công tác."""

    staff_id = ChoiceField("Cán bộ, giáo viên", coerce=int, prompt="Vui lòng chọn cán bộ, giáo viên.")


class HomeroomForm(FlaskForm):
    """The homeroom teacher of a class; 0 is "not assigned yet"."""

    staff_id = ChoiceField("Giáo viên chủ nhiệm", coerce=int)


class ClassForm(FlaskForm):
    grade_id = ChoiceField("Khối", coerce=int, prompt="Vui lòng chọn khối.")
    name = StringField("Tên lớp", filters=[nfc], validators=[
        DataRequired("Vui lòng nhập tên lớp, ví dụ 6A1."),
        Length(max=12, message="Tên lớp tối đa 12 ký tự.")])


class AssignForm(FlaskForm):
    subject_id = ChoiceField("Môn học", coerce=int, prompt="Vui lòng chọn môn học.")
    teacher_id = ChoiceField("Giáo viên", coerce=int, prompt="Vui lòng chọn giáo viên.")
