"""Học bạ (A4 portrait): the page's data, corrections footer, codes, PDF fonts and who may print it."""
from models.core import write_transaction
from models.printing import hoc_ba
from models.school.structure import TeachingAssignment
from tests.test_teacher_book import check_a4_pdf, fill, put


def _pe(school, name, levels=("Đ", "Đ", "Đ", "Đ"), semester=1):
    for (kind, idx), level in zip((("tx", 1), ("tx", 2), ("gk", 1), ("ck", 1)), levels, strict=True):
        put(school, name, kind, idx, level, semester, subject="GDTC")


def test_page_results_corrections_and_pdf(app, school, login_as):
    an = school["students"]["Nguyễn Thị An"]
    fill(school, "Nguyễn Thị An", "8.0", 1)
    fill(school, "Nguyễn Thị An", "9.0", 2)
    _pe(school, "Nguyễn Thị An", semester=1)
    _pe(school, "Nguyễn Thị An", ("Đ", "Đ", "Đ", "CĐ"), semester=2)
    put(school, "Nguyễn Thị An", "ck", 1, "9.0", 2, corrected=True)
    put(school, "Nguyễn Thị An", "ck", 1, "Đ", 1, subject="GDTC", corrected=True)
    put(school, "Lê Văn An", "gk", 1, "5.0", corrected=True)  # another student's correction
    page = hoc_ba.student_page(an, school["year"])
    math = next(line for line in page.lines if line.key == "TOAN")
    pe = next(line for line in page.lines if line.key == "GDTC")
    assert (math.first, math.second, math.year) == ("8,0", "9,0", "8,7")
    assert (pe.first, pe.second, pe.year) == ("Đ", "CĐ", "CĐ")
    assert page.corrections == 2 and page.corrected_subjects == ["Toán", "Giáo dục thể chất"]
    assert page.conduct == ("—", "—", "—") and page.award == "—"

    resp = login_as("admin").client.get(f"/print/hoc-ba/{an.id}.pdf?year=2024-2025")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    reader = check_a4_pdf(resp.data)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Nguyễn Thị An" in text and an.code in text
    assert "Trong bảng này có sửa chữa ở: 2 chỗ, thuộc các môn học: Toán, Giáo dục thể chất" in text
    assert "Xác nhận của giáo viên chủ nhiệm" in text and "Xác nhận của Hiệu trưởng" in text
    assert "Trang 1/1" in text and "Mã xác thực" in text


def test_code_changes_with_that_students_marks_only(school):
    an, cuc = school["students"]["Nguyễn Thị An"], school["students"]["Bùi Thị Cúc"]
    fill(school, "Nguyễn Thị An", "8.0", 1)

    def code(student):
        return hoc_ba.stamp([hoc_ba.student_page(student, school["year"])])[0].code

    first = code(an)
    assert code(an) == first
    put(school, "Lê Văn An", "ck", 1, "3.0")  # another student
    assert code(an) == first
    put(school, "Nguyễn Thị An", "ck", 1, "9.0")  # changes her ĐTBmhk I
    changed = code(an)
    assert changed != first
    cuc_code = code(cuc)
    put(school, "Nguyễn Thị An", "gk", 1, "10")
    assert code(cuc) == cuc_code


def test_class_batch_renders_one_page_per_student(app, school):
    with app.app_context():
        pages = hoc_ba.class_pages(school["classes"]["6A1"])
        parts = hoc_ba.student_pdfs(pages)
        batched = hoc_ba.student_pdfs(pages[:3], batch=3)  # one render split into one PDF per student
    assert len(parts) == 7 and len(batched) == 3
    for page, data in zip(pages[:3], batched, strict=True):
        assert page.student.full_name in check_a4_pdf(data).pages[0].extract_text()
    for page, data in zip(pages, parts, strict=True):
        assert page.student.full_name in check_a4_pdf(data).pages[0].extract_text()


def test_who_may_print(school, login_as, client):
    an, cuc = school["students"]["Nguyễn Thị An"], school["students"]["Bùi Thị Cúc"]
    auth = login_as("chunhiem")  # homeroom teacher of 6A1
    assert client.get(f"/print/hoc-ba/{an.id}").status_code == 200
    assert client.get(f"/print/hoc-ba/{cuc.id}").status_code == 403  # 6A2
    assert client.get(f"/print/hoc-ba/{cuc.id}.pdf").status_code == 403
    auth.logout()
    auth = login_as("giaovien")  # teaches 6A1, not its homeroom teacher
    assert client.get(f"/print/hoc-ba/{an.id}").status_code == 403
    for username in ("admin", "hieutruong", "phohieutruong"):
        auth.logout()
        auth = login_as(username)
        assert client.get(f"/print/hoc-ba/{cuc.id}").status_code == 200, username
    assert TeachingAssignment.select().count() == 3


def test_absences_by_kind_have_their_own_line_and_the_comment_is_ruled(app, school):
    """Issue #12: "P: 1; K: 1" sat in the re-assessment column; the GVCN comment was two uneven dotted lines."""
    from datetime import date

    from tests.test_printing import _mark

    _mark(school, "Nguyễn Thị An", date(2024, 10, 8), "P")
    _mark(school, "Nguyễn Thị An", date(2024, 10, 9), "K")
    page = hoc_ba.student_page(school["students"]["Nguyễn Thị An"], school["year"])
    with app.app_context():
        text = check_a4_pdf(hoc_ba.student_pdfs([page])[0]).pages[0].extract_text()
    row = text.split("Tổng số buổi nghỉ học")[1].split("Môn đánh giá bằng nhận xét")[0]
    assert row.split() == ["2", "0", "2"]  # HK I, HK II, Cả năm; nothing in the re-assessment column
    assert "P:" not in text and "K:" not in text
    assert "1 buổi có phép (P), 1 buổi không phép (K)" in text
    assert "……" not in text.split("Nhận xét của giáo viên chủ nhiệm")[1].split("Trong bảng")[0]


def test_a_grade_of_thirteen_subjects_with_corrections_fits_one_page(app, school):
    """The national header, P/K line, ruled comment lines and the QR footer must leave the page whole."""
    from models.school.structure import GradeSubject, Subject

    with write_transaction():
        for i in range(11):
            subject = Subject.create(code=f"M{i}", name=f"Môn học thứ {i} (Hoạt động giáo dục)", kind="scored",
                                     position=10 + i)
            GradeSubject.create(grade=school["classes"]["6A1"].grade, subject=subject, periods_per_year=70)
    fill(school, "Nguyễn Thị An")
    put(school, "Nguyễn Thị An", "ck", 1, "9.0", corrected=True)
    page = hoc_ba.student_page(school["students"]["Nguyễn Thị An"], school["year"])
    assert len(page.lines) == 13
    with app.app_context():
        reader = check_a4_pdf(hoc_ba.student_pdfs([page])[0])
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Xác nhận của Hiệu trưởng" in text and "Trang 1/1" in text and len(reader.pages[0].images) == 1
