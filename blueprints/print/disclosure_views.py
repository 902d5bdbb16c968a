"""The public financial disclosure table (công khai tài chính): every signed-in member of staff may read
and print it (seed 004 B.1.1); the accountant enters it at /accountant/disclosure."""
from urllib.parse import quote

from flask import Response, abort, request, url_for

from blueprints.print import bp
from models.finance import disclosure as public
from models.finance.fees import period_by_key, periods_of
from models.printing.renderer import PrintError, ascii_name, render_pdf, render_print_html
from models.school.structure import School, SchoolYear


def _context(period: str) -> dict:
    year = SchoolYear.current()
    found = period_by_key(year, period) if year else None
    if found is None:
        abort(404)
    return {"year": year, "period": found, "periods": periods_of(year), "school": School.current(),
            "table": public.disclosure_table(year, period)}


@bp.route("/disclosure")
def disclosure():
    """The disclosure table of a period as the browser prints it (A4)."""
    period = request.args.get("period", "nam")
    return render_print_html("print/disclosure.html", **_context(period),
                             pdf_url=url_for("print.disclosure_pdf", period=period))


@bp.route("/disclosure.pdf")
def disclosure_pdf():
    """The disclosure table as an A4 PDF through the one print renderer."""
    context = _context(request.args.get("period", "nam"))
    try:
        data = render_pdf("print/disclosure.html", **context)
    except PrintError:
        abort(500)
    name = f"Công khai tài chính {context['period'].label}.pdf"
    resp = Response(data, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f"inline; filename={ascii_name(name)}; filename*=UTF-8''{quote(name)}"
    return resp
