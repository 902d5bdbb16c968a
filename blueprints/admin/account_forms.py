"""The admin's forms for accounts and for filtering the audit log."""
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, html_params

from blueprints.admin.people_forms_admin import PlainDateField
from models.people.accounts import ROLES, USERNAME_MAX
from models.rules.text import nfc


def check_list(field, **kwargs):
    """Check boxes as app.css styles them: ul.checks > li > label.check > input + text."""
    kwargs.setdefault("id", field.id)
    kwargs["class"] = ("checks " + kwargs.get("class", "")).strip()
    items = [f"<li><label class=\"check\">{option()} {escape(option.label.text)}</label></li>" for option in field]
    return Markup(f"<ul {html_params(**kwargs)}>{''.join(items)}</ul>")


class RolesField(SelectMultipleField):
    """The roles as check boxes, with a Vietnamese message for a value that is not a role."""

    widget = staticmethod(check_list)
    option_widget = CheckboxInput()

    def __init__(self, label="Vai trò", **kwargs):
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


class LockoutClearForm(FlaskForm):
    """End one lock-out early: an account (key = user id) or a computer (key = its address)."""

    kind = HiddenField(validators=[DataRequired(), Regexp(r"^(account|address)$")])
    key = HiddenField(validators=[DataRequired(), Length(max=64)])
    reason = _reason("Lí do (không bắt buộc)", required=False)


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token: reset password, unlock."""


class AuditFilterForm(FlaskForm):
    """The audit page's filters, read from the query string (a GET: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField("Tìm (mã đối tượng, người thực hiện, họ tên)", filters=[nfc],
                    validators=[Length(max=100, message="Tối đa 100 ký tự.")], render_kw={"type": "search"})
    entity = SelectField("Đối tượng", validate_choice=False)
    action = SelectField("Thao tác", validate_choice=False)
    user = SelectField("Người thực hiện", validate_choice=False)
    date_from = PlainDateField("Từ ngày", render_kw={"placeholder": "dd/mm/yyyy", "size": 10})
    date_to = PlainDateField("Đến ngày", render_kw={"placeholder": "dd/mm/yyyy", "size": 10})

    def set_choices(self, entities, actions, usernames, entity_label, action_label) -> None:
        self.entity.choices = [("", "Tất cả")] + [(e, entity_label(e)) for e in entities]
        self.action.choices = [("", "Tất cả")] + [(a, action_label(a)) for a in actions]
        self.user.choices = [("", "Tất cả")] + [(u, u) for u in usernames]

    def live_search(self, url: str, target: str) -> None:
        """Typing in the text box refreshes only the rows (htmx), keeping the other filters."""
        self.q.render_kw = {**self.q.render_kw, "autocomplete": "off", "hx-get": url, "hx-target": target,
                            "hx-trigger": "input changed delay:400ms, search", "hx-include": "closest form",
                            "hx-push-url": "true"}

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.date_from.data and self.date_to.data and self.date_from.data > self.date_to.data:
            self.date_to.errors.append("“Đến ngày” phải sau hoặc bằng “Từ ngày”.")
            return False
        return ok
