"""The print worker's body: build one print job outside the web process.

Started as `python print_worker.py <job id>` (the entry module at the top of the repository makes the
app; models never import it). Runs niced so the web process keeps answering while it renders.
"""
import sys
from datetime import datetime

from models.core import db


def run_by_id(job_id: int) -> int:
    """Build the job through its kind's runner (models.printing.jobs.JOB_KINDS); the exit code to return.
    Needs an app context (the entry module pushes one)."""
    from models.printing.jobs import PrintJob, job_runner, set_progress
    from models.printing.render_pool import lower_priority

    lower_priority()
    with db.connection_context():
        job = PrintJob.get_or_none(PrintJob.id == job_id)
        if job is None:
            print(f"no print job {job_id}", file=sys.stderr)
            return 1
        try:
            runner = job_runner(job.kind)
        except ValueError as unknown:
            set_progress(job.id, status="failed", error=str(unknown), finished_at=datetime.now())
            print(unknown, file=sys.stderr)
            return 1
        try:
            runner(job)
        except BaseException as failure:  # already written to the job row; the exit code tells the rest
            print(f"print job {job.id} failed: {failure!r}", file=sys.stderr)
            return 1
    return 0
