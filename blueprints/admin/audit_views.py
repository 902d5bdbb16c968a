"""The audit-log browser: read-only; no route here changes or deletes an entry."""
from flask import abort, render_template, request, url_for

from blueprints import htmx
from blueprints.admin import bp
from blueprints.admin.account_forms import AuditFilterForm
from blueprints.nfc_request import bounded_int
from models.audit.log import (
    GENESIS,
    AuditEntry,
    LogFilter,
    action_label,
    distinct_values,
    entity_label,
    log_page,
    neighbours,
    verify_chain,
)
from models.audit_check.entities import describe, field_changes
from models.people.accounts import log_subjects
from models.people.records import Staff, Student


def _filter_form() -> tuple[AuditFilterForm, LogFilter]:
    """The filters from the query string; a mistyped date is reported and left out of the filter."""
    form = AuditFilterForm(formdata=request.args)
    form.set_choices(distinct_values(AuditEntry.entity), distinct_values(AuditEntry.action),
                     distinct_values(AuditEntry.username), entity_label, action_label)
    form.live_search(url_for("admin.audit_log"), "#audit-rows")
    form.validate()
    bad_range = bool(form.date_to.errors) and form.date_from.data and form.date_to.data
    text = form.q.data or ""
    people_codes, account_ids = log_subjects(text) if text else ([], [])
    return form, LogFilter(
        text=text, people_codes=people_codes, account_ids=account_ids,
        entity=form.entity.data or "", action=form.action.data or "",
        username=form.user.data or "",
        date_from=None if bad_range else form.date_from.data, date_to=None if bad_range else form.date_to.data,
    )


@bp.route("/audit")
def audit_log():
    """The audit log, newest first, filtered and paginated, under the hash chain's status."""
    form, log_filter = _filter_form()
    page = log_page(log_filter, request.args.get("page", 1, type=bounded_int))
    rows = [(e, action_label(e.action, e.entity), describe(e.entity, e.entity_id), field_changes(e))
            for e in page.entries]
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    context = {"form": form, "page": page, "rows": rows, "args": args}
    status = 422 if form.errors else 200
    if htmx:
        return render_template("admin/_audit_rows.html", **context), status
    # verify_chain reads and hashes every entry: linear in the log's size (a few ms per thousand
    # entries); fine for one school, but worth a cached checkpoint if the log grows very large.
    return render_template("admin/audit_log.html", chain=verify_chain(), **context), status


@bp.route("/audit/<int:entry_id>")
def audit_entry(entry_id: int):
    """One entry in full, with its hash and the previous entry's hash."""
    entry = AuditEntry.get_or_none(AuditEntry.id == entry_id)
    if entry is None:
        abort(404)
    older, newer = neighbours(entry)
    return render_template(
        "admin/audit_entry.html", entry=entry, action=action_label(entry.action, entry.entity),
        entity=describe(entry.entity, entry.entity_id), changes=field_changes(entry), older=older, newer=newer,
        hash_ok=entry.content_hash() == entry.hash,
        link_ok=entry.prev_hash == (older.hash if older else GENESIS), target=_target_url(entry),
    )


def _target_url(entry: AuditEntry) -> str | None:
    """The admin page of the thing an entry is about, when there is one."""
    if entry.entity == "account" and entry.entity_id.isdigit():
        return url_for("admin.account_detail", user_id=int(entry.entity_id))
    if entry.entity == "student":
        person = Student.get_or_none(Student.code == entry.entity_id)
        return url_for("admin.student_detail", student_id=person.id) if person else None
    if entry.entity == "staff":
        person = Staff.get_or_none(Staff.code == entry.entity_id)
        return url_for("admin.staff_detail", staff_id=person.id) if person else None
    return None
