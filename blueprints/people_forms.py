"""Forms for student and staff profiles, shared by the admin and homeroom pages."""
from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, StopValidation, ValidationError

from models.rules.dates import parse_birth_date
from models.rules.identifiers import validate_personal_id, validate_phone, validate_sector_code
from models.rules.text import nfc


class VietnameseDateField(StringField):
    """A date typed as dd/mm/yyyy; the value is a date or None. `required` gives its own message,
    so a wrong date shows why it is wrong instead of "please enter"."""

    def __init__(self, label=None, validators=None, required_message: str | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message

    def pre_validate(self, form):
        if self.required_message and not (self.raw or "").strip() and not self.process_errors:
            raise StopValidation(self.required_message)

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if self.raw.strip():
            try:
                self.data = parse_birth_date(self.raw, date.today())
            except ValueError as bad:
                self.data = None
                raise ValueError(str(bad)) from None

    raw = ""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%d/%m/%Y") if self.data else ""


class GenderField(SelectField):
    """Nam / Nữ, with a Vietnamese message for anything else."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, choices=["Nam", "Nữ"], **kwargs)

    def pre_validate(self, form):
        if self.data not in ("Nam", "Nữ"):
            raise ValidationError("Giới tính phải là Nam hoặc Nữ.")


def _validator(fn):
    def check(form, field):
        try:
            field.data = fn(field.data or "")
        except ValueError as bad:
            raise ValidationError(str(bad)) from None
    return check


def _text(label, required=False, max_len=120):
    validators = [Length(max=max_len, message=f"Tối đa {max_len} ký tự.")]
    if required:
        validators.insert(0, DataRequired(f"Vui lòng nhập {label.lower()}."))
    return StringField(label, validators=validators, filters=[nfc])


def _phone(label):
    return StringField(label, validators=[_validator(validate_phone)])


class StudentProfileForm(FlaskForm):
    full_name = _text("Họ và tên", required=True, max_len=100)
    date_of_birth = VietnameseDateField("Ngày sinh", required_message="Vui lòng nhập ngày sinh (dd/mm/yyyy).")
    gender = GenderField("Giới tính")
    ethnicity = _text("Dân tộc")
    religion = _text("Tôn giáo")
    birthplace = _text("Nơi sinh")
    permanent_address = TextAreaField("Địa chỉ thường trú", filters=[nfc],
                                      validators=[Length(max=300, message="Tối đa 300 ký tự.")])
    current_address = TextAreaField("Chỗ ở hiện nay", filters=[nfc],
                                    validators=[Length(max=300, message="Tối đa 300 ký tự.")])
    policy_family = BooleanField("Con gia đình chính sách")
    father_name = _text("Họ tên cha")
    father_job = _text("Nghề nghiệp của cha")
    father_phone = _phone("Điện thoại của cha")
    mother_name = _text("Họ tên mẹ")
    mother_job = _text("Nghề nghiệp của mẹ")
    mother_phone = _phone("Điện thoại của mẹ")
    guardian_name = _text("Người giám hộ")
    guardian_job = _text("Nghề nghiệp người giám hộ")
    guardian_phone = _phone("Điện thoại người giám hộ")
    sector_code = StringField("Mã học sinh (CSDL ngành)", validators=[_validator(validate_sector_code)])
    personal_id = StringField("Số định danh cá nhân", validators=[_validator(validate_personal_id)])


class StaffProfileForm(FlaskForm):
    full_name = _text("Họ và tên", required=True, max_len=100)
    date_of_birth = VietnameseDateField("Ngày sinh")
    gender = GenderField("Giới tính")
    position = _text("Chức vụ")
    qualification = _text("Trình độ chuyên môn")
    phone = _phone("Điện thoại")
    email = StringField("Thư điện tử", validators=[Length(max=120, message="Tối đa 120 ký tự.")], filters=[nfc])
    address = TextAreaField("Địa chỉ", filters=[nfc], validators=[Length(max=300, message="Tối đa 300 ký tự.")])
    personal_id = StringField("Số định danh cá nhân", validators=[_validator(validate_personal_id)])


def form_to_profile(form: FlaskForm) -> dict:
    """The profile values of a validated form, without the CSRF token; a text field left out is ""."""
    values = {}
    for name, field in form._fields.items():
        if name == "csrf_token":
            continue
        value = field.data
        if value is None and isinstance(field, StringField | TextAreaField) and not isinstance(
                field, VietnameseDateField):
            value = ""
        values[name] = value
    return values
