"""The year-end lists, summary and sector spreadsheet as the browser's A4 print view, a PDF (the one renderer)
or an .xlsx: shared by the homeroom and the school leaders' pages, which authorise before calling."""
import io
from datetime import datetime
from urllib.parse import quote

from flask import abort, current_app, request, send_file

from models.printing.renderer import PrintError, ascii_name, render_pdf, render_print_html
from models.school.structure import School
from models.yearend import primary_reports, reports, results

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, name: str, mimetype: str):
    resp = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
    resp.headers["Content-Disposition"] = f"attachment; filename={ascii_name(name)}; filename*=UTF-8''{quote(name)}"
    return resp


def _answer(template: str, name: str, xlsx, back_url: str, **context):
    fmt = request.args.get("format", "")
    context |= {"school": School.current(), "generated": f"{datetime.now():%d/%m/%Y %H:%M}"}
    if fmt == "xlsx":
        return _download(xlsx(), f"{name}.xlsx", XLSX)
    if fmt == "pdf":
        try:
            data = render_pdf(template, **context)
        except PrintError as failure:
            current_app.logger.error("year-end PDF failed: %s", failure)
            abort(500)
        return _download(data, f"{name}.pdf", "application/pdf")
    if fmt:
        abort(404)
    base = request.base_url + "?x=1" + "".join(f"&{k}={quote(str(v))}" for k, v in request.args.items() if k != "format")
    return render_print_html(template, back_url=back_url, pdf_url=base + "&format=pdf",
                             xlsx_url=base + "&format=xlsx" if xlsx else None, **context)


def list_answer(kind: str, classes: list, scope: str, back_url: str):
    """One list (reports.LISTS) over the classes: print view, ?format=pdf or ?format=xlsx."""
    if kind not in reports.LISTS:
        abort(404)
    title, rows = reports.student_list(kind, classes)
    detail = "Môn kiểm tra lại" if kind == "retest" else "Ghi chú"
    return _answer("yearend/print_list.html", f"{title} {scope}", lambda: reports.list_xlsx(f"{title} {scope}", rows),
                   back_url, title=title, subtitle=scope, rows=rows, detail_title=detail)


def summary_answer(year, semester, back_url: str):
    """The school's summary: print view, ?format=pdf or ?format=xlsx."""
    summary = reports.school_summary(year, semester)
    return _answer("yearend/print_summary.html", summary.title, lambda: reports.summary_xlsx(summary), back_url,
                   title="Thống kê kết quả đánh giá", subtitle=f"{reports.PERIOD_TITLES[semester]} – năm học "
                   f"{year.name}", summary=summary, label=reports.key_label, percent=reports.percent)


def primary_list_answer(kind: str, classes: list, scope: str, back_url: str):
    """One list of a primary school (primary_reports.LISTS) over the classes: print view, PDF or .xlsx."""
    if kind not in primary_reports.LISTS:
        abort(404)
    title, rows = primary_reports.pupil_list(kind, classes)
    return _answer("yearend/print_primary_list.html", f"{title} {scope}",
                   lambda: primary_reports.list_xlsx(f"{title} {scope}", rows), back_url, title=title, subtitle=scope,
                   rows=rows)


def primary_summary_answer(year, back_url: str):
    """A primary school's year-end summary (TT27): print view, PDF or .xlsx."""
    summary = primary_reports.school_summary(year)
    return _answer("yearend/print_summary.html", summary.title, lambda: reports.summary_xlsx(summary), back_url,
                   title="Thống kê kết quả giáo dục cuối năm", subtitle=f"Năm học {year.name} – tiểu học, đánh giá "
                   "theo Thông tư 27/2020", summary=summary, label=reports.key_label, percent=reports.percent)


def sector_answer(school_class):
    """The class's year results in the sector upload column order, .xlsx."""
    sheet = results.class_sheet(school_class, results.YEAR)
    return _download(reports.sector_xlsx(sheet), f"Kết quả cả năm {school_class.name} {school_class.year.name}.xlsx",
                     XLSX)


def slips_answer(school_class, back_url: str):
    """The class's result slips, one A4 page per student: print view or ?format=pdf."""
    if request.args.get("format") == "xlsx":
        abort(404)
    slips = reports.result_slips(school_class)
    return _answer("yearend/print_slips.html", f"Phiếu báo kết quả {school_class.name} {school_class.year.name}",
                   None, back_url, title=f"Phiếu báo kết quả lớp {school_class.name}", slips=slips)
