"""The admin's settings of notices to families: the school's channel, the Android phone, the templates."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.admin import bp
from models.families import settings
from models.families.settings import CHANNELS, ConflictError
from models.rules.family_sms import GSM7_LIMIT, PLACEHOLDERS, fill_template, sms_length, sms_text


def _page(error: str | None = None, status: int = 200):
    config = settings.current()
    samples = {}
    for kind, _, text, _ in settings.templates():
        message = sms_text(fill_template(text, settings.SAMPLE))
        samples[kind] = (sms_length(message).label, message)
    return render_template("admin/family_settings.html", config=config, channels=CHANNELS, error=error,
                           templates=settings.templates(), placeholders=PLACEHOLDERS, samples=samples, sample_values=settings.SAMPLE,
                           sms_limit=GSM7_LIMIT), status


@bp.route("/family-notices")
def family_settings():
    """How the school sends notices to families, and the text of each kind of notice."""
    return _page()


@bp.route("/family-notices/settings", methods=["POST"])
def family_settings_save():
    """Save the channel and the phone's local server; a stale form gets a 409."""
    try:
        settings.save_settings(request.form.to_dict(), request.form.get("version", type=int))
    except ConflictError as stale:
        return _page(str(stale), 409)
    except ValueError as refused:
        return _page(str(refused), 422)
    flash("Đã lưu cách gửi thông báo gia đình.", "success")
    return redirect(url_for("admin.family_settings"))


@bp.route("/family-notices/template/<kind>", methods=["POST"])
def family_template_save(kind: str):
    """Save one kind's template; checked for placeholders and for one SMS; a stale form gets a 409."""
    try:
        settings.save_template(kind, request.form.get("text", ""), request.form.get("version", type=int) or 0,
                               current_user)
    except ConflictError as stale:
        return _page(str(stale), 409)
    except ValueError as refused:
        return _page(str(refused), 422)
    flash("Đã lưu mẫu tin.", "success")
    return redirect(url_for("admin.family_settings"))
