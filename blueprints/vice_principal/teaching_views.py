"""The vice-principal's and principal's view of lesson plans across the school."""
from datetime import date

from flask import render_template

from blueprints.teaching_settings import due_days
from blueprints.vice_principal import bp
from models.school.structure import SchoolYear
from models.teaching import lesson_plans as lp


@bp.route("/lesson-plans")
def lesson_plans():
    """Per teacher, grouped by department: the year's lesson plans by state, late ones and overdue (missing) ones."""
    year = SchoolYear.current()
    tallies = lp.tallies(year, date.today(), due_days()) if year else []
    flagged = [t for t in tallies if t.counts["late"] or t.counts["overdue"]]
    return render_template("vice_principal/lesson_plans.html", year=year, tallies=tallies, flagged=flagged,
                           due_days=due_days())
