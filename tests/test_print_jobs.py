"""The one print-job registry: every kind's label and runner in models.printing.jobs.JOB_KINDS, the worker
started through print_worker.py, and a job of an unknown kind failing on its row."""
import json
import subprocess
import sys
from datetime import datetime

import pytest

from models.core import write_transaction
from models.printing.jobs import JOB_KINDS, KINDS, WORKER, PrintJob, job_runner, start_job


def test_every_registered_kind_has_a_label_and_a_runner():
    assert set(JOB_KINDS) == {"attendance_month", "class_book", "archive", "register"} == set(KINDS)
    for kind, entry in JOB_KINDS.items():
        assert entry.label and callable(job_runner(kind)), kind
    with pytest.raises(ValueError):
        job_runner("teacher_book")


def test_start_refuses_a_kind_outside_the_registry(app, school, tmp_path):
    with pytest.raises(ValueError, match="Loại bản in không hợp lệ"):
        start_job("teacher_book", {}, None, app.config["DATABASE_URL"], tmp_path, spawn=False)
    assert PrintJob.select().count() == 0


def test_the_worker_entry_marks_an_unknown_kind_failed(app, school, tmp_path):
    with write_transaction():
        job = PrintJob.create(kind="retired_kind", params=json.dumps({}), created_at=datetime(2025, 1, 1))
    env = {"DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "test", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, str(WORKER), str(job.id)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 1, done.stderr
    row = PrintJob.get_by_id(job.id)
    assert row.status == "failed" and "retired_kind" in row.error
