"""The year-end archive (admin): start the build in the worker process, follow it, download the ZIP."""
from pathlib import Path
from urllib.parse import quote

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for

from blueprints import htmx
from blueprints.guards import need_role
from blueprints.print import bp
from blueprints.print.views import launch_job
from models.printing import archive
from models.printing import jobs as print_jobs
from models.school.structure import SchoolYear


def _admin() -> None:
    need_role("admin")


def _folder() -> Path:
    return Path(current_app.config.get("ARCHIVE_DIR") or archive.archive_dir(current_app.instance_path))


def _latest_job() -> print_jobs.PrintJob | None:
    return (print_jobs.PrintJob.select().where(print_jobs.PrintJob.kind == archive.KIND)
            .order_by(print_jobs.PrintJob.id.desc()).first())


@bp.route("/archive")
def archive_page():
    """The year-end archive: the running or last build, the button to start one, the finished ZIPs."""
    _admin()
    running = print_jobs.running_job(archive.KIND)
    return render_template("print/archive.html", job=running or _latest_job(), running=running,
                           year=SchoolYear.current(), files=archive.finished_archives(_folder()))


@bp.route("/archive", methods=["POST"])
def archive_start():
    """Start the year's archive in a worker process; while one runs, show that one instead."""
    _admin()
    year = SchoolYear.current()
    if year is None:
        flash("Chưa có năm học hiện tại.", "error")
        return redirect(url_for("print.archive_page"), 303)
    folder = _folder()
    job, started = launch_job(archive.KIND, {"year_id": year.id, "output_dir": str(folder),
                                             "workers": current_app.config.get("ARCHIVE_WORKERS", 0)},
                              spawn=not current_app.config.get("ARCHIVE_NO_SPAWN", False))
    if started:
        flash(f"Đã bắt đầu lưu trữ năm học {year.name}.", "success")
    else:
        flash("Đang có một lượt lưu trữ chạy; đây là tiến độ của lượt đó.", "info")
    return redirect(url_for("print.archive_page"), 303)


@bp.route("/archive/jobs/<int:job_id>")
def archive_progress(job_id: int):
    """The archive build's progress; the fragment polls every 2 seconds until it is finished."""
    _admin()
    job = print_jobs.PrintJob.get_or_none((print_jobs.PrintJob.id == job_id)
                                          & (print_jobs.PrintJob.kind == archive.KIND))
    if job is None:
        abort(404)
    if job.status in print_jobs.ACTIVE:
        job = print_jobs.running_job(archive.KIND) or print_jobs.PrintJob.get_by_id(job_id)
    if htmx:
        # 286 tells htmx to stop polling once the job is finished
        return render_template("print/archive_progress.html", job=job), 286 if job.finished else 200
    return redirect(url_for("print.archive_page"), 303)


@bp.route("/archive/files/<name>")
def archive_download(name: str):
    """A finished archive ZIP."""
    _admin()
    path = next((p for p in archive.finished_archives(_folder()) if p.name == name), None)
    if path is None:
        abort(404)
    resp = send_file(path, mimetype="application/zip", as_attachment=True, download_name=path.name)
    resp.headers["Content-Disposition"] = f"attachment; filename={path.name}; filename*=UTF-8''{quote(path.name)}"
    return resp
