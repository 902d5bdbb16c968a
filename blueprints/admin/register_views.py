"""The school's registers (sổ đăng bộ; sổ theo dõi học sinh bỏ học, chuyển đi, chuyển đến): numbers and prints."""
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.admin import bp
from blueprints.downloads import pdf_download
from models.printing import jobs as print_jobs
from models.printing import registers
from models.school.structure import SchoolYear


def _jobs_dir() -> Path:
    return Path(current_app.config.get("PRINT_JOBS_DIR") or Path(current_app.instance_path) / "print_jobs")


def _recent_jobs() -> list:
    return list(print_jobs.PrintJob.select().where(print_jobs.PrintJob.kind == registers.JOB_KIND)
                .order_by(print_jobs.PrintJob.id.desc()).limit(5))


@bp.route("/registers")
def registers_page():
    """The two registers: how many students are numbered, the October completion, printing either book."""
    jobs = _recent_jobs()
    template = "admin/_register_jobs.html" if request.headers.get("HX-Request") else "admin/registers.html"
    return render_template(template, kinds=registers.KINDS, jobs=jobs, title_of=registers.job_title,
                           counts=registers.number_counts(),
                           years=list(SchoolYear.select().order_by(SchoolYear.start_year.desc())),
                           running=any(not j.finished for j in jobs))


@bp.route("/registers/assign", methods=["POST"])
def registers_assign():
    """Give registration numbers to the students admitted since the last completion."""
    given = registers.assign_numbers(current_user)
    flash(f"Đã cấp {given} số đăng bộ mới." if given else "Mọi học sinh đã có số đăng bộ.", "success")
    return redirect(url_for("admin.registers_page"), 303)


@bp.route("/registers/print", methods=["POST"])
def registers_print():
    """Build one register in the print worker; the page shows its progress and the download."""
    kind = request.form.get("kind", "")
    if kind not in registers.KINDS:
        flash("Loại sổ không hợp lệ.", "error")
        return redirect(url_for("admin.registers_page"), 303)
    params = {"kind": kind}
    year_name = request.form.get("year", "")
    if kind == "bien-dong" and year_name:
        year = SchoolYear.get_or_none(SchoolYear.name == year_name)
        if year is None:
            flash(f"Không có năm học {year_name}.", "error")
            return redirect(url_for("admin.registers_page"), 303)
        params["year_id"] = year.id
    _, started = print_jobs.start_job(registers.JOB_KIND, params, current_user,
                                      current_app.config["DATABASE_URL"], _jobs_dir())
    if not started:
        flash("Máy chủ đang in một sổ; vui lòng chờ sổ đó xong.", "info")
    return redirect(url_for("admin.registers_page"), 303)


@bp.route("/registers/jobs/<int:job_id>.pdf")
def registers_download(job_id: int):
    """A finished register's PDF."""

    job = print_jobs.PrintJob.get_or_none((print_jobs.PrintJob.id == job_id)
                                          & (print_jobs.PrintJob.kind == registers.JOB_KIND))
    if job is None or job.status != "done" or not Path(job.output_path).exists():
        abort(404)
    return pdf_download(job.output_path, registers.job_download_name(job))
