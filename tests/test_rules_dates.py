"""Tests for models.rules.dates: dd/mm/yyyy parsing and formatting, birth dates, weekdays."""

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.rules.dates import (
    WEEKDAY_SHORT,
    age_on,
    format_date,
    format_datetime,
    parse_birth_date,
    parse_date,
    weekday_short,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/09/2024", date(2024, 9, 5)),
        ("5/9/2024", date(2024, 9, 5)),  # day first, never month first
        ("12/01/2024", date(2024, 1, 12)),
        ("05-09-2024", date(2024, 9, 5)),
        ("05.09.2024", date(2024, 9, 5)),
        ("2024-09-05", date(2024, 9, 5)),
        ("2024-9-5", date(2024, 9, 5)),
        ("  29/02/2024 ", date(2024, 2, 29)),
        ("31/12/1999", date(1999, 12, 31)),
        ("01/01/1000", date(1000, 1, 1)),
    ],
)
def test_parse_date_valid(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2024",
        "29/02/2023",  # not a leap year
        "31/04/2024",
        "00/01/2024",
        "01/13/2024",
        "01/00/2024",
        "05/09/24",  # two-digit year
        "5/9/24",
        "05/09/0024",
        "05/09/20245",
        "2024-02-30",
        "2024/09/05",  # ISO only with dashes
        "05/09-2024",  # mixed separators
        "05 09 2024",
        "ngày 5 tháng 9",
        "",
        "   ",
        "12/31/2024",  # month-first (US) is impossible day-first
        "005/09/2024",
        "٠٥/٠٩/٢٠٢٤",  # non-ASCII digits
    ],
)
def test_parse_date_invalid(text: str) -> None:
    with pytest.raises(ValueError, match=r"^Ngày không hợp lệ: .* \(nhập theo dạng dd/mm/yyyy\)\.$"):
        parse_date(text)


def test_parse_date_message_echoes_input() -> None:
    with pytest.raises(ValueError) as info:
        parse_date(" 31/02/2024 ")
    assert str(info.value) == "Ngày không hợp lệ: 31/02/2024 (nhập theo dạng dd/mm/yyyy)."


def test_parse_date_message_for_empty_and_long_input() -> None:
    with pytest.raises(ValueError, match="chưa nhập ngày"):
        parse_date("")
    with pytest.raises(ValueError) as info:
        parse_date("x" * 500)
    assert len(str(info.value)) < 100


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (date(2024, 9, 5), "05/09/2024"),
        (date(999, 1, 2), "02/01/0999"),
        (datetime(2024, 12, 31, 23, 59), "31/12/2024"),
    ],
)
def test_format_date(value: date | None, expected: str) -> None:
    assert format_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (datetime(2024, 9, 5, 7, 3), "05/09/2024 07:03"),
        (datetime(2024, 9, 5, 23, 59, 59, 999999), "05/09/2024 23:59"),  # truncated, not rounded
        (datetime(2024, 9, 5, 0, 0, tzinfo=timezone(timedelta(hours=7))), "05/09/2024 00:00"),
    ],
)
def test_format_datetime(value: datetime | None, expected: str) -> None:
    assert format_datetime(value) == expected


@given(st.dates(min_value=date(1000, 1, 1)))
def test_format_then_parse_round_trips(d: date) -> None:
    assert parse_date(format_date(d)) == d
    assert parse_date(d.isoformat()) == d


@given(st.text(max_size=20))
def test_parse_date_only_raises_value_error(text: str) -> None:
    try:
        result = parse_date(text)
    except ValueError as exc:
        assert str(exc).startswith("Ngày không hợp lệ")
    else:
        assert isinstance(result, date)


TODAY = date(2024, 9, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/03/2017", date(2017, 3, 15)),  # a 7-year-old pupil
        ("05/09/2021", date(2021, 9, 5)),  # exactly 3 today
        ("06/09/1924", date(1924, 9, 6)),  # 99, turns 100 tomorrow
        ("05/09/1924", date(1924, 9, 5)),  # exactly 100 today
        ("1980-01-31", date(1980, 1, 31)),
    ],
)
def test_parse_birth_date_valid(text: str, expected: date) -> None:
    assert parse_birth_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("06/09/2024", "tương lai"),
        ("01/01/2030", "tương lai"),
        ("05/09/2024", "chưa đủ 3 tuổi"),  # born today
        ("06/09/2021", "chưa đủ 3 tuổi"),  # turns 3 tomorrow
        ("04/09/1923", "hơn 100 tuổi"),
        ("01/01/1900", "hơn 100 tuổi"),
        ("31/02/2015", "Ngày không hợp lệ"),
        ("", "Ngày không hợp lệ"),
    ],
)
def test_parse_birth_date_invalid(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_birth_date(text, TODAY)


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (date(2016, 2, 29), date(2019, 2, 28), 2),
        (date(2016, 2, 29), date(2019, 3, 1), 3),
        (date(2016, 2, 29), date(2020, 2, 29), 4),
        (date(2000, 12, 31), date(2001, 12, 30), 0),
        (date(2000, 12, 31), date(2001, 12, 31), 1),
    ],
)
def test_age_on(birth: date, day: date, age: int) -> None:
    assert age_on(birth, day) == age


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2024, 9, 2), "T2"),  # Monday
        (date(2024, 9, 3), "T3"),
        (date(2024, 9, 5), "T5"),
        (date(2024, 9, 7), "T7"),
        (date(2024, 9, 8), "CN"),  # Sunday
        (datetime(2024, 9, 8, 23, 0), "CN"),
    ],
)
def test_weekday_short(d: date, expected: str) -> None:
    assert weekday_short(d) == expected


def test_weekday_constants() -> None:
    assert WEEKDAY_SHORT == ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
