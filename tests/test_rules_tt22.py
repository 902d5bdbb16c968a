"""Tests for models.rules.tt22 (TT22/2021 assessment rules), vectors from the worked examples of TT22 Điều 9 (docs/rules.md §1)."""

import unicodedata
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.rules import tt22

TOT, KHA, DAT, CHUA_DAT = "Tốt", "Khá", "Đạt", "Chưa đạt"
COMMENTS_ALL_PASS = {"GDTC": "Đ", "Nghệ thuật": "Đ", "HĐTN-HN": "Đ", "GDĐP": "Đ"}


def subjects(*marks: str) -> dict[str, D]:
    """Scored subjects named S1..Sn from mark strings (never floats)."""
    return {f"S{i}": D(mark) for i, mark in enumerate(marks, start=1)}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# ---------------------------------------------------------------------------
# §7.1 published examples and §7.2 computed vectors: averages and rounding
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("regular", "midterm", "final", "expected"),
    [
        (["6", "8", "7.5"], "5", "10", "7.7"),  # P1: 61.5/8 = 7.6875
        (["6", "8", "7.5"], "7", "6", "6.7"),  # P2: 53.5/8 = 6.6875
        (["5.9", "5.1", "4.9"], "6.2", "5.2", "5.5"),  # P7: 43.9/8 = 5.4875
        (["7", "8"], "9", "10", "9.0"),  # N1 corrected (published 8.3 is wrong); also §7.2
        (["8", "7", "9"], "7.5", "8", "7.9"),  # §7.2 brief's example: 63/8 = 7.875
        (["9", "9", "9"], "7.5", "8", "8.3"),  # raw 66/8 = 8.25 exactly -> 8.3, not 8.2
        (["6", "6", "6"], "6.3", "7", "6.5"),  # raw 51.6/8 = 6.45 exactly -> 6.5
        (["6", "6", "6"], "6.2", "7", "6.4"),  # raw 51.4/8 = 6.425 -> 6.4
        (["10", "10", "10", "10"], "10", "10", "10.0"),
        (["0", "0"], "0", "0", "0.0"),
        (["5", "5", "5", "5"], "4", "6", "5.1"),  # raw 46/9 = 5.111...
    ],
)
def test_semester_average_vectors(regular, midterm, final, expected):
    result = tt22.semester_average([D(m) for m in regular], D(midterm), D(final))
    assert result == D(expected)
    assert result.as_tuple().exponent == -1


def test_semester_average_of_total_is_the_same_average_from_a_sum_and_a_count():
    assert tt22.semester_average_of_total(D("24"), 3, D("8"), D("9")) == D("8.4")  # 67/8 = 8,375
    assert tt22.semester_average_of_total(D("27"), 3, D("7.5"), D("8")) == D("8.3")  # 66/8 = 8,25 half up
    assert tt22.semester_average_of_total(D("15.9"), 3, D("6.2"), D("5.2")) == D("5.5")  # P7: 43.9/8
    with pytest.raises(ValueError):
        tt22.semester_average_of_total(D("0"), 0, D("8"), D("8"))


def test_n1_published_value_is_wrong():
    assert tt22.semester_average([D("7"), D("8")], D("9"), D("10")) != D("8.3")


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("9", "7.5", "8.0"),  # P3
        ("6.3", "6.6", "6.5"),  # §7.2: 19.5/3
        ("6.8", "7.5", "7.3"),  # raw 21.8/3 = 7.2666... (P4-style rounding)
        ("7.0", "7.2", "7.1"),  # raw 21.4/3 = 7.1333...
        ("5.0", "4.9", "4.9"),  # raw 14.8/3 = 4.9333...
        ("10", "10", "10.0"),
        ("0", "0", "0.0"),
    ],
)
def test_year_average(first, second, expected):
    result = tt22.year_average(D(first), D(second))
    assert result == D(expected)
    assert result.as_tuple().exponent == -1


def test_year_average_uses_the_weight_of_the_second_semester():
    assert tt22.year_average(D("9"), D("6")) == D("7.0")
    assert tt22.year_average(D("6"), D("9")) == D("8.0")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7.26", "7.3"),  # P4
        ("8.25", "8.3"),
        ("6.45", "6.5"),
        ("8.24", "8.2"),
        ("8.2499999999", "8.2"),
        ("7.6875", "7.7"),
        ("5.4875", "5.5"),
        ("6.6875", "6.7"),
        ("0.05", "0.1"),
        ("9.95", "10.0"),
        ("4.95", "5.0"),
        ("3.45", "3.5"),
        ("7", "7.0"),
    ],
)
def test_round_half_up(raw, expected):
    result = tt22.round_half_up(D(raw))
    assert result == D(expected)
    assert result.as_tuple().exponent == -1


def test_round_half_up_ignores_the_callers_decimal_context():
    import decimal

    with decimal.localcontext() as ctx:
        ctx.prec = 2
        ctx.rounding = decimal.ROUND_HALF_EVEN
        assert tt22.round_half_up(D("8.25")) == D("8.3")
        assert tt22.semester_average([D("9"), D("9"), D("9")], D("7.5"), D("8")) == D("8.3")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        tt22.round_half_up(8.25)
    with pytest.raises(TypeError):
        tt22.semester_average([8.0, 7.0], D("8"), D("8"))
    with pytest.raises(TypeError):
        tt22.year_average(D("8"), 7.5)
    with pytest.raises(TypeError):
        tt22.format_mark(8.5)


@pytest.mark.parametrize("bad", ["10.1", "-0.5", "8.25", "11"])
def test_semester_average_rejects_invalid_marks(bad):
    with pytest.raises(ValueError):
        tt22.semester_average([D(bad), D("8")], D("8"), D("8"))
    with pytest.raises(ValueError):
        tt22.semester_average([D("8"), D("8")], D(bad), D("8"))
    with pytest.raises(ValueError):
        tt22.year_average(D("8"), D(bad))


def test_semester_average_rejects_nan_and_empty_regular():
    with pytest.raises(ValueError):
        tt22.semester_average([D("NaN"), D("8")], D("8"), D("8"))
    with pytest.raises(ValueError):
        tt22.semester_average([], D("8"), D("8"))


def test_semester_average_accepts_ints_and_trailing_zeros():
    assert tt22.semester_average([8, 7, 9], D("7.50"), 8) == D("7.9")


# ---------------------------------------------------------------------------
# TX count (decision 4)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("periods", "expected"),
    [(1, 2), (35, 2), (36, 3), (52, 3), (70, 3), (71, 4), (105, 4), (140, 4)],
)
def test_tx_count(periods, expected):
    assert tt22.tx_count(periods) == expected


@pytest.mark.parametrize("periods", [35, 70, 105])
def test_tx_count_comment_only(periods):
    assert tt22.tx_count(periods, comment_only=True) == 2


@pytest.mark.parametrize("periods", [0, -35])
def test_tx_count_rejects_non_positive(periods):
    with pytest.raises(ValueError):
        tt22.tx_count(periods)


@pytest.mark.parametrize("periods", [True, 35.0, "35"])
def test_tx_count_rejects_non_int(periods):
    with pytest.raises(TypeError):
        tt22.tx_count(periods)


# ---------------------------------------------------------------------------
# Kết quả học tập (Điều 9.2, 9.3 as decision 3)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        # §7.2 vectors (8 scored, 4 comment subjects all Đ)
        (["8.0"] * 6 + ["6.5", "6.5"], TOT),
        (["8.0"] * 6 + ["6.5", "6.4"], KHA),  # one level down: no adjustment
        (["8.0"] * 6 + ["6.5", "4.0"], KHA),  # Đạt by thresholds, raised (Điều 9.3)
        (["8.0"] * 6 + ["6.5", "3.4"], DAT),  # Chưa đạt by thresholds, raised
        (["5.0"] * 6 + ["4.9", "4.0"], DAT),
        (["5.0"] * 5 + ["4.9"] * 3, CHUA_DAT),  # only five >= 5,0; nothing to raise from
        # decision 3 examples
        (["8.0"] * 6 + ["6.5", "3.0"], DAT),  # raised one level only, not to Khá
        (["8.0"] * 5 + ["7.0", "7.0", "4.0"], DAT),  # Tốt not missed by one; Khá is adjacent
        # two failing subjects: no adjustment
        (["8.0"] * 6 + ["3.0", "3.0"], CHUA_DAT),
        (["8.0"] * 6 + ["4.0", "4.0"], DAT),
        (["9.0"] * 8, TOT),
        (["10"] * 8, TOT),
        (["0"] * 8, CHUA_DAT),
    ],
)
def test_learning_result_vectors(marks, expected):
    assert tt22.learning_result(subjects(*marks), COMMENTS_ALL_PASS) == expected


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        # Tốt floor 6,5 and count mark 8,0
        (["8.0"] * 6 + ["6.5", "6.5"], TOT),
        (["8.0"] * 6 + ["6.5", "6.4"], KHA),
        (["8.0"] * 5 + ["7.9", "6.5", "6.5"], KHA),  # only five >= 8,0
        (["8.0"] * 6, TOT),  # exactly six scored subjects
        (["8.0"] * 5, CHUA_DAT),  # five subjects cannot reach any level
        # Khá floor 5,0 and count mark 6,5
        (["6.5"] * 6 + ["5.0", "5.0"], KHA),
        (["6.5"] * 6 + ["5.0", "4.9"], DAT),  # Khá missed by one, but Đạt is adjacent
        (["6.5"] * 5 + ["6.4", "5.0", "5.0"], DAT),  # only five >= 6,5
        # Đạt floor 3,5 and count mark 5,0
        (["5.0"] * 6 + ["3.5", "3.5"], DAT),
        (["5.0"] * 6 + ["3.5", "3.4"], CHUA_DAT),  # Khá count fails, so no adjustment
        (["5.0"] * 5 + ["4.9", "3.5", "3.5"], CHUA_DAT),
        (["5.0"] * 7 + ["3.5"], DAT),
        (["5.0"] * 7 + ["3.4"], CHUA_DAT),
    ],
)
def test_learning_result_thresholds(marks, expected):
    assert tt22.learning_result(subjects(*marks), COMMENTS_ALL_PASS) == expected


def test_learning_result_rounded_edge_counts_as_threshold():
    # 6.45 rounds to 6.5 and then counts as >= 6,5 (§7.2).
    last = tt22.round_half_up(D("6.45"))
    scored = subjects(*(["8.0"] * 6 + ["6.5"]))
    scored["S8"] = last
    assert tt22.learning_result(scored, COMMENTS_ALL_PASS) == TOT


def test_learning_result_comment_subject_treated_like_scored():
    # §7.2 disputed vector, decided by decision 3: scored and comment subjects alike.
    one_fail = dict(COMMENTS_ALL_PASS, GDTC="CĐ")
    two_fails = dict(COMMENTS_ALL_PASS, GDTC="CĐ", GDĐP="CĐ")
    assert tt22.learning_result(subjects(*["9.0"] * 8), one_fail) == KHA
    assert tt22.learning_result(subjects(*["9.0"] * 8), two_fails) == CHUA_DAT


def test_learning_result_comment_failure_counts_as_the_one_subject():
    one_fail = dict(COMMENTS_ALL_PASS, GDTC="CĐ")
    # Khá missed by the comment only: Đạt is adjacent, stays Đạt.
    assert tt22.learning_result(subjects(*["6.5"] * 8), one_fail) == DAT
    # A comment failure plus a scored subject below the floor: two subjects, no adjustment.
    assert tt22.learning_result(subjects(*(["8.0"] * 7 + ["4.0"])), one_fail) == DAT
    assert tt22.learning_result(subjects(*(["8.0"] * 7 + ["3.0"])), one_fail) == CHUA_DAT


def test_learning_result_accepts_long_and_nfd_comment_levels():
    comments = {"GDTC": "Đạt", "Nghệ thuật": nfd("Đạt"), "HĐTN-HN": "Chưa đạt"}
    assert tt22.learning_result(subjects(*["9.0"] * 8), comments) == KHA
    comments_nfd = {"GDTC": nfd("Chưa đạt"), "Nghệ thuật": "Đ"}
    assert tt22.learning_result(subjects(*["9.0"] * 8), comments_nfd) == KHA


def test_learning_result_without_comment_subjects():
    assert tt22.learning_result(subjects(*["8.0"] * 8), {}) == TOT


def test_learning_result_rejects_bad_inputs():
    with pytest.raises(ValueError):
        tt22.learning_result(subjects(*["8.0"] * 8), {"GDTC": "Tốt"})
    with pytest.raises(ValueError):
        tt22.learning_result(subjects(*(["8.0"] * 7 + ["8.25"])), COMMENTS_ALL_PASS)
    with pytest.raises(TypeError):
        tt22.learning_result({"Toán": 8.0}, COMMENTS_ALL_PASS)


# ---------------------------------------------------------------------------
# Comment-only subject level
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (["Đ", "Đ"], "Đ"),
        (["Đ", "Đ", "Đ", "Đ"], "Đ"),
        (["Đ", "CĐ"], "CĐ"),
        (["CĐ", "CĐ"], "CĐ"),
        ([], "CĐ"),
        (["d", "đ"], "Đ"),
        (["Đạt", "cd"], "CĐ"),
    ],
)
def test_comment_subject_level(levels, expected):
    assert tt22.comment_subject_level(levels) == expected


def test_comment_subject_level_rejects_unknown():
    with pytest.raises(ValueError):
        tt22.comment_subject_level(["Đ", "x"])


# ---------------------------------------------------------------------------
# Kết quả rèn luyện cả năm (Điều 8): all 16 cells, rows HK II, columns HK I
# ---------------------------------------------------------------------------
_CONDUCT_ROWS = {
    # HK II: results for HK I = Tốt, Khá, Đạt, Chưa đạt
    "Tốt": ["Tốt", "Tốt", "Khá", "Khá"],
    "Khá": ["Khá", "Khá", "Khá", "Đạt"],
    "Đạt": ["Khá", "Đạt", "Đạt", "Đạt"],
    "Chưa đạt": ["Chưa đạt", "Chưa đạt", "Chưa đạt", "Chưa đạt"],
}
_CONDUCT_CELLS = [
    (hk1, hk2, row[i])
    for hk2, row in _CONDUCT_ROWS.items()
    for i, hk1 in enumerate(["Tốt", "Khá", "Đạt", "Chưa đạt"])
]


@pytest.mark.parametrize(("hk1", "hk2", "expected"), _CONDUCT_CELLS)
def test_conduct_year_table(hk1, hk2, expected):
    assert tt22.conduct_year(hk1, hk2) == expected


def test_conduct_year_table_has_16_cells():
    assert len(_CONDUCT_CELLS) == 16


@pytest.mark.parametrize(
    ("hk1", "hk2", "expected"),
    [("Chưa đạt", "Tốt", "Khá"), ("Tốt", "Đạt", "Khá"), ("Khá", "Đạt", "Đạt")],  # §7.2
)
def test_conduct_year_vectors(hk1, hk2, expected):
    assert tt22.conduct_year(hk1, hk2) == expected


def test_conduct_year_normalises_input():
    assert tt22.conduct_year(nfd(" Chưa đạt "), "tốt") == "Khá"


@pytest.mark.parametrize("bad", ["", "Giỏi", "Trung bình", "Đ", "Xuất sắc"])
def test_conduct_year_rejects_unknown(bad):
    with pytest.raises(ValueError):
        tt22.conduct_year(bad, "Tốt")
    with pytest.raises(ValueError):
        tt22.conduct_year("Tốt", bad)


# ---------------------------------------------------------------------------
# Khen thưởng (Điều 15.1)
# ---------------------------------------------------------------------------
def test_award_vectors():
    six_nines = subjects(*(["9.0"] * 6 + ["8.0", "8.0"]))
    five_nines = subjects(*(["9.0"] * 5 + ["8.9", "8.0", "8.0"]))
    assert tt22.award("Tốt", "Tốt", six_nines) == "Học sinh Xuất sắc"
    assert tt22.award("Tốt", "Tốt", five_nines) == "Học sinh Giỏi"
    assert tt22.award("Khá", "Tốt", six_nines) is None
    assert tt22.award("Tốt", "Khá", six_nines) is None
    assert tt22.award("Đạt", "Đạt", six_nines) is None


def test_award_rejects_unknown_level():
    with pytest.raises(ValueError):
        tt22.award("Giỏi", "Tốt", subjects("9.0"))


# ---------------------------------------------------------------------------
# parse_mark
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8", "8.0"),
        ("8.5", "8.5"),
        ("8,5", "8.5"),
        ("85", "8.5"),  # quick form
        ("99", "9.9"),
        ("11", "1.1"),  # quick form, not eleven
        ("05", "0.5"),
        ("00", "0.0"),
        ("10", "10.0"),  # stays ten
        ("10,0", "10.0"),
        ("10.0", "10.0"),
        ("0", "0.0"),
        ("0,0", "0.0"),
        ("0.5", "0.5"),
        ("9,9", "9.9"),
        ("  7 ", "7.0"),
        ("\t9,5\n", "9.5"),
        ("\u00a08,5\u00a0", "8.5"),
        (nfd("6,5"), "6.5"),
    ],
)
def test_parse_mark_accepts(text, expected):
    result = tt22.parse_mark(text)
    assert result == D(expected)
    assert result.as_tuple().exponent == -1  # always quantized to one decimal


@pytest.mark.parametrize(
    "text",
    [
        "11.5",
        "10.5",
        "10,1",
        "-1",
        "-0.5",
        "-0",
        "+8",
        "8.25",
        "8,25",
        "8,50",
        "10.00",
        "abc",
        "8a",
        "a8",
        "8 5",
        "8 ,5",
        "8..5",
        "8,5,",
        "8.",
        "8,",
        ".5",
        ",5",
        "08,5",
        "1e1",
        "1E1",
        "NaN",
        "nan",
        "Infinity",
        "inf",
        "-inf",
        "105",
        "100",
        "1000",
        "0x8",
        "8/2",
        "½",
        "２",
        "８５",
        "٨",
        "८",
        "8½",
        "Đ",
    ],
)
def test_parse_mark_rejects(text):
    with pytest.raises(ValueError) as info:
        tt22.parse_mark(text)
    assert str(info.value) == "Điểm phải từ 0 đến 10, tối đa một chữ số thập phân."


@pytest.mark.parametrize("text", ["", "   ", "\n", None])
def test_parse_mark_rejects_empty(text):
    with pytest.raises(ValueError) as info:
        tt22.parse_mark(text)
    assert str(info.value) == "Chưa nhập điểm."


def test_parse_mark_rejects_non_str():
    with pytest.raises(TypeError):
        tt22.parse_mark(8)


# ---------------------------------------------------------------------------
# parse_level
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đ", "Đ"),
        ("đ", "Đ"),
        ("D", "Đ"),
        ("d", "Đ"),
        (" đ\t", "Đ"),
        ("Đạt", "Đ"),
        (nfd("đạt"), "Đ"),
        ("CĐ", "CĐ"),
        ("cđ", "CĐ"),
        ("Cđ", "CĐ"),
        ("cĐ", "CĐ"),
        ("cd", "CĐ"),
        ("CD", "CĐ"),
        ("Cd", "CĐ"),
        (" cd ", "CĐ"),
        ("Chưa đạt", "CĐ"),
        ("chưa  đạt", "CĐ"),
        (nfd("Chưa đạt"), "CĐ"),
        (nfd("CĐ"), "CĐ"),
    ],
)
def test_parse_level_accepts(text, expected):
    assert tt22.parse_level(text) == expected


@pytest.mark.parametrize(
    "text", ["x", "c", "dd", "cdd", "c đ", "T", "Tốt", "Khá", "0", "8", "đạt tốt", "Ð", "CD."]
)
def test_parse_level_rejects(text):
    with pytest.raises(ValueError) as info:
        tt22.parse_level(text)
    assert str(info.value) == "Mức đánh giá phải là Đ (Đạt) hoặc CĐ (Chưa đạt)."


@pytest.mark.parametrize("text", ["", "  ", None])
def test_parse_level_rejects_empty(text):
    with pytest.raises(ValueError):
        tt22.parse_level(text)


# ---------------------------------------------------------------------------
# format_mark
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("8.5"), "8,5"),
        (D("8"), "8,0"),
        (D("8.0"), "8,0"),
        (D("7.50"), "7,5"),
        (D("10"), "10"),
        (D("10.0"), "10"),
        (D("0"), "0,0"),
        (D("-0.0"), "0,0"),
        (D("0.5"), "0,5"),
        (D("7.6875"), "7,7"),
        (D("9.95"), "10"),
        (7, "7,0"),
        (None, ""),
    ],
)
def test_format_mark(value, expected):
    assert tt22.format_mark(value) == expected


# ---------------------------------------------------------------------------
# Vietnamese strings: NFC, with diacritics
# ---------------------------------------------------------------------------
def test_module_strings_are_nfc():
    strings = [v for k, v in vars(tt22).items() if not k.startswith("__") and isinstance(v, str)]
    strings += list(tt22.LEVELS) + list(tt22.COMMENT_LEVELS)
    assert strings
    for text in strings:
        assert unicodedata.is_normalized("NFC", text), text
    assert tt22.LEVELS == ("Tốt", "Khá", "Đạt", "Chưa đạt")
    assert tt22.COMMENT_LEVELS == ("Đ", "CĐ")


def test_error_messages_are_nfc_vietnamese():
    for call in (
        lambda: tt22.parse_mark("x"),
        lambda: tt22.parse_mark(""),
        lambda: tt22.parse_level("x"),
        lambda: tt22.conduct_year("x", "Tốt"),
        lambda: tt22.tx_count(0),
        lambda: tt22.semester_average([], D("8"), D("8")),
    ):
        with pytest.raises(ValueError) as info:
            call()
        message = str(info.value)
        assert unicodedata.is_normalized("NFC", message)
        assert any(ord(ch) > 127 for ch in message), message  # has Vietnamese letters


# ---------------------------------------------------------------------------
# Property tests (hypothesis)
# ---------------------------------------------------------------------------
_MARK_TEXT = st.from_regex(
    r"\A\s{0,2}(10|[0-9]|[0-9]{2}|(10|[0-9])[.,][0-9]|1[0-9][.,][0-9]|[0-9]{3})\s{0,2}\Z"
)
_TENTHS = st.integers(min_value=0, max_value=100).map(lambda n: D(n) / 10)


def _is_valid_mark(value: D) -> bool:
    return D(0) <= value <= D(10) and value.as_tuple().exponent == -1


@given(st.text(max_size=12))
def test_parse_mark_arbitrary_text_is_valid_or_rejected(text):
    try:
        value = tt22.parse_mark(text)
    except ValueError:
        return
    assert _is_valid_mark(value)


@given(_MARK_TEXT)
def test_parse_mark_format_round_trip(text):
    try:
        value = tt22.parse_mark(text)
    except ValueError:
        return
    assert _is_valid_mark(value)
    assert tt22.parse_mark(tt22.format_mark(value)) == value


@given(_TENTHS)
def test_every_valid_mark_round_trips(value):
    shown = tt22.format_mark(value)
    assert "." not in shown
    assert tt22.parse_mark(shown) == value


def _oracle_half_up(raw: Fraction) -> D:
    # Independent rounding: exact fraction, half up via integer arithmetic in tenths.
    scaled = raw * 10
    tenths = scaled.numerator // scaled.denominator
    if scaled - tenths >= Fraction(1, 2):
        tenths += 1
    return D(tenths) / 10


def _oracle_semester(regular: list[D], midterm: D, final: D) -> D:
    total = sum((Fraction(str(m)) for m in regular), Fraction(0))
    raw = (total + 2 * Fraction(str(midterm)) + 3 * Fraction(str(final))) / (len(regular) + 5)
    return _oracle_half_up(raw)


@settings(max_examples=300)
@given(st.lists(_TENTHS, min_size=2, max_size=4), _TENTHS, _TENTHS)
def test_semester_average_matches_exact_oracle(regular, midterm, final):
    result = tt22.semester_average(regular, midterm, final)
    assert result == _oracle_semester(regular, midterm, final)
    assert min([*regular, midterm, final]) <= result <= max([*regular, midterm, final])
    assert _is_valid_mark(result)


@given(_TENTHS, _TENTHS)
def test_year_average_matches_exact_oracle(first, second):
    raw = (Fraction(str(first)) + 2 * Fraction(str(second))) / 3
    assert tt22.year_average(first, second) == _oracle_half_up(raw)


_RANK = {CHUA_DAT: 0, DAT: 1, KHA: 2, TOT: 3}


@settings(max_examples=300)
@given(
    st.lists(_TENTHS, min_size=6, max_size=10),
    st.lists(st.sampled_from(["Đ", "CĐ"]), min_size=0, max_size=4),
    st.data(),
)
def test_learning_result_is_monotone(marks, comments, data):
    """Raising one mark or turning one CĐ into Đ never lowers the result (follows from decision 3)."""
    scored = {f"S{i}": m for i, m in enumerate(marks)}
    commented = {f"C{i}": c for i, c in enumerate(comments)}
    before = tt22.learning_result(scored, commented)
    better_scored = dict(scored)
    key = data.draw(st.sampled_from(sorted(scored)))
    better_scored[key] = data.draw(_TENTHS.filter(lambda v: v >= scored[key]))
    assert _RANK[tt22.learning_result(better_scored, commented)] >= _RANK[before]
    better_commented = {k: "Đ" for k in commented}
    assert _RANK[tt22.learning_result(scored, better_commented)] >= _RANK[before]
