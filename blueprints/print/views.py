"""The monthly attendance sheet (print view and PDF), the office's signed-sheet page and print jobs."""
import io
from datetime import date
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints import htmx
from blueprints.downloads import pdf_download
from blueprints.guards import OFFICE, need_role, refuse, sheet_class
from blueprints.print import bp
from models.attendance.register import month_to_review
from models.gradebook.monitoring import month_label, year_months
from models.printing import attendance_sheet as sheets
from models.printing import jobs as print_jobs
from models.printing.renderer import CACHE_ENV, PrintError, cache_dir, render_print_html
from models.rules import calendar as cal_rules
from models.school.calendar import year_calendar
from models.school.structure import SchoolClass, SchoolYear


def _month(year_month: str, school_class: SchoolClass | None = None) -> str:
    """The month if well formed and, given a class, inside its school year's terms; else 404."""
    try:
        month = cal_rules.parse_year_month(year_month)
    except ValueError:
        abort(404)
    if school_class is not None:
        # a sheet for 9999-12 is not a sheet: no page and no "printed" step recorded
        span = year_calendar(school_class.year).span
        if span is None or month not in cal_rules.months_between(*span):
            abort(404)
    return year_month




@bp.route("/attendance/<int:class_id>/<year_month>")
def attendance_sheet(class_id: int, year_month: str):
    """The monthly attendance sheet as the browser prints it (A3 landscape), with its signing steps."""
    school_class = sheet_class(class_id)
    sheet = sheets.sheet_for(school_class, _month(year_month, school_class))
    # a look at the preview is not a print: only the PDF download records "Đã in"
    status = sheets.sheet_status(school_class, year_month, sheet=sheet)
    back = (url_for("print.sheets_overview", year_month=year_month) if current_user.has_role(*OFFICE)
            else url_for("homeroom.attendance_month", class_id=class_id, year_month=year_month))
    return render_print_html(sheets.SHEET_TEMPLATE, status=status, back_url=back, labels=sheets.STEP_LABELS,
                             may_record=sheets.may_record,
                             pdf_url=url_for("print.attendance_sheet_pdf", class_id=class_id, year_month=year_month),
                             **sheets.sheet_context(sheet))


@bp.route("/attendance/<int:class_id>/<year_month>.pdf")
def attendance_sheet_pdf(class_id: int, year_month: str):
    """The monthly attendance sheet as a PDF download (reused from the cache while the data is unchanged)."""
    school_class = sheet_class(class_id)
    sheet = sheets.sheet_for(school_class, _month(year_month, school_class))
    try:
        data = sheets.sheet_pdf(sheet)
    except PrintError as failure:
        current_app.logger.error("attendance sheet PDF failed: %s", failure)
        abort(500)
    sheets.record_printed(school_class, sheet, current_user)
    return pdf_download(io.BytesIO(data), sheets.download_name(sheet))


def _default_month() -> str:
    """Last month inside the school year; after it, the year's last month with attendance."""
    year = SchoolYear.current()
    if year is None:
        today = date.today()
        return cal_rules.year_month(*cal_rules.previous_month(today.year, today.month))
    return month_to_review(year, date.today())


@bp.route("/sheets")
def sheets_overview():
    """The office's list: every class of the year for a month and which signing steps are missing."""
    need_role(*OFFICE)
    year_month = request.args.get("year_month") or _default_month()
    try:
        cal_rules.parse_year_month(year_month)
    except ValueError:
        flash("Tháng không hợp lệ (dạng YYYY-MM).", "error")
        year_month = _default_month()
    year = SchoolYear.current()
    # a picker of the school year's months in Vietnamese ("Tháng 9/2024"), not the browser's <input type=month>
    months = [(m, month_label(m)) for m in (year_months(year) if year else [])]
    if months and year_month not in dict(months):
        if request.args.get("year_month"):
            flash(f"{month_label(year_month)} không thuộc năm học {year.name}.", "error")
        year_month = months[-1][0] if year_month > months[-1][0] else months[0][0]
    rows = sheets.office_overview(year, year_month) if year else []
    job = print_jobs.running_job("attendance_month")
    return render_template("print/sheets.html", rows=rows, year_month=year_month, months=months, steps=sheets.STEPS,
                           labels=sheets.STEP_LABELS, may_record=sheets.may_record, running=job)


@bp.route("/sheets/<int:class_id>/<year_month>/step", methods=["POST"])
def record_sheet_step(class_id: int, year_month: str):
    """Record one signing step (shown, signed, approved, filed) for a class-month."""
    school_class = sheet_class(class_id)
    _month(year_month, school_class)
    step = request.form.get("step", "")
    if step not in sheets.STEPS or step == "printed":
        abort(400)
    if not sheets.may_record(current_user, school_class, step):
        refuse("attendance_sheet", f"{school_class.id}:{year_month}", f"không được ghi bước {step}")
    error = None
    try:
        sheets.record_step(school_class, year_month, step, current_user)
    except ValueError as refused:
        error = str(refused)
    if htmx:
        status = sheets.sheet_status(school_class, year_month)
        return render_template("print/_sheet_row.html", row=status, steps=sheets.STEPS, labels=sheets.STEP_LABELS,
                               may_record=sheets.may_record, year_month=year_month, error=error)
    if error:
        flash(error, "error")
    else:
        flash(f"Đã ghi: {sheets.STEP_LABELS[step]}.", "success")
    target = request.form.get("next", "")
    if not target.startswith("/print/"):
        target = url_for("print.sheets_overview", year_month=year_month)
    return redirect(target, 303)


@bp.route("/jobs", methods=["POST"])
def start_job():
    """Start "In toàn trường" for a month in a worker process (or show the one already running)."""
    need_role("admin")
    year_month = request.form.get("year_month", "")
    try:
        cal_rules.parse_year_month(year_month)
    except ValueError:
        flash("Tháng không hợp lệ (dạng YYYY-MM).", "error")
        return redirect(url_for("print.sheets_overview"), 303)
    year = SchoolYear.current()
    if year is None:
        flash("Chưa có năm học hiện tại.", "error")
        return redirect(url_for("print.sheets_overview"), 303)
    job, started = launch_job("attendance_month", {"year_id": year.id, "year_month": year_month})
    if not started:
        flash("Đang có một lượt in toàn trường chạy; đây là tiến độ của lượt đó.", "info")
    return redirect(url_for("print.job", job_id=job.id), 303)


def _jobs_dir() -> Path:
    return Path(current_app.config.get("PRINT_JOBS_DIR") or Path(current_app.instance_path) / "print_jobs")


def launch_job(kind: str, params: dict, spawn: bool = True) -> tuple[print_jobs.PrintJob, bool]:
    """The one way a view starts a print job (any kind of models.printing.jobs.JOB_KINDS) in the worker:
    this app's database and print cache, the signed-in user; (job, False) when one of the kind runs."""
    return print_jobs.start_job(kind, params, current_user, current_app.config["DATABASE_URL"], _jobs_dir(),
                                extra_env={CACHE_ENV: str(cache_dir())}, spawn=spawn)


def _job(job_id: int) -> print_jobs.PrintJob:
    need_role(*OFFICE)
    job = print_jobs.PrintJob.get_or_none(print_jobs.PrintJob.id == job_id)
    if job is None:
        abort(404)
    return job


@bp.route("/jobs/<int:job_id>")
def job(job_id: int):
    """A print job's progress; the fragment polls every second until the job is finished."""
    item = _job(job_id)
    if htmx:
        # 286 tells htmx to stop polling once the job is finished
        return render_template("print/_job_progress.html", job=item), 286 if item.finished else 200
    return render_template("print/job.html", job=item)


@bp.route("/jobs/<int:job_id>/download")
def job_download(job_id: int):
    """The finished job's PDF."""
    item = _job(job_id)
    if item.status != "done" or not Path(item.output_path).exists():
        abort(404)
    return pdf_download(item.output_path, item.download_name)


from blueprints.print import (  # noqa: E402,F401
    archive_views,
    class_book_views,  # noqa: E402,F401
    hoc_ba_views,
    primary_views,
    teacher_book_views,
)
