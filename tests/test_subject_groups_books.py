"""THPT books follow the subject groups: the teacher's book lists the guests who take the elective with the
teacher's class (their marks and corrections live in their own class's book)."""
import io

import pytest
from pypdf import PdfReader

from models.core import write_transaction
from models.gradebook.marks import MarkCell
from models.printing import teacher_book
from tests.thpt_school import build_thpt


@pytest.fixture
def thpt(school):
    return build_thpt(school)


def _mark(thpt, class_name, name, kind, idx, value, subject="TIN", corrected=False):
    with write_transaction():
        MarkCell.create(school_class=thpt["classes"][class_name], subject=thpt["subjects"][subject],
                        semester=thpt["hk1"], student=thpt["pupils"][name], kind=kind, idx=idx, value=value,
                        corrected=corrected)


def test_the_teachers_book_lists_the_guest_with_their_class_and_corrections(thpt):
    _mark(thpt, "10A1", "Phạm Thu Hà", "tx", 1, "9.0")
    _mark(thpt, "10A2", "Lê Văn Bình", "tx", 1, "6.5", corrected=True)  # in his own class's book
    book = teacher_book.build(thpt["assignments"][("10A1", "TIN")])
    cover, first = book.pages[0].page_data, book.pages[1].page_data
    assert cover["Học sinh học ghép từ lớp"] == ["10A2"]
    rows = [(r["label"], r.get("Lớp"), r["cells"]["ĐĐGtx 1"]) for r in first["rows"]]
    assert rows == [("Phạm Thu Hà", None, "9,0"), ("Lê Văn Bình", "10A2", "6,5")]
    assert first["Số điểm được sửa chữa"] == 1 and first["rows"][1]["sửa chữa"] == ["ĐĐGtx 1"]
    # the Địa lí teacher of 10A2 no longer has Bình
    dia = teacher_book.build(thpt["assignments"][("10A2", "DIA")])
    assert [r["label"] for r in dia.pages[1].page_data["rows"]] == ["Đỗ Thị Lan"]
    assert "Học sinh học ghép từ lớp" not in dia.pages[0].page_data


def test_the_teachers_book_pdf_names_the_guests_class(thpt, login_as):
    _mark(thpt, "10A2", "Lê Văn Bình", "ck", 1, "8.0")
    auth = login_as("giaovien")
    resp = auth.client.get(f"/print/teacher-book/{thpt['assignments'][('10A1', 'TIN')].id}.pdf")
    assert resp.status_code == 200
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages]
    with open("/tmp/thpt2-teacher-book.pdf", "wb") as out:
        out.write(resp.data)
    assert "Học sinh học ghép từ lớp" in pages[0] and "10A2" in pages[0]
    assert "Lê Văn Bình" in pages[1] and "(lớp 10A2)" in pages[1] and "Phạm Thu Hà" in pages[1]


# --- year-end result sheets -------------------------------------------------------------------------

def _semester_marks(thpt, class_name, name, subject, number, value, tx):
    from models.school.structure import Semester

    term = Semester.get((Semester.year == thpt["hk1"].year_id) & (Semester.number == number))
    with write_transaction():
        for kind, idx in [*(("tx", i) for i in range(1, tx + 1)), ("gk", 1), ("ck", 1)]:
            MarkCell.create(school_class=thpt["classes"][class_name], subject=thpt["subjects"][subject],
                            semester=term, student=thpt["pupils"][name], kind=kind, idx=idx, value=value)


def test_two_students_of_one_class_with_different_electives_get_their_own_subjects(thpt):
    from models.yearend import reports, results

    # 10A2: Bình studies Toán and Tin học (with 10A1); Lan studies Toán and Địa lí (the class's group)
    for number in (1, 2):
        _semester_marks(thpt, "10A2", "Lê Văn Bình", "TOAN", number, "7.0", 4)
        _semester_marks(thpt, "10A2", "Lê Văn Bình", "TIN", number, "9.0", 3)
        _semester_marks(thpt, "10A2", "Đỗ Thị Lan", "TOAN", number, "6.0", 4)
        _semester_marks(thpt, "10A2", "Đỗ Thị Lan", "DIA", number, "8.0", 3)
    sheet = results.class_sheet(thpt["classes"]["10A2"], results.YEAR)
    assert [c.subject.code for c in sheet.columns] == ["TOAN", "TIN", "DIA"]
    tin = next(c for c in sheet.columns if c.subject.code == "TIN")
    assert tin.teachers == thpt["assignments"][("10A1", "TIN")].teacher.full_name
    rows = {r.student.full_name: r for r in sheet.rows}
    binh, lan = rows["Lê Văn Bình"], rows["Đỗ Thị Lan"]
    assert (binh.missing, lan.missing) == ([], [])
    assert {c.subject.code: binh.subject_text(c.subject.id) for c in sheet.columns} == {
        "TOAN": "7,0", "TIN": "9,0", "DIA": ""}
    assert {c.subject.code: lan.subject_text(c.subject.id) for c in sheet.columns} == {
        "TOAN": "6,0", "TIN": "", "DIA": "8,0"}
    assert not binh.studies(thpt["subjects"]["DIA"].id) and not lan.studies(thpt["subjects"]["TIN"].id)
    assert sheet.incomplete == []
    slips = {s.student.full_name: [line.subject for line in s.lines] for s in reports.result_slips(sheet.school_class)}
    assert slips == {"Lê Văn Bình": ["Toán", "Tin học"], "Đỗ Thị Lan": ["Toán", "Địa lí"]}
    # the sector upload: one column per subject of the class's book, empty where the student does not study it
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(reports.sector_xlsx(sheet))).active.iter_rows(values_only=True))
    assert list(rows[1][3:6]) == ["Toán", "Tin học", "Địa lí"]
    by_name = {r[1]: r[3:6] for r in rows[2:]}
    assert by_name["Lê Văn Bình"][:2] == (7, 9) and by_name["Lê Văn Bình"][2] in (None, "")
    assert by_name["Đỗ Thị Lan"][0] == 6 and by_name["Đỗ Thị Lan"][1] in (None, "") and by_name["Đỗ Thị Lan"][2] == 8


def test_a_missing_elective_is_flagged_with_the_teacher_of_the_class_it_is_taken_with(thpt):
    from models.yearend import results

    _semester_marks(thpt, "10A2", "Đỗ Thị Lan", "DIA", 1, "8.0", 3)
    sheet = results.class_sheet(thpt["classes"]["10A2"], 1)
    rows = {r.student.full_name: r for r in sheet.rows}
    assert rows["Lê Văn Bình"].missing == ["Toán", "Tin học"] and rows["Đỗ Thị Lan"].missing == ["Toán"]
    teacher = thpt["assignments"][("10A1", "TIN")].teacher.full_name
    assert [i.text for i in sheet.incomplete if i.subject.code == "TIN"] == [
        f"Tin học ({teacher}): 1 học sinh chưa đủ điểm"]


def test_the_chuyen_de_column_counts_on_the_result_sheet(thpt):
    from models.yearend import results

    # 10A1's group adds one ĐĐGtx to Toán: four are not enough
    _semester_marks(thpt, "10A1", "Phạm Thu Hà", "TOAN", 1, "8.0", 4)
    row = results.class_sheet(thpt["classes"]["10A1"], 1).rows[0]
    assert "Toán" in row.missing
    with write_transaction():
        MarkCell.create(school_class=thpt["classes"]["10A1"], subject=thpt["subjects"]["TOAN"],
                        semester=thpt["hk1"], student=thpt["pupils"]["Phạm Thu Hà"], kind="tx", idx=5, value="8.0")
    row = results.class_sheet(thpt["classes"]["10A1"], 1).rows[0]
    assert "Toán" not in row.missing and row.subject_text(thpt["subjects"]["TOAN"].id) == "8,0"
