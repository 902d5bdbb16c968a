"""Verification codes: a page's code is a hash of exactly its data, and /verify/<code> says what changed."""
from datetime import datetime

import pytest

from models.core import write_transaction
from models.printing.verification import (
    PrintedPage,
    check_code,
    clean_code,
    compute_code,
    differences,
    page_code,
    register_page_builder,
)

PAGE = {"page_key": "p1", "title": "Toán", "rows": [
    {"key": 1, "label": "Nguyễn Văn An", "cells": {"ĐĐGck": "7,5", "ĐTBmhk": "7,8"}},
    {"key": 2, "label": "Lê Thị Bình", "cells": {"ĐĐGck": "9,0", "ĐTBmhk": "8,9"}},
]}


@pytest.fixture
def today(app):
    state = {"pages": [PAGE]}
    register_page_builder("test_doc", lambda params: state["pages"], label="Tài liệu thử")
    return state


def test_code_is_grouped_hex_and_depends_on_data_document_and_params(app):
    code = page_code("test_doc", {"page_key": "p1"}, PAGE, now=datetime(2025, 1, 2, 8))
    assert clean_code(code) == code and len(code) == 11 and code[5] == "-"
    assert code == compute_code("test_doc", {"page_key": "p1"}, PAGE)
    other = {**PAGE, "title": "Ngữ văn"}
    assert compute_code("test_doc", {"page_key": "p1"}, other) != code
    assert compute_code("other_doc", {"page_key": "p1"}, PAGE) != code
    assert compute_code("test_doc", {"page_key": "p2"}, PAGE) != code
    # a second print of the same data keeps one row and refreshes when it was printed
    page_code("test_doc", {"page_key": "p1"}, PAGE, now=datetime(2025, 2, 3, 9))
    assert PrintedPage.select().where(PrintedPage.code == code).count() == 1
    assert PrintedPage.get(code=code).generated_at == datetime(2025, 2, 3, 9)


def test_page_code_works_inside_a_write_transaction(app):
    with write_transaction():
        code = page_code("test_doc", {"page_key": "p1"}, PAGE)
    assert PrintedPage.get(code=code).document == "test_doc"


def test_check_code_matches_then_lists_the_change(app, today):
    code = page_code("test_doc", {"page_key": "p1"}, PAGE)
    result = check_code(code.lower().replace("-", ""))
    assert result.found and result.checked and result.still_matches and not result.differences
    assert result.label == "Tài liệu thử"
    changed = {**PAGE, "rows": [{**PAGE["rows"][0], "cells": {"ĐĐGck": "8,0", "ĐTBmhk": "7,8"}}, PAGE["rows"][1]]}
    today["pages"] = [changed]
    result = check_code(code)
    assert result.found and not result.still_matches
    assert result.differences == ["Nguyễn Văn An, ĐĐGck: 7,5 → 8,0"]


def test_rows_added_or_removed_are_named(app):
    new = {**PAGE, "rows": [PAGE["rows"][0], {"key": 3, "label": "Trần Văn Cường", "cells": {}}]}
    lines = differences(PAGE, new)
    assert "Lê Thị Bình: không còn trên trang" in lines
    assert "Trần Văn Cường: mới có trên trang" in lines


def test_unknown_or_malformed_codes(app):
    assert not check_code("ABCDE-1234Z").found
    assert "không hợp lệ" in check_code("xyz").message
    assert "Không tìm thấy" in check_code("00000-00000").message
