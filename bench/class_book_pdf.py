"""Benchmark: one class book of the demo school (seed-demo fills marks and attendance); targets ≤ 6 s, ≤ 1 MB.

Pages are rendered by one process per core (models/render_pool.py) and merged with each font subset
kept once (models/printing.py SHARED_CHARSET). Prints wall time, CPU time (this process and its render
processes), size and how many font files the PDF embeds.

Usage: DATABASE_URL=sqlite:////tmp/x.db python -m bench.class_book_pdf [6A1]
"""
import io
import os
import resource
import sys
import time


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def font_files(data: bytes) -> int:
    from pypdf import PdfReader

    found = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            descriptor = ref.get_object().get("/FontDescriptor")
            if descriptor is not None:
                found.add(descriptor.get_object().raw_get("/FontFile2").idnum)
    return len(found)


def main(argv: list[str]) -> int:
    from pypdf import PdfReader

    from app import create_app
    from models.core import db
    from models.printing.class_book import book_pdf, build_book
    from models.school.structure import SchoolClass, SchoolYear

    name = argv[1] if len(argv) > 1 else "6A1"
    app = create_app({"PRINT_CACHE_DIR": f"/tmp/class_book_bench_cache_{time.time_ns()}"})
    with app.app_context(), db.connection_context():
        year = SchoolYear.current()
        school_class = SchoolClass.get((SchoolClass.year == year) & (SchoolClass.name == name))
        cpu = cpu_seconds()
        started = time.perf_counter()
        book = build_book(school_class)
        data_s = time.perf_counter() - started
        data = book_pdf(book)
        total = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
    pages = len(PdfReader(io.BytesIO(data)).pages)
    print(f"class book {name}: {len(book.pages)} book pages, {pages} PDF pages, {len(data) / 1048576:.2f} MB, "
          f"{font_files(data)} embedded font files; data {data_s:.2f} s, total {total:.1f} s wall, "
          f"{cpu:.1f} s CPU on {os.cpu_count()} cores (targets ≤ 6 s, ≤ 1 MB)")
    return 0 if total <= 6 and len(data) <= 1 << 20 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
