"""The accountant's pages: class sizes this year (fees and financial publication come later)."""
from flask import render_template

from blueprints.accountant import bp
from models.school.structure import SchoolClass, SchoolYear, class_size


@bp.route("/")
def home():
    """Sĩ số per class: the basis every fee list starts from."""
    year = SchoolYear.current()
    rows = [(c, class_size(c)) for c in SchoolClass.select().where(SchoolClass.year == year)] if year else []
    rows.sort(key=lambda r: (r[0].grade_id, len(r[0].name), r[0].name))
    return render_template("accountant/home.html", rows=rows, year=year, total=sum(n for _, n in rows))
