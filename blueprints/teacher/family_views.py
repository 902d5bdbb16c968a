"""Notices to families seen from the teaching side: a teacher's own notices, and the head of department's
month of each member's notices and monthly comments (seed 002 Điều 7.4: checked before each meeting)."""
from datetime import date

from flask import abort, render_template, request
from flask_login import current_user

from blueprints.guards import allow
from blueprints.teacher import bp
from models.families import history
from models.families.notices import STATES
from models.families.settings import CHANNEL_SHORT, KINDS
from models.gradebook import monitoring
from models.people.records import Staff
from models.rules import calendar as cal_rules
from models.rules.dates import parse_date
from models.school.structure import DepartmentMember


def _optional_day(name: str) -> date | None:
    text = request.args.get(name, "")
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        abort(400)


@bp.route("/notices")
def my_notices():
    """The notices to families this teacher made, filterable by kind, state and days."""
    kind = request.args.get("kind", "") if request.args.get("kind", "") in KINDS else ""
    state = request.args.get("state", "") if request.args.get("state", "") in STATES else ""
    since, until = _optional_day("since"), _optional_day("until")
    rows = history.notices(made_by=[current_user.id], kind=kind, state=state, since=since, until=until)
    return render_template("teacher/my_notices.html", rows=rows, kinds=KINDS, states=STATES, kind=kind, state=state,
                           since=since, until=until, channel_labels=CHANNEL_SHORT)


@bp.route("/department/notices")
def department_notices():
    """Each department member's notices to families and monthly comments in the month."""
    allow(current_user.has_role("head_of_department") and current_user.staff_id is not None,
          "không phải tổ trưởng chuyên môn")
    department = monitoring.headed_department(current_user.staff_id)
    today = date.today()
    try:
        year, month = cal_rules.parse_year_month(request.args.get("month") or f"{today.year}-{today.month:02d}")
    except ValueError:
        abort(404)
    first = date(year, month, 1)
    last = date.fromordinal(date(*cal_rules.next_month(year, month), 1).toordinal() - 1)
    members = []
    if department is not None:
        members = list(Staff.select().join(DepartmentMember).where(DepartmentMember.department == department)
                       .order_by(Staff.full_name))
    return render_template("teacher/department_notices.html", department=department, first=first, last=last,
                           month=cal_rules.year_month(year, month),
                           prev_month=cal_rules.year_month(*cal_rules.previous_month(year, month)),
                           next_month=cal_rules.year_month(*cal_rules.next_month(year, month)),
                           rows=history.department_month(members, first, last), channel_labels=CHANNEL_SHORT)
