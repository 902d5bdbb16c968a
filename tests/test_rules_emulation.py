"""Weekly emulation (thi đua tuần): worked examples of the points and the ranking with ties."""
from datetime import date

import pytest

from models.rules.emulation import (
    BASE_POINTS,
    parse_points,
    rank_classes,
    week_label,
    week_points,
    week_start,
)
from models.rules.text import class_name_key


def test_the_week_starts_on_monday():
    assert week_start(date(2024, 12, 2)) == date(2024, 12, 2)  # a Monday
    assert week_start(date(2024, 12, 8)) == date(2024, 12, 2)  # the Sunday after
    assert week_start(date(2024, 12, 9)) == date(2024, 12, 9)
    assert week_label(date(2024, 12, 2)) == "Tuần 02/12/2024 – 08/12/2024"


def test_points_are_the_base_plus_every_item():
    # 6A1: two late (−2 each), one class untidy (−5), three good answers (+1 each)
    assert week_points([-2, -2, -5, 1, 1, 1]) == BASE_POINTS - 6
    assert week_points([]) == BASE_POINTS
    assert week_points([-3], base=10) == 7


def test_equal_points_share_a_place_and_the_next_is_skipped():
    ranked = rank_classes({"6A2": 98, "6A1": 100, "6A10": 98, "7A1": 95, "6A3": 100})
    assert [(r.name, r.points, r.rank) for r in ranked] == [
        ("6A1", 100, 1), ("6A3", 100, 1), ("6A10", 98, 3), ("6A2", 98, 3), ("7A1", 95, 5)]
    # with the school's class order, 6A2 comes before 6A10 among equals
    ranked = rank_classes({"6A2": 98, "6A10": 98}, order_key=class_name_key)
    assert [r.name for r in ranked] == ["6A2", "6A10"] and {r.rank for r in ranked} == {1}


def test_no_classes_no_ranking():
    assert rank_classes({}) == []


@pytest.mark.parametrize(("text", "value"), [("-2", -2), ("−2", -2), ("+1", 1), (" 3 ", 3), ("- 5", -5)])
def test_points_as_typed(text, value):
    assert parse_points(text) == value


@pytest.mark.parametrize("text", ["", "0", "1,5", "abc", "-101", "200"])
def test_impossible_points_are_refused_in_vietnamese(text):
    with pytest.raises(ValueError, match="Điểm"):
        parse_points(text)
