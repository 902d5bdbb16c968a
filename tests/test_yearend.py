"""Year-end results: the class sheet is the rule functions applied to the grade book and attendance; conduct
is saved with version checks; incomplete subjects are flagged with their teacher; the walk submit → pass or
return → approve freezes the results and a later change asks for re-approval; summer re-tests decide again."""
from datetime import datetime
from decimal import Decimal

import pytest

from models.attendance.register import absence_totals
from models.audit.log import AuditEntry
from models.gradebook.marks import MarkCell
from models.rules import tt22
from models.yearend import approval, records, results, summer
from tests.yearend_school import absent, add_subjects, semester, tx_n, type_marks, type_year


@pytest.fixture
def ys(school):
    add_subjects(school)
    return school


def rate(ys, student, hk1, hk2):
    user = ys["users"]["chunhiem"]
    for number, level in ((1, hk1), (2, hk2)):
        got = records.save_conduct(ys["classes"]["6A1"], student, number, level, None, 0, user)
        assert got.status == "saved", got.message


def students(ys):
    return [ys["students"][n] for n in ("Nguyễn Thị An", "Lê Văn An", "Trần Văn Bình", "Đặng Quốc Đạt",
                                        "Phạm Minh Dũng", "Hoàng Anh", "Vũ Ánh")]


def full_class(ys):
    """Seven students, one in each outcome: Xuất sắc, Giỏi, promoted (Khá), re-test, summer training, both, and
    not promoted for 46 absences."""
    s = students(ys)
    type_year(ys, s[0], {c: "9.5" for c in ("TOAN", "VAN", "ANH", "KHTN", "LSDL", "GDCD")})
    rate(ys, s[0], "T", "T")
    type_year(ys, s[1], {})
    rate(ys, s[1], "T", "K")
    type_year(ys, s[2], {"TOAN": "6.0", "VAN": "7.0"})
    rate(ys, s[2], "K", "K")
    type_year(ys, s[3], {"TOAN": "3.0", "VAN": "3.0"})
    rate(ys, s[3], "K", "Đ")
    type_year(ys, s[4], {})
    rate(ys, s[4], "Đ", "C")
    type_year(ys, s[5], {"TOAN": "3.0"}, level=tt22.COMMENT_FAIL)
    rate(ys, s[5], "C", "C")
    type_year(ys, s[6], {})
    rate(ys, s[6], "T", "T")
    absent(ys, s[6], 40, "P")
    absent_k(ys, s[6], 6)
    return s


def approve(ys):
    c = ys["classes"]["6A1"]
    approval.submit(c, ys["users"]["chunhiem"])
    approval.pass_on(c, ys["users"]["phohieutruong"])
    approval.approve(c, ys["users"]["hieutruong"])


def absent_k(ys, student, sessions):
    from datetime import date, datetime, timedelta

    from models.attendance.register import AttendanceMark
    from models.core import write_transaction

    day, left = date(2024, 12, 2), sessions
    with write_transaction():
        while left:
            if day.weekday() < 5:
                AttendanceMark.insert(student=student, school_class=ys["classes"]["6A1"], day=day, session=1,
                                      value="K", version=1, updated_at=datetime.now()).execute()
                left -= 1
            day += timedelta(days=1)


def expected_year(ys, student):
    """The year's result straight from the rule functions on the typed marks (not through the sheet)."""
    scored, commented = {}, {}
    for subject in ys["subjects"].values():
        per = {}
        for number in (1, 2):
            cells = {(c.kind, c.idx): c.value for c in MarkCell.select().where(
                (MarkCell.student == student) & (MarkCell.subject == subject)
                & (MarkCell.semester == semester(ys, number)))}
            if subject.comment_only:
                per[number] = tt22.comment_subject_level(list(cells.values()))
            else:
                n = tx_n(ys, subject)
                per[number] = tt22.semester_average([Decimal(cells[("tx", i)]) for i in range(1, n + 1)],
                                                    Decimal(cells[("gk", 1)]), Decimal(cells[("ck", 1)]))
        if subject.comment_only:
            commented[subject.name] = per[2]
        else:
            scored[subject.name] = tt22.year_average(per[1], per[2])
    ratings = records.conduct_levels(ys["classes"]["6A1"])
    conduct = tt22.conduct_year(ratings[(student.id, 1)].level, ratings[(student.id, 2)].level)
    learning = tt22.learning_result(scored, commented)
    sessions = absence_totals(student, ys["year"]).sessions
    return {"conduct": conduct, "learning": learning, "award": tt22.award(conduct, learning, scored),
            "promotion": tt22.promotion(conduct, learning, sessions),
            "retest": tt22.retest_subjects(scored, commented) if learning == tt22.CHUA_DAT else [],
            "sessions": sessions}


def test_the_year_sheet_equals_the_rule_functions_for_every_student(ys):
    full_class(ys)
    sheet = results.class_sheet(ys["classes"]["6A1"], results.YEAR)
    assert sheet.complete
    for row in sheet.rows:
        want = expected_year(ys, row.student)
        got = {"conduct": row.conduct, "learning": row.learning, "award": row.award, "promotion": row.promotion,
               "retest": row.retest, "sessions": row.absences.total}
        assert got == want, row.student.full_name
    outcomes = {r.award for r in sheet.rows} | {r.promotion for r in sheet.rows}
    assert outcomes >= {tt22.AWARD_EXCELLENT, tt22.AWARD_GOOD, tt22.PROMOTED, tt22.RETEST,
                             tt22.SUMMER_TRAINING, tt22.SUMMER_AND_RETEST, tt22.NOT_PROMOTED}


def test_45_absent_sessions_is_promoted_and_46_is_not(ys):
    s = students(ys)
    for student, sessions in ((s[0], 45), (s[1], 46)):
        type_year(ys, student, {})
        rate(ys, student, "T", "T")
        absent(ys, student, sessions)
    rows = {r.student.id: r for r in results.class_sheet(ys["classes"]["6A1"]).rows}
    assert rows[s[0].id].absences.total == 45 and rows[s[0].id].promotion == tt22.PROMOTED
    assert rows[s[1].id].absences.total == 46 and rows[s[1].id].promotion == tt22.NOT_PROMOTED


def test_semester_sheets_use_that_semesters_marks_and_conduct(ys):
    s = students(ys)[0]
    for subject in ys["subjects"].values():
        type_marks(ys, s, subject, 1, "Đ" if subject.comment_only else "9.0")
        type_marks(ys, s, subject, 2, "Đ" if subject.comment_only else "5.0")
    rate(ys, s, "T", "Đ")
    one = next(r for r in results.class_sheet(ys["classes"]["6A1"], 1).rows if r.student.id == s.id)
    two = next(r for r in results.class_sheet(ys["classes"]["6A1"], 2).rows if r.student.id == s.id)
    assert (one.learning, one.conduct) == (tt22.TOT, tt22.TOT)
    assert (two.learning, two.conduct) == (tt22.DAT, tt22.DAT)
    assert one.subject_text(ys["subjects"]["TOAN"].id) == "9,0"


def test_an_incomplete_subject_is_flagged_with_its_teacher_and_nothing_downstream_is_computed(ys):
    s = students(ys)[0]
    type_year(ys, s, {})
    rate(ys, s, "T", "T")
    MarkCell.update(value=None).where((MarkCell.student == s) & (MarkCell.subject == ys["subjects"]["VAN"])
                                      & (MarkCell.kind == "ck")).execute()
    sheet = results.class_sheet(ys["classes"]["6A1"])
    row = next(r for r in sheet.rows if r.student.id == s.id)
    assert row.missing == ["Ngữ văn"] and row.learning is None and row.promotion is None and row.award is None
    van = next(i for i in sheet.incomplete if i.subject.code == "VAN")
    assert van.teachers == ys["staff"]["giaovien"].full_name
    assert not sheet.complete
    with pytest.raises(approval.StepRefused, match="Ngữ văn"):
        approval.submit(ys["classes"]["6A1"], ys["users"]["chunhiem"])
    assert records.year_end_of(ys["classes"]["6A1"]).state == records.DRAFT


def test_conduct_saves_check_the_version_refuse_bad_input_and_are_audited(ys):
    c, s, user = ys["classes"]["6A1"], students(ys)[0], ys["users"]["chunhiem"]
    first = records.save_conduct(c, s, 1, "t", "Ngoan, lễ phép", 0, user)
    assert (first.status, first.level, first.version) == ("saved", tt22.TOT, 1)
    stale = records.save_conduct(c, s, 1, "K", None, 0, ys["users"]["admin"])
    assert stale.status == "conflict" and "Giáo Viên Chunhiem" in stale.message
    assert records.conduct_levels(c)[(s.id, 1)].level == tt22.TOT
    wrong = records.save_conduct(c, s, 1, "X", None, 1, user)
    assert wrong.status == "invalid" and "T (Tốt)" in wrong.message
    assert records.save_conduct(c, s, 1, "đ", None, 1, user).level == tt22.DAT
    entries = list(AuditEntry.select().where(AuditEntry.action == "conduct"))
    assert len(entries) == 2 and f"6A1/{s.code}/HK1" == entries[-1].entity_id


def test_approval_freezes_and_a_later_mark_change_asks_for_reapproval(ys):
    c = ys["classes"]["6A1"]
    s = full_class(ys)
    approval.submit(c, ys["users"]["chunhiem"])
    with pytest.raises(approval.StepRefused):
        approval.approve(c, ys["users"]["hieutruong"])  # not passed on yet
    approval.return_class(c, "Xem lại rèn luyện em Bình", ys["users"]["phohieutruong"])
    assert records.year_end_of(c).reason == "Xem lại rèn luyện em Bình"
    assert records.save_conduct(c, s[2], 2, "T", None, 1, ys["users"]["chunhiem"]).status == "saved"
    approval.submit(c, ys["users"]["chunhiem"])
    assert records.save_conduct(c, s[2], 2, "K", None, 2, ys["users"]["chunhiem"]).status == "locked"
    approval.pass_on(c, ys["users"]["phohieutruong"])
    approval.approve(c, ys["users"]["hieutruong"])
    assert len(records.frozen_results(c)) == 7 and not approval.needs_reapproval(c)
    # after approval a mark changes (the correction workflow applies it): the frozen result no longer matches
    MarkCell.update(value="2.0", updated_at=datetime.now()).where((MarkCell.student == s[1]) & (MarkCell.subject == ys["subjects"]["TOAN"])
                                       ).execute()
    assert approval.needs_reapproval(c)
    assert [r.student.id for r in approval.changed_students(c)] == [s[1].id]
    assert approval.class_states(ys["year"])[0].label == "Cần duyệt lại"
    approval.approve(c, ys["users"]["hieutruong"])
    assert not approval.needs_reapproval(c)
    assert [st.step for st in records.steps_of(c)] == ["submit", "return", "submit", "pass", "approve", "reapprove"]
    assert AuditEntry.select().where(AuditEntry.action == "year_end").count() == 6


def test_a_retest_mark_changes_the_outcome_and_the_decision_is_recorded_beside_the_first(ys):
    c = ys["classes"]["6A1"]
    s = full_class(ys)
    retester = s[3]
    row = next(r for r in results.class_sheet(c).rows if r.student.id == retester.id)
    assert row.promotion == tt22.RETEST and row.retest == ["Toán", "Ngữ văn"]
    with pytest.raises(ValueError, match="chưa được hiệu trưởng duyệt"):
        summer.save_retest(c, retester, ys["subjects"]["TOAN"], "7", ys["users"]["admin"])
    assert not records.retest_values(c)
    approve(ys)
    with pytest.raises(ValueError, match="không thuộc"):
        summer.save_retest(c, retester, ys["subjects"]["ANH"], "7", ys["users"]["admin"])
    with pytest.raises(ValueError):
        summer.save_retest(c, retester, ys["subjects"]["TOAN"], "12,5", ys["users"]["admin"])
    summer.save_retest(c, retester, ys["subjects"]["TOAN"], "6,5", ys["users"]["admin"])
    row = next(r for r in results.class_sheet(c).rows if r.student.id == retester.id)
    assert row.promotion == tt22.RETEST  # the first decision stays
    assert row.summer.decision == tt22.PROMOTED and row.summer.learning != tt22.CHUA_DAT
    decision = records.final_decisions(c)[retester.id]
    assert decision.decision == tt22.PROMOTED
    # summer training: still Chưa đạt after summer is not promoted
    trainee = s[4]
    summer.save_summer_conduct(c, trainee, "C", ys["users"]["chunhiem"])
    assert records.final_decisions(c)[trainee.id].decision == tt22.NOT_PROMOTED
    summer.save_summer_conduct(c, trainee, "Đ", ys["users"]["chunhiem"])
    assert records.final_decisions(c)[trainee.id].decision == tt22.PROMOTED
    with pytest.raises(ValueError, match="không phải rèn luyện"):
        summer.save_summer_conduct(c, s[1], "T", ys["users"]["chunhiem"])
