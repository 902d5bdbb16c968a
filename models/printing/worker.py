"""`python -m models.printing.worker <job id>`: build one print job outside the web process.

Started by models.printing.jobs.start_job with the app's DATABASE_URL in the environment; runs at a
lower priority so the web process keeps answering while it renders.
"""
import os
import sys


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1].isdigit():
        print("usage: python -m models.printing.worker <job id>", file=sys.stderr)
        return 2
    try:
        os.nice(10)
    except OSError:  # not permitted (or not on this platform): render at normal priority
        pass
    from app import create_app
    from models.core import db
    from models.printing.jobs import PrintJob, run_job

    app = create_app({"AUTO_MIGRATE": False})
    with app.app_context(), db.connection_context():
        job = PrintJob.get_or_none(PrintJob.id == int(argv[1]))
        if job is None:
            print(f"no print job {argv[1]}", file=sys.stderr)
            return 1
        try:
            if job.kind == "class_book":
                from models.printing.class_book import run_job as run_class_book

                run_class_book(job)
            elif _runner(job.kind) is not None:
                _runner(job.kind)(job)
            else:
                run_job(job)
        except Exception as failure:  # already written to the job row; the exit code tells the rest
            print(f"print job {job.id} failed: {failure}", file=sys.stderr)
            return 1
    return 0


# --- job kinds built by other modules (models.printing.jobs.run_job builds "attendance_month") ---------
EXTRA_KINDS = {"archive": "models.printing.archive:run_archive_job", "register": "models.printing.registers:run_job"}


def _runner(kind: str):
    """The function that builds a job of this kind, when another module owns it; None for run_job's kinds."""
    import importlib

    target = EXTRA_KINDS.get(kind)
    if target is None:
        return None
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
