"""The year-end archive on the demo school (issues 5 and 12): the whole archive in ≤ 6 minutes, ≤ 250 MB,
with its .sha256 beside it and the worker's peak memory < 1 GiB, while the web app keeps answering
grade-cell saves (bench/grade_saves.py runs at the same time on the same two cores and prints its own
figures; target p95 ≤ 50 ms).

    PYTHONPATH=. python bench/archive_pdf.py [--classes N] [--workers 0] [--no-saves]

--classes N archives only the first N classes and extrapolates the whole school's time from them.
It also times one học bạ rendered alone against a class's học bạ rendered as one batch.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, run_python, seed_demo  # noqa: E402

TARGET_SECONDS = 360
TARGET_ZIP_BYTES = 250 << 20
TARGET_BYTES = 1 << 30

SIZES = """
from app import create_app
from models.core import db
from models.printing.attendance_sheet import school_classes
from models.school.structure import SchoolYear, class_roster
app = create_app()
with db.connection_context():
    year = SchoolYear.current()
    print([[c.name, len(class_roster(c))] for c in school_classes(year)], year.name)
"""

BATCH = """
import time
from app import create_app
from models.core import db
from models.printing import hoc_ba
from models.printing.attendance_sheet import school_classes
from models.school.structure import SchoolYear
app = create_app()
with app.app_context(), db.connection_context():
    school_class = school_classes(SchoolYear.current())[0]
    pages = hoc_ba.class_pages(school_class)
    hoc_ba.pdf(pages[:1])  # warm up fonts and templates
    started = time.perf_counter()
    for page in pages[:10]:
        hoc_ba.pdf([page])
    alone = (time.perf_counter() - started) / 10
    started = time.perf_counter()
    hoc_ba.student_pdfs(pages, batch=len(pages))
    batch = (time.perf_counter() - started) / len(pages)
    started = time.perf_counter()
    hoc_ba.student_pdfs(pages, batch=8)
    eight = (time.perf_counter() - started) / len(pages)
    print(f"{alone:.3f} {batch:.3f} {len(pages)} {eight:.3f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--classes", type=int, default=0, help="only the first N classes (then extrapolate)")
    parser.add_argument("--workers", type=int, default=0, help="render processes (0: one per core)")
    parser.add_argument("--no-saves", action="store_true", help="do not run grade_saves.py alongside")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_url = seed_demo(Path(folder))
        out = run_python(db_url, SIZES).strip()
        classes_text, year_name = out.rsplit(" ", 1)
        sizes = [tuple(c) for c in json.loads(classes_text.replace("'", '"'))]
        students = sum(n for _, n in sizes)
        print(f"demo school: {len(sizes)} classes, {students} students, year {year_name}")

        alone, batch, n, eight = run_python(db_url, BATCH).split()
        print(f"học bạ: one render per student {float(alone):.3f} s; batches of 8 split per student "
              f"{float(eight):.3f} s per student; one batch of a class ({n} students, split) {float(batch):.3f} s "
              "per student")

        chosen = sizes[:args.classes] if args.classes else sizes
        command = [sys.executable, "-m", "flask", "--app", "app", "archive", "--year", year_name,
                   "--out", f"{folder}/out", "--workers", str(args.workers)]
        for name, _ in chosen if args.classes else []:
            command += ["--class", name]
        env = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY="bench", PYTHONPATH=str(ROOT),
                   SOTRUONG_PRINT_CACHE_DIR=f"{folder}/cache")
        saves = None
        if not args.no_saves:
            saves = subprocess.Popen([sys.executable, str(ROOT / "bench" / "grade_saves.py"), "--seconds", "20",
                                      "--teachers", "50"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
            time.sleep(12)  # grade_saves seeds its own demo school first: start the archive as its load begins
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        # the archive runs niced, as the print worker does, so the web process keeps the CPU it needs
        done = subprocess.run(["nice", "-n", "10", *command], cwd=ROOT, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if done.returncode:
            print(done.stdout, done.stderr)
            raise SystemExit("archive failed")
        # ru_maxrss of the largest descendant waited for (KiB on Linux): the archive parent or one of its
        # render processes; grade_saves is still running, so it is not counted yet
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak = children.ru_maxrss * 1024
        # the archive and its render processes (the children waited for since `before`)
        cpu = children.ru_utime + children.ru_stime - before.ru_utime - before.ru_stime
        zips = list(Path(folder, "out").glob("*.zip"))
        size = zips[0].stat().st_size
        sums = zips[0].with_name(zips[0].name + ".sha256")
        leftovers = [p.name for p in Path(folder, "out").iterdir() if p not in (zips[0], sums)]
        with zipfile.ZipFile(zips[0]) as archive:
            files = len(archive.namelist()) - 1
        share = sum(n for _, n in chosen) / students
        whole = seconds / share
        print(f"archive of {len(chosen)} classes ({sum(n for _, n in chosen)} học bạ, {files} PDF files, "
              f"{size / 1048576:.0f} MB ZIP) with {args.workers} render processes: {seconds:.1f} s"
              + (f"; whole school extrapolated by students: {whole:.0f} s" if args.classes else "")
              + f" (target ≤ {TARGET_SECONDS} s, ≤ {TARGET_ZIP_BYTES >> 20} MB)")
        print(f"CPU time of the archive's processes: {cpu:.0f} s; "
              f".sha256 beside the ZIP: {'yes' if sums.exists() else 'NO'}; other files left: {leftovers or 'none'}")
        print(f"peak RSS of one archive process: {peak / 1048576:.0f} MiB (target < {TARGET_BYTES >> 20} MiB)")
        if saves is not None:
            output, _ = saves.communicate()
            print("grade saves during the archive build (bench/grade_saves.py --seconds 20 --teachers 50):")
            print("\n".join("  " + line for line in output.strip().splitlines()))


if __name__ == "__main__":
    main()
