"""The admin's forms for students and staff beyond the shared profile forms."""
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from blueprints.nfc_request import bounded_int
from blueprints.people_forms import StaffProfileForm, StudentProfileForm, VietnameseDateField
from models.people.records import STAFF_STATUSES, STUDENT_STATUSES
from models.rules.dates import parse_date
from models.rules.text import nfc


class PlainDateField(StringField):
    """Any date typed as dd/mm/yyyy (no birth-date plausibility check); the value is a date or None."""

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        self.data = None
        if raw.strip():
            self.data = parse_date(raw)  # a ValueError becomes the field's Vietnamese error

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%d/%m/%Y") if isinstance(self.data, date) else ""


class ClassSelectField(SelectField):
    """A class picked by id; anything that is not a number counts as no choice."""

    def process_formdata(self, valuelist):
        try:
            self.data = bounded_int(valuelist[0]) if valuelist and valuelist[0] else 0
        except ValueError:
            self.data = 0


def _date_required(message: str):
    """Required date: empty input gets `message`, a mistyped one keeps the parser's own message."""

    def check(form, field):
        if field.data is None and not field.process_errors:
            raise StopValidation(message)

    return check


def _class_field(label: str, required: bool = True) -> SelectField:
    validators = [DataRequired("Vui lòng chọn lớp.")] if required else [Optional()]
    return ClassSelectField(label, coerce=int, validators=validators, validate_choice=False)


def _class_choices(field: SelectField, classes, blank: str | None = None) -> None:
    field.choices = ([(0, blank)] if blank else []) + [(c.id, c.name) for c in classes]


def _check_choice(field: SelectField, message: str) -> bool:
    """wtforms' own choice check speaks English; this one speaks the form's language."""
    if field.data not in {value for value, _ in field.choices}:
        field.errors.append(message)
        return False
    return True


def _gender_field() -> SelectField:
    return SelectField("Giới tính", choices=[("Nam", "Nam"), ("Nữ", "Nữ")], validate_choice=False)


class _StudentProfile(StudentProfileForm):
    # the shared form's DataRequired hid the parser's message ("31/02/2013" read as "not typed") and its
    # gender choice check answered in English; these two fields keep the same names and labels
    date_of_birth = VietnameseDateField("Ngày sinh",
                                        validators=[_date_required("Vui lòng nhập ngày sinh (dd/mm/yyyy).")])
    gender = _gender_field()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return _check_choice(self.gender, "Giới tính phải là Nam hoặc Nữ.") and ok


class NewStaffForm(StaffProfileForm):
    gender = _gender_field()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return _check_choice(self.gender, "Giới tính phải là Nam hoặc Nữ.") and ok


class NewStudentForm(_StudentProfile):
    class_id = _class_field("Lớp")
    joined_on = PlainDateField("Ngày vào lớp", validators=[_date_required("Vui lòng nhập ngày vào lớp (dd/mm/yyyy).")])

    def set_classes(self, classes) -> None:
        _class_choices(self.class_id, classes)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return _check_choice(self.class_id, "Lớp đã chọn không có trong năm học này.") and ok


class StudentEditForm(_StudentProfile):
    reason = TextAreaField("Lí do sửa (không bắt buộc)", filters=[nfc],
                           validators=[Length(max=300, message="Tối đa 300 ký tự.")])


class StaffEditForm(NewStaffForm):
    reason = TextAreaField("Lí do sửa (không bắt buộc)", filters=[nfc],
                           validators=[Length(max=300, message="Tối đa 300 ký tự.")])


class _StatusForm(FlaskForm):
    effective_on = PlainDateField("Ngày có hiệu lực",
                                  validators=[_date_required("Vui lòng nhập ngày có hiệu lực (dd/mm/yyyy).")])
    reason = TextAreaField("Lí do", filters=[nfc],
                           validators=[DataRequired("Vui lòng ghi lí do thay đổi trạng thái."),
                                       Length(max=300, message="Tối đa 300 ký tự.")])
    other_school = StringField("Trường chuyển đi / chuyển đến", filters=[nfc],
                               validators=[Length(max=200, message="Tối đa 200 ký tự.")])


class StudentStatusForm(_StatusForm):
    status = SelectField("Trạng thái mới", choices=list(STUDENT_STATUSES.items()), validate_choice=False)
    class_id = _class_field("Xếp vào lớp (khi học sinh trở lại)", required=False)

    def set_classes(self, classes) -> None:
        _class_choices(self.class_id, classes, blank="Không xếp lớp")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        ok = _check_choice(self.status, "Trạng thái không hợp lệ.") and ok
        if self.status.data in ("chuyen_di", "chuyen_den") and not self.other_school.data:
            self.other_school.errors.append("Vui lòng ghi tên trường chuyển đi hoặc chuyển đến.")
            ok = False
        if self.class_id.data is None:
            self.class_id.data = 0
        return _check_choice(self.class_id, "Lớp đã chọn không có trong năm học này.") and ok


class StaffStatusForm(_StatusForm):
    status = SelectField("Trạng thái mới", choices=list(STAFF_STATUSES.items()), validate_choice=False)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return _check_choice(self.status, "Trạng thái không hợp lệ.") and ok


class ImportUploadForm(FlaskForm):
    file = FileField("Tệp danh sách (.xlsx)", validators=[FileRequired("Vui lòng chọn tệp Excel (.xlsx).")])
    class_id = _class_field("Nhập vào lớp")
    joined_on = PlainDateField("Ngày vào lớp", validators=[_date_required("Vui lòng nhập ngày vào lớp (dd/mm/yyyy).")])

    def set_classes(self, classes) -> None:
        _class_choices(self.class_id, classes)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return _check_choice(self.class_id, "Lớp đã chọn không có trong năm học này.") and ok
