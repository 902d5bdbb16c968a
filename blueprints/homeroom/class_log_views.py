"""The homeroom teacher reads their class's week of the class log (sổ ghi đầu bài)."""
from datetime import timedelta

from flask import render_template, request

from blueprints.guards import own_homeroom_class
from blueprints.homeroom import bp
from blueprints.teaching_pages import current_year, pdf_response, week_arg
from models.printing import class_log_book
from models.rules import timetable as tt
from models.teaching import class_log


@bp.route("/class-log/<int:class_id>")
def class_log_week(class_id: int):
    """The class's week: every period as written (or not yet), absences, ratings, the signature."""
    school_class = own_homeroom_class(class_id)
    monday = week_arg(request.args.get("week"), current_year())
    return render_template("homeroom/class_log_week.html", school_class=school_class, monday=monday,
                           weeks=class_log.class_week(school_class, monday),
                           names=class_log.student_names(school_class), weekday=tt.WEEKDAY_LABELS,
                           signed=class_log.signed(school_class.id, monday),
                           previous=monday - timedelta(days=7), following=monday + timedelta(days=7))


@bp.route("/class-log/<int:class_id>/pdf")
def class_log_pdf(class_id: int):
    """The class's week as the printed A4 page of the book."""
    school_class = own_homeroom_class(class_id)
    monday = week_arg(request.args.get("week"), current_year())
    data = class_log_book.pdf(school_class, [monday])
    return pdf_response(data, f"Sổ ghi đầu bài {school_class.name} tuần {monday:%d-%m-%Y}.pdf")


@bp.route("/class-log")
def class_log_home():
    """The class log of the homeroom teacher's (first) class."""
    from flask import redirect, url_for
    from flask_login import current_user

    from blueprints.guards import homeroom_classes

    classes = homeroom_classes(current_user)
    if not classes:
        return redirect(url_for("homeroom.home"))
    return redirect(url_for("homeroom.class_log_week", class_id=classes[0].id, **request.args))
