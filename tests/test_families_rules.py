"""Notices to families, the pure rules: Vietnamese mobiles, one SMS's length, templates, back-off."""
import pytest

from models.rules.family_sms import (
    backoff_seconds,
    fill_template,
    normalise_mobile,
    sms_length,
    sms_text,
    template_problem,
)


@pytest.mark.parametrize("raw, expected", [
    ("0912345678", "0912345678"),
    ("+84 912 345 678", "0912345678"),
    ("84912345678", "0912345678"),
    ("(+84) 38.123.4567", "0381234567"),
    ("0561-234-567", "0561234567"),
    ("0701234567", "0701234567"),
    ("0861234567", "0861234567"),
])
def test_vietnamese_mobiles_are_normalised_to_ten_digits(raw, expected):
    assert normalise_mobile(raw) == expected


@pytest.mark.parametrize("raw, why", [
    ("", "Chưa có số điện thoại"),
    ("091234567", "10 chữ số"),
    ("09123456789", "10 chữ số"),
    ("0212345678", "đầu số phải là 03, 05, 07, 08 hoặc 09"),  # a landline
    ("0112345678", "đầu số"),
    ("+1 912 345 678", r"\+84"),
    ("09123x5678", "không phải chữ số"),
    ("841234567890", "10 chữ số"),
])
def test_bad_numbers_are_refused_with_a_vietnamese_reason(raw, why):
    with pytest.raises(ValueError, match=why):
        normalise_mobile(raw)


def test_sms_text_drops_every_vietnamese_mark_and_stays_gsm7():
    text = "Trường THCS Bình Minh: em Đặng Thị Ngọc Ánh lớp 6A1 nghỉ học không phép – buổi sáng “02/12”"
    plain = sms_text(text)
    assert plain == 'Truong THCS Binh Minh: em Dang Thi Ngoc Anh lop 6A1 nghi hoc khong phep - buoi sang "02/12"'
    assert sms_length(plain).encoding == "GSM-7"
    assert sms_length(text).encoding == "UCS-2"


def test_one_sms_is_160_gsm7_or_70_ucs2_and_extension_characters_count_twice():
    assert sms_length("a" * 160).fits and not sms_length("a" * 161).fits
    assert sms_length("a" * 160).limit == 160
    assert sms_length("ă" * 70).fits and not sms_length("ă" * 71).fits
    assert sms_length("[x]").count == 5  # [ and ] take an escape each
    assert sms_length("€").count == 2
    assert sms_length("😀").count == 2  # beyond the BMP: two UTF-16 units
    assert sms_length("a" * 10).label == "10/160 ký tự (GSM-7)"


def test_templates_fill_known_placeholders_and_refuse_unknown_ones():
    assert fill_template("Em {hoc_sinh}  lớp {lop}: {noi_dung}", {"hoc_sinh": "An", "lop": "6A1",
                                                                   "noi_dung": "nghỉ"}) == "Em An lớp 6A1: nghỉ"
    assert fill_template("{hoc_sinh} {ngay}", {"hoc_sinh": "An"}) == "An"
    assert template_problem("Em {hoc_sinh}") is None
    assert "{ten}" in template_problem("Em {ten}")
    assert "ngoặc nhọn lẻ" in template_problem("Em {hoc_sinh")
    assert "trống" in template_problem("  ")


def test_backoff_doubles_from_thirty_seconds_up_to_an_hour():
    assert [backoff_seconds(n) for n in range(0, 5)] == [0, 30, 60, 120, 240]
    assert backoff_seconds(20) == 3600
