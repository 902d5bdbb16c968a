"""Benchmark: one class book of the demo school (seed-demo fills marks and attendance); target ≤ 10 s.

Usage: DATABASE_URL=sqlite:////tmp/x.db python -m bench.class_book_pdf [6A1]
"""
import io
import sys
import time


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
        started = time.perf_counter()
        book = build_book(school_class)
        data_s = time.perf_counter() - started
        data = book_pdf(book)
        total = time.perf_counter() - started
    pages = len(PdfReader(io.BytesIO(data)).pages)
    print(f"class book {name}: {len(book.pages)} book pages, {pages} PDF pages, {len(data) // 1024} KB; "
          f"data {data_s:.2f} s, total {total:.1f} s (target ≤ 10 s)")
    return 0 if total <= 10 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
