"""The school summary's aggregate reading (models/yearend/school_counts.py) gives, class by class, the very counts
of the class sheets (models/yearend/results.py) it replaced: on the small school's every outcome, with an
incomplete subject and a TX column beyond the required count, and on the demo's two years."""
from datetime import date, datetime

import pytest

from models.core import write_transaction
from models.gradebook.marks import MarkCell
from models.school.structure import SchoolClass, SchoolYear
from models.yearend import reports, results, school_counts
from tests.test_yearend import full_class, students
from tests.yearend_school import add_subjects, semester


def from_sheets(year, period) -> dict[str, dict]:
    """class name → the counts the summary makes, read from each class's computed sheet (the slow path)."""
    found = {}
    for school_class in SchoolClass.select().where(SchoolClass.year == year):
        row = reports.SummaryRow(school_class.name)
        for r in results.class_sheet(school_class, period).active_rows:
            row.total += 1
            row.add(r.learning and f"ht:{r.learning}")
            row.add(r.conduct and f"rl:{r.conduct}")
            if period is None:
                row.add(r.promotion and f"ll:{r.promotion}")
                row.add(r.award and f"dh:{r.award}")
        found[school_class.name] = {"total": row.total, **row.counts}
    return found


def from_summary(year, period) -> dict[str, dict]:
    summary = reports.school_summary(year, period)
    return {r.label: {"total": r.total, **r.counts} for r in summary.rows if not r.is_total}


@pytest.fixture
def ys(school):
    add_subjects(school)
    return school


def test_the_aggregate_counts_equal_the_class_sheets_on_every_outcome(ys):
    s = full_class(ys)
    c = ys["classes"]["6A1"]
    with write_transaction():  # a TX beyond the required count (read cell by cell) and an incomplete subject
        MarkCell.insert(school_class=c, subject=ys["subjects"]["TOAN"], semester=semester(ys, 1), student=s[2],
                        kind="tx", idx=9, value="1.0", version=1, updated_at=datetime.now()).execute()
        MarkCell.update(value=None).where((MarkCell.student == s[1]) & (MarkCell.subject == ys["subjects"]["ANH"])
                                          & (MarkCell.kind == "ck")).execute()
    for period in (1, 2, results.YEAR):
        assert from_summary(ys["year"], period) == from_sheets(ys["year"], period)
    year = from_summary(ys["year"], results.YEAR)["6A1"]
    assert year["total"] == 7 and year["ll:Không được lên lớp"] == 1 and "dh:Học sinh Xuất sắc" in year
    outcomes = school_counts.class_outcomes(ys["year"], results.YEAR)[c.id]
    assert sum(o.learning is None for o in outcomes) == 1  # s[1], English incomplete


def test_a_student_who_left_is_not_counted(ys):
    s = full_class(ys)
    from models.people.records import change_student_status

    with write_transaction():
        change_student_status(s[0], "chuyen_di", date(2025, 3, 1), "Chuyển trường", "THCS Khác")
    assert from_summary(ys["year"], results.YEAR)["6A1"]["total"] == 6 == len(students(ys)) - 1
    assert from_summary(ys["year"], results.YEAR) == from_sheets(ys["year"], results.YEAR)


def test_on_the_demo_both_years_and_every_period(app):
    from models.demo.previous_year import seed_previous_year
    from models.demo.school import seed_demo_school

    day = date(2026, 12, 2)
    seed_demo_school(today=day)
    seed_previous_year(today=day)
    for year in SchoolYear.select():
        for period in (1, 2, results.YEAR):
            assert from_summary(year, period) == from_sheets(year, period), (year.name, period)
