"""The lock schedule and the principal's switch as pure rules (models/rules/locks.py)."""
from datetime import date, datetime, timedelta

import pytest

from models.rules.locks import (
    SCHEDULE_CLOSED,
    SCHEDULE_OPEN,
    Override,
    Window,
    is_open,
    lock_state,
    week_window,
    working_days_after,
)

OPENS = datetime(2024, 9, 16)
CLOSES = datetime(2024, 11, 4)  # Sunday 03/11 24:00
TX = [Window("tx", OPENS, CLOSES)]
SECOND = timedelta(seconds=1)
NOW = datetime(2024, 10, 1, 10, 0)


def state(overrides, now=NOW, windows=TX, kind="tx", grade=6, class_id=11, subject_id=3):
    return lock_state(windows, overrides, kind, grade, class_id, subject_id, now, class_name="6A1",
                      subject_name="Toán")


def test_closing_edge_one_second_before_and_at_and_after():
    assert is_open(TX, "tx", CLOSES - SECOND)  # Sunday 23:59:59
    assert not is_open(TX, "tx", CLOSES)  # Monday 00:00:00
    assert not is_open(TX, "tx", CLOSES + SECOND)


def test_opening_edge():
    assert not is_open(TX, "tx", OPENS - SECOND)
    assert is_open(TX, "tx", OPENS)


def test_window_of_another_kind_does_not_open():
    assert not is_open(TX, "gk", NOW)
    assert state([], kind="gk") == state([], now=CLOSES)
    assert state([], kind="gk").locked


def test_any_of_several_windows_opens():
    windows = TX + [Window("tx", datetime(2024, 12, 13), datetime(2025, 1, 7))]
    assert is_open(windows, "tx", datetime(2025, 1, 6, 23, 59, 59))
    assert not is_open(windows, "tx", datetime(2024, 11, 20))


def test_schedule_decides_without_override():
    assert state([], now=CLOSES - SECOND).locked is False
    assert state([], now=CLOSES - SECOND).reason == SCHEDULE_OPEN
    closed = state([], now=CLOSES)
    assert closed.locked is True and closed.reason == SCHEDULE_CLOSED == "Ngoài thời gian nhập điểm"


def test_override_precedence_most_specific_wins():
    at = datetime(2024, 9, 20)
    school = Override("school", "", True, at)
    grade_open = Override("grade", "6", False, at)
    class_lock = Override("class", "11", True, at)
    cell_open = Override("class_subject", "11:3", False, at)
    assert state([school]).reason == "Đã khoá toàn trường"
    assert state([school, grade_open]).locked is False
    assert state([school, grade_open]).reason == "Đã mở khối 6"
    assert state([school, grade_open, class_lock]).reason == "Đã khoá lớp 6A1"
    assert state([cell_open, class_lock, grade_open, school]).locked is False  # order of the list does not matter
    assert state([cell_open, class_lock, grade_open, school]).reason == "Đã mở môn Toán lớp 6A1"


def test_overrides_of_other_targets_do_not_apply():
    at = datetime(2024, 9, 20)
    others = [Override("grade", "7", True, at), Override("class", "12", True, at),
              Override("class_subject", "11:4", True, at), Override("class_subject", "12:3", True, at)]
    assert state(others).locked is False


def test_latest_override_of_a_scope_wins():
    lock = Override("class", "11", True, datetime(2024, 9, 20, 8, 0), "kiểm tra")
    unlock = Override("class", "11", False, datetime(2024, 9, 20, 9, 0), "xong")
    assert state([unlock, lock], now=CLOSES).locked is False
    assert state([unlock, lock], now=CLOSES).note == "xong"
    relock = Override("class", "11", True, datetime(2024, 9, 21), "khoá lại")
    assert state([lock, relock, unlock]).locked is True


def test_same_time_later_in_list_wins():
    at = datetime(2024, 9, 20)
    assert state([Override("class", "11", True, at), Override("class", "11", False, at)]).locked is False
    assert state([Override("class", "11", False, at), Override("class", "11", True, at)]).locked is True


def test_unlock_override_opens_a_closed_window():
    after_close = CLOSES + timedelta(days=3)
    assert state([], now=after_close).locked is True
    opened = state([Override("class_subject", "11:3", False, datetime(2024, 11, 5))], now=after_close)
    assert opened.locked is False and opened.reason == "Đã mở môn Toán lớp 6A1"


def test_lock_override_closes_an_open_window():
    assert state([Override("school", "", True, datetime(2024, 9, 30))]).locked is True


def test_override_not_yet_made_is_not_active():
    later = Override("school", "", True, NOW + SECOND)
    assert state([later]).locked is False
    assert state([later], now=NOW + SECOND).locked is True


def test_back_to_schedule_hands_over_to_less_specific_scopes():
    lock = Override("school", "", True, datetime(2024, 9, 20))
    opened = Override("class", "11", False, datetime(2024, 9, 21))
    back = Override("class", "11", None, datetime(2024, 9, 22))
    assert state([lock, opened]).locked is False
    assert state([lock, opened, back]).reason == "Đã khoá toàn trường"
    assert state([Override("school", "", None, datetime(2024, 9, 20))], now=CLOSES).reason == SCHEDULE_CLOSED


def test_week_window_seed_003():
    # 05/09/2024 is a Thursday: week 1 starts Monday 02/09, week 3 on 16/09, week 9 ends Sunday 03/11
    opens, closes = week_window(date(2024, 9, 5), 3, 9)
    assert opens == datetime(2024, 9, 16, 0, 0)
    assert closes == datetime(2024, 11, 4, 0, 0)
    assert is_open([Window("tx", opens, closes)], "tx", datetime(2024, 11, 3, 23, 59, 59))
    assert not is_open([Window("tx", opens, closes)], "tx", datetime(2024, 11, 4, 0, 0, 0))


def test_week_window_semester_starting_on_monday_and_sunday():
    assert week_window(date(2025, 1, 13), 1, 1) == (datetime(2025, 1, 13), datetime(2025, 1, 20))
    assert week_window(date(2025, 1, 19), 1, 1) == (datetime(2025, 1, 13), datetime(2025, 1, 20))


def test_week_window_refuses_reversed_weeks():
    with pytest.raises(ValueError):
        week_window(date(2024, 9, 5), 9, 3)
    with pytest.raises(ValueError):
        week_window(date(2024, 9, 5), 0, 3)


def test_working_days_skip_weekends():
    assert working_days_after(date(2024, 12, 23), 10) == date(2025, 1, 6)  # Monday + 10 working days
    assert working_days_after(date(2024, 12, 20), 1) == date(2024, 12, 23)  # Friday → Monday
