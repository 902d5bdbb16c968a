"""A district hosts several schools: one database and one server process per school, nothing shared."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db_path: Path, log: Path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db_path}", SECRET_KEY="district-" + db_path.stem,
               HOST="127.0.0.1", PORT=str(_port()))
    env.pop("SOTRUONG_TEST_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log.open("w"),
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{env['PORT']}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(base + "/login", timeout=1) as resp:
                return proc, base, resp.read().decode()
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(log.read_text())


def _flask(db_path: Path, *args: str, code: str | None = None) -> None:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db_path}", SECRET_KEY="x")
    env.pop("SOTRUONG_TEST_DATABASE_URL", None)
    if code:
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True)
    else:
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env, check=True,
                       capture_output=True)


def test_two_schools_two_databases_nothing_shared(tmp_path):
    demo_db, other_db = tmp_path / "binhminh.db", tmp_path / "lequydon.db"
    _flask(demo_db, "seed-demo")
    _flask(other_db, code=(
        "from app import create_app\nfrom models.core import db, write_transaction\n"
        "from models.school.structure import School\napp = create_app()\n"
        "with db.connection_context(), write_transaction():\n"
        "    School.create(name='Trường THCS Lê Quý Đôn', levels='thcs')\n"))
    first, first_url, first_page = _serve(demo_db, tmp_path / "a.log")
    second, second_url, second_page = _serve(other_db, tmp_path / "b.log")
    try:
        assert "Trường THCS Bình Minh" in first_page and "Lê Quý Đôn" not in first_page
        assert "Trường THCS Lê Quý Đôn" in second_page and "Bình Minh" not in second_page
        # the demo accounts exist only in the demo school's database
        assert "sotruong-demo" in first_page and "sotruong-demo" not in second_page
    finally:
        first.terminate()
        second.terminate()
        first.wait(10)
        second.wait(10)
