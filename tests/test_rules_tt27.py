"""Tests for models.rules.tt27 (TT27/2020, primary): tested subjects, test scores, the year-end result."""
import pytest

from models.rules import tt27

TV, TOAN, NN, LSDL, KH, THCN = ("Tiếng Việt", "Toán", "Ngoại ngữ 1", "Lịch sử và Địa lí", "Khoa học",
                                "Tin học và Công nghệ")

# every grade × moment, written out by hand from Điều 7.1.b–c
EXPECTED = {
    (1, "GHK1"): set(), (1, "CHK1"): {TV, TOAN}, (1, "GHK2"): set(), (1, "CN"): {TV, TOAN},
    (2, "GHK1"): set(), (2, "CHK1"): {TV, TOAN}, (2, "GHK2"): set(), (2, "CN"): {TV, TOAN},
    (3, "GHK1"): set(), (3, "CHK1"): {TV, TOAN, NN, THCN}, (3, "GHK2"): set(), (3, "CN"): {TV, TOAN, NN, THCN},
    (4, "GHK1"): {TV, TOAN}, (4, "CHK1"): {TV, TOAN, NN, LSDL, KH, THCN},
    (4, "GHK2"): {TV, TOAN}, (4, "CN"): {TV, TOAN, NN, LSDL, KH, THCN},
    (5, "GHK1"): {TV, TOAN}, (5, "CHK1"): {TV, TOAN, NN, LSDL, KH, THCN},
    (5, "GHK2"): {TV, TOAN}, (5, "CN"): {TV, TOAN, NN, LSDL, KH, THCN},
}


@pytest.mark.parametrize(("grade", "moment"), sorted(EXPECTED))
def test_tested_subjects_every_grade_and_moment(grade, moment):
    assert tt27.tested_subjects(grade, moment) == EXPECTED[(grade, moment)]


def test_tested_subjects_are_studied_by_the_grade():
    for (grade, _moment), subjects in EXPECTED.items():
        assert subjects <= set(tt27.subjects_of(grade))


@pytest.mark.parametrize(("grade", "moment"), [(0, "CN"), (6, "CN"), (3, "HK1"), (3, "cn")])
def test_tested_subjects_refuses_unknown_grade_or_moment(grade, moment):
    with pytest.raises(ValueError):
        tt27.tested_subjects(grade, moment)


@pytest.mark.parametrize(("text", "score"), [("0", 0), ("7", 7), (" 9 ", 9), ("10", 10)])
def test_parse_test_score_accepts_whole_numbers(text, score):
    assert tt27.parse_test_score(text) == score


@pytest.mark.parametrize("text", ["7,5", "7.5", "11", "-1", "", "7,0", "07", "1 0", "mười", "٥", "+5"])
def test_parse_test_score_refuses_with_a_vietnamese_message(text):
    with pytest.raises(ValueError, match="số nguyên từ 0 đến 10"):
        tt27.parse_test_score(text)


def test_levels():
    assert tt27.parse_subject_level("h") == "H"
    assert tt27.parse_trait_level("d") == "Đ"
    assert tt27.parse_trait_level("đ") == "Đ"
    with pytest.raises(ValueError, match="Hoàn thành tốt"):
        tt27.parse_subject_level("Đ")
    with pytest.raises(ValueError, match="Cần cố gắng"):
        tt27.parse_trait_level("H")


def traits(level="T", **changed):
    qualities = {k: level for k in tt27.QUALITIES}
    competences = {k: level for k in tt27.COMPETENCES}
    for key, value in changed.items():
        (qualities if key in qualities else competences)[key] = value
    return qualities, competences


SUBJECTS_T = {TV: "T", TOAN: "T", "Đạo đức": "T"}


def result(subjects=SUBJECTS_T, scores=None, level="T", **changed):
    qualities, competences = traits(level, **changed)
    return tt27.final_result(subjects, qualities, competences, scores if scores is not None else {TV: 10, TOAN: 9})


def test_excellent_needs_all_t_and_every_test_at_least_9():
    assert result(scores={TV: 9, TOAN: 10}) == tt27.EXCELLENT


def test_good_when_a_test_is_below_9_but_at_least_7():
    assert result(scores={TV: 8, TOAN: 10}) == tt27.GOOD
    assert result(scores={TV: 7, TOAN: 10}) == tt27.GOOD


def test_completed_when_a_subject_is_h():
    assert result({**SUBJECTS_T, "Đạo đức": "H"}, {TV: 10, TOAN: 10}) == tt27.COMPLETED


def test_completed_when_a_quality_or_competence_is_dat():
    assert result(nhan_ai="Đ") == tt27.COMPLETED
    assert result(the_chat="Đ") == tt27.COMPLETED


def test_completed_when_a_test_is_5_or_6():
    assert result(scores={TV: 6, TOAN: 10}) == tt27.COMPLETED
    assert result(scores={TV: 5, TOAN: 10}) == tt27.COMPLETED


def test_not_completed_when_a_test_is_below_5():
    assert result(scores={TV: 4, TOAN: 10}) == tt27.NOT_COMPLETED


def test_not_completed_when_a_subject_is_c():
    assert result({**SUBJECTS_T, TOAN: "C"}) == tt27.NOT_COMPLETED


def test_not_completed_when_a_quality_or_competence_needs_effort():
    assert result(trung_thuc="C") == tt27.NOT_COMPLETED
    assert result(tin_hoc="C") == tt27.NOT_COMPLETED


def test_a_grade_without_tests_judges_levels_only():
    assert result(scores={}) == tt27.EXCELLENT


def test_score_never_decides_the_subject_level():
    # a 10 does not lift an H subject: the level is the teacher's judgement
    assert result({TV: "H", TOAN: "T"}, {TV: 10, TOAN: 10}) == tt27.COMPLETED


def test_final_result_refuses_missing_or_wrong_input():
    qualities, competences = traits()
    del competences["tham_mi"]
    with pytest.raises(ValueError, match="Thẩm mĩ"):
        tt27.final_result(SUBJECTS_T, qualities, competences, {})
    with pytest.raises(ValueError):
        result({TV: "Đ"})
    with pytest.raises(ValueError):
        result(yeu_nuoc="H")
    with pytest.raises(ValueError):
        result(scores={TV: 11})
    with pytest.raises(ValueError):
        tt27.final_result({}, *traits(), {})


def test_awards_and_completion():
    assert tt27.proposed_award(tt27.EXCELLENT) == tt27.AWARD_EXCELLENT
    assert tt27.proposed_award(tt27.GOOD) == ""
    assert tt27.completes_grade(tt27.COMPLETED)
    assert not tt27.completes_grade(tt27.NOT_COMPLETED)


def _all(level: str) -> dict[str, str]:
    return {code: level for code in {**tt27.QUALITIES, **tt27.COMPETENCES}}


def test_award_proposals_worked_examples():
    steady = {m: _all("T") for m in tt27.MOMENTS}
    # HTXS (all T, every end-of-year test ≥ 9) → Học sinh Xuất sắc
    assert tt27.award_proposal(tt27.EXCELLENT, {TV: 9, "Toán": 10}, steady) == tt27.AwardProposal(
        tt27.AWARD_EXCELLENT, (tt27.EXCELLENT,))
    # HTT with a 10 in Toán → Tiêu biểu, outstanding in one subject
    proposal = tt27.award_proposal(tt27.GOOD, {TV: 8, "Toán": 10}, steady)
    assert proposal.award == tt27.AWARD_EXEMPLARY
    assert proposal.grounds == ("Điểm kiểm tra cuối năm môn Toán: 10",)
    # HTT, no 10, but Chăm chỉ was Đạt at GHK1 and Tốt at CN → Tiêu biểu, clear progress
    progress = {**steady, "GHK1": {**_all("T"), "cham_chi": "Đ"}, "GHK2": {**_all("T"), "cham_chi": "C"}}
    proposal = tt27.award_proposal(tt27.GOOD, {TV: 8, "Toán": 9}, progress)
    assert proposal.award == tt27.AWARD_EXEMPLARY
    assert proposal.grounds == ("Tiến bộ rõ về chăm chỉ (Cần cố gắng → Tốt)",)
    # HTT, steady Tốt, no 10 → no proposal (the homeroom teacher may still propose, with remarks)
    assert tt27.award_proposal(tt27.GOOD, {TV: 8, "Toán": 9}, steady) == tt27.AwardProposal("")
    # Hoàn thành with a 10 → nothing: Tiêu biểu needs Hoàn thành tốt
    assert tt27.award_proposal(tt27.COMPLETED, {"Toán": 10}, progress).award == ""
    assert tt27.award_proposal(tt27.NOT_COMPLETED, {}, {}).award == ""


def test_which_awards_a_result_allows_and_what_the_hoc_ba_writes():
    assert tt27.awards_allowed(tt27.EXCELLENT) == (tt27.AWARD_EXCELLENT,)
    assert tt27.awards_allowed(tt27.GOOD) == (tt27.AWARD_EXEMPLARY,)
    assert tt27.awards_allowed(tt27.COMPLETED) == () == tt27.awards_allowed(tt27.NOT_COMPLETED)
    assert tt27.completion(5, tt27.GOOD) == "Hoàn thành chương trình tiểu học"
    assert tt27.completion(3, tt27.COMPLETED) == "Hoàn thành chương trình lớp 3"
    assert tt27.completion(5, tt27.NOT_COMPLETED) == "Chưa hoàn thành chương trình lớp 5"
    with pytest.raises(ValueError):
        tt27.completion(6, tt27.GOOD)
