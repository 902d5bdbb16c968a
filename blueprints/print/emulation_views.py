"""The week's emulation of the classes (thi đua tuần): every signed-in member of staff reads and prints it (issue 17,
"shown to the school"); the giám thị records the conduct it is counted from at /discipline."""
from datetime import timedelta
from urllib.parse import quote

from flask import Response, abort, url_for

from blueprints.conduct_entry import day_of_request
from blueprints.print import bp
from models.discipline.ranking import week_ranking
from models.printing.renderer import PrintError, ascii_name, render_pdf, render_print_html
from models.school.structure import School, SchoolYear


def _context() -> dict:
    year = SchoolYear.current()
    if year is None:
        abort(404)
    ranking = week_ranking(year, day_of_request())
    return {"year": year, "school": School.current(), "ranking": ranking}


@bp.route("/emulation")
def emulation_week():
    """The week's ranking as the browser prints it (A4), with the weeks before and after."""
    context = _context()
    monday = context["ranking"].monday
    return render_print_html("print/emulation_week.html", **context,
                             pdf_url=url_for("print.emulation_week_pdf", day=monday.isoformat()),
                             previous_url=url_for("print.emulation_week", day=(monday - timedelta(days=7)).isoformat()),
                             next_url=url_for("print.emulation_week", day=(monday + timedelta(days=7)).isoformat()),
                             back_url=url_for("auth.index"))


@bp.route("/emulation.pdf")
def emulation_week_pdf():
    """The week's ranking as an A4 PDF through the one print renderer."""
    context = _context()
    try:
        data = render_pdf("print/emulation_week.html", **context)
    except PrintError:
        abort(500)
    name = f"Thi đua tuần {context['ranking'].monday:%d-%m-%Y}.pdf"
    resp = Response(data, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f"inline; filename={ascii_name(name)}; filename*=UTF-8''{quote(name)}"
    return resp
