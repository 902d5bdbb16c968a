"""The year-end archive (MK (docs/rules.md); PTH (docs/rules.md) Điều 11.2.a): every class's book, its sổ chủ nhiệm and every student's học bạ
as PDF, with manifest.json (each file's SHA-256 and the audit chain head at that moment), in one ZIP.

Built by the print worker process (job kind "archive", one at a time) or by `flask --app app archive`.
Memory stays bounded: a class is rendered, written into the ZIP and dropped before the next one; with
one worker process per core at most that many classes' PDFs are held at once. The ZIP's SHA-256 is
written beside it (<name>.zip.sha256); a stopped or failed build leaves no file behind.
"""
import contextlib
import hashlib
import importlib
import json
import os
import signal
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from models.audit.log import AuditEntry
from models.primary.assessments import is_primary_class
from models.printing.renderer import ascii_name, merge_pdfs
from models.school.structure import SchoolClass, SchoolYear, TeachingAssignment, class_roster

KIND = "archive"  # its label and runner are in models.printing.jobs.JOB_KINDS
MANIFEST = "manifest.json"


def archive_name(year: SchoolYear, now: datetime) -> str:
    return f"Luu-tru-{year.name}-{now:%Y%m%d-%H%M%S}.zip"


def archive_dir(instance_path: str) -> Path:
    path = Path(instance_path) / "archive"
    path.mkdir(parents=True, exist_ok=True)
    return path


def class_book_builder() -> Callable | None:
    """The class book renderer of models/printing/class_book.py when it exists: fn(school_class, now) -> PDF bytes."""
    try:
        module = importlib.import_module("models.printing.class_book")
    except ModuleNotFoundError:
        return None
    build, render = getattr(module, "build_book", None), getattr(module, "book_pdf", None)
    if not (callable(build) and callable(render)):
        return None
    return lambda school_class, now=None: render(build(school_class), now=now)


def _months(year: SchoolYear) -> list[str]:
    from models.school.structure import Semester

    terms = list(Semester.select().where(Semester.year == year).order_by(Semester.starts_on))
    if not terms:
        return []
    first, last = terms[0].starts_on, terms[-1].ends_on
    months, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def fallback_class_book(school_class: SchoolClass, now: datetime | None = None) -> bytes:
    """Without models.printing.class_book: the class's monthly attendance sheets and each subject's marks pages
    (the teacher's book of every assignment), in one PDF."""
    from models.printing import teacher_book
    from models.printing.attendance_sheet import sheet_for, sheet_pdf

    parts = [sheet_pdf(sheet_for(school_class, month)) for month in _months(school_class.year)]
    assignments = (TeachingAssignment.select().where(TeachingAssignment.school_class == school_class)
                   .order_by(TeachingAssignment.subject, TeachingAssignment.id))
    for assignment in assignments:
        parts.append(teacher_book.pdf(teacher_book.build(assignment, now=now), now=now, use_cache=False))
    return merge_pdfs(parts)


def class_files(class_id: int, now: datetime | None = None) -> list[tuple[str, bytes]]:
    """Every file of one class: (path in the ZIP, PDF bytes); the class book first, then each học bạ."""
    from models.printing import hoc_ba

    school_class = SchoolClass.get_by_id(class_id)
    folder = ascii_name(school_class.name)
    year = school_class.year.name
    if is_primary_class(school_class):
        return _primary_class_files(school_class, folder, year)
    builder = class_book_builder()
    book = builder(school_class, now) if builder else fallback_class_book(school_class, now)
    name = "So-theo-doi" if builder else "So-theo-doi-diem-danh-va-diem-mon"
    files = [(f"{folder}/{name}-{folder}-{year}.pdf", book), _homeroom_book_file(school_class, folder, year)]
    from models.printing import class_log_book

    log = class_log_book.year_pdf(school_class, now=now)
    if log is not None:  # the sổ ghi đầu bài, when the class's lessons were logged in SổTrường
        files.append((f"{folder}/So-ghi-dau-bai-{folder}-{year}.pdf", log))
    pages = hoc_ba.class_pages(school_class)
    numbers = {entry.student.id: entry.number for entry in class_roster(school_class)}
    for page, data in zip(pages, hoc_ba.student_pdfs(pages, now), strict=True):
        stem = ascii_name(f"{numbers.get(page.student.id, 0):02d}-{page.student.full_name}-{page.student.code}")
        files.append((f"{folder}/Hoc-ba/Hoc-ba-{stem}-{year}.pdf", data))
    return files


def _homeroom_book_file(school_class: SchoolClass, folder: str, year: str) -> tuple[str, bytes]:
    """The class's sổ chủ nhiệm (issue 17), kept with its books."""
    from models.printing import homeroom_book

    return f"{folder}/So-chu-nhiem-{folder}-{year}.pdf", homeroom_book.pdf(homeroom_book.build(school_class))


def _primary_class_files(school_class: SchoolClass, folder: str, year: str) -> list[tuple[str, bytes]]:
    """A primary class (TT27): the Sổ THKQGD at each of the four moments, then each pupil's primary học bạ."""
    from models.printing import primary_hoc_ba, primary_summary
    from models.rules.tt27 import MOMENTS

    files = [(f"{folder}/So-THKQGD-{folder}-{moment}-{year}.pdf",
              primary_summary.pdf(primary_summary.summary_sheet(school_class, moment))) for moment in MOMENTS]
    files.append(_homeroom_book_file(school_class, folder, year))
    numbers = {entry.student.id: entry.number for entry in class_roster(school_class)}
    for page in primary_hoc_ba.class_pages(school_class):
        stem = ascii_name(f"{numbers.get(page.student.id, 0):02d}-{page.student.full_name}-{page.student.code}")
        files.append((f"{folder}/Hoc-ba/Hoc-ba-{stem}-{year}.pdf", primary_hoc_ba.pdf([page])))
    return files


@dataclass
class ArchiveResult:
    path: Path
    files: int
    students: int
    classes: int
    audit_head: str
    class_book: str  # "class_book" or "fallback"


def _classes(year: SchoolYear) -> list[SchoolClass]:
    from models.printing.attendance_sheet import school_classes

    return school_classes(year)


class ArchiveStopped(Exception):
    """The build was stopped (SIGTERM/SIGINT): the partial file is removed, nothing is left behind."""


_PARENT: dict = {}  # what the forked class workers inherit: the app


def _worker_init() -> None:
    """A forked class worker: niced, its own database connection (never the parent's), the parent's app."""
    from models.core import db
    from models.printing.render_pool import forget_inherited_connections, lower_priority, render_alone

    render_alone()  # the archive already renders one class per process
    lower_priority()
    forget_inherited_connections()
    _PARENT["context"] = _PARENT["app"].app_context()
    _PARENT["context"].push()
    db.connect(reuse_if_open=True)


def _worker_class(args: tuple[int, datetime]) -> list[tuple[str, bytes]]:
    class_id, now = args
    return class_files(class_id, now)


@contextlib.contextmanager
def _stop_on_signals():
    """Turn SIGTERM/SIGINT into ArchiveStopped while the ZIP is written (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise ArchiveStopped(f"Đã dừng khi đang ghi (tín hiệu {signal.Signals(signum).name}).")

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def checksum_path(zip_path: Path) -> Path:
    return zip_path.with_name(zip_path.name + ".sha256")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_archive(year: SchoolYear, out_path: Path, now: datetime | None = None, workers: int = 0,
                  class_ids: list[int] | None = None,
                  progress: Callable[[int, int], None] | None = None) -> ArchiveResult:
    """Write the year's archive ZIP to out_path, and its SHA-256 beside it (out_path + ".sha256", the
    format of `sha256sum -c`).

    Written under a temporary name renamed at the end; a failure or a stop (SIGTERM/SIGINT) removes it.
    Classes are rendered by one forked process per core (workers=0) or by `workers` processes, each
    class in one process; the ZIP and the manifest are written here, in class order.
    """
    from flask import current_app

    from models.printing.render_pool import forked_map, processes_for

    now = now or datetime.now()
    classes = [c for c in _classes(year) if class_ids is None or c.id in class_ids]
    sizes = {c.id: len(class_roster(c)) for c in classes}
    total = sum(sizes.values()) + len(classes)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".part")
    sums = checksum_path(out_path)
    manifest: list[dict] = []
    done = 0
    if progress:
        progress(0, total)
    jobs = [(c.id, now) for c in classes]
    count = processes_for(len(classes), workers or None)
    with _stop_on_signals(), contextlib.ExitStack() as stack:
        try:
            if count > 1:
                _PARENT["app"] = current_app._get_current_object()
                stack.callback(_PARENT.clear)
                results = stack.enter_context(forked_map(_worker_class, jobs, count, initializer=_worker_init))
            else:
                results = (_worker_class(job) for job in jobs)
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
                for school_class, files in zip(classes, results, strict=True):
                    for name, data in files:
                        archive.writestr(name, data)
                        manifest.append({"path": name, "sha256": hashlib.sha256(data).hexdigest(),
                                         "bytes": len(data)})
                    del files
                    done += sizes[school_class.id] + 1
                    if progress:
                        progress(done, total)
                if class_ids is None:  # the whole year: its lesson plans as stored, year plans, minutes books
                    from models.printing.teaching_archive import teaching_files

                    for name, data, extra in teaching_files(year, current_app.config["UPLOAD_DIR"]):
                        if data is not None:
                            archive.writestr(name, data)
                        manifest.append({"path": name, "sha256": hashlib.sha256(data).hexdigest() if data else "",
                                         "bytes": len(data) if data else 0, **extra})
                head = AuditEntry.head()
                builder = class_book_builder()
                archive.writestr(MANIFEST, json.dumps({
                    "school_year": year.name, "generated_at": now.isoformat(timespec="seconds"),
                    "audit_chain_head": head, "classes": len(classes), "students": sum(sizes.values()),
                    "class_book": "class_book" if builder else "fallback: attendance sheets and subject pages",
                    "files": manifest}, ensure_ascii=False, indent=2))
            sums_tmp = sums.with_name(sums.name + ".part")
            sums_tmp.write_text(f"{_file_sha256(tmp)}  {out_path.name}\n", encoding="ascii")
            os.replace(tmp, out_path)
            os.replace(sums_tmp, sums)
        except BaseException:
            for leftover in (tmp, sums.with_name(sums.name + ".part")):
                leftover.unlink(missing_ok=True)
            raise
    return ArchiveResult(out_path, len(manifest), sum(sizes.values()), len(classes), head,
                         "class_book" if builder else "fallback")


def read_manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(MANIFEST))


def finished_archives(folder: Path) -> list[Path]:
    """The finished ZIPs in the archive folder, newest first."""
    if not folder.exists():
        return []
    return sorted(folder.glob("Luu-tru-*.zip"), key=lambda p: p.stat().st_mtime, reverse=True)


def run_archive_job(job) -> None:
    """The worker's body for a job of kind "archive": build the ZIP, reporting progress per class."""
    from models.printing.jobs import set_progress

    params = job.parameters
    try:
        year = SchoolYear.get_by_id(params["year_id"])
        out = Path(params["output_dir"]) / archive_name(year, datetime.now())
        set_progress(job.id, status="running", progress=0, pid=os.getpid(), output_path=str(out))
        build_archive(year, out, workers=int(params.get("workers", 0)),
                      progress=lambda done, total: set_progress(job.id, progress=done, total=total))
        set_progress(job.id, status="done", finished_at=datetime.now())
    except Exception as failure:  # the job row is the only place the office sees what went wrong
        set_progress(job.id, status="failed", error=f"{type(failure).__name__}: {failure}"[:2000],
                     finished_at=datetime.now())
        raise
