"""Entry deadlines of TNT (docs/rules.md) §6.2 as pure functions: week 8, three days before finals, 10 working days."""
from datetime import date

import pytest

from models.rules import progress as rules

# Thursday 05/09/2024: week 1 runs Monday 02/09 to Sunday 08/09
START = date(2024, 9, 5)


def test_week_end_counts_from_the_monday_of_the_first_week():
    assert rules.week_start(START) == date(2024, 9, 2)
    assert rules.week_end(START, 1) == date(2024, 9, 8)
    assert rules.week_end(START, 8) == date(2024, 10, 27)
    assert rules.week_end(START, 8).weekday() == 6  # a Sunday
    # a semester starting on a Monday: week 8 ends 7 weeks and 6 days later
    assert rules.week_end(date(2025, 1, 13), 8) == date(2025, 3, 9)


def test_week_end_refuses_week_zero():
    with pytest.raises(ValueError):
        rules.week_end(START, 0)


@pytest.mark.parametrize("today, status", [
    (date(2024, 10, 27), rules.OPEN),  # Sunday of week 8: still in time
    (date(2024, 10, 28), rules.LATE),  # Monday of week 9: late
])
def test_half_of_tx_by_the_end_of_week_8(today, status):
    half, _ = rules.tx_deadlines(filled=13, required=28, semester_start=START,
                                 final_tests_on=date(2024, 12, 23), today=today)
    assert half.due == date(2024, 10, 27)
    assert half.needed == 14
    assert half.status == status


def test_half_is_rounded_up_and_met_exactly_at_half():
    assert rules.half_of(13) == 7
    half, _ = rules.tx_deadlines(14, 28, START, date(2024, 12, 23), today=date(2024, 11, 30))
    assert half.status == rules.DONE and not half.late


@pytest.mark.parametrize("today, status", [
    (date(2024, 12, 20), rules.OPEN),  # three days before the tests of 23/12: the last day
    (date(2024, 12, 21), rules.LATE),
])
def test_all_tx_three_days_before_the_final_tests(today, status):
    _, full = rules.tx_deadlines(27, 28, START, date(2024, 12, 23), today)
    assert full.due == date(2024, 12, 20)
    assert full.status == status


def test_all_tx_without_a_final_test_date_is_never_late():
    _, full = rules.tx_deadlines(0, 28, START, None, date(2025, 6, 1))
    assert full.status == rules.NO_DATE and not full.late
    assert full.status_label == "Chưa có ngày kiểm tra"


def test_ten_working_days_skip_saturday_and_sunday():
    # a Monday test: ten working days later is the Monday two weeks on
    assert rules.periodic_due(date(2024, 12, 23)) == date(2025, 1, 6)
    # a Friday test: Mon..Fri and Mon..Fri → the second Friday after
    assert rules.periodic_due(date(2024, 10, 25)) == date(2024, 11, 8)
    # a Saturday test: counting starts on Monday
    assert rules.periodic_due(date(2024, 10, 26)) == date(2024, 11, 8)
    assert rules.periodic_due(None) is None


@pytest.mark.parametrize("today, filled, status", [
    (date(2025, 1, 6), 44, rules.OPEN),  # the tenth working day itself
    (date(2025, 1, 7), 44, rules.LATE),
    (date(2025, 1, 7), 45, rules.DONE),  # every student's mark: never late
])
def test_periodic_test_deadline(today, filled, status):
    d = rules.periodic_deadline("ĐĐGck", filled, 45, date(2024, 12, 23), today)
    assert d.status == status
    assert d.late is (status == rules.LATE)


def test_periodic_test_without_a_date_is_not_flagged():
    d = rules.periodic_deadline("ĐĐGgk", 0, 45, None, date(2025, 6, 1))
    assert d.status == rules.NO_DATE and not d.late and d.due is None
