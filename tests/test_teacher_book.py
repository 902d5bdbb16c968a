"""The teacher's book (A4 portrait): PDF pages, fonts, names, red corrections, codes and who may print it."""
import io
import re
from datetime import datetime

from pypdf import PdfReader

from models.core import write_transaction
from models.gradebook.marks import MarkCell
from models.printing import teacher_book
from models.printing.renderer import pdf_fonts
from models.school.structure import Semester

A4 = (595.28, 841.89)


def put(school, name, kind, idx, value, semester=1, subject="TOAN", corrected=False):
    term = Semester.get((Semester.year == school["year"]) & (Semester.number == semester))
    with write_transaction():
        cell = MarkCell.get_or_none(student=school["students"][name], subject=school["subjects"][subject],
                                    semester=term, kind=kind, idx=idx)
        if cell is None:
            MarkCell.create(school_class=school["classes"]["6A1"], subject=school["subjects"][subject], semester=term,
                            student=school["students"][name], kind=kind, idx=idx, value=value, corrected=corrected)
        else:
            MarkCell.update(value=value, version=cell.version + 1, corrected=cell.corrected or corrected).where(MarkCell.id == cell.id).execute()


def fill(school, name, mark="8.0", semester=1):
    for i in range(1, 5):
        put(school, name, "tx", i, mark, semester)
    put(school, name, "gk", 1, mark, semester)
    put(school, name, "ck", 1, mark, semester)


def check_a4_pdf(data: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) <= 0.5 and abs(height - A4[1]) <= 0.5, (width, height)
    for fonts in pdf_fonts(data):
        assert fonts and all("LiberationSerif" in f for f in fonts), fonts
    return reader


def test_book_pdf_pages_fonts_names_and_corrections(school, login_as):
    fill(school, "Nguyễn Thị An")
    put(school, "Lê Văn An", "tx", 1, "6.5", corrected=True)
    put(school, "Lê Văn An", "ck", 1, "7.0", corrected=True)
    auth = login_as("giaovien")
    resp = auth.client.get(f"/print/teacher-book/{school['assignment'].id}.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert "So-giao-vien-Toan-6A1-2024-2025.pdf" in resp.headers["Content-Disposition"]
    reader = check_a4_pdf(resp.data)
    assert len(reader.pages) == 3  # cover, HK I, HK II
    cover, first, second = (p.extract_text() for p in reader.pages)
    assert "Giáo Viên Giaovien" in cover and "2024-2025" in cover
    assert "Nguyễn Thị An" in first and "Đặng Quốc Đạt" in first
    assert "Trong trang này có 2 điểm được sửa chữa" in first
    assert "Trong trang này có 0 điểm được sửa chữa" in second
    assert "ĐTBmcn" in second and "Trang 2/3" in first and "Mã xác thực" in first
    html = auth.client.get(f"/print/teacher-book/{school['assignment'].id}").get_data(as_text=True)
    assert 'class="fixed">6,5<' in html and "Tải PDF" in html


def test_page_code_changes_with_that_page_only(school):
    fill(school, "Nguyễn Thị An")
    book = teacher_book.stamp(teacher_book.build(school["assignment"]), now=datetime(2025, 6, 1))
    before = [p.code for p in book.pages]
    again = [p.code for p in teacher_book.stamp(teacher_book.build(school["assignment"])).pages]
    assert again == before  # same data, same codes
    put(school, "Lê Văn An", "tx", 2, "5.5")  # an incomplete student: only HK I shows the mark
    after = [p.code for p in teacher_book.stamp(teacher_book.build(school["assignment"])).pages]
    assert after[0] == before[0] and after[2] == before[2] and after[1] != before[1]
    put(school, "Nguyễn Thị An", "ck", 1, "9.0")  # changes ĐTBmhk I, printed on the HK II page too
    last = [p.code for p in teacher_book.stamp(teacher_book.build(school["assignment"])).pages]
    assert last[1] != after[1] and last[2] != after[2] and last[0] == after[0]


def test_who_may_print(school, login_as, client):
    path = f"/print/teacher-book/{school['assignment'].id}"
    assert client.get(path + ".pdf").status_code in (302, 401)  # not signed in
    auth = login_as("totruong")
    assert client.get(path).status_code == 403  # another teacher's book
    assert client.get(path + ".pdf").status_code == 403
    for username in ("admin", "hieutruong", "phohieutruong"):
        auth.logout()
        auth = login_as(username)
        assert client.get(path).status_code == 200, username


def test_comment_only_layout(app, school):
    from models.school.structure import TeachingAssignment

    pe = TeachingAssignment.get((TeachingAssignment.school_class == school["classes"]["6A1"])
                                & (TeachingAssignment.subject == school["subjects"]["GDTC"]))
    for i in (1, 2):
        put(school, "Vũ Ánh", "tx", i, "Đ", subject="GDTC")
    put(school, "Vũ Ánh", "gk", 1, "Đ", subject="GDTC")
    put(school, "Vũ Ánh", "ck", 1, "CĐ", subject="GDTC")
    with app.app_context():
        data = teacher_book.pdf(teacher_book.build(pe), use_cache=False)
    text = check_a4_pdf(data).pages[1].extract_text()
    assert "Vũ Ánh" in text and "CĐ" in text and "Chưa đạt" in text and "ĐTBmcn" not in text


def test_45_pupils_fit_one_page_per_semester_with_physical_page_numbers(app, school):
    """Issue #12: a 45-pupil grid pushed the count, signature and footer onto a page of their own."""
    from datetime import date

    from models.core import write_transaction
    from models.people.records import create_student
    from models.school.structure import enrol

    with write_transaction():
        for i in range(45 - len(school["students"]) + 1):  # 6A1 holds all but Bùi Thị Cúc
            s = create_student({"full_name": f"Nguyễn Ngọc Quỳnh Giang {i}", "gender": "Nữ",
                                "date_of_birth": date(2013, 2, 2)}, 2024)
            enrol(s, school["classes"]["6A1"], date(2024, 9, 5))
    fill(school, "Nguyễn Thị An")
    with app.app_context():
        data = teacher_book.pdf(teacher_book.build(school["assignment"]), use_cache=False)
    reader = check_a4_pdf(data)
    assert len(reader.pages) == 3  # cover, HK I, HK II
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text()
        assert f"Trang {number}/3" in text and "Mã xác thực" in text
        if number > 1:
            assert "Nguyễn Ngọc Quỳnh Giang 36" in text and "điểm được sửa chữa" in text and "Giáo viên bộ môn" in text


def applied_correction(school, name, kind, idx, old, new, semester=1):
    """An applied correction request as the workflow leaves it (approved by the principal on 12/03/2025)."""
    from models.gradebook.corrections import CorrectionRequest

    put(school, name, kind, idx, new, semester, corrected=True)
    term = Semester.get((Semester.year == school["year"]) & (Semester.number == semester))
    with write_transaction():
        CorrectionRequest.create(
            target="mark", school_class=school["classes"]["6A1"], student=school["students"][name],
            subject=school["subjects"]["TOAN"], semester=term, kind=kind, idx=idx, old_value=old, new_value=new,
            reason="Nhập nhầm", state="da_ap_dung", filed_by=school["users"]["giaovien"],
            filed_at=datetime(2025, 3, 10, 8), decided_by=school["users"]["hieutruong"],
            decided_at=datetime(2025, 3, 12, 9), applied_by=school["users"]["admin"],
            applied_at=datetime(2025, 3, 12, 10))


def test_a_correction_prints_the_old_value_struck_and_the_approver(app, school):
    """Issue #12: the paper rule — old value struck through, new value in red, who approved it, room to sign."""
    fill(school, "Lê Văn An", "6.0")
    applied_correction(school, "Lê Văn An", "tx", 2, "6.0", "6.5")
    book = teacher_book.build(school["assignment"])
    first = book.pages[1]
    assert first.page_data["Sửa chữa"] == [{"Học sinh": "Lê Văn An", "Cột": "ĐĐGtx 2", "Cũ": "6,0", "Mới": "6,5",
                                             "Người duyệt": "Giáo Viên Hieutruong", "Ngày duyệt": "12/03/2025"}]
    assert "Sửa chữa" not in book.pages[2].page_data
    with app.app_context():
        data = teacher_book.pdf(book, use_cache=False)
    text = " ".join(check_a4_pdf(data).pages[1].extract_text().split())
    assert "Giáo Viên Hieutruong, 12/03/2025" in text and "Người duyệt, ngày duyệt" in text and "Ký" in text
    assert re.search(r"Lê Văn An 6,0 6,0 ?6,5 6,0", text)  # ĐĐGtx 1, the struck old and new ĐĐGtx 2, ĐĐGtx 3
    with app.test_request_context():
        html = teacher_book.html(teacher_book.build(school["assignment"]))
    assert '<td class="fix"><strike>6,0</strike>&nbsp;<span class="fixed">6,5</span></td>' in html
