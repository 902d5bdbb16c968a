"""Carrying the year forward from the results: the proposal (promoted up a grade, not promoted stays, the last
grade of the level completes the programme, open decisions flagged), the admin's review page, and the carry
that applies what the admin sent: the grade-9 leaver's status becomes "đã hoàn thành chương trình"."""
from datetime import date

import pytest

from models.audit.log import AuditEntry
from models.core import write_transaction
from models.people.records import COMPLETED, STUDENT_STATUSES, Student, StudentStatus, create_student
from models.rules import tt22
from models.school.structure import Grade, SchoolClass, SchoolYear, enrol
from models.yearend import placement
from tests.test_yearend import approve, full_class
from tests.yearend_school import add_subjects


@pytest.fixture
def ys(school):
    add_subjects(school)
    with write_transaction():
        nine = SchoolClass.create(year=school["year"], grade=Grade.get(Grade.number == 9), name="9A1")
        leaver = create_student({"full_name": "Đỗ Văn Khang", "gender": "Nam", "date_of_birth": date(2010, 2, 2)},
                                2024)
        enrol(leaver, nine, date(2024, 9, 5))
    school["classes"]["9A1"], school["leaver"] = nine, leaver
    return school


def _rows(proposal):
    return {p.student.full_name: p for c in proposal.classes for p in c.rows}


def test_the_status_exists_with_its_label():
    assert STUDENT_STATUSES[COMPLETED] == "Đã hoàn thành chương trình"


def test_the_proposal_follows_the_results(ys):
    s = full_class(ys)
    approve(ys)
    rows = _rows(placement.propose(ys["year"]))
    assert (rows[s[0].full_name].stays, rows[s[0].full_name].target) == (False, "7A1")
    not_promoted = rows[s[6].full_name]
    assert (not_promoted.decision, not_promoted.stays, not_promoted.target) == (tt22.NOT_PROMOTED, True, "6A1")
    assert rows[s[3].full_name].flag.startswith("Chưa có kết quả sau hè")  # re-test not typed yet
    assert rows[s[0].full_name].flag == ""
    leaver = rows["Đỗ Văn Khang"]
    assert leaver.target == placement.COMPLETES and leaver.flag == "Chưa đủ kết quả cả năm"
    assert rows["Bùi Thị Cúc"].flag == "Chưa đủ kết quả cả năm"  # 6A2: no marks


def test_the_decision_after_summer_replaces_the_first(ys):
    from models.yearend import summer

    s = full_class(ys)
    approve(ys)
    c, admin = ys["classes"]["6A1"], ys["users"]["admin"]
    summer.save_retest(c, s[3], ys["subjects"]["TOAN"], "6,5", admin)
    summer.save_retest(c, s[3], ys["subjects"]["VAN"], "6,0", admin)
    summer.save_summer_conduct(c, s[4], "C", ys["users"]["chunhiem"])  # still Chưa đạt: not promoted
    rows = _rows(placement.propose(ys["year"]))
    assert (rows[s[3].full_name].decision, rows[s[3].full_name].target, rows[s[3].full_name].flag) == (
        tt22.PROMOTED, "7A1", "")
    assert (rows[s[4].full_name].stays, rows[s[4].full_name].target) == (True, "6A1")


def test_the_admin_reviews_then_carries_and_the_leaver_completes(client, login_as, ys):
    s = full_class(ys)
    approve(ys)
    auth = login_as("admin")
    page = client.get("/admin/years/carry-forward/review").get_data(as_text=True)
    assert f'value="{s[6].code}" id="stay-{s[6].id}" checked' in page
    assert f'value="{s[0].code}" id="stay-{s[0].id}">' in page
    assert "Hoàn thành chương trình" in page and "Chưa có kết quả sau hè" in page
    assert "/admin/years/carry-forward/review" in client.get("/admin/years").get_data(as_text=True)
    # the admin keeps the proposal and also holds back the re-test student whose summer is not decided
    resp = auth.post("/admin/years/carry-forward", {"stay": [s[6].code, s[3].code], "staying": ""})
    assert resp.status_code == 303
    new = SchoolYear.get(SchoolYear.start_year == 2025)
    classes = {c.name: sorted(e.student_id for e in c.enrolments)
               for c in SchoolClass.select().where(SchoolClass.year == new)}
    assert classes["6A1"] == sorted([s[6].id, s[3].id])
    assert s[0].id in classes["7A1"] and "10A1" not in classes and "9A1" not in classes
    leaver = Student.get_by_id(ys["leaver"].id)
    assert leaver.status == COMPLETED and leaver.status_label == "Đã hoàn thành chương trình"
    history = StudentStatus.get((StudentStatus.student == leaver) & (StudentStatus.status == COMPLETED))
    assert (history.effective_on, history.reason) == (date(2025, 5, 25),
                                                      "Hoàn thành chương trình lớp 9, năm học 2024-2025")
    assert AuditEntry.select().where((AuditEntry.action == "status") & (AuditEntry.entity_id == leaver.code)).exists()
    assert not Student.get_by_id(s[0].id).has_left  # a completed student is not "left": the year's books keep them


def test_an_unknown_code_is_refused_on_the_review_page_and_nothing_changes(client, login_as, ys):
    auth = login_as("admin")
    resp = auth.post("/admin/years/carry-forward", {"stay": ["HS2024KHONGCO0000000"], "staying": ""})
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "Không có học sinh mã HS2024KHONGCO0000000" in body and "Đề xuất xếp lớp" in body
    assert SchoolYear.select().count() == 1
    assert Student.get_by_id(ys["leaver"].id).status == "dang_hoc"


def test_only_the_admin_sees_the_review(client, login_as, ys):
    login_as("hieutruong")
    assert client.get("/admin/years/carry-forward/review").status_code == 403
