"""The school nurse's pages: finding a student and their class (health records come later)."""
from flask import render_template, request

from blueprints.nurse import bp
from models.people.records import search_students
from models.rules.text import vietnamese_sort_key
from models.school.structure import current_class_of


@bp.route("/")
def home():
    """Search students by name (accent-insensitive) to see their class and date of birth."""
    query = request.args.get("q", "")
    students = sorted(search_students(query), key=lambda s: vietnamese_sort_key(s.full_name)) if query else []
    rows = [(s, current_class_of(s)) for s in students]
    return render_template("nurse/home.html", query=query, rows=rows)
