"""models/rules/money.py: whole đồng, Vietnamese formatting, strict parsing, reductions rounded half up."""
from decimal import Decimal

import pytest

from models.rules.money import (
    after_reduction,
    format_vnd,
    parse_percent,
    parse_vnd,
    reduction_of,
    vnd_in_words,
)


@pytest.mark.parametrize("amount,text", [
    (0, "0 đ"), (5, "5 đ"), (999, "999 đ"), (1000, "1.000 đ"), (1250000, "1.250.000 đ"),
    (-35000, "-35.000 đ"), (1234567890, "1.234.567.890 đ"),
])
def test_format_vnd(amount, text):
    assert format_vnd(amount) == text


@pytest.mark.parametrize("bad", [1.5, 1250000.0, True, "1000", None])
def test_format_vnd_refuses_non_integers(bad):
    with pytest.raises(TypeError):
        format_vnd(bad)


@pytest.mark.parametrize("text,amount", [
    ("1.250.000", 1250000), ("1250000", 1250000), ("1.250.000 đ", 1250000), ("1.250.000đ", 1250000),
    ("  35.000  ", 35000), ("0", 0), ("1.000 VNĐ", 1000), ("500 vnd", 500),
])
def test_parse_vnd_accepts(text, amount):
    assert parse_vnd(text) == amount


@pytest.mark.parametrize("text,word", [
    ("", "Chưa nhập"), ("   ", "Chưa nhập"), (None, "Chưa nhập"),
    ("-35.000", "âm"), ("1.250.000,50", "thập phân"), ("1250,5", "thập phân"),
    ("1.25.000", "không hợp lệ"), ("12.5", "không hợp lệ"), ("abc", "không hợp lệ"), ("1e6", "không hợp lệ"),
    ("1.250.000 USD", "không hợp lệ"), ("1 250 000", "không hợp lệ"),
])
def test_parse_vnd_refuses_with_a_vietnamese_message(text, word):
    with pytest.raises(ValueError, match=word):
        parse_vnd(text)


@pytest.mark.parametrize("amount,percent,left", [
    (1000, 0, 1000), (1000, 100, 0), (1000, 50, 500), (0, 70, 0),
    # 333 × 50% = 166,5 → half up to 167
    (333, 50, 167), (333, Decimal("50"), 167),
    # 1 × 50% = 0,5 → 1; 3 × 70% = 0,9 → 1; 7 × 30% kept = 4,9 → 5
    (1, 50, 1), (3, 30, 2), (7, 30, 5),
    # 1.250.001 with 12,5 % off = 1.093.750,875 → 1.093.751
    (1250001, Decimal("12.5"), 1093751), (1250001, "12,5", 1093751),
    # 99.999 with 33,33 % off = 66.669,3333 → 66.669
    (99999, Decimal("33.33"), 66669),
])
def test_after_reduction_rounds_half_up_to_the_dong(amount, percent, left):
    assert after_reduction(amount, percent) == left
    assert reduction_of(amount, percent) == amount - left


@pytest.mark.parametrize("percent", [-1, 101, Decimal("100.01")])
def test_after_reduction_refuses_percent_outside_0_100(percent):
    with pytest.raises(ValueError, match="từ 0 đến 100"):
        after_reduction(1000, percent)


def test_after_reduction_refuses_floats_and_negative_amounts():
    with pytest.raises(TypeError):
        after_reduction(1000, 12.5)
    with pytest.raises(TypeError):
        after_reduction(1000.0, 10)
    with pytest.raises(ValueError, match="âm"):
        after_reduction(-1000, 10)


@pytest.mark.parametrize("text,value", [("50", Decimal("50")), ("12,5", Decimal("12.5")), ("12.5 %", Decimal("12.5")),
                                        ("100", Decimal("100")), ("0", Decimal("0"))])
def test_parse_percent(text, value):
    assert parse_percent(text) == value


@pytest.mark.parametrize("text,word", [("", "Chưa nhập"), ("101", "từ 0 đến 100"), ("-5", "không hợp lệ"),
                                       ("năm mươi", "không hợp lệ"), ("12,555", "không hợp lệ")])
def test_parse_percent_refuses(text, word):
    with pytest.raises(ValueError, match=word):
        parse_percent(text)


@pytest.mark.parametrize("amount,words", [
    (0, "Không đồng"), (5, "Năm đồng"), (15, "Mười lăm đồng"), (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"), (105, "Một trăm linh năm đồng"), (110, "Một trăm mười đồng"),
    (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (333_333, "Ba trăm ba mươi ba nghìn ba trăm ba mươi ba đồng"),
    (2_000_000_000, "Hai tỷ đồng"), (-35_000, "Âm ba mươi lăm nghìn đồng"),
])
def test_vnd_in_words(amount, words):
    assert vnd_in_words(amount) == words
