"""Grade-book speed (issue 3): deadline night, capacity against a bare endpoint, and grid render time.

Run: .venv/bin/python bench/grade_saves.py [--seconds 60] [--teachers 200] [--capacity-seconds 30 --rounds 6]
Targets on a 2-core machine: deadline night median ≤ 20 ms, p95 ≤ 50 ms, no error, every acknowledged
value stored; capacity ≥ 70 % of the bare endpoint (bench/bare_app.py, both servers up, bursts taken in
turn, medians reported); a 45-student grid renders in ≤ 50 ms median.
"""
import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Session, cpu_seconds, percentile, run_python, seed_demo, serve  # noqa: E402

PLAN = """
import json
from app import create_app
from models.core import db
from models.people.accounts import User, UserRole
from models.gradebook.marks import MarkCell, required_tx
from models.school.structure import Enrolment, Semester, TeachingAssignment, SchoolClass, SchoolYear
from models.people.records import Student
app = create_app()
plan = []
seen = set()  # a class × subject taught by two teachers is simulated once: saves never conflict
with db.connection_context():
    year = SchoolYear.current()  # the demo also holds the previous year, complete: only this year's book is typed
    semester = Semester.get((Semester.number == 1) & (Semester.year == year))
    for user in User.select().join(UserRole).where(UserRole.role == "teacher").order_by(User.id):
        for a in (TeachingAssignment.select().join(SchoolClass)
                  .where((TeachingAssignment.teacher == user.staff_id) & (SchoolClass.year == year))
                  .order_by(TeachingAssignment.id)):
            if a.subject.comment_only or (a.school_class_id, a.subject_id) in seen:
                continue
            seen.add((a.school_class_id, a.subject_id))
            students = [s.id for s in Student.select().join(Enrolment).where(
                (Enrolment.school_class == a.school_class_id) & Enrolment.left_on.is_null()
                & (Student.status == "dang_hoc"))]
            versions = {f"{c.student_id}:{c.kind}:{c.idx}": c.version for c in MarkCell.select().where(
                (MarkCell.school_class == a.school_class_id) & (MarkCell.subject == a.subject_id)
                & (MarkCell.semester == semester))}
            plan.append({"username": user.username, "assignment": a.id, "students": students,
                         "tx": required_tx(a.school_class, a.subject), "versions": versions})
print(json.dumps(plan))
"""



def cells_of(job):
    columns = [("tx", i) for i in range(1, job["tx"] + 1)] + [("gk", 1), ("ck", 1)]
    for student in job["students"]:
        for kind, idx in columns:
            yield student, kind, idx


class Teacher:
    """One simulated teacher: their own session and their own cells, so saves never conflict."""

    def __init__(self, port: int, job: dict, rand: random.Random):
        self.session = Session(port)
        self.session.login(job["username"])
        self.job = job
        self.cells = list(cells_of(job))
        rand.shuffle(self.cells)
        self.rand = rand
        self.acked: dict[tuple, str] = {}
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def save_next(self) -> None:
        student, kind, idx = self.cells.pop()
        key = f"{student}:{kind}:{idx}"
        version = self.job["versions"].get(key, 0)
        value = f"{self.rand.randint(0, 10)}" if self.rand.random() < 0.3 else f"{self.rand.randint(0, 9)},{self.rand.randint(0, 9)}"
        status, body = self.session.htmx_post(f"/teacher/gradebook/{self.job['assignment']}/1/cell",
                                              {"student_id": student, "kind": kind, "idx": idx,
                                               "version": version, "row": 1, "value": value})
        if status == 200:  # saved, or the same value was already there
            self.acked[(self.job["assignment"], student, kind, idx)] = value.replace(",", ".")
        else:
            self.errors.append(f"{status} {body[:120]}")


def deadline_night(port: int, plan: list, teachers: int, seconds: float, rate_each: float,
                   pid: int | None = None) -> dict:
    """Open loop: each teacher saves at Poisson times (mean 1/rate_each s); latency counts from the scheduled time."""
    rand = random.Random(7)
    jobs = [plan[i % len(plan)] for i in range(teachers)]
    sims = [Teacher(port, job, random.Random(i)) for i, job in enumerate(jobs)]
    cpu = cpu_seconds(pid) if pid else 0.0  # after the logins
    start = time.perf_counter() + 1.0
    end = start + seconds

    def run(sim: Teacher, seed: int):
        r = random.Random(seed)
        due = start + r.expovariate(rate_each)
        while due < end and sim.cells:
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            sim.save_next()
            sim.latencies.append(time.perf_counter() - due)
            due += r.expovariate(rate_each)

    threads = [threading.Thread(target=run, args=(sim, rand.random())) for sim in sims]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu = cpu_seconds(pid) - cpu if pid else float("nan")
    latencies = [x for s in sims for x in s.latencies]
    acked = {k: v for s in sims for k, v in s.acked.items()}
    errors = [e for s in sims for e in s.errors]
    return {"saves": len(latencies), "per_second": len(latencies) / seconds,
            "p50_ms": percentile(latencies, 50) * 1000, "p95_ms": percentile(latencies, 95) * 1000,
            "max_ms": max(latencies) * 1000 if latencies else 0, "errors": len(errors),
            "first_error": errors[0] if errors else "", "acked": acked,
            "cpu_ms": 1000 * cpu / max(1, len(latencies))}


class Capacity:
    """Saves back to back on `connections` keep-alive connections, in bursts.

    A connection that has been through all its cells goes round again with the other value (and the
    versions its saves made), so a burst is limited by time, never by the size of a class.
    """

    def __init__(self, port: int, plan: list, path_for, connections: int = 8, pid: int | None = None):
        self.sims = [Teacher(port, plan[i % len(plan)], random.Random(100 + i)) for i in range(connections)]
        self.state = [{"versions": dict(s.job["versions"]), "all": list(s.cells), "rounds": 0} for s in self.sims]
        self.path_for, self.pid = path_for, pid
        self.errors: list[str] = []

    def _run(self, i: int, stop: float, counts: list) -> None:
        sim, state = self.sims[i], self.state[i]
        versions = state["versions"]
        while time.perf_counter() < stop:
            if not sim.cells:
                state["rounds"] += 1
                sim.cells = list(state["all"])
            student, kind, idx = sim.cells.pop()
            key = f"{student}:{kind}:{idx}"
            status, body = sim.session.htmx_post(self.path_for(sim.job), {
                "student_id": student, "kind": kind, "idx": idx, "version": versions.get(key, 0), "row": 1,
                "value": "7,5" if state["rounds"] % 2 == 0 else "8"})
            if status == 200 and "saved" in body:
                versions[key] = versions.get(key, 0) + 1
            if status == 200:
                counts[i] += 1
            else:
                self.errors.append(f"{status} {body[:120]}")

    def burst(self, seconds: float) -> tuple[float, float]:
        """(saves per second, server CPU ms per save) over one burst."""
        counts = [0] * len(self.sims)
        cpu = cpu_seconds(self.pid) if self.pid else 0.0
        stop = time.perf_counter() + seconds
        threads = [threading.Thread(target=self._run, args=(i, stop, counts)) for i in range(len(self.sims))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        cpu_ms = 1000 * (cpu_seconds(self.pid) - cpu) / max(1, sum(counts)) if self.pid else float("nan")
        return sum(counts) / seconds, cpu_ms


def compare(ours: Capacity, bare: Capacity, seconds: float, rounds: int = 5) -> dict:
    """Both servers up, bursts taken in turn: a machine that slows down for a while slows both.

    Each burst follows a second of the same load, not counted (the server had been idle while the
    other one ran). Each figure is the median of its bursts; the ratio is the median of the rounds' ratios.
    """
    samples = []
    for _ in range(rounds):
        ours.burst(1.0)
        o, o_cpu = ours.burst(seconds / rounds)
        bare.burst(1.0)
        b, b_cpu = bare.burst(seconds / rounds)
        samples.append((o, b, o_cpu, b_cpu, o / b))
    column = lambda k: statistics.median(s[k] for s in samples)  # noqa: E731
    return {"ours": column(0), "bare": column(1), "ours_cpu_ms": column(2), "bare_cpu_ms": column(3),
            "ratio": column(4), "ratios": [s[4] for s in samples]}


def grid_render(port: int, job: dict, times: int = 30) -> float:
    session = Session(port)
    session.login(job["username"])
    samples = []
    for _ in range(times):
        t = time.perf_counter()
        status, _ = session.request("GET", f"/teacher/gradebook/{job['assignment']}/1")
        samples.append(time.perf_counter() - t)
        assert status == 200
    return percentile(samples, 50) * 1000


def verify(db_url: str, acked: dict) -> int:
    """How many acknowledged saves are missing from the database afterwards."""
    rows = json.loads(run_python(db_url, """
import json
from app import create_app
from models.core import db
from models.gradebook.marks import MarkCell
from models.school.structure import TeachingAssignment
app = create_app()
with db.connection_context():
    # every assignment id of a class × subject (two teachers may share one): the cells are the class's
    index = {a.id: [a.school_class_id, a.subject_id] for a in TeachingAssignment.select()}
    out = [[c.school_class_id, c.subject_id, c.student_id, c.kind, c.idx, c.value]
           for c in MarkCell.select().where(MarkCell.semester == 1)]
print(json.dumps({"index": index, "cells": out}))
"""))
    index = {int(a): tuple(cs) for a, cs in rows["index"].items()}
    stored = {(c, sub, s, k, i): v for c, sub, s, k, i, v in rows["cells"]}
    acked = {(*index[a], s, k, i): v for (a, s, k, i), v in acked.items()}
    from decimal import Decimal
    return sum(1 for key, value in acked.items()
               if key not in stored or Decimal(stored[key]) != Decimal(value))


BARE_JOB = {"username": "bare", "assignment": 0, "students": list(range(1, 5000)), "tx": 4, "versions": {}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--teachers", type=int, default=200)
    parser.add_argument("--capacity-seconds", type=float, default=30, help="in all, for each server")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-"))
    db_url = seed_demo(folder)
    plan = json.loads(run_python(db_url, PLAN))
    big = max(plan, key=lambda j: len(j["students"]))
    proc, port = serve(db_url)
    bare_proc = None
    try:
        render_ms = grid_render(port, big)
        night = deadline_night(port, plan, args.teachers, args.seconds, rate_each=0.5, pid=proc.pid)
        # the night changed the cells of plan[:teachers]; stale versions there would answer 409
        fresh = plan[args.teachers:] if len(plan) >= args.teachers + 8 else plan
        ours = Capacity(port, fresh, lambda job: f"/teacher/gradebook/{job['assignment']}/1/cell", pid=proc.pid)
        bare_proc, bare_port = serve("", script="bench/bare_app.py", extra_env={"BARE_DB": str(folder / "bare.db")})
        bare = Capacity(bare_port, [BARE_JOB], lambda job: "/cell", pid=bare_proc.pid)
        cap = compare(ours, bare, args.capacity_seconds, args.rounds)
    finally:
        for p in (proc, bare_proc):
            if p is not None:
                p.terminate()
                p.wait()
    missing = verify(db_url, night["acked"])
    print(f"grid render, {len(big['students'])} students: median {render_ms:.1f} ms (target ≤ 50)")
    print(f"deadline night, {args.teachers} teachers × 1 save / 2 s for {args.seconds:.0f} s: "
          f"{night['saves']} saves ({night['per_second']:.0f}/s), median {night['p50_ms']:.1f} ms (≤ 20), "
          f"p95 {night['p95_ms']:.1f} ms (≤ 50), max {night['max_ms']:.0f} ms, errors {night['errors']}, "
          f"acknowledged but missing {missing}; server CPU {night['cpu_ms']:.2f} ms per save")
    if night["first_error"]:
        print("  first error:", night["first_error"])
    print(f"capacity, 8 connections back to back, {args.rounds} rounds taken in turn: ours {cap['ours']:.0f} saves/s, "
          f"bare endpoint {cap['bare']:.0f} saves/s ({100 * cap['ratio']:.0f} %, target ≥ 70 %; rounds "
          f"{', '.join(f'{100 * r:.0f}' for r in cap['ratios'])} %); server CPU per save: ours "
          f"{cap['ours_cpu_ms']:.2f} ms, bare {cap['bare_cpu_ms']:.2f} ms; refused: ours {len(ours.errors)}, "
          f"bare {len(bare.errors)}")
    if ours.errors or bare.errors:
        print("  first refusal:", (ours.errors or bare.errors)[0])


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
