"""Assessment rules of Thông tư 27/2020/TT-BGDĐT (tiểu học, grades 1–5); the shared domain.md §2.

Pure functions, no database and no Flask. ``ValueError`` messages are user-visible and Vietnamese.

* Four periodic moments (Điều 7.1.a): GHK1, CHK1, GHK2, CN.
* Subject levels T/H/C are the teacher's judgement: nothing here maps a test score to a level.
* Periodic tests (Điều 7.1.b–c) are whole numbers 0–10.
* The end-of-year thresholds (9 / 7 / 5 points) are domain.md §2's, marked [M] there: they live only
  in ``_THRESHOLDS`` so that a correction is one edit (domain decision 9).
"""
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

# --- subjects of the 2018 programme (names as it writes them) -------------------------------------
TIENG_VIET = "Tiếng Việt"
TOAN = "Toán"
NGOAI_NGU_1 = "Ngoại ngữ 1"
DAO_DUC = "Đạo đức"
TU_NHIEN_XA_HOI = "Tự nhiên và Xã hội"
LICH_SU_DIA_LI = "Lịch sử và Địa lí"
KHOA_HOC = "Khoa học"
TIN_HOC_CONG_NGHE = "Tin học và Công nghệ"
GIAO_DUC_THE_CHAT = "Giáo dục thể chất"
AM_NHAC = "Âm nhạc"
MI_THUAT = "Mĩ thuật"
HOAT_DONG_TRAI_NGHIEM = "Hoạt động trải nghiệm"

# the subjects with a periodic test (Điều 7.1.b)
TESTED_SUBJECTS: frozenset[str] = frozenset(
    {TIENG_VIET, TOAN, NGOAI_NGU_1, LICH_SU_DIA_LI, KHOA_HOC, TIN_HOC_CONG_NGHE})
# grades 4 and 5 also test these at mid-semester (Điều 7.1.c)
MIDTERM_TESTED: frozenset[str] = frozenset({TIENG_VIET, TOAN})

# compulsory subjects and periods per year (35 weeks) by grade; Nghệ thuật is taught as Âm nhạc and
# Mĩ thuật; Ngoại ngữ 1 is compulsory from grade 3 (optional in 1–2, so not listed there)
PROGRAMME: dict[int, dict[str, int]] = {
    1: {TIENG_VIET: 420, TOAN: 105, DAO_DUC: 35, TU_NHIEN_XA_HOI: 70, GIAO_DUC_THE_CHAT: 70, AM_NHAC: 35,
        MI_THUAT: 35, HOAT_DONG_TRAI_NGHIEM: 105},
    2: {TIENG_VIET: 350, TOAN: 175, DAO_DUC: 35, TU_NHIEN_XA_HOI: 70, GIAO_DUC_THE_CHAT: 70, AM_NHAC: 35,
        MI_THUAT: 35, HOAT_DONG_TRAI_NGHIEM: 105},
    3: {TIENG_VIET: 245, TOAN: 175, NGOAI_NGU_1: 140, DAO_DUC: 35, TU_NHIEN_XA_HOI: 70, TIN_HOC_CONG_NGHE: 70,
        GIAO_DUC_THE_CHAT: 70, AM_NHAC: 35, MI_THUAT: 35, HOAT_DONG_TRAI_NGHIEM: 105},
    4: {TIENG_VIET: 245, TOAN: 175, NGOAI_NGU_1: 140, DAO_DUC: 35, LICH_SU_DIA_LI: 70, KHOA_HOC: 70,
        TIN_HOC_CONG_NGHE: 70, GIAO_DUC_THE_CHAT: 70, AM_NHAC: 35, MI_THUAT: 35, HOAT_DONG_TRAI_NGHIEM: 105},
    5: {TIENG_VIET: 245, TOAN: 175, NGOAI_NGU_1: 140, DAO_DUC: 35, LICH_SU_DIA_LI: 70, KHOA_HOC: 70,
        TIN_HOC_CONG_NGHE: 70, GIAO_DUC_THE_CHAT: 70, AM_NHAC: 35, MI_THUAT: 35, HOAT_DONG_TRAI_NGHIEM: 105},
}
GRADES = tuple(PROGRAMME)

# --- moments ---------------------------------------------------------------------------------------
MOMENTS: dict[str, str] = {"GHK1": "Giữa học kì I", "CHK1": "Cuối học kì I", "GHK2": "Giữa học kì II",
                           "CN": "Cuối năm học"}
MIDTERM_MOMENTS = frozenset({"GHK1", "GHK2"})
# the semester each moment belongs to
MOMENT_SEMESTER = {"GHK1": 1, "CHK1": 1, "GHK2": 2, "CN": 2}

# --- levels ----------------------------------------------------------------------------------------
SUBJECT_LEVELS: dict[str, str] = {"T": "Hoàn thành tốt", "H": "Hoàn thành", "C": "Chưa hoàn thành"}
TRAIT_LEVELS: dict[str, str] = {"T": "Tốt", "Đ": "Đạt", "C": "Cần cố gắng"}

QUALITIES: dict[str, str] = {"yeu_nuoc": "Yêu nước", "nhan_ai": "Nhân ái", "cham_chi": "Chăm chỉ",
                             "trung_thuc": "Trung thực", "trach_nhiem": "Trách nhiệm"}
GENERAL_COMPETENCES: dict[str, str] = {"tu_chu": "Tự chủ và tự học", "giao_tiep": "Giao tiếp và hợp tác",
                                       "giai_quyet": "Giải quyết vấn đề và sáng tạo"}
SPECIFIC_COMPETENCES: dict[str, str] = {"ngon_ngu": "Ngôn ngữ", "tinh_toan": "Tính toán", "khoa_hoc": "Khoa học",
                                        "cong_nghe": "Công nghệ", "tin_hoc": "Tin học", "tham_mi": "Thẩm mĩ",
                                        "the_chat": "Thể chất"}
COMPETENCES: dict[str, str] = {**GENERAL_COMPETENCES, **SPECIFIC_COMPETENCES}

# --- results (Điều 9) and awards (Điều 10) --------------------------------------------------------
EXCELLENT = "Hoàn thành xuất sắc"
GOOD = "Hoàn thành tốt"
COMPLETED = "Hoàn thành"
NOT_COMPLETED = "Chưa hoàn thành"
RESULTS = (EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED)
AWARD_EXCELLENT = "Học sinh Xuất sắc"
AWARD_EXEMPLARY = "Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện"
PRIMARY_COMPLETED = "Hoàn thành chương trình tiểu học"

# the least end-of-year test score each result needs (domain.md §2, [M])
_THRESHOLDS = {EXCELLENT: 9, GOOD: 7, COMPLETED: 5}

MSG_SCORE_INVALID = "Điểm kiểm tra định kì phải là số nguyên từ 0 đến 10 (không cho điểm thập phân)."
MSG_MOMENT_INVALID = "Thời điểm đánh giá phải là GHK1, CHK1, GHK2 hoặc CN."
MSG_GRADE_INVALID = "Khối tiểu học phải từ 1 đến 5."
MSG_SUBJECT_LEVEL_INVALID = "Mức đánh giá môn học phải là T (Hoàn thành tốt), H (Hoàn thành) hoặc C (Chưa hoàn thành)."
MSG_TRAIT_LEVEL_INVALID = "Mức đánh giá phẩm chất, năng lực phải là T (Tốt), Đ (Đạt) hoặc C (Cần cố gắng)."
# a teacher's short comment on a pupil (a subject at a moment, or the month's): its length on the page and in
# the database (primary_cell.value, monthly_comment.text, correction_request.old_value/new_value)
COMMENT_MAX = 300
MSG_COMMENT_TOO_LONG = f"Nhận xét tối đa {COMMENT_MAX} kí tự."
MSG_COMMENT_CONTROL = "Nhận xét có kí tự điều khiển (không in được): hãy gõ lại nhận xét, không dán kí tự lạ."

_WHOLE = re.compile(r"(?:10|[0-9])")


def _check_moment(moment: str) -> None:
    if moment not in MOMENTS:
        raise ValueError(MSG_MOMENT_INVALID)


def subjects_of(grade: int) -> dict[str, int]:
    """The compulsory subjects of a grade with their periods per year."""
    if grade not in PROGRAMME:
        raise ValueError(MSG_GRADE_INVALID)
    return dict(PROGRAMME[grade])


def tested_subjects(grade: int, moment: str) -> set[str]:
    """The subjects of the grade with a periodic test at the moment (TT27 Điều 7.1.b–c)."""
    _check_moment(moment)
    studied = set(subjects_of(grade))
    if moment in MIDTERM_MOMENTS:
        return studied & MIDTERM_TESTED if grade >= 4 else set()
    return studied & TESTED_SUBJECTS


def parse_test_score(text: str) -> int:
    """A periodic test score as typed: whole numbers 0–10 only ("7,5", "7.5", "11", "-1" are refused)."""
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    cleaned = unicodedata.normalize("NFC", text).strip()
    if not _WHOLE.fullmatch(cleaned):
        raise ValueError(MSG_SCORE_INVALID)
    return int(cleaned)


def parse_subject_level(text: str) -> str:
    """T / H / C, typed in either case."""
    level = unicodedata.normalize("NFC", text or "").strip().upper()
    if level not in SUBJECT_LEVELS:
        raise ValueError(MSG_SUBJECT_LEVEL_INVALID)
    return level


def parse_comment(text: str | None) -> str | None:
    """A comment as typed: NFC, whitespace runs (line breaks, tabs) made one space; "" is None (clears). Longer than
    COMMENT_MAX or holding a control character (category Cc: NUL, ESC, BEL …) is refused."""
    cleaned = " ".join(unicodedata.normalize("NFC", text or "").split())
    if not cleaned:
        return None
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise ValueError(MSG_COMMENT_CONTROL)
    if len(cleaned) > COMMENT_MAX:
        raise ValueError(MSG_COMMENT_TOO_LONG)
    return cleaned


def parse_trait_level(text: str) -> str:
    """T / Đ / C for a quality or competence; D is taken for Đ (a keyboard without Vietnamese input)."""
    level = unicodedata.normalize("NFC", text or "").strip().upper()
    level = "Đ" if level == "D" else level
    if level not in TRAIT_LEVELS:
        raise ValueError(MSG_TRAIT_LEVEL_INVALID)
    return level


def _checked(mapping: Mapping[str, str], allowed: Mapping[str, str], message: str) -> list[str]:
    levels = list(mapping.values())
    if any(level not in allowed for level in levels):
        raise ValueError(message)
    return levels


def final_result(subject_levels: Mapping[str, str], quality_levels: Mapping[str, str],
                 competence_levels: Mapping[str, str], year_end_scores: Mapping[str, int]) -> str:
    """The end-of-year result (TT27 Điều 9; table in domain.md §2).

    subject → T/H/C, quality → T/Đ/C, competence → T/Đ/C, tested subject → whole score 0–10. Every
    quality and competence must be rated and every subject rated; a missing one is a ValueError.
    """
    if not subject_levels:
        raise ValueError("Chưa đánh giá môn học nào.")
    missing = [QUALITIES[k] for k in QUALITIES if k not in quality_levels]
    missing += [COMPETENCES[k] for k in COMPETENCES if k not in competence_levels]
    if missing:
        raise ValueError("Chưa đánh giá: " + ", ".join(missing) + ".")
    subjects = _checked(subject_levels, SUBJECT_LEVELS, MSG_SUBJECT_LEVEL_INVALID)
    traits = (_checked(quality_levels, TRAIT_LEVELS, MSG_TRAIT_LEVEL_INVALID)
              + _checked(competence_levels, TRAIT_LEVELS, MSG_TRAIT_LEVEL_INVALID))
    scores = list(year_end_scores.values())
    if any(isinstance(s, bool) or not isinstance(s, int) or not 0 <= s <= 10 for s in scores):
        raise ValueError(MSG_SCORE_INVALID)
    lowest = min(scores, default=10)
    all_top = all(level == "T" for level in subjects + traits)
    if all_top and lowest >= _THRESHOLDS[EXCELLENT]:
        return EXCELLENT
    if all_top and lowest >= _THRESHOLDS[GOOD]:
        return GOOD
    if "C" not in subjects and "C" not in traits and lowest >= _THRESHOLDS[COMPLETED]:
        return COMPLETED
    return NOT_COMPLETED


def completes_grade(result: str) -> bool:
    """Hoàn thành chương trình lớp học: any result but Chưa hoàn thành."""
    return result in (EXCELLENT, GOOD, COMPLETED)


def proposed_award(result: str) -> str:
    """The award the result proposes: Học sinh Xuất sắc for HTXS; Tiêu biểu is the class's to propose
    among HTT pupils (Điều 10), so it is never computed; "" otherwise."""
    return AWARD_EXCELLENT if result == EXCELLENT else ""


# --- awards (Điều 10) ------------------------------------------------------------------------------
# a year-end periodic test score that counts as outstanding in a subject, for the Tiêu biểu proposal ([M]:
# domain.md §2 names "outstanding in ≥ 1 subject" without a measure)
OUTSTANDING_SCORE = 10
# the moments before the year's end, in order; progress is judged against the lowest rating in them
EARLIER_MOMENTS = ("GHK1", "CHK1", "GHK2")
_TRAIT_RANK = {"C": 0, "Đ": 1, "T": 2}


@dataclass(frozen=True)
class AwardProposal:
    """What the rule proposes for a pupil: an award ("" for none) and the grounds, in words."""

    award: str
    grounds: tuple[str, ...] = ()


def award_proposal(result: str, year_end_scores: Mapping[str, int],
                   trait_levels: Mapping[str, Mapping[str, str]]) -> AwardProposal:
    """The award the school proposes for a pupil (TT27 Điều 10; domain.md §2).

    * Hoàn thành xuất sắc → Học sinh Xuất sắc.
    * Hoàn thành tốt and outstanding in at least one subject (a year-end test score of OUTSTANDING_SCORE) or
      clear progress in at least one quality or competence (rated Tốt at CN after a lower rating at an earlier
      moment) → Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện, the grounds named; the class
      recognises it when the homeroom teacher confirms.
    * Otherwise none.

    `trait_levels`: moment → {trait code → T/Đ/C}.
    """
    if result == EXCELLENT:
        return AwardProposal(AWARD_EXCELLENT, (EXCELLENT,))
    if result != GOOD:
        return AwardProposal("")
    grounds = [f"Điểm kiểm tra cuối năm môn {subject}: {score}"
               for subject, score in sorted(year_end_scores.items()) if score >= OUTSTANDING_SCORE]
    final = trait_levels.get("CN", {})
    names = {**QUALITIES, **COMPETENCES}
    for trait in names:
        earlier = [trait_levels.get(m, {}).get(trait) for m in EARLIER_MOMENTS]
        earlier = [level for level in earlier if level in _TRAIT_RANK]
        if final.get(trait) == "T" and earlier and min(_TRAIT_RANK[level] for level in earlier) < _TRAIT_RANK["T"]:
            lowest = min(earlier, key=_TRAIT_RANK.__getitem__)
            grounds.append(f"Tiến bộ rõ về {names[trait].lower()} ({TRAIT_LEVELS[lowest]} → Tốt)")
    return AwardProposal(AWARD_EXEMPLARY if grounds else "", tuple(grounds))


def awards_allowed(result: str) -> tuple[str, ...]:
    """The awards a pupil with this result may receive: Xuất sắc for HTXS, Tiêu biểu for HTT."""
    return {EXCELLENT: (AWARD_EXCELLENT,), GOOD: (AWARD_EXEMPLARY,)}.get(result, ())


def completion(grade: int, result: str) -> str:
    """What the học bạ writes at the year's end: "Hoàn thành chương trình tiểu học" for a grade 5 pupil who
    completes, "Hoàn thành chương trình lớp N" for the others, "Chưa hoàn thành chương trình lớp N" otherwise."""
    if grade not in GRADES:
        raise ValueError(MSG_GRADE_INVALID)
    if not completes_grade(result):
        return f"Chưa hoàn thành chương trình lớp {grade}"
    return PRIMARY_COMPLETED if grade == 5 else f"Hoàn thành chương trình lớp {grade}"
