"""Year-end lists, the school summary and the sector spreadsheet: print view, PDF and .xlsx."""
import io

import pytest
from openpyxl import load_workbook

from models.rules import tt22
from models.yearend import reports
from tests.test_yearend import full_class
from tests.yearend_school import add_subjects


@pytest.fixture
def ys(school):
    add_subjects(school)
    return school


def test_each_list_holds_its_students(ys):
    s = full_class(ys)
    c = ys["classes"]["6A1"]
    names = {kind: [r.result.student.id for r in reports.student_list(kind, [c])[1]] for kind in reports.LISTS}
    assert names["excellent"] == [s[0].id] and names["good"] == [s[6].id]
    assert set(names["retest"]) == {s[3].id, s[5].id} and set(names["summer"]) == {s[4].id, s[5].id}
    assert names["not_promoted"] == [s[6].id]
    assert set(names["promoted"]) == {s[0].id, s[1].id, s[2].id}
    retest = {r.result.student.id: r.detail for r in reports.student_list("retest", [c])[1]}
    assert retest[s[3].id] == "Toán, Ngữ văn"


def test_summary_counts_and_percentages_per_class_grade_and_school(ys):
    full_class(ys)
    summary = reports.school_summary(ys["year"])
    by_label = {r.label: r for r in summary.rows}
    assert [r.label for r in summary.rows] == ["6A1", "6A2", "Khối 6", "7A1", "Khối 7", "Toàn trường"]
    six = by_label["6A1"]
    assert six.total == 7 and six.counts[f"dh:{tt22.AWARD_EXCELLENT}"] == 1
    assert six.counts[f"ll:{tt22.NOT_PROMOTED}"] == 1
    assert by_label["Toàn trường"].total == 8  # 6A2's one student counts, without a result
    assert reports.percent(1, 7) == "14,3" and reports.percent(0, 0) == ""


def test_list_print_pdf_and_xlsx_over_http(client, login_as, ys):
    s = full_class(ys)
    c = ys["classes"]["6A1"]
    login_as("chunhiem")
    page = client.get(f"/homeroom/class/{c.id}/lists/retest").get_data(as_text=True)
    assert "Danh sách học sinh kiểm tra lại" in page and "Toán, Ngữ văn" in page and "Tải Excel" in page
    pdf = client.get(f"/homeroom/class/{c.id}/lists/retest?format=pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    xlsx = client.get(f"/homeroom/class/{c.id}/lists/excellent?format=xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == f"Danh sách Học sinh Xuất sắc lớp 6A1 – năm học {ys['year'].name}"
    assert rows[2][3] == s[0].full_name
    assert client.get(f"/homeroom/class/{c.id}/lists/nonsense").status_code == 404
    assert client.get(f"/homeroom/class/{ys['classes']['6A2'].id}/lists/promoted").status_code == 403


def test_sector_xlsx_columns_in_the_upload_order(client, login_as, ys):
    s = full_class(ys)
    c = ys["classes"]["6A1"]
    login_as("phohieutruong")
    data = client.get(f"/vice-principal/year-end/class/{c.id}/sector.xlsx").data
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    subjects = [sub.name for sub in sorted(ys["subjects"].values(), key=lambda x: x.position)]
    assert list(rows[1]) == ["Mã định danh", "Họ và tên", "Ngày sinh", *subjects, "Học tập", "Rèn luyện",
                             "Danh hiệu", "Lên lớp"]
    first = next(r for r in rows[2:] if r[0] == s[0].code)
    assert first[3] == pytest.approx(9.5) and first[-2:] == (tt22.AWARD_EXCELLENT, tt22.PROMOTED)


def test_summary_print_view_and_xlsx(client, login_as, ys):
    full_class(ys)
    login_as("hieutruong")
    page = client.get(f"/vice-principal/year-end/summary?year={ys['year'].id}").get_data(as_text=True)
    assert "Thống kê kết quả đánh giá" in page and "Toàn trường" in page and "14,3%" in page
    xlsx = client.get(f"/vice-principal/year-end/summary?year={ys['year'].id}&period=1&format=xlsx")
    header = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))[1]
    assert header[:4] == ("Lớp / khối", "Sĩ số", "Học tập: Tốt", "%")


def test_completed_programme_lists_only_grade_9_students_promoted(ys):
    from models.school.structure import Grade, SchoolClass

    s = full_class(ys)
    c = ys["classes"]["6A1"]
    assert reports.student_list("completed", [c])[1] == []
    # the class's grade becomes grade 9 (its subjects stay): the small school's grade 9 steps aside
    Grade.update(number=10).where(Grade.number == 9).execute()
    Grade.update(number=9).where(Grade.id == c.grade_id).execute()
    c = SchoolClass.get_by_id(c.id)
    rows = reports.student_list("completed", [c])[1]
    assert {r.result.student.id for r in rows} == {s[0].id, s[1].id, s[2].id}


def test_result_slips_one_page_per_student_with_the_year_and_the_comment(client, login_as, ys):
    from pypdf import PdfReader

    from models.yearend import records

    s = full_class(ys)
    c = ys["classes"]["6A1"]
    records.save_comment(c, s[0], None, "Gương mẫu, học giỏi", 0, ys["users"]["chunhiem"])
    login_as("chunhiem")
    page = client.get(f"/homeroom/class/{c.id}/slips").get_data(as_text=True)
    assert page.count("Phiếu báo kết quả học tập và rèn luyện") == 7 and "Gương mẫu, học giỏi" in page
    assert tt22.AWARD_EXCELLENT in page and "môn kiểm tra lại: Toán, Ngữ văn" in page
    pdf = client.get(f"/homeroom/class/{c.id}/slips?format=pdf")
    assert len(PdfReader(io.BytesIO(pdf.data)).pages) == 7
    assert client.get(f"/homeroom/class/{ys['classes']['6A2'].id}/slips").status_code == 403
