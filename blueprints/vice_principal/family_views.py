"""The school's notices to families for the principal and vice-principals: by class, teacher, kind, state, days."""
from datetime import date

from flask import abort, render_template, request

from blueprints.vice_principal import bp
from models.families import history
from models.families.notices import STATES
from models.families.settings import CHANNEL_SHORT, KINDS
from models.rules.dates import parse_date
from models.school.structure import SchoolClass, SchoolYear


def _optional_day(name: str) -> date | None:
    text = request.args.get(name, "")
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        abort(400)


@bp.route("/notices")
def family_notices():
    """Every notice to families of the school, newest first, filterable."""
    year = SchoolYear.current()
    classes = list(SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name)) if year else []
    makers = history.makers()
    class_id = request.args.get("class", type=int)
    school_class = next((c for c in classes if c.id == class_id), None)
    maker_id = request.args.get("teacher", type=int)
    maker = next((u for u in makers if u.id == maker_id), None)
    kind = request.args.get("kind", "") if request.args.get("kind", "") in KINDS else ""
    state = request.args.get("state", "") if request.args.get("state", "") in STATES else ""
    since, until = _optional_day("since"), _optional_day("until")
    rows = history.notices(school_class=school_class, made_by=[maker.id] if maker else None, kind=kind,
                           state=state, since=since, until=until)
    return render_template("vice_principal/family_notices.html", rows=rows, classes=classes, makers=makers,
                           school_class=school_class, maker=maker, kinds=KINDS, states=STATES, kind=kind,
                           state=state, since=since, until=until, channel_labels=CHANNEL_SHORT)
