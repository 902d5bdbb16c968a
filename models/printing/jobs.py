"""Print jobs: anything larger than one sheet is built by a worker process (print_worker.py at the top).

xhtml2pdf holds the GIL and a process-wide render lock; inside the web process a 40-class export cut
grade saves from 620/s to 37/s (docs/measurements.md §2). The web process only writes the job row
and starts `python print_worker.py <id>`; the worker reports progress through the same row.

JOB_KINDS is the one registry of job kinds: the label the office sees and the function that builds a
job of that kind in the worker (models.printing.worker.run_by_id looks it up here, nowhere else).
"""
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.audit.log import record
from models.core import BaseModel, write_transaction
from models.people.accounts import User

ROOT = Path(__file__).resolve().parents[2]
WORKER = ROOT / "print_worker.py"  # the entry module: models never import the app, it does


@dataclass(frozen=True)
class JobKind:
    label: str
    runner: str  # "module:function", fn(job) builds the job's file and reports on its row


JOB_KINDS = {
    "attendance_month": JobKind("In toàn trường điểm danh tháng", "models.printing.jobs:run_job"),
    "class_book": JobKind("In sổ theo dõi và đánh giá học sinh", "models.printing.class_book:run_job"),
    "archive": JobKind("Lưu trữ cuối năm", "models.printing.archive:run_archive_job"),
    "register": JobKind("In sổ đăng bộ, sổ theo dõi biến động học sinh", "models.printing.registers:run_job"),
}
KINDS = {kind: entry.label for kind, entry in JOB_KINDS.items()}


def job_runner(kind: str) -> Callable:
    """The function that builds a job of this kind; ValueError for a kind not in JOB_KINDS."""
    entry = JOB_KINDS.get(kind)
    if entry is None:
        raise ValueError(f"unknown print job kind {kind}")
    module, name = entry.runner.split(":")
    return getattr(importlib.import_module(module), name)
STATUS_LABELS = {"queued": "Đang chờ", "running": "Đang in", "done": "Đã xong", "failed": "Lỗi"}
ACTIVE = ("queued", "running")


class PrintJob(BaseModel):
    kind = CharField(max_length=40, index=True)
    params = TextField(default="{}")
    status = CharField(max_length=10, default="queued", index=True)
    progress = IntegerField(default=0)
    total = IntegerField(default=0)
    output_path = TextField(default="")
    error = TextField(default="")
    pid = IntegerField(null=True)
    created_by = ForeignKeyField(User, null=True, backref="+")
    created_at = DateTimeField(default=datetime.now)
    finished_at = DateTimeField(null=True)

    class Meta:
        table_name = "print_job"

    @property
    def parameters(self) -> dict:
        return json.loads(self.params or "{}")

    @property
    def title(self) -> str:
        month = self.parameters.get("year_month", "")
        if self.kind == "attendance_month" and month:
            return f"{KINDS[self.kind]} {month[5:]}/{month[:4]}"
        return KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def percent(self) -> int:
        return int(100 * self.progress / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def download_name(self) -> str:
        month = self.parameters.get("year_month", "")
        return f"Điểm-danh-toàn-trường-{month}.pdf"


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a finished child we started stays a zombie until reaped; reap it so it reads as gone
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return done == 0


def running_job(kind: str) -> PrintJob | None:
    """The job of this kind still queued or running; a job whose worker died is marked failed."""
    for job in PrintJob.select().where((PrintJob.kind == kind) & PrintJob.status.in_(ACTIVE)).order_by(PrintJob.id):
        if job.pid is None or _alive(job.pid):
            return job
        with write_transaction():
            (PrintJob.update(status="failed", error="Tiến trình in đã dừng bất thường.", finished_at=datetime.now())
             .where(PrintJob.id == job.id).execute())
    return None


def start_job(kind: str, params: dict, user: User | None, database_url: str, output_dir: Path,
              now: datetime | None = None, spawn: bool = True, extra_env: dict | None = None) -> tuple[PrintJob, bool]:
    """Queue a job and start its worker; while one of the same kind runs, return that one (False)."""
    if kind not in KINDS:
        raise ValueError("Loại bản in không hợp lệ.")
    existing = running_job(kind)
    if existing:
        return existing, False
    output_dir.mkdir(parents=True, exist_ok=True)
    with write_transaction():
        job = PrintJob.create(kind=kind, params=json.dumps(params, sort_keys=True), created_by=user,
                              created_at=now or datetime.now())
        job.output_path = str(output_dir / f"job-{job.id}.pdf")
        job.save()
        record("print_job_start", "print_job", job.id, after={"kind": kind, **params})
    if spawn:
        env = dict(os.environ, **(extra_env or {}), DATABASE_URL=database_url, PYTHONPATH=str(ROOT))
        proc = subprocess.Popen([sys.executable, str(WORKER), str(job.id)], env=env, cwd=str(ROOT),
                                stdin=subprocess.DEVNULL, start_new_session=True)
        with write_transaction():
            PrintJob.update(pid=proc.pid).where(PrintJob.id == job.id).execute()
        job.pid = proc.pid
    return job, True


def set_progress(job_id: int, **fields) -> None:
    with write_transaction():
        PrintJob.update(**fields).where(PrintJob.id == job_id).execute()


def run_into_file(job: PrintJob, build) -> None:
    """What every job kind shares: build(start, progress) returns the PDF bytes, written atomically to the
    job's output file; the row shows running, progress, done or failed. start(total) is called once the
    number of steps is known, progress(done, total) after each step."""
    def start(total: int) -> None:
        set_progress(job.id, status="running", total=total, progress=0, pid=os.getpid())

    try:
        data = build(start, lambda done, total=None: set_progress(job.id, progress=done))
        path = Path(job.output_path)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)  # atomic: a download never sees half a file
        set_progress(job.id, status="done", finished_at=datetime.now())
    except Exception as failure:  # the job row is the only place the office sees what went wrong
        set_progress(job.id, status="failed", error=f"{type(failure).__name__}: {failure}"[:2000],
                     finished_at=datetime.now())
        raise


def run_job(job: PrintJob) -> None:
    """The worker's body: build the whole school's month, reporting progress after each class."""
    from models.printing.attendance_sheet import school_classes, school_month_pdf
    from models.school.structure import SchoolYear

    def build(start, progress) -> bytes:
        if job.kind != "attendance_month":
            raise ValueError(f"unknown job kind {job.kind}")
        classes = school_classes(SchoolYear.get_by_id(job.parameters["year_id"]))
        start(len(classes))
        return school_month_pdf(classes, job.parameters["year_month"], progress=progress, by=job.created_by_id)

    run_into_file(job, build)
