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
