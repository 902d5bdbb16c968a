"""Health reports (A4 and .xlsx) and the notice to parents, printed through the one renderer."""
import io
from urllib.parse import quote

from flask import abort, render_template, send_file, url_for

from blueprints.nurse import bp
from models.health import reports
from models.people.records import Student
from models.printing.renderer import ascii_name, render_pdf
from models.school.structure import School, SchoolYear, current_class_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, name: str, mimetype: str):
    resp = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
    resp.headers["Content-Disposition"] = f"attachment; filename={ascii_name(name)}; filename*=UTF-8''{quote(name)}"
    return resp


def _school() -> dict:
    school = School.current()
    return {"school_name": school.name if school else "", "header_line_1": school.header_line_1 if school else "",
            "header_line_2": school.header_line_2 if school else "", "place_name": school.place_name if school else ""}


def _report():
    year = SchoolYear.current()
    if year is None:
        abort(404)
    return reports.school_report(year)


@bp.route("/reports")
def report():
    """Counts and percentages per class, grade and school, and clinic visits per month, as an A4 print view."""
    return render_template("print/health_report.html", report=_report(), counted=reports.COUNTED,
                           percent=reports.percent_text, back_url=url_for("nurse.home"),
                           pdf_url=url_for("nurse.report_pdf"), xlsx_url=url_for("nurse.report_xlsx"),
                           pdf=False, **_school())


@bp.route("/reports/pdf")
def report_pdf():
    """The report as an A4 PDF."""
    data = render_pdf("print/health_report.html", report=_report(), counted=reports.COUNTED,
                      percent=reports.percent_text, **_school())
    return _download(data, "Tổng hợp sức khỏe học sinh.pdf", "application/pdf")


@bp.route("/reports/xlsx")
def report_xlsx():
    """The report as an Excel workbook."""
    report = _report()
    return _download(reports.to_xlsx(report), f"Tổng hợp sức khỏe học sinh {report.year.name}.xlsx", XLSX)


def _notice(student_id: int):
    student = Student.get_or_none(Student.id == student_id)
    if student is None:
        abort(404)
    return {"notice": reports.parent_notice(student), "school_class": current_class_of(student), **_school()}


@bp.route("/notice/<int:student_id>")
def notice(student_id: int):
    """The notice to parents of the last check's findings, as an A4 print view."""
    return render_template("print/health_notice.html", pdf=False, back_url=url_for("nurse.student_record", student_id=student_id),
                           pdf_url=url_for("nurse.notice_pdf", student_id=student_id), **_notice(student_id))


@bp.route("/notice/<int:student_id>/pdf")
def notice_pdf(student_id: int):
    """The notice to parents as an A4 PDF."""
    context = _notice(student_id)
    data = render_pdf("print/health_notice.html", **context)
    return _download(data, f"Thông báo sức khỏe {context['notice'].student.full_name}.pdf", "application/pdf")
