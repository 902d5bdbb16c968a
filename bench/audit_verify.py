"""audit-verify speed (issue 11 item 9): the chain walk and the replay on the demo school, then on a log
grown by N mark entries (a school year of saves: every cell saved once or twice).

Run: .venv/bin/python bench/audit_verify.py [--db sqlite:///path/to/seeded.db] [--extra 200000]
Without --db it seeds a fresh demo school (a few minutes). The extra entries are written to a copy,
chained like real ones (each one's hash over the previous), with the value each cell holds, so the replay
compares them all and passes.
"""
import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import run_python, seed_demo  # noqa: E402

MEASURE = """
import time
from app import create_app
from models.core import db
from models.audit.log import AuditEntry, verify_chain
from models.audit_check.replay import replay
app = create_app()
with db.connection_context():
    entries = AuditEntry.select().count()
    # wall and CPU seconds: on a shared machine the CPU figure is the one to compare
    t, c = time.perf_counter(), time.process_time(); chain = verify_chain()
    t_chain, c_chain = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time(); books = replay()
    t_replay, c_replay = time.perf_counter() - t, time.process_time() - c
    print(f"{entries} entries, {books.marks} cells, {books.attendance} attendance marks: "
          f"chain {t_chain:.2f} s wall / {c_chain:.2f} s CPU ({chain.ok}), "
          f"replay {t_replay:.2f} s wall / {c_replay:.2f} s CPU ({books.ok})")
"""

GROW = """
from datetime import datetime
from models.core import db, write_transaction
from models.audit.log import _content_hash, AuditEntry, canonical
from models.audit_check.replay import _current_marks
from app import create_app
app = create_app()
extra = {extra}
with db.connection_context():
    cells = [(k, v) for k, v in _current_marks().items() if v is not None]
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    prev = last.hash
    rows = []
    for n in range(extra):
        key, value = cells[n % len(cells)]
        # the value as saved: the cell's own value, so the replay has the same answer to compare
        at = datetime(2025, 1, 1, 8, 0, 0, n % 1000000)
        before, after = canonical({{"value": value}}), canonical({{"value": value}})
        h = _content_hash(prev, at, 1, "bench", "", "mark", "mark", key, before, after, "")
        rows.append(dict(at=at, user_id=1, username="bench", address="", action="mark", entity="mark",
                         entity_id=key, before=before, after=after, reason="", prev_hash=prev, hash=h))
        prev = h
    with write_transaction():
        for i in range(0, len(rows), 2000):
            AuditEntry.insert_many(rows[i:i + 2000]).execute()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="")
    parser.add_argument("--extra", type=int, default=200000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = args.db or seed_demo(Path(tmp))
        print("demo school:", run_python(db_url, MEASURE).strip())
        if args.extra and db_url.startswith("sqlite:///"):
            copy = Path(tmp) / "grown.db"
            shutil.copy(db_url.removeprefix("sqlite:///"), copy)
            grown = f"sqlite:///{copy}"
            start = time.perf_counter()
            run_python(grown, GROW.format(extra=args.extra))
            print(f"grown by {args.extra} mark entries in {time.perf_counter() - start:.0f} s:",
                  run_python(grown, MEASURE).strip())


if __name__ == "__main__":
    main()
