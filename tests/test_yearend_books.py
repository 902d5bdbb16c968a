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
