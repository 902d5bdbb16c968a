"""The class book (Sổ theo dõi và đánh giá học sinh theo lớp học): contents, PDF build job, download."""
from flask import abort, flash, redirect, render_template, request, url_for

from blueprints import htmx
from blueprints.downloads import pdf_download
from blueprints.guards import book_class
from blueprints.print import bp
from blueprints.print.views import launch_job
from models.printing import class_book
from models.printing import jobs as print_jobs
from models.school.structure import SchoolClass


def _class_job(school_class: SchoolClass, job_id) -> print_jobs.PrintJob | None:
    if not str(job_id or "").isdigit():
        return None
    job = print_jobs.PrintJob.get_or_none(print_jobs.PrintJob.id == int(job_id))
    if job is None or job.kind != class_book.JOB_KIND or class_book.job_class_id(job) != school_class.id:
        return None
    return job


@bp.route("/class-book/<int:class_id>")
def class_book_page(class_id: int):
    """The class book's table of contents with "Tải PDF" (built by the worker process)."""
    school_class = book_class(class_id)
    book = class_book.build_book(school_class)
    ready = class_book.cached_book(book) is not None
    job = _class_job(school_class, request.args.get("job"))
    return render_template("print/class_book_page.html", book=book, ready=ready, job=job,
                           school_class=school_class)


@bp.route("/class-book/<int:class_id>/build", methods=["POST"])
def class_book_build(class_id: int):
    """Start building the class book's PDF in the worker process (or reuse the finished one)."""
    school_class = book_class(class_id)
    book = class_book.build_book(school_class)
    if class_book.cached_book(book) is not None:
        return redirect(url_for("print.class_book_pdf", class_id=class_id), 303)
    job, started = launch_job(class_book.JOB_KIND, {"class_id": school_class.id})
    if not started and class_book.job_class_id(job) != school_class.id:
        flash("Máy chủ đang in sổ của một lớp khác; vui lòng thử lại sau ít phút.", "info")
        return redirect(url_for("print.class_book_page", class_id=class_id), 303)
    return redirect(url_for("print.class_book_page", class_id=class_id, job=job.id), 303)


@bp.route("/class-book/<int:class_id>/job/<int:job_id>")
def class_book_job(class_id: int, job_id: int):
    """The build job's progress fragment; polled every second until the job is finished."""
    school_class = book_class(class_id)
    job = _class_job(school_class, job_id)
    if job is None:
        abort(404)
    if htmx:
        return render_template("print/_class_book_job.html", job=job, school_class=school_class), \
            286 if job.finished else 200
    return redirect(url_for("print.class_book_page", class_id=class_id, job=job_id))


@bp.route("/class-book/<int:class_id>.pdf")
def class_book_pdf(class_id: int):
    """The finished class book PDF, while its data has not changed since it was built."""
    school_class = book_class(class_id)
    book = class_book.build_book(school_class)
    data = class_book.cached_book(book)
    if data is None:
        flash("Bản PDF chưa được tạo hoặc dữ liệu đã thay đổi; bấm “Tạo PDF” để in lại.", "info")
        return redirect(url_for("print.class_book_page", class_id=class_id), 303)
    import io

    return pdf_download(io.BytesIO(data), book.download_name)
