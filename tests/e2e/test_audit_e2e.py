"""The demo school's audit log in the browser, and audit-verify on the seeded demo."""
import os
import re
import subprocess
import sys

import pytest

from tests.e2e.conftest import ROOT, login

pytestmark = pytest.mark.e2e


def test_the_seeded_demo_replays_clean(demo_server):
    # the seeds log their values by per-group digests: every seeded cell and absence is checked, none skipped
    env = dict(os.environ, DATABASE_URL=demo_server.db_url, SECRET_KEY="e2e-secret")
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "audit-verify"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Sổ khớp với nhật ký" in out.stdout and "Lưu ý" not in out.stdout


def test_the_log_reads_in_vietnamese_in_the_browser(page, demo_server):
    from models.audit.vocabulary import ACTIONS, ENTITIES, FIELDS

    codes = {c for c in [*ACTIONS, *ENTITIES, *FIELDS] if "_" in c}
    login(page, demo_server, "admin")
    page.goto(demo_server + "/admin/audit")
    text = page.inner_text("main")
    assert "Chuỗi băm toàn vẹn" in text
    assert not {t for t in re.findall(r"\b[a-z]+_[a-z_]+\b", text) if t in codes}
    page.locator("#audit-rows a").first.click()
    page.wait_for_load_state("networkidle")
    text = page.inner_text("main")
    assert "Mục nhật ký #" in text
    assert not {t for t in re.findall(r"\b[a-z]+_[a-z_]+\b", text) if t in codes}
