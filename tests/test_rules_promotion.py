"""Promotion, summer training and re-tests (TT22 Điều 12–14, docs/rules.md §9): every branch, the 45/46 edge."""
from decimal import Decimal

import pytest

from models.rules import tt22
from models.rules.tt22 import (
    NOT_PROMOTED,
    PROMOTED,
    RETEST,
    SUMMER_AND_RETEST,
    SUMMER_TRAINING,
    promotion,
    promotion_after_summer,
    retest_subjects,
)

D = Decimal
# a year that is Khá: every scored subject >= 5,0, six of them >= 6,5, comment subjects Đạt
KHA_YEAR = {"Toán": D("7.0"), "Ngữ văn": D("6.5"), "Ngoại ngữ 1": D("6.8"), "GDCD": D("8.0"),
            "Lịch sử và Địa lí": D("7.2"), "KHTN": D("6.6"), "Công nghệ": D("5.5"), "Tin học": D("5.0")}
COMMENTS_OK = {"Giáo dục thể chất": "Đ", "Nghệ thuật": "Đ", "HĐTN, HN": "Đ", "Nội dung GDĐP": "Đ"}


@pytest.mark.parametrize("conduct, learning, absent, expected", [
    ("Tốt", "Tốt", 0, PROMOTED),
    ("Đạt", "Đạt", 12, PROMOTED),
    ("Khá", "Tốt", 45, PROMOTED),  # 45 sessions is allowed
    ("Khá", "Tốt", 46, NOT_PROMOTED),  # 46 is not
    ("Chưa đạt", "Khá", 3, SUMMER_TRAINING),
    ("Tốt", "Chưa đạt", 3, RETEST),
    ("Chưa đạt", "Chưa đạt", 3, SUMMER_AND_RETEST),
    ("Chưa đạt", "Chưa đạt", 46, NOT_PROMOTED),  # absences decide whatever else
    ("Tốt", "Chưa đạt", 60, NOT_PROMOTED),
])
def test_promotion_branches(conduct, learning, absent, expected):
    assert promotion(conduct, learning, absent) == expected


def test_promotion_refuses_bad_input():
    with pytest.raises(ValueError):
        promotion("Tốt", "Tốt", -1)
    with pytest.raises(TypeError):
        promotion("Tốt", "Tốt", 3.0)
    with pytest.raises(ValueError):
        promotion("Giỏi", "Tốt", 0)


def test_retest_subjects_are_scored_below_five_and_comment_subjects_at_cd():
    scored = {**KHA_YEAR, "Toán": D("4.9"), "Tin học": D("5.0"), "KHTN": D("3.0")}
    commented = {**COMMENTS_OK, "Nghệ thuật": "CĐ"}
    assert retest_subjects(scored, commented) == ["Toán", "KHTN", "Nghệ thuật"]
    assert retest_subjects(KHA_YEAR, COMMENTS_OK) == []


def test_a_passed_retest_promotes():
    # Toán 3,0 is below 3,5: Chưa đạt (only five subjects >= 6,5, so Điều 9.3 does not lift it), a re-test
    scored = {**KHA_YEAR, "Toán": D("3.0")}
    assert tt22.learning_result(scored, COMMENTS_OK) == "Chưa đạt"
    assert promotion("Khá", "Chưa đạt", 4) == RETEST and retest_subjects(scored, COMMENTS_OK) == ["Toán"]
    # re-tested at 6,0 the year is Đạt (six subjects >= 5,0, none below 3,5): promoted
    result = promotion_after_summer("Khá", scored, COMMENTS_OK, 4, retest_scores={"Toán": D("6.0")})
    assert result == tt22.SummerResult("Khá", "Đạt", PROMOTED)


def test_a_failed_retest_does_not_promote():
    scored = {**KHA_YEAR, "Toán": D("2.0"), "Ngữ văn": D("3.0")}
    assert tt22.learning_result(scored, COMMENTS_OK) == "Chưa đạt"
    result = promotion_after_summer("Tốt", scored, COMMENTS_OK, 0, retest_scores={"Toán": D("3.0")})
    assert result.learning == "Chưa đạt" and result.decision == NOT_PROMOTED


def test_a_retest_not_taken_keeps_the_year():
    scored = {**KHA_YEAR, "Toán": D("2.0"), "Ngữ văn": D("3.0")}
    assert promotion_after_summer("Tốt", scored, COMMENTS_OK, 0).decision == NOT_PROMOTED


def test_a_comment_subject_retest_counts():
    commented = {**COMMENTS_OK, "Nghệ thuật": "CĐ", "Giáo dục thể chất": "CĐ"}  # two CĐ: Chưa đạt
    assert tt22.learning_result(KHA_YEAR, commented) == "Chưa đạt"
    result = promotion_after_summer("Khá", KHA_YEAR, commented, 0,
                                    retest_levels={"Nghệ thuật": "Đ", "Giáo dục thể chất": "Đ"})
    assert result.learning == "Khá" and result.decision == PROMOTED


def test_summer_training_rerates_conduct():
    assert promotion_after_summer("Chưa đạt", KHA_YEAR, COMMENTS_OK, 0,
                                  conduct_after_training="Đạt") == tt22.SummerResult("Đạt", "Khá", PROMOTED)
    assert promotion_after_summer("Chưa đạt", KHA_YEAR, COMMENTS_OK, 0,
                                  conduct_after_training="Chưa đạt").decision == NOT_PROMOTED
    assert promotion_after_summer("Chưa đạt", KHA_YEAR, COMMENTS_OK, 0).decision == NOT_PROMOTED


def test_a_good_year_level_is_not_replaced_by_a_training_rating():
    # only a Chưa đạt year is re-rated; a Khá year stays Khá
    assert promotion_after_summer("Khá", KHA_YEAR, COMMENTS_OK, 0, conduct_after_training="Tốt").conduct == "Khá"


def test_absences_still_decide_after_summer():
    assert promotion_after_summer("Tốt", KHA_YEAR, COMMENTS_OK, 46).decision == NOT_PROMOTED
    assert promotion_after_summer("Tốt", KHA_YEAR, COMMENTS_OK, 45).decision == PROMOTED


def test_a_retest_of_a_subject_not_required_is_refused():
    with pytest.raises(ValueError, match="Ngữ văn"):
        promotion_after_summer("Tốt", KHA_YEAR, COMMENTS_OK, 0, retest_scores={"Ngữ văn": D("9.0")})
    with pytest.raises(ValueError, match="Nghệ thuật"):
        promotion_after_summer("Tốt", KHA_YEAR, COMMENTS_OK, 0, retest_levels={"Nghệ thuật": "Đ"})
