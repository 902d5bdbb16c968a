"""Hostile class lists against the Excel reader: how long each takes to be answered and how much memory
the answer costs (target: under 2 s each, and under 50 MB; the test checks the memory, not the time).

- many rows: a proper header and 3,000,000 rows holding one number in column E (about 0,7 MB zipped);
- huge string: one 200 MB shared string (about 0,2 MB zipped);
- a real class list of 45 students, for comparison.

    PYTHONPATH=. python bench/class_import_bounds.py
"""
import sys
import time
import tracemalloc
import zipfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADER = ("Họ và tên", "Ngày sinh", "Giới tính", "Ghi chú")


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _base_parts() -> dict[str, bytes]:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(HEADER)
    wb.active.append(["Nguyễn Văn An", "05/09/2013", "Nam"])
    buffer = BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(parts: dict[str, bytes], streamed: dict[str, object]) -> bytes:
    """A zip of the fixed parts and of parts written chunk by chunk (never whole in memory)."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            if name not in streamed:
                archive.writestr(name, content)
        for name, chunks in streamed.items():
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return buffer.getvalue()


_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"


def many_rows_xlsx(rows: int = 3_000_000) -> bytes:
    """A header row and `rows` rows with only a number in column E (no "r" attributes, as some tools write)."""
    def chunks():
        header = "".join(_inline(f"{'ABCD'[i]}1", text) for i, text in enumerate(HEADER))
        yield (_SHEET_HEAD + f'<row r="1">{header}</row>').encode()
        step = 20_000
        block = ("<row><c/><c/><c/><c/><c><v>1</v></c></row>" * step).encode()
        for start in range(0, rows, step):
            yield block if start + step <= rows else block[: (rows - start) * (len(block) // step)]
        yield _SHEET_TAIL.encode()

    return _write(_base_parts(), {"xl/worksheets/sheet1.xml": chunks()})


def huge_shared_string_xlsx(size: int = 200 * 1024 * 1024) -> bytes:
    """A header row and one name cell holding a single shared string of `size` characters."""
    def sheet():
        header = "".join(_inline(f"{'ABCD'[i]}1", text) for i, text in enumerate(HEADER))
        yield (_SHEET_HEAD + f'<row r="1">{header}</row>'
               '<row r="2"><c r="A2" t="s"><v>0</v></c></row>' + _SHEET_TAIL).encode()

    def strings():
        yield (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
               b"<si><t>")
        block = b"A" * (1024 * 1024)
        for _ in range(size // len(block)):
            yield block
        yield b"</t></si></sst>"

    return _write(_base_parts(), {"xl/worksheets/sheet1.xml": sheet(), "xl/sharedStrings.xml": strings()})


def class_of_45_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(HEADER[:3])
    for n in range(45):
        wb.active.append([f"Nguyễn Văn {chr(65 + n % 26)}{'a' * (n // 26)}", "05/09/2013", "Nam"])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def measure(data: bytes) -> tuple[float, float, list[str]]:
    """(seconds, peak MB above the start, file errors) of reading the file as an upload is read."""
    from models.rules.class_list_excel import read_sheet

    tracemalloc.start()
    started = time.perf_counter()
    sheet = read_sheet(data)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, sheet.file_errors


def main() -> None:
    for label, build in (("3.000.000 dòng", many_rows_xlsx), ("chuỗi 200 MB", huge_shared_string_xlsx),
                         ("lớp 45 học sinh", class_of_45_xlsx)):
        data = build()
        seconds, peak, errors = measure(data)
        size = f"{len(data) / 1024:.0f}".replace(".", ",")
        print(f"{label:18} {size:>6} KB  {seconds:6.3f} s  peak +{peak:6.1f} MB  {errors[:1]}")


if __name__ == "__main__":
    main()
