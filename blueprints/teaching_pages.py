"""What the teaching-record pages of several roles share: reading a week or a day from the URL, the
school header of a print, the PDF download. No permission check here (those are in guards.py)."""
import io
from datetime import date
from urllib.parse import quote

from flask import abort, send_file

from models.printing.renderer import ascii_name
from models.rules import timetable as tt
from models.school.calendar import page_day
from models.school.structure import School, SchoolYear


def current_year() -> SchoolYear:
    year = SchoolYear.current()
    if year is None:
        abort(404)
    return year


def day_arg(text: str | None, year: SchoolYear) -> date:
    """A day from the URL (ISO), or the teaching day of the year; a bad one is a 404."""
    if not text:
        return page_day(year)
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


def week_arg(text: str | None, year: SchoolYear) -> date:
    return tt.week_start(day_arg(text, year))


def school_header() -> dict:
    school = School.current()
    return {"school_name": school.name if school else "", "header_line_1": school.header_line_1 if school else "",
            "header_line_2": school.header_line_2 if school else "", "place_name": school.place_name if school else ""}


def pdf_response(data: bytes, name: str, inline: bool = False):
    resp = send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=not inline, download_name=name)
    kind = "inline" if inline else "attachment"
    resp.headers["Content-Disposition"] = f"{kind}; filename={ascii_name(name)}; filename*=UTF-8''{quote(name)}"
    return resp
