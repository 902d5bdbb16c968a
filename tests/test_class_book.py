"""The A3 class book: page data, the PDF read back with pypdf, per-page verification codes, permissions."""
import io
import re
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from models.core import write_transaction
from models.gradebook.locks import switch_lock
from models.gradebook.marks import MarkCell, save_cell
from models.printing.class_book import book_pdf, build_book, promotion, render_page
from models.printing.renderer import pdf_fonts
from models.printing.verification import PrintedPage, check_code, compute_code
from models.school.structure import Semester
from tests.conftest import finished_job

TODAY = date(2025, 2, 10)
NOW = datetime(2025, 2, 10, 9, 30)
A3_LANDSCAPE = (1190.55, 841.89)


@pytest.fixture
def marked(school):
    """6A1 with Toán marks in HK I for two students (entered after an unlock switch)."""
    hk1 = Semester.get((Semester.year == school["year"]) & (Semester.number == 1))
    with write_transaction():
        switch_lock("school", "", False, "Mở sổ để kiểm thử", None, semester=hk1, now=datetime(2024, 9, 1))
    teacher = school["users"]["giaovien"]
    for name, values in (("Nguyễn Thị An", ("7", "8", "9", "7,5", "8", "7,5")),
                         ("Lê Văn An", ("6", "6", "7", "5", "6", "6"))):
        student = school["students"][name]
        for (kind, idx), value in zip((("tx", 1), ("tx", 2), ("tx", 3), ("tx", 4), ("gk", 1), ("ck", 1)), values,
                                      strict=True):
            result = save_cell(school["assignment"], hk1, student, kind, idx, value, 0, teacher,
                               now=datetime(2024, 10, 1, 8))
            assert result.ok, result
    school["hk1"] = hk1
    return school


def _pages(data: bytes):
    return PdfReader(io.BytesIO(data)).pages


def _page(book, key):
    return next(p for p in book.pages if p.key == key)


def test_book_order_and_subject_page_data(app, marked):
    book = build_book(marked["classes"]["6A1"], today=TODAY)
    kinds = [p.kind for p in book.pages]
    assert kinds[:5] == ["cover", "guide", "class", "particulars", "changes"]
    assert kinds.index("attendance") < kinds.index("subject") < kinds.index("summary") < kinds.index("year")
    assert kinds[-1] == "comments"
    assert [p.key for p in book.pages if p.kind == "attendance"][0] == "attendance-2024-09"
    assert "attendance-2025-03" not in [p.key for p in book.pages]
    toan = _page(book, "subject-1-TOAN").data
    an = next(r for r in toan["rows"] if r["label"] == "Nguyễn Thị An")
    assert an["cells"]["CK"] == "7,5" and an["cells"]["HK"] == "7,8"  # (7+8+9+7,5 + 2·8 + 3·7,5) / 9 = 7,78
    assert toan["Giáo viên"] == [marked["users"]["giaovien"].full_name]
    assert toan["Số điểm sửa chữa"] == 0
    summary = _page(book, "summary-1").data
    assert next(r for r in summary["rows"] if r["label"] == "Nguyễn Thị An")["Học tập"] == "—"  # GDTC missing


def test_promotion_rule():
    assert promotion(None, None, 46) == "Không được lên lớp"
    assert promotion(None, "Tốt", 3) == "—"
    assert promotion("Khá", "Đạt", 45) == "Được lên lớp"
    # TT22 Điều 12–14: a Chưa đạt is decided after summer training or re-tests, not at once
    assert promotion("Chưa đạt", "Tốt", 0) == "Rèn luyện trong kì nghỉ hè"
    assert promotion("Khá", "Chưa đạt", 0) == "Kiểm tra lại"


def test_pdf_is_a3_landscape_with_liberation_serif_names_and_corrections(app, marked, tmp_path):
    cell = MarkCell.get((MarkCell.student == marked["students"]["Lê Văn An"]) & (MarkCell.kind == "ck"))
    with write_transaction():
        MarkCell.update(corrected=True).where(MarkCell.id == cell.id).execute()
    with app.app_context():
        book = build_book(marked["classes"]["6A1"], today=TODAY)
        data = book_pdf(book, now=NOW)
    pages = _pages(data)
    assert len(pages) == len(book.pages)
    for page in pages:
        assert abs(float(page.mediabox.width) - A3_LANDSCAPE[0]) < 0.5
        assert abs(float(page.mediabox.height) - A3_LANDSCAPE[1]) < 0.5
    for fonts in pdf_fonts(data):
        assert any("LiberationSerif" in f for f in fonts), fonts
        assert not any(f.split("+")[-1].startswith(("Helvetica", "Times", "Courier")) for f in fonts)
    index = [p.key for p in book.pages].index("subject-1-TOAN")
    text = pages[index].extract_text()
    assert "Nguyễn Thị An" in text
    assert "Trong trang này có 1 điểm được sửa chữa" in " ".join(text.split())
    assert f"Trang {index + 1}/{len(book.pages)}" in text
    assert "10/02/2025 09:30" in text
    code = compute_code("class_book", book.params(book.pages[index]), book.pages[index].data)
    assert code in text
    assert "lớp 6A1 – năm học 2024-2025" in text


def _font_files(data: bytes) -> int:
    """How many embedded font files (FontFile2 streams) the PDF holds."""
    reader = PdfReader(io.BytesIO(data))
    found = set()
    for page in reader.pages:
        for ref in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            descriptor = ref.get_object().get("/FontDescriptor")
            if descriptor is not None:
                found.add(descriptor.get_object().raw_get("/FontFile2").idnum)
    return len(found)


def test_merged_book_embeds_each_font_subset_once(app, marked):
    with app.app_context():
        book = build_book(marked["classes"]["6A1"], today=TODAY)
        data = book_pdf(book, now=NOW)
        one_page = render_page(book, book.pages[0], 1, "ABCDE-12345", NOW)
    assert len(book.pages) > 10
    # one page alone: a few subsets of a few faces; the whole book may hold only a few more (a rare
    # letter outside the shared charset adds a subset), never one set of subsets per page
    assert _font_files(data) <= _font_files(one_page) + 6, (_font_files(data), _font_files(one_page))


def test_a_mark_change_changes_only_its_pages_code_and_verify_lists_it(app, marked):
    c = marked["classes"]["6A1"]
    with app.app_context():
        before = build_book(c, today=TODAY)
        codes = {p.key: compute_code("class_book", before.params(p), p.data) for p in before.pages}
        from models.printing.verification import page_codes
        page_codes("class_book", [(before.params(p), p.data) for p in before.pages])
    assert PrintedPage.select().count() == len(before.pages)
    toan = codes["subject-1-TOAN"]
    result = check_code(toan)
    assert result.found and result.still_matches, result
    cell = MarkCell.get((MarkCell.student == marked["students"]["Nguyễn Thị An"]) & (MarkCell.kind == "ck"))
    assert save_cell(marked["assignment"], marked["hk1"], marked["students"]["Nguyễn Thị An"], "ck", 1, "8",
                     cell.version, marked["users"]["giaovien"], now=datetime(2024, 10, 2, 8)).ok
    after = build_book(c, today=TODAY)
    changed = {p.key for p in after.pages if compute_code("class_book", after.params(p), p.data) != codes[p.key]}
    # the mark's page, the HK II page printing ĐTBmhk I and the summary printing ĐTBmhk; nothing else
    assert changed == {"subject-1-TOAN", "subject-2-TOAN", "summary-1"}
    result = check_code(toan)
    assert result.found and not result.still_matches
    assert "Nguyễn Thị An, CK: 7,5 → 8,0" in result.differences
    assert "Nguyễn Thị An, HK: 7,8 → 7,9" in result.differences


def _page_text(app, book, key) -> str:
    from models.printing.class_book import render_page

    index = [p.key for p in book.pages].index(key)
    with app.app_context():
        data = render_page(book, book.pages[index], index + 1, "ABCDE-12345", NOW)
    pages = _pages(data)
    assert len(pages) == 1, key
    return " ".join(pages[0].extract_text().split())


def test_cover_guide_and_comment_pages(app, school):
    """Issue #12: Quốc hiệu and the place on the cover, a GVCN signature, the usage guide, ruled comment rows."""
    with write_transaction():
        school["school"].place_name = "Tân Hoà"
        school["school"].save()
    book = build_book(school["classes"]["6A1"], today=TODAY)
    cover = _page_text(app, book, "cover")
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cover and "Độc lập - Tự do - Hạnh phúc" in cover
    assert "Tân Hoà, ngày" in cover and "………, ngày" not in cover
    assert "Giáo viên chủ nhiệm (Ký và ghi rõ họ tên)" in cover and "Giáo Viên Chunhiem" in cover
    guide = _page_text(app, book, "guide")
    assert "HƯỚNG DẪN SỬ DỤNG SỔ" in guide and "gạch ngang giá trị cũ" in guide
    comments = _page_text(app, book, "comments")
    assert "Chưa có nhận xét" not in comments
    assert "Tháng 9/2024" in comments and "Tháng 5/2025" in comments  # a row for every month of the year


def test_particulars_print_religion_birthplace_and_parents_jobs(app, school):
    """Issue #12: the sơ yếu lí lịch left out data the school holds."""
    an = school["students"]["Nguyễn Thị An"]
    with write_transaction():
        an.religion, an.birthplace = "Phật giáo", "Quận Tân Hoà"
        an.father_name, an.father_job, an.father_phone = "Nguyễn Văn Hùng", "Kỹ sư", "0903123456"
        an.mother_name, an.mother_job = "Trần Thị Lan", "Giáo viên"
        an.save()
    book = build_book(school["classes"]["6A1"], today=TODAY)
    row = next(r for r in _page(book, "particulars-1").data["rows"] if r["label"] == "Nguyễn Thị An")
    assert (row["Tôn giáo"], row["Nơi sinh"]) == ("Phật giáo", "Quận Tân Hoà")
    assert row["Cha"] == "Nguyễn Văn Hùng – Kỹ sư – 0903123456" and row["Mẹ"] == "Trần Thị Lan – Giáo viên"
    text = _page_text(app, book, "particulars-1")
    for word in ("Tôn giáo", "Nơi sinh", "Phật giáo", "Quận Tân Hoà", "Kỹ sư", "Trần Thị Lan – Giáo viên"):
        assert word in text, word


def test_a_correction_on_the_subject_page_strikes_the_old_value_and_names_the_approver(app, marked):
    """Issue #12: the paper rule on the class book's score page."""
    from tests.test_teacher_book import applied_correction

    applied_correction(marked, "Lê Văn An", "ck", 1, "6", "6.5")
    book = build_book(marked["classes"]["6A1"], today=TODAY)
    row = next(r for r in _page(book, "subject-1-TOAN").data["rows"] if r["label"] == "Lê Văn An")
    assert row["Giá trị cũ"] == {"CK": {"Cũ": "6,0", "Người duyệt": "Giáo Viên Hieutruong", "Ngày duyệt": "12/03/2025"}}
    text = _page_text(app, book, "subject-1-TOAN")
    assert "CK (duyệt: Giáo Viên Hieutruong, 12/03/2025; ký:" in text
    assert re.search(r"Lê Văn An 6,0 6,0 7,0 5,0 6,0 6,0 ?6,5", text)  # ĐĐGtx ×4, ĐĐGgk, the struck old ĐĐGck and the new


@pytest.mark.parametrize("username, status", [("admin", 200), ("hieutruong", 200), ("phohieutruong", 200),
                                              ("chunhiem", 200), ("giaovien", 403)])
def test_who_may_open_the_class_book(app, school, login_as, username, status):
    auth = login_as(username)
    assert auth.client.get(f"/print/class-book/{school['classes']['6A1'].id}").status_code == status


def test_verify_page_for_staff(app, school, login_as):
    resp = login_as("giaovien").client.get("/verify/00000-00000")
    assert resp.status_code == 200 and "Không tìm thấy" in resp.get_data(as_text=True)


def test_the_book_is_built_by_the_worker_process_and_then_downloaded(app, school, client, login_as):
    import os

    from models.printing.jobs import PrintJob

    auth = login_as("admin")
    c = school["classes"]["6A1"]
    resp = auth.post(f"/print/class-book/{c.id}/build")
    assert resp.status_code == 303 and "job=" in resp.location
    job = PrintJob.get()
    assert job.kind == "class_book" and job.pid and job.pid != os.getpid()
    job = finished_job(job.id, 120)
    assert job.status == "done", job.error
    assert job.total > 0 and job.progress == job.total
    fragment = client.get(f"/print/class-book/{c.id}/job/{job.id}", headers={"HX-Request": "true"})
    assert fragment.status_code == 286  # htmx stops polling
    pdf = client.get(f"/print/class-book/{c.id}.pdf")
    assert pdf.status_code == 200
    assert len(_pages(pdf.data)) == job.total


def test_55_students_keep_a_subject_page_on_one_sheet(app, school):
    """Past 45 students the rows tighten: table, correction count, signature and footer stay on one A3 page."""
    from models.people.records import create_student
    from models.school.structure import enrol

    with write_transaction():
        for i in range(55 - len(school["students"]) + 1):  # 6A1 holds all but Bùi Thị Cúc
            s = create_student({"full_name": f"Nguyễn Ngọc Quỳnh Giang {i}", "gender": "Nữ",
                                "date_of_birth": date(2013, 2, 2)}, 2024)
            enrol(s, school["classes"]["6A1"], date(2024, 9, 5))
    book = build_book(school["classes"]["6A1"])
    number, page = next((n, p) for n, p in enumerate(book.pages, 1) if p.kind == "subject")
    assert len(page.data["rows"]) == 55
    with app.app_context():
        data = render_page(book, page, number, "ABCDE-12345", datetime(2025, 1, 10, 8))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Nguyễn Ngọc Quỳnh Giang 47" in text and "điểm được sửa chữa" in text and "Giáo viên bộ môn" in text
    assert "Mã xác thực" in text
