"""The admin's forms for accounts and for filtering the audit log."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.admin.people_forms_admin import PlainDateField
from models.accounts import ROLES, USERNAME_MAX
from models.rules.text import nfc


class RolesField(SelectMultipleField):
    """The roles as check boxes, with a Vietnamese message for a value that is not a role."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label="Vai trò", **kwargs):
        kwargs.setdefault("render_kw", {"class": "checks"})
        super().__init__(label, choices=list(ROLES.items()), **kwargs)

    def pre_validate(self, form):
        if any(value not in ROLES for value in self.data or []):
            raise ValidationError("Vai trò không hợp lệ.")


def _at_least_one_role(form, field):
    if not field.data:
        raise ValidationError("Vui lòng chọn ít nhất một vai trò.")


def _username(value):
    return (nfc(value) or "").lower()


def _reason(label: str, required: bool):
    validators = [Length(max=300, message="Tối đa 300 ký tự.")]
    if required:
        validators.insert(0, DataRequired("Vui lòng nhập lí do."))
    return TextAreaField(label, validators=validators, filters=[nfc])


class NewAccountForm(FlaskForm):
    staff_id = HiddenField()
    username = StringField("Tên đăng nhập", filters=[_username], validators=[
        DataRequired("Vui lòng nhập tên đăng nhập."),
        Length(min=3, max=USERNAME_MAX, message=f"Tên đăng nhập dài từ 3 đến {USERNAME_MAX} ký tự."),
        Regexp(r"^[a-z0-9._]+$", message="Tên đăng nhập chỉ gồm chữ không dấu, chữ số, dấu chấm hoặc gạch dưới."),
    ])
    roles = RolesField(validators=[_at_least_one_role])


class RolesForm(FlaskForm):
    roles = RolesField(validators=[_at_least_one_role])
    roles_reason = _reason("Lí do đổi vai trò", required=True)


class EnabledForm(FlaskForm):
    reason = _reason("Lí do", required=True)


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token: reset password, unlock."""


class AuditFilterForm(FlaskForm):
    """The audit page's filters, read from the query string (a GET: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField("Tìm (mã đối tượng, người thực hiện, họ tên)", filters=[nfc],
                    validators=[Length(max=100, message="Tối đa 100 ký tự.")])
    entity = SelectField("Đối tượng", validate_choice=False)
    action = SelectField("Thao tác", validate_choice=False)
    user = SelectField("Người thực hiện", validate_choice=False)
    date_from = PlainDateField("Từ ngày")
    date_to = PlainDateField("Đến ngày")

    def set_choices(self, entities, actions, usernames, entity_label, action_label) -> None:
        self.entity.choices = [("", "Tất cả")] + [(e, entity_label(e)) for e in entities]
        self.action.choices = [("", "Tất cả")] + [(a, action_label(a)) for a in actions]
        self.user.choices = [("", "Tất cả")] + [(u, u) for u in usernames]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.date_from.data and self.date_to.data and self.date_from.data > self.date_to.data:
            self.date_to.errors.append("“Đến ngày” phải sau hoặc bằng “Từ ngày”.")
            return False
        return ok
