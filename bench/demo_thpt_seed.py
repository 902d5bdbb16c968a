"""How long `seed-demo --level thpt` takes (issue 15 item 5: it took about two minutes, brought under 40 s):
each part of the seed timed with its number of SQL statements, on a fresh SQLite file or an emptied
PostgreSQL database.

Run: .venv/bin/python bench/demo_thpt_seed.py [--db postgresql://user:password@host/database]
Without --db it uses a temporary SQLite file. A PostgreSQL database given here is EMPTIED first.
Figures of 2026-12 on the shared 2-core machine (wall seconds, statements):
  before: SQLite 25 s; PostgreSQL 58 s (school 18 803 statements, marks 14 s in peewee's insert text)
  after:  SQLite 13 s; PostgreSQL 21 s (school 1 477, marks 18; finance 21 279 statements is what is left)
"""
import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import run_python  # noqa: E402

MEASURE = """
import time
from datetime import date
import peewee
from app import create_app
from models.core import db
count = [0]
original = peewee.Database.execute_sql
def counted(self, *args, **kwargs):
    count[0] += 1
    return original(self, *args, **kwargs)
peewee.Database.execute_sql = counted
app = create_app()
from models.demo.attendance import seed_demo_attendance
from models.demo.finance import seed_demo_finance
from models.demo.health import seed_demo_health
from models.demo.marks import seed_demo_marks
from models.demo.thpt import seed_thpt_school
today = date(2024, 12, 2)
with app.app_context(), db.connection_context():
    start = time.perf_counter()
    for name, seed in [("school", seed_thpt_school), ("marks", seed_demo_marks), ("attendance", seed_demo_attendance),
                       ("health", seed_demo_health), ("finance", seed_demo_finance)]:
        t, count[0] = time.perf_counter(), 0
        seed(today=today)
        print(f"{name:<10} {time.perf_counter() - t:6.1f} s {count[0]:7d} statements")
    print(f"{'total':<10} {time.perf_counter() - start:6.1f} s")
"""

EMPTY = """
import psycopg, sys
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute("DROP SCHEMA public CASCADE")
    c.execute("CREATE SCHEMA public")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="", help="a PostgreSQL URL (emptied first); default a temporary SQLite file")
    args = parser.parse_args()
    if args.db:
        import subprocess

        subprocess.run([sys.executable, "-c", EMPTY, args.db], check=True)
        print(run_python(args.db, MEASURE), end="")
        return
    with tempfile.TemporaryDirectory() as folder:
        print(run_python(f"sqlite:///{folder}/thpt.db", MEASURE), end="")


if __name__ == "__main__":
    main()
