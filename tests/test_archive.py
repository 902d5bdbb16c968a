"""The year-end archive: one ZIP with the class books, every học bạ and a manifest whose hashes match."""
import ast
import hashlib
import json
import os
import signal
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from models.audit.log import AuditEntry
from models.printing.archive import KIND, ArchiveStopped, build_archive, checksum_path
from models.printing.jobs import PrintJob


def test_archive_zip_files_and_manifest(app, school, tmp_path):
    out = tmp_path / "out" / "Luu-tru-2024-2025-test.zip"
    with app.app_context():
        result = build_archive(school["year"], out, now=datetime(2025, 6, 30, 8))
    assert result.path == out and out.exists() and not out.with_name(out.name + ".part").exists()
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        for item in manifest["files"]:
            assert hashlib.sha256(archive.read(item["path"])).hexdigest() == item["sha256"]
    hoc_ba_files = [n for n in names if "/Hoc-ba/" in n]
    assert len(hoc_ba_files) == 8  # 7 students in 6A1, 1 in 6A2, none in 7A1
    assert sum(1 for n in names if n.startswith("6A1/Hoc-ba/")) == 7
    assert any(n.startswith("6A1/So-theo-doi") for n in names)
    assert any(n.startswith("6A1/So-chu-nhiem-6A1") for n in names)  # the homeroom book (issue 17)
    assert any("Nguyen-Thi-An" in n for n in hoc_ba_files)
    assert {item["path"] for item in manifest["files"]} == set(names) - {"manifest.json"}
    assert manifest["audit_chain_head"] == AuditEntry.head() == result.audit_head
    assert manifest["school_year"] == "2024-2025" and manifest["students"] == 8


def test_second_start_returns_the_running_job(app, school, login_as, client):
    app.config["ARCHIVE_NO_SPAWN"] = True  # the job stays queued: no worker is started
    auth = login_as("admin")
    assert auth.post("/print/archive").status_code == 303
    resp = auth.post("/print/archive", follow_redirects=True)
    assert "Đang có một lượt lưu trữ chạy" in resp.get_data(as_text=True)
    jobs = list(PrintJob.select().where(PrintJob.kind == KIND))
    assert len(jobs) == 1 and jobs[0].status == "queued"
    page = client.get("/print/archive").get_data(as_text=True)
    assert "archive-progress" in page and "Lưu trữ năm học" not in page


def test_archive_page_is_for_admin_only(school, login_as, client):
    auth = login_as("hieutruong")
    assert client.get("/print/archive").status_code == 403
    assert auth.post("/print/archive").status_code == 403
    assert PrintJob.select().count() == 0


def test_checksum_file_beside_the_zip_matches_it(app, school, tmp_path):
    out = tmp_path / "out" / "Luu-tru-2024-2025-sums.zip"
    with app.app_context():
        build_archive(school["year"], out, now=datetime(2025, 6, 30, 8), workers=2)
    sums = checksum_path(out)
    assert sums.name == "Luu-tru-2024-2025-sums.zip.sha256"
    digest, name = sums.read_text(encoding="ascii").split()
    assert name == out.name and digest == hashlib.sha256(out.read_bytes()).hexdigest()
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name, sums.name]


def test_a_stopped_build_leaves_no_file_behind(app, school, tmp_path):
    out = tmp_path / "out" / "Luu-tru-2024-2025-stopped.zip"

    def stop_after_first_class(done, total):
        if done:  # the first class is in the partial ZIP: now the office stops the job
            os.kill(os.getpid(), signal.SIGTERM)

    before = signal.getsignal(signal.SIGTERM)
    with app.app_context(), pytest.raises(ArchiveStopped):
        build_archive(school["year"], out, now=datetime(2025, 6, 30, 8), workers=1,
                      progress=stop_after_first_class)
    assert list(out.parent.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) == before  # the handler is put back


def test_models_never_import_the_app_or_blueprints():
    root = Path(__file__).resolve().parents[1] / "models"
    found = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("app", "blueprints")]
    assert found == []
