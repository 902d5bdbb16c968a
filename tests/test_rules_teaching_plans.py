"""Lesson plan rules: the due day a week before the lesson, late and overdue, the walk, what a file is."""
import io
import zipfile
from datetime import date

import pytest

from models.rules import teaching_plans as rules


def office_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = office_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = office_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


def test_due_a_week_before_the_lesson_and_late_after_that():
    # a lesson on Monday 09/12/2024 is due on Monday 02/12/2024 (seed 002 Điều 5.2: "trước 1 tuần")
    assert rules.due_date(date(2024, 12, 9)) == date(2024, 12, 2)
    assert not rules.is_late(date(2024, 12, 2), date(2024, 12, 9))
    assert rules.is_late(date(2024, 12, 3), date(2024, 12, 9))
    assert not rules.is_late(date(2024, 12, 6), date(2024, 12, 9), due_days=3)  # the school's setting


def test_overdue_is_a_draft_or_returned_plan_past_its_due_day():
    lesson = date(2024, 12, 9)
    assert rules.is_overdue("draft", lesson, date(2024, 12, 3))
    assert rules.is_overdue("returned", lesson, date(2024, 12, 3))
    assert not rules.is_overdue("draft", lesson, date(2024, 12, 2))  # still the due day
    assert not rules.is_overdue("submitted", lesson, date(2024, 12, 8))
    assert not rules.is_overdue("approved", lesson, date(2024, 12, 8))


def test_tally_counts_states_late_and_overdue():
    rows = [("approved", date(2024, 12, 9), False), ("approved", date(2024, 12, 10), True),
            ("returned", date(2024, 12, 9), False), ("draft", date(2024, 12, 20), False),
            ("submitted", date(2024, 12, 11), True)]
    counts = rules.tally(rows, today=date(2024, 12, 4))
    assert counts == {"draft": 1, "submitted": 1, "returned": 1, "approved": 2, "late": 2, "overdue": 1, "total": 5}


def test_the_walk():
    rules.check_submit("draft", has_content=True)
    rules.check_submit("returned", has_content=True)
    with pytest.raises(ValueError, match="chưa có nội dung"):
        rules.check_submit("draft", has_content=False)
    with pytest.raises(ValueError, match="đang chờ tổ trưởng"):
        rules.check_editable("submitted")
    with pytest.raises(ValueError, match="đã được duyệt"):
        rules.check_editable("approved")
    rules.check_review("submitted", "approve", "")
    with pytest.raises(ValueError, match="ghi ý kiến"):
        rules.check_review("submitted", "return", "  ")
    with pytest.raises(ValueError, match="Nháp"):
        rules.check_review("draft", "approve", "")
    assert rules.needs_new_version("returned") and not rules.needs_new_version("draft")


def test_week_start_and_label():
    assert rules.week_start(date(2024, 12, 8)) == date(2024, 12, 2)  # a Sunday belongs to the week before
    assert rules.week_label(date(2024, 12, 2)) == "Tuần 02/12/2024 – 08/12/2024"


def test_plan_file_by_content_not_by_name():
    assert rules.check_plan_file(b"%PDF-1.7\n...") == rules.PDF
    assert rules.check_plan_file(DOCX) == rules.DOCX
    assert rules.check_plan_file(ODT) == rules.ODT
    # a zip that is neither (an .xlsx, a plain zip) and an image are refused, whatever they are called
    xlsx = office_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    for data in (xlsx, office_zip({"a.txt": b"x"}), b"\x89PNG\r\n\x1a\n", b"PK\x03\x04 broken", b"hello"):
        with pytest.raises(ValueError, match="PDF, DOCX hoặc ODT"):
            rules.check_plan_file(data)
    ods = office_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})
    with pytest.raises(ValueError, match="PDF, DOCX hoặc ODT"):
        rules.check_plan_file(ods)


def test_plan_file_empty_or_too_large():
    with pytest.raises(ValueError, match="trống"):
        rules.check_plan_file(b"")
    with pytest.raises(ValueError, match="tối đa 1 MB"):
        rules.check_plan_file(b"%PDF-" + b"x" * (1024 * 1024), max_bytes=1024 * 1024)


def test_missing_lessons_are_those_without_a_plan():
    scheduled = [(1, date(2024, 12, 9), 30), (1, date(2024, 12, 10), 31), (2, date(2024, 12, 9), 12)]
    assert rules.missing_lessons(scheduled, [(1, date(2024, 12, 9), 30)]) == scheduled[1:]
