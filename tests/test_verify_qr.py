"""The QR code beside every "Mã xác thực" opens /verify/<code> on the school's address (PUBLIC_URL)."""
import io
import re

import segno
from pypdf import PdfReader

from models.attendance.register import month_sheet
from models.printing import teacher_book
from models.printing.verify_qr import DEFAULT_PUBLIC_URL, verify_url


def _matrix_of(image, border: int = 1) -> list[list[bool]]:
    """The dark modules of a QR code image drawn with a `border`-module quiet zone."""
    image = image.convert("L")
    size = image.width
    for version in range(1, 41):
        modules = 17 + 4 * version
        if size % (modules + 2 * border) == 0:
            break
    scale = size // (modules + 2 * border)
    return [[image.getpixel(((x + border) * scale + scale // 2, (y + border) * scale + scale // 2)) < 128
             for x in range(modules)] for y in range(modules)]


def _expected(url: str) -> list[list[bool]]:
    return [[bool(v) for v in row] for row in segno.make(url, error="m", micro=False).matrix]


def _codes_and_qrs(data: bytes):
    for page in PdfReader(io.BytesIO(data)).pages:
        code = re.search(r"Mã xác thực: ?([0-9A-F]{5}-[0-9A-F]{5})", page.extract_text()).group(1)
        images = page.images
        assert len(images) == 1
        yield code, _matrix_of(images[0].image)


def test_default_address_and_setting(app):
    with app.app_context():
        assert verify_url("ABCDE-12345") == f"{DEFAULT_PUBLIC_URL}/verify/ABCDE-12345"
        app.config["PUBLIC_URL"] = "https://sotruong.thcs-tanhoa.edu.vn/"
        assert verify_url("ABCDE-12345") == "https://sotruong.thcs-tanhoa.edu.vn/verify/ABCDE-12345"


def test_every_teacher_book_page_has_the_qr_of_its_own_code(app, school):
    app.config["PUBLIC_URL"] = "https://sotruong.thcs-tanhoa.edu.vn"
    with app.app_context():
        data = teacher_book.pdf(teacher_book.build(school["assignment"]), use_cache=False)
    seen = set()
    for code, matrix in _codes_and_qrs(data):
        assert matrix == _expected(f"https://sotruong.thcs-tanhoa.edu.vn/verify/{code}")
        seen.add(code)
    assert len(seen) == 3


def test_the_attendance_sheet_has_the_qr_of_its_code(app, school):
    from models.printing.attendance_sheet import sheet_context
    from models.printing.renderer import render_pdf

    with app.app_context():
        sheet = month_sheet(school["classes"]["6A1"], 2024, 10)
        data = render_pdf("print/attendance_sheet.html", **sheet_context(sheet))
    [(code, matrix)] = list(_codes_and_qrs(data))
    assert matrix == _expected(f"{DEFAULT_PUBLIC_URL}/verify/{code}")
