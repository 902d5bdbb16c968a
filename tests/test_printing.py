"""The one PDF renderer and the monthly attendance sheet as a PDF, read back with pypdf."""
import io
import re
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from models.attendance.register import month_sheet, save_mark
from models.core import write_transaction
from models.people.records import create_student
from models.printing.attendance_sheet import sheet_code, sheet_context, sheet_pdf
from models.printing.renderer import PrintError, html_to_pdf, pdf_fonts, render_pdf
from models.school.structure import enrol

A3_LANDSCAPE = (1190.55, 841.89)
VIETNAMESE = "Trương Thị Ngọc Ưng Đặng Quốc Ễ"


@pytest.fixture
def cache(app, tmp_path):
    app.config["PRINT_CACHE_DIR"] = str(tmp_path / "print_cache")
    return tmp_path / "print_cache"


def _fill_class(school, size: int) -> None:
    c = school["classes"]["6A1"]
    with write_transaction():
        for i in range(size - len(school["students"]) + 1):
            s = create_student({"full_name": f"{VIETNAMESE} {i:02d}", "gender": "Nữ",
                                "date_of_birth": date(2013, 1, 1)}, 2024)
            enrol(s, c, date(2024, 9, 5))


def _mark(school, name, day, value):
    c = school["classes"]["6A1"]
    user = school["users"]["chunhiem"]
    result = save_mark(c, school["students"][name], day, 1, value, 0, user, now=datetime(2024, 10, 31, 12))
    if result.status == "conflict":  # the mark exists: save against its current version
        from models.attendance.register import AttendanceMark

        mark = AttendanceMark.get(student=school["students"][name], school_class=c, day=day, session=1)
        result = save_mark(c, school["students"][name], day, 1, value, mark.version, user,
                           now=datetime(2024, 10, 31, 12))
    assert result.status in ("saved", "unchanged"), result.message


def _pages(data: bytes):
    return PdfReader(io.BytesIO(data)).pages


def _sheet_pdf(app, school):
    with app.test_request_context():
        sheet = month_sheet(school["classes"]["6A1"], 2024, 10)
        return sheet, render_pdf("print/attendance_sheet.html", **sheet_context(sheet))


def test_sheet_is_one_a3_landscape_page_with_embedded_liberation_serif(app, school, cache):
    _mark(school, "Đặng Quốc Đạt", date(2024, 10, 8), "K")
    sheet, data = _sheet_pdf(app, school)
    pages = _pages(data)
    assert len(pages) == 1
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert abs(width - A3_LANDSCAPE[0]) <= 0.5 and abs(height - A3_LANDSCAPE[1]) <= 0.5
    for fonts in pdf_fonts(data):
        assert any("LiberationSerif" in f for f in fonts), fonts
        assert not any(re.search(r"Helvetica|Times-Roman|Courier", f) for f in fonts), fonts
    text = pages[0].extract_text()
    assert "Đặng Quốc Đạt" in text
    # issue #12: Quốc hiệu and tiêu ngữ beside the school; one title, the book's
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "SỔ GỌI TÊN" not in text.upper() and "ĐIỂM DANH THÁNG 10 NĂM 2024" in text.upper()
    assert "Giáo viên chủ nhiệm" in text and "Hiệu trưởng" in text
    assert "(Ký, ghi rõ họ tên và đóng dấu)" in text
    assert sheet_code(sheet) in text
    assert "Trang 1/1" in text


def test_vietnamese_letters_are_extractable(app, school, cache):
    _fill_class(school, 10)
    _, data = _sheet_pdf(app, school)
    text = _pages(data)[0].extract_text()
    for letter in "ư ơ ặ ễ Ư Đ ọ".split():
        assert letter in text
    assert f"{VIETNAMESE} 00" in text


@pytest.mark.parametrize("size", [45, 55])
def test_a_full_class_fits_on_one_page(app, school, cache, size):
    _fill_class(school, size)
    sheet, data = _sheet_pdf(app, school)
    assert len(sheet.rows) == size
    pages = _pages(data)
    assert len(pages) == 1
    text = pages[0].extract_text()
    assert f"{VIETNAMESE} {size - len(school['students']):02d}" in text  # the last row is on the page
    assert "(Ký và ghi rõ họ tên)" in text  # and so is the signature block


def test_printed_totals_match_the_marks(app, school, cache):
    _mark(school, "Lê Văn An", date(2024, 10, 8), "P")
    _mark(school, "Lê Văn An", date(2024, 10, 9), "K")
    _mark(school, "Vũ Ánh", date(2024, 10, 8), "K")
    sheet, data = _sheet_pdf(app, school)
    assert (sheet.total, sheet.p, sheet.k) == (3, 1, 2)
    text = _pages(data)[0].extract_text()
    # the day row (8 Oct: 2 absent, 9 Oct: 1) then TS, P, K
    totals = re.search(r"Tổng số buổi nghỉ trong ngày(.*?)Ghi chú", text, re.S).group(1).split()
    assert totals == ["2", "1", "3", "1", "2"]
    assert text.split("Lê Văn An", 1)[1].split()[:5] == ["P", "K", "2", "1", "1"]


def test_verification_code_changes_with_one_mark_and_only_then(app, school, cache):
    c = school["classes"]["6A1"]
    first = month_sheet(c, 2024, 10).data_version
    first_code = sheet_code(month_sheet(c, 2024, 10))
    assert month_sheet(c, 2024, 10).data_version == first
    _mark(school, "Hoàng Anh", date(2024, 10, 15), "P")
    second = month_sheet(c, 2024, 10).data_version
    assert second != first
    assert sheet_code(month_sheet(c, 2024, 10)) != first_code
    assert re.fullmatch(r"[0-9A-F]{5}-[0-9A-F]{5}", sheet_code(month_sheet(c, 2024, 10)))
    assert month_sheet(c, 2024, 9).data_version == month_sheet(c, 2024, 9).data_version
    _mark(school, "Hoàng Anh", date(2024, 10, 15), None)
    assert month_sheet(c, 2024, 10).data_version == first  # back to the same data, same code


def test_finished_pdf_is_reused_while_the_data_is_unchanged(app, school, cache):
    c = school["classes"]["6A1"]
    with app.app_context():
        first = sheet_pdf(month_sheet(c, 2024, 10))
        assert len(list(cache.glob("*.pdf"))) == 1
        assert sheet_pdf(month_sheet(c, 2024, 10)) == first
        _mark(school, "Hoàng Anh", date(2024, 10, 15), "K")
        changed = sheet_pdf(month_sheet(c, 2024, 10))
    assert changed != first
    assert len(list(cache.glob("*.pdf"))) == 2


def test_a_missing_glyph_raises_instead_of_printing_blanks(app, school):
    with app.app_context(), pytest.raises(PrintError, match="can draw"):
        html_to_pdf('<html><head><link rel="stylesheet" href="css/print.css"></head>'
                    "<body><p>Lớp 6A1 漢</p></body></html>")


def test_a_blocked_or_missing_font_raises(app, school):
    page = ('<html><head><style>@font-face {{ font-family: X; src: url("{}"); }} body {{ font-family: X; }}'
            "</style></head><body><p>Nguyễn Văn Ưng</p></body></html>")
    with app.app_context():
        with pytest.raises(PrintError):
            html_to_pdf(page.format("fonts/NoSuchFont.ttf"))
        with pytest.raises(PrintError):  # outside the static folder: refused by the resource policy
            html_to_pdf(page.format("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))


def test_cli_writes_one_class_and_the_whole_school(app, school, cache, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(args=["print-attendance", "--class", "6A1", "--month", "2024-10", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Đã ghi bảng điểm danh" in result.output
    assert len(_pages(out.read_bytes())) == 1
    everything = tmp_path / "all.pdf"
    result = runner.invoke(args=["print-attendance", "--all-classes", "--month", "2024-10", "--out", str(everything)])
    assert result.exit_code == 0, result.output
    assert len(_pages(everything.read_bytes())) == 3  # 6A1, 6A2, 7A1


@pytest.mark.parametrize("args, message", [
    (["--class", "9Z9", "--month", "2024-10"], "Không có lớp 9Z9"),
    (["--class", "6A1", "--month", "2024-13"], "Tháng không hợp lệ"),
    (["--month", "2024-10"], "Cần chọn đúng một"),
])
def test_cli_refuses_bad_input(app, school, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    result = app.test_cli_runner().invoke(args=["print-attendance", *args, "--out", str(out)])
    assert result.exit_code != 0
    assert message in result.output
    assert not out.exists()
