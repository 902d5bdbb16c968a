"""Assessment rules of Thông tư 22/2021/TT-BGDĐT (THCS and THPT, grades 6–12).

Pure functions: no database, no Flask, ``decimal.Decimal`` only (floats are refused with
``TypeError``). The rules are docs/rules.md §1–2.

Choices made here (documented so that callers and tests agree):

* Every mark or average returned is quantized to one decimal place: ``parse_mark("8")`` gives
  ``Decimal("8.0")``, ``parse_mark("10")`` gives ``Decimal("10.0")``.
* Rounding is half up on decimal values (8.25 -> 8.3, 6.45 -> 6.5), done in a private
  high-precision context so that the caller's decimal context never changes a result.
* ``parse_mark`` is strict: ``.5``, ``8.``, ``8,50``, ``+8``, ``08,5``, exponents, NaN/Infinity and
  non-ASCII digits are rejected. The quick form is exactly two ASCII digits: ``85`` -> 8.5,
  ``05`` -> 0.5, ``00`` -> 0.0, ``10`` -> 10 (the one exception).
* ``format_mark`` writes one decimal with a decimal comma ("8,5", "7,0", "0,0"), except ten,
  written "10"; ``None`` gives "" (an empty cell). Every output parses back to the same value.
* Marks/averages handed to the computing functions must be valid marks: 0 to 10 with at most one
  decimal (by value, so ``Decimal("7.50")`` is fine). Anything else is a ``ValueError``.
* ``ValueError`` messages are user-visible and Vietnamese; ``TypeError`` messages are programming
  errors and stay English.
"""

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

__all__ = [
    "AWARD_EXCELLENT",
    "AWARD_GOOD",
    "CHUA_DAT",
    "COMMENT_FAIL",
    "COMMENT_LEVELS",
    "COMMENT_PASS",
    "DAT",
    "KHA",
    "LEVELS",
    "TOT",
    "MAX_ABSENT_SESSIONS",
    "NOT_PROMOTED",
    "PROMOTED",
    "PROMOTION_OUTCOMES",
    "RETEST",
    "SUMMER_AND_RETEST",
    "SUMMER_TRAINING",
    "SummerResult",
    "award",
    "promotion",
    "promotion_after_summer",
    "retest_subjects",
    "comment_subject_level",
    "conduct_year",
    "format_mark",
    "learning_result",
    "parse_level",
    "parse_mark",
    "round_half_up",
    "semester_average",
    "tx_count",
    "year_average",
]

# ---------------------------------------------------------------------------
# Levels and labels (all NFC).
# ---------------------------------------------------------------------------
TOT = "Tốt"
KHA = "Khá"
DAT = "Đạt"
CHUA_DAT = "Chưa đạt"
# Result levels (rèn luyện, học tập), highest first.
LEVELS: tuple[str, ...] = (TOT, KHA, DAT, CHUA_DAT)
_RANK: dict[str, int] = {CHUA_DAT: 0, DAT: 1, KHA: 2, TOT: 3}
_BY_RANK: dict[int, str] = {rank: level for level, rank in _RANK.items()}

# Comment-only subjects (Điều 5.3.a): Đạt / Chưa đạt, written Đ / CĐ in the books.
COMMENT_PASS = "Đ"
COMMENT_FAIL = "CĐ"
COMMENT_LEVELS: tuple[str, ...] = (COMMENT_PASS, COMMENT_FAIL)

# Khen thưởng (Điều 15.1).
AWARD_EXCELLENT = "Học sinh Xuất sắc"
AWARD_GOOD = "Học sinh Giỏi"

# ---------------------------------------------------------------------------
# User-visible messages (Vietnamese, NFC) and the accepted input forms: one place.
# ---------------------------------------------------------------------------
MSG_MARK_EMPTY = "Chưa nhập điểm."
MSG_MARK_INVALID = "Điểm phải từ 0 đến 10, tối đa một chữ số thập phân."
MSG_LEVEL_EMPTY = "Chưa nhập mức đánh giá."
MSG_LEVEL_INVALID = "Mức đánh giá phải là Đ (Đạt) hoặc CĐ (Chưa đạt)."
MSG_RESULT_LEVEL_INVALID = "Mức phải là Tốt, Khá, Đạt hoặc Chưa đạt."
MSG_PERIODS_INVALID = "Số tiết mỗi năm học phải là số nguyên dương."
MSG_NO_REGULAR = "Cần ít nhất một điểm đánh giá thường xuyên."

# "10", "8", "8,5", "8.5", "10,0": integer part 0–10, optional one decimal after "," or ".".
_SEPARATED_FORM = re.compile(r"(10|[0-9])(?:[.,]([0-9]))?")
# Quick form: exactly two digits, the second one is the decimal ("85" -> 8,5). "10" is matched
# by _SEPARATED_FORM first and stays ten.
_QUICK_FORM = re.compile(r"([0-9])([0-9])")

# Accepted spellings (after NFC, trimming, collapsing inner spaces, casefold).
_COMMENT_SPELLINGS: dict[str, str] = {
    "đ": COMMENT_PASS,
    "d": COMMENT_PASS,
    "đạt": COMMENT_PASS,
    "cđ": COMMENT_FAIL,
    "cd": COMMENT_FAIL,
    "chưa đạt": COMMENT_FAIL,
}
_RESULT_SPELLINGS: dict[str, str] = {level.casefold(): level for level in LEVELS}

# ---------------------------------------------------------------------------
# Thresholds (Điều 9.2, 15.1) and TX counts (Điều 6.2.b).
# ---------------------------------------------------------------------------
MARK_MIN = Decimal("0")
MARK_MAX = Decimal("10")
ONE_DECIMAL = Decimal("0.1")

MIN_SUBJECTS = 6  # "ít nhất 06 môn"
DAT_FLOOR = Decimal("3.5")  # Đạt: no scored subject below 3,5
DAT_COUNT = Decimal("5.0")  # Đạt: at least 6 scored subjects >= 5,0
MAX_COMMENT_FAILS_DAT = 1  # Đạt: at most one comment subject Chưa đạt
EXCELLENT_COUNT = Decimal("9.0")  # Xuất sắc: at least 6 scored subjects >= 9,0


class _LevelRule:
    """Tốt / Khá: every scored subject >= floor, at least 6 >= count mark, all comments Đ."""

    __slots__ = ("count_mark", "floor")

    def __init__(self, floor: str, count_mark: str) -> None:
        self.floor = Decimal(floor)
        self.count_mark = Decimal(count_mark)


_UPPER_RULES: dict[str, _LevelRule] = {
    TOT: _LevelRule(floor="6.5", count_mark="8.0"),
    KHA: _LevelRule(floor="5.0", count_mark="6.5"),
}

# the score bands a school reports by (phổ điểm, anomalies): the floors of the levels above,
# below 3,5 / 3,5–<5 / 5–<6,5 / 6,5–<8 / ≥ 8 (docs/rules.md §1.7)
SCORE_BAND_EDGES = (DAT_FLOOR, _UPPER_RULES[KHA].floor, _UPPER_RULES[TOT].floor, _UPPER_RULES[TOT].count_mark)


def format_band_edge(edge: Decimal) -> str:
    """3,5 / 5 / 6,5 / 8 as the reports write the band edges."""
    return f"{edge.normalize():f}".replace(".", ",")


TX_PERIODS_SMALL = 35  # <= 35 periods a year -> 2 TX
TX_PERIODS_MEDIUM = 70  # 36–70 -> 3 TX, above -> 4 TX
TX_COMMENT_ONLY = 2

# Private context: exact enough for any mark arithmetic, immune to the caller's context.
_CTX = Context(prec=50, rounding=ROUND_HALF_UP)

# Year conduct (Điều 8), rows = HK II, columns = HK I.
_CONDUCT_YEAR: dict[str, dict[str, str]] = {
    TOT: {TOT: TOT, KHA: TOT, DAT: KHA, CHUA_DAT: KHA},
    KHA: {TOT: KHA, KHA: KHA, DAT: KHA, CHUA_DAT: DAT},
    DAT: {TOT: KHA, KHA: DAT, DAT: DAT, CHUA_DAT: DAT},
    CHUA_DAT: {TOT: CHUA_DAT, KHA: CHUA_DAT, DAT: CHUA_DAT, CHUA_DAT: CHUA_DAT},
}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def _normalise_text(text: str) -> str:
    """NFC, trim, collapse inner whitespace."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _as_decimal(value: object) -> Decimal:
    """Decimal or int (not bool, never float); finite."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"expected Decimal or int, got {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(MSG_MARK_INVALID)
    return number


def _check_mark(value: object) -> Decimal:
    """A valid TT22 mark or average: 0..10, at most one decimal; returned quantized to 0.1."""
    number = _as_decimal(value)
    if number < MARK_MIN or number > MARK_MAX:
        raise ValueError(MSG_MARK_INVALID)
    quantized = number.quantize(ONE_DECIMAL, context=_CTX)
    if quantized != number:
        raise ValueError(MSG_MARK_INVALID)
    return quantized.copy_abs()  # turns -0.0 into 0.0


def _parse_result_level(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    level = _RESULT_SPELLINGS.get(_normalise_text(text).casefold())
    if level is None:
        raise ValueError(MSG_RESULT_LEVEL_INVALID)
    return level


# ---------------------------------------------------------------------------
# Input parsing and display
# ---------------------------------------------------------------------------
def parse_mark(text: str) -> Decimal:
    """Parse a typed mark ("8", "8,5", "8.5", quick form "85"); Decimal quantized to 0.1."""
    if text is None:
        raise ValueError(MSG_MARK_EMPTY)
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    cleaned = unicodedata.normalize("NFC", text).strip()
    if not cleaned:
        raise ValueError(MSG_MARK_EMPTY)
    match = _SEPARATED_FORM.fullmatch(cleaned)
    if match:
        whole, tenth = match.group(1), match.group(2) or "0"
    else:
        match = _QUICK_FORM.fullmatch(cleaned)
        if not match:
            raise ValueError(MSG_MARK_INVALID)
        whole, tenth = match.group(1), match.group(2)
    value = Decimal(f"{whole}.{tenth}")
    if value > MARK_MAX:  # "10,5"
        raise ValueError(MSG_MARK_INVALID)
    return value


def parse_level(text: str) -> str:
    """Parse a comment-only level: "Đ" or "CĐ" (accepts d/đ/cd/cđ in any case, Đạt/Chưa đạt)."""
    if text is None:
        raise ValueError(MSG_LEVEL_EMPTY)
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    cleaned = _normalise_text(text)
    if not cleaned:
        raise ValueError(MSG_LEVEL_EMPTY)
    level = _COMMENT_SPELLINGS.get(cleaned.casefold())
    if level is None:
        raise ValueError(MSG_LEVEL_INVALID)
    return level


def round_half_up(value: Decimal) -> Decimal:
    """Round to one decimal, half up (half away from zero): 8.25 -> 8.3, 6.45 -> 6.5."""
    return _as_decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP, context=_CTX)


def format_mark(value: Decimal | None) -> str:
    """Vietnamese display: "8,5", "7,0", "0,0"; ten is "10"; None is "" (empty cell).

    A value with more decimals is rounded half up for display.
    """
    if value is None:
        return ""
    rounded = round_half_up(value)
    if rounded == 0:
        rounded = rounded.copy_abs()
    if rounded == MARK_MAX:
        return "10"
    return format(rounded, "f").replace(".", ",")


# ---------------------------------------------------------------------------
# Counts and averages (Điều 6.2.b, Điều 9.1)
# ---------------------------------------------------------------------------
def tx_count(periods_per_year: int, comment_only: bool = False) -> int:
    """Number of ĐĐGtx per semester: <= 35 periods -> 2, 36–70 -> 3, > 70 -> 4; comment-only -> 2."""
    if isinstance(periods_per_year, bool) or not isinstance(periods_per_year, int):
        raise TypeError(f"expected int, got {type(periods_per_year).__name__}")
    if periods_per_year < 1:
        raise ValueError(MSG_PERIODS_INVALID)
    if comment_only:
        return TX_COMMENT_ONLY
    if periods_per_year <= TX_PERIODS_SMALL:
        return 2
    if periods_per_year <= TX_PERIODS_MEDIUM:
        return 3
    return 4


def semester_average(regular: Sequence[Decimal], midterm: Decimal, final: Decimal) -> Decimal:
    """ĐTBmhk = (sum TX + 2·GK + 3·CK) / (number of TX + 5), rounded half up to one decimal.

    The caller passes a complete set (decision 2); the count itself is not checked here.
    """
    marks = [_check_mark(mark) for mark in regular]
    return semester_average_of_total(sum(marks, Decimal(0)), len(marks), midterm, final)


def semester_average_of_total(regular_total: Decimal, regular_count: int, midterm: Decimal, final: Decimal) -> Decimal:
    """The same ĐTBmhk from the sum and the number of the TX marks (what an aggregate query returns): TX 7, 8, 9,
    GK 8, CK 9 → (24 + 16 + 27) / 8 = 8,375 → 8,4."""
    if regular_count < 1:
        raise ValueError(MSG_NO_REGULAR)
    mid = _check_mark(midterm)
    end = _check_mark(final)
    with localcontext(_CTX):
        raw = (_as_decimal(regular_total) + 2 * mid + 3 * end) / (regular_count + 5)
    return round_half_up(raw)


def year_average(first: Decimal, second: Decimal) -> Decimal:
    """ĐTBmcn = (ĐTBmhkI + 2·ĐTBmhkII) / 3 from the rounded semester averages; half up."""
    one = _check_mark(first)
    two = _check_mark(second)
    with localcontext(_CTX):
        raw = (one + 2 * two) / 3
    return round_half_up(raw)


# ---------------------------------------------------------------------------
# Levels (Điều 8, 9, 15)
# ---------------------------------------------------------------------------
def comment_subject_level(levels: Sequence[str]) -> str:
    """Semester level of a comment-only subject: "Đ" if there is at least one and all are Đ."""
    parsed = [parse_level(level) for level in levels]
    if parsed and all(level == COMMENT_PASS for level in parsed):
        return COMMENT_PASS
    return COMMENT_FAIL


def learning_result(scored: Mapping[str, Decimal], commented: Mapping[str, str]) -> str:
    """Kết quả học tập (Điều 9.2) with the Điều 9.3 adjustment as docs/rules.md §1.6 states it.

    ``scored``: subject -> ĐTBmhk (or ĐTBmcn); ``commented``: subject -> "Đ"/"CĐ" (or Đạt/Chưa đạt).
    """
    marks = [_check_mark(mark) for mark in scored.values()]
    comment_fails = sum(1 for level in commented.values() if parse_level(level) == COMMENT_FAIL)

    def count_at_least(threshold: Decimal) -> int:
        return sum(1 for mark in marks if mark >= threshold)

    def below_floor(rule: _LevelRule) -> int:
        # Subjects failing the per-subject condition of the level, scored and comment alike.
        return sum(1 for mark in marks if mark < rule.floor) + comment_fails

    def count_holds(rule: _LevelRule) -> bool:
        return count_at_least(rule.count_mark) >= MIN_SUBJECTS

    # Levels by the thresholds of Điều 9.2.
    computed = CHUA_DAT
    for level, rule in _UPPER_RULES.items():  # Tốt then Khá
        if count_holds(rule) and below_floor(rule) == 0:
            computed = level
            break
    else:
        if (
            comment_fails <= MAX_COMMENT_FAILS_DAT
            and count_at_least(DAT_COUNT) >= MIN_SUBJECTS
            and all(mark >= DAT_FLOOR for mark in marks)
        ):
            computed = DAT

    # Điều 9.3: highest level missed only because of exactly one subject (count condition as is).
    for level, rule in _UPPER_RULES.items():  # Tốt then Khá
        if count_holds(rule) and below_floor(rule) == 1:
            if _RANK[computed] <= _RANK[level] - 2:
                return _BY_RANK[_RANK[computed] + 1]
            break
    return computed


def conduct_year(first: str, second: str) -> str:
    """Kết quả rèn luyện cả năm from HK I (``first``) and HK II (``second``), Điều 8 table."""
    hk1 = _parse_result_level(first)
    hk2 = _parse_result_level(second)
    return _CONDUCT_YEAR[hk2][hk1]


def award(conduct: str, learning: str, scored_year: Mapping[str, Decimal]) -> str | None:
    """Khen thưởng (Điều 15.1): Xuất sắc, Giỏi or None, from the year levels and ĐTBmcn."""
    conduct_level = _parse_result_level(conduct)
    learning_level = _parse_result_level(learning)
    marks = [_check_mark(mark) for mark in scored_year.values()]
    if conduct_level != TOT or learning_level != TOT:
        return None
    if sum(1 for mark in marks if mark >= EXCELLENT_COUNT) >= MIN_SUBJECTS:
        return AWARD_EXCELLENT
    return AWARD_GOOD


# ---------------------------------------------------------------------------
# Promotion, summer training and re-tests (Điều 12–14; docs/rules.md §9).
# ---------------------------------------------------------------------------
PROMOTED = "Được lên lớp"
SUMMER_TRAINING = "Rèn luyện trong kì nghỉ hè"
RETEST = "Kiểm tra lại"
SUMMER_AND_RETEST = "Rèn luyện trong kì nghỉ hè và kiểm tra lại"
NOT_PROMOTED = "Không được lên lớp"
PROMOTION_OUTCOMES: tuple[str, ...] = (PROMOTED, SUMMER_TRAINING, RETEST, SUMMER_AND_RETEST, NOT_PROMOTED)
# more than this many absent sessions (có phép and không phép together) in the year: not promoted
MAX_ABSENT_SESSIONS = 45
RETEST_BELOW = Decimal("5.0")  # scored subjects with ĐTBmcn below 5,0 are re-tested


def _check_sessions(absent_sessions: object) -> int:
    if isinstance(absent_sessions, bool) or not isinstance(absent_sessions, int):
        raise TypeError("absent_sessions must be an int")
    if absent_sessions < 0:
        raise ValueError("Số buổi nghỉ không thể âm.")
    return absent_sessions


def promotion(conduct_year: str, learning_year: str, absent_sessions: int) -> str:
    """The year's outcome: promoted, summer training, re-test, both, or not promoted.

    More than 45 absent sessions is "Không được lên lớp" whatever else (45 is not); otherwise conduct
    at Chưa đạt sends the student to summer training and learning at Chưa đạt to a re-test (both when
    both are Chưa đạt).
    """
    conduct = _parse_result_level(conduct_year)
    learning = _parse_result_level(learning_year)
    if _check_sessions(absent_sessions) > MAX_ABSENT_SESSIONS:
        return NOT_PROMOTED
    if conduct == CHUA_DAT and learning == CHUA_DAT:
        return SUMMER_AND_RETEST
    if conduct == CHUA_DAT:
        return SUMMER_TRAINING
    if learning == CHUA_DAT:
        return RETEST
    return PROMOTED


def retest_subjects(scored_year: Mapping[str, Decimal], commented_year: Mapping[str, str]) -> list[str]:
    """The subjects to re-test: scored subjects with ĐTBmcn below 5,0 and comment-only subjects at CĐ,
    in the order given (scored first)."""
    scored = [name for name, mark in scored_year.items() if _check_mark(mark) < RETEST_BELOW]
    commented = [name for name, level in commented_year.items() if parse_level(level) == COMMENT_FAIL]
    return scored + commented


@dataclass(frozen=True)
class SummerResult:
    """The year's result after summer: conduct and learning re-assessed, and the final decision."""

    conduct: str
    learning: str
    decision: str  # PROMOTED or NOT_PROMOTED


def promotion_after_summer(conduct_year: str, scored_year: Mapping[str, Decimal],
                           commented_year: Mapping[str, str], absent_sessions: int, *,
                           conduct_after_training: str | None = None,
                           retest_scores: Mapping[str, Decimal] | None = None,
                           retest_levels: Mapping[str, str] | None = None) -> SummerResult:
    """Recompute the year after summer training and re-tests, and decide.

    The conduct level after training replaces a Chưa đạt year level; a re-test mark or level replaces
    the year's result of that subject, which must be one of ``retest_subjects`` (a ValueError names it
    otherwise). A re-test not taken keeps the year's value. Still Chưa đạt, or more than 45 absent
    sessions, means not promoted.
    """
    conduct = _parse_result_level(conduct_year)
    if conduct == CHUA_DAT and conduct_after_training is not None:
        conduct = _parse_result_level(conduct_after_training)
    allowed = set(retest_subjects(scored_year, commented_year))
    scored = dict(scored_year)
    commented = dict(commented_year)
    for name, mark in (retest_scores or {}).items():
        if name not in allowed or name not in scored:
            raise ValueError(f"Môn {name} không thuộc các môn phải kiểm tra lại.")
        scored[name] = _check_mark(mark)
    for name, level in (retest_levels or {}).items():
        if name not in allowed or name not in commented:
            raise ValueError(f"Môn {name} không thuộc các môn phải kiểm tra lại.")
        commented[name] = parse_level(level)
    learning = learning_result(scored, commented)
    promoted = (_check_sessions(absent_sessions) <= MAX_ABSENT_SESSIONS
                and conduct != CHUA_DAT and learning != CHUA_DAT)
    return SummerResult(conduct, learning, PROMOTED if promoted else NOT_PROMOTED)
