"""The class book and the học bạ print the homeroom teacher's conduct levels (the hook
models.printing.class_book.conduct_level), and with them học tập, the award and promotion."""
import io

import pytest
from pypdf import PdfReader

from models.printing import hoc_ba
from models.printing.class_book import conduct_level
from models.rules import tt22
from tests.test_yearend import full_class
from tests.yearend_school import add_subjects


@pytest.fixture
def ys(school):
    add_subjects(school)
    return school


def test_the_books_read_the_conduct_levels_of_that_class(ys):
    s = full_class(ys)
    c = ys["classes"]["6A1"]
    assert [conduct_level(s[1].id, n, c.id) for n in (1, 2, None)] == [tt22.TOT, tt22.KHA, tt22.KHA]
    assert conduct_level(s[1].id, 1, ys["classes"]["6A2"].id) is None  # not rated in another class
    page = hoc_ba.student_page(s[0], ys["year"])
    assert page.conduct == (tt22.TOT, tt22.TOT, tt22.TOT)
    assert page.award == tt22.AWARD_EXCELLENT


def test_the_hoc_ba_pdf_shows_conduct_and_the_award(client, login_as, ys):
    s = full_class(ys)
    resp = login_as("admin").client.get(f"/print/hoc-ba/{s[0].id}.pdf?year={ys['year'].name}")
    text = PdfReader(io.BytesIO(resp.data)).pages[0].extract_text()
    assert tt22.AWARD_EXCELLENT in text and "Tốt" in text


def _after_summer(ys):
    """The class approved; a re-test mark for Đặng Quốc Đạt (s[3], Toán and Ngữ văn), conduct after training for
    Phạm Minh Dũng (s[4]); the GVCN's and the Toán teacher's comments on s[3]."""
    from models.yearend import records, summer
    from tests.test_yearend import approve

    c = ys["classes"]["6A1"]
    s = full_class(ys)
    approve(ys)
    summer.save_retest(c, s[3], ys["subjects"]["TOAN"], "6,5", ys["users"]["admin"])
    summer.save_retest(c, s[3], ys["subjects"]["VAN"], "5,0", ys["users"]["admin"])
    summer.save_summer_conduct(c, s[4], "Đ", ys["users"]["chunhiem"])
    records.save_comment(c, s[3], None, "Ngoan, cần cố gắng hơn ở môn Toán.", 0, ys["users"]["chunhiem"])
    records.save_comment(c, s[3], ys["subjects"]["TOAN"], "Tiến bộ sau kì kiểm tra lại.", 0,
                         ys["users"]["giaovien"])
    return c, s


def test_the_hoc_ba_prints_comments_and_the_results_after_summer(app, ys):
    from tests.test_hoc_ba import check_a4_pdf

    c, s = _after_summer(ys)
    page = hoc_ba.student_page(s[3], ys["year"])
    toan = next(line for line in page.lines if line.key == "TOAN")
    assert (toan.after_retest, toan.comment) == ("6,5", "Tiến bộ sau kì kiểm tra lại.")
    assert next(line for line in page.lines if line.key == "ANH").after_retest == ""
    assert page.homeroom_comment == "Ngoan, cần cố gắng hơn ở môn Toán."
    assert page.promotion == tt22.RETEST and page.final_decision == tt22.PROMOTED
    assert page.summer_learning == tt22.KHA  # Toán 6,5 and Ngữ văn 5,0 beside 8,0 elsewhere
    trainee = hoc_ba.student_page(s[4], ys["year"])
    assert (trainee.summer_conduct, trainee.final_decision) == (tt22.DAT, tt22.PROMOTED)
    with app.app_context():
        text = check_a4_pdf(hoc_ba.student_pdfs([page])[0]).pages[0].extract_text()
    for words in ("Tiến bộ sau kì kiểm tra lại.", "Ngoan, cần cố gắng hơn ở môn Toán.", "sau kiểm tra lại, rèn luyện hè: Được lên lớp",
                  "sau kiểm tra lại", "6,5"):
        assert words in text, words


def test_the_class_book_fills_its_after_summer_page(ys):
    from datetime import date

    from models.printing.class_book import build_book

    c, s = _after_summer(ys)
    book = build_book(c, today=date(2025, 6, 30))
    data = next(p for p in book.pages if p.kind == "after_summer").data
    rows = {r["label"]: r for r in data["rows"]}
    assert set(rows) == {s[3].full_name, s[4].full_name, s[5].full_name}
    retester = rows[s[3].full_name]
    assert retester["Kiểm tra lại"] == "Toán: 6,5; Ngữ văn: 5,0"
    assert (retester["Kết quả lần đầu"], retester["Lên lớp sau hè"]) == (tt22.RETEST, tt22.PROMOTED)
    trainee = rows[s[4].full_name]
    assert (trainee["Rèn luyện sau hè"], trainee["Rèn luyện cả năm sau hè"]) == (tt22.DAT, tt22.DAT)
    assert rows[s[5].full_name]["Lên lớp sau hè"] == ""  # both still open: written in later
    year = next(p for p in book.pages if p.kind == "year").data
    assert next(r for r in year["rows"] if r["label"] == s[4].full_name)["Lên lớp"] == tt22.SUMMER_TRAINING
