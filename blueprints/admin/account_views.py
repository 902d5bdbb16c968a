"""The admin's account pages: who may sign in, with which roles; accounts are never deleted."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints import htmx
from blueprints.admin import bp
from blueprints.admin.account_forms import (
    ConfirmForm,
    EnabledForm,
    LockoutClearForm,
    NewAccountForm,
    RolesForm,
)
from blueprints.guards import homeroom_classes
from blueprints.nfc_request import bounded_int
from models.audit.log import action_label, entries_about
from models.audit_check.entities import field_changes
from models.people.accounts import (
    ROLES,
    User,
    account_rows,
    admin_reset_password,
    admin_set_enabled,
    admin_set_roles,
    create_staff_account,
    ordered_roles,
    staff_without_account,
    suggest_username,
    unlock_account,
)
from models.people.lockouts import clear_account_lockout, clear_address_lockout, current_lockouts
from models.people.records import Staff
from models.rules import passwords
from models.rules.text import nfc
from models.school.structure import homeroom_names_by_staff


def _user_or_404(user_id: int) -> User:
    user = User.get_or_none(User.id == user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/accounts")
def accounts():
    """Every account with its roles and state, and the staff who have none yet."""
    role = request.args.get("role", "")
    role = role if role in ROLES else ""
    q = (nfc(request.args.get("q", "")) or "")[:100]
    context = {"rows": account_rows(role, q, homeroom_names_by_staff()), "without": [] if role else staff_without_account(q),
               "role": role, "q": q}
    if htmx:
        return render_template("admin/_accounts_rows.html", **context)
    return render_template("admin/accounts.html", **context)


@bp.route("/accounts/new", methods=["GET", "POST"])
def account_new():
    """Open an account for a staff member; the temporary password is shown once."""
    staff_id = request.values.get("staff_id", type=bounded_int)
    staff = Staff.get_or_none(Staff.id == staff_id) if staff_id else None
    if staff is None:
        abort(404)
    form = NewAccountForm()
    if request.method == "GET":
        form.username.data = suggest_username(staff.full_name)
        form.roles.data = ["teacher"]
    error = None
    if form.validate_on_submit():
        try:
            user, password = create_staff_account(staff, form.username.data, set(form.roles.data))
        except ValueError as refused:
            error = str(refused)
        else:
            # rendered, not redirected: the password must not be stored anywhere to survive a redirect
            return render_template("admin/account_password.html", user=user, password=password, created=True)
    status = 422 if (error or form.errors) else 200
    return render_template("admin/account_new.html", form=form, staff=staff, error=error), status


def _detail(user: User, error: str | None = None, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    roles_form = forms.get("roles") or RolesForm(formdata=None, data={"roles": ordered_roles(user.roles)})
    history = [(e, action_label(e.action, e.entity), field_changes(e)) for e in entries_about("account", user.id)]
    return render_template(
        "admin/account_detail.html", user=user, roles=ordered_roles(user.roles),
        homeroom=homeroom_classes(user), roles_form=roles_form,
        enabled_form=forms.get("enabled") or EnabledForm(formdata=None), confirm_form=ConfirmForm(formdata=None),
        error=error, history=history, is_self=user.id == current_user.id,
    ), status


def _done(user: User, message: str):
    flash(message, "success")
    return redirect(url_for("admin.account_detail", user_id=user.id), 303)


def _change_roles(user: User):
    form = RolesForm()
    if not form.validate():
        return _detail(user, forms={"roles": form}, status=422)
    try:
        changed = admin_set_roles(user, set(form.roles.data), form.roles_reason.data, current_user.id)
    except ValueError as refused:
        return _detail(user, error=str(refused), forms={"roles": form}, status=422)
    return _done(user, "Đã đổi vai trò." if changed else "Không có thay đổi nào.")


def _change_enabled(user: User, enabled: bool):
    form = EnabledForm()
    if not form.validate():
        return _detail(user, forms={"enabled": form}, status=422)
    try:
        admin_set_enabled(user, enabled, form.reason.data, current_user.id)
    except ValueError as refused:
        return _detail(user, error=str(refused), forms={"enabled": form}, status=422)
    return _done(user, "Đã mở lại tài khoản." if enabled else "Đã vô hiệu hoá tài khoản.")


def _reset_password(user: User):
    try:
        password = admin_reset_password(user)
    except ValueError as refused:
        return _detail(user, error=str(refused), status=422)
    # rendered, not redirected: the password must not be stored anywhere to survive a redirect
    return render_template("admin/account_password.html", user=user, password=password, created=False)


def _unlock(user: User):
    try:
        unlock_account(user)
    except ValueError as refused:
        return _detail(user, error=str(refused), status=422)
    return _done(user, "Đã mở khoá tài khoản.")


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
def account_detail(user_id: int):
    """One account: change roles, reset the password, disable or enable, end a lock-out."""
    user = _user_or_404(user_id)
    if request.method == "GET":
        return _detail(user)
    action = request.form.get("action", "")
    if action == "roles":
        return _change_roles(user)
    if action in ("disable", "enable"):
        return _change_enabled(user, action == "enable")
    if action in ("reset_password", "unlock") and ConfirmForm().validate():
        return _reset_password(user) if action == "reset_password" else _unlock(user)
    abort(400)


def _id_or_zero(text: str) -> int:
    try:
        return bounded_int(text) if text.isdigit() else 0
    except ValueError:
        return 0


@bp.route("/lockouts", methods=["GET", "POST"])
def lockouts():
    """Accounts and computers locked after wrong passwords; the admin may end one early (audited)."""
    form = LockoutClearForm()
    error, status = None, 200
    if request.method == "POST":
        if not form.validate():
            abort(400)
        user = _user_or_404(_id_or_zero(form.key.data)) if form.kind.data == "account" else None
        try:
            if user is not None:
                clear_account_lockout(user, form.reason.data or "")
                flash(f"Đã mở khoá tài khoản {user.username}.", "success")
            else:
                clear_address_lockout(form.key.data, form.reason.data or "")
                flash(f"Đã mở khoá đăng nhập cho máy {form.key.data}.", "success")
            return redirect(url_for("admin.lockouts"), 303)
        except ValueError as refused:
            error, status = str(refused), 422
    return render_template("admin/lockouts.html", lockouts=current_lockouts(), error=error,
                           account_threshold=passwords.LOCKOUT_THRESHOLD,
                           address_threshold=passwords.ADDRESS_LOCKOUT_THRESHOLD,
                           minutes=passwords.LOCKOUT_MINUTES), status
