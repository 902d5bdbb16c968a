"""Year-end pages over HTTP: the GVCN's conduct grid (keys, versions), comments, sheets and submit; the
vice-principal's return / pass; the principal's approve; the office's re-tests; who may do what."""
import re
from datetime import datetime

import pytest

from models.audit.log import AuditEntry
from models.gradebook.marks import MarkCell
from models.rules import tt22
from models.yearend import approval, records
from tests.test_yearend import approve, full_class, rate, students
from tests.yearend_school import add_subjects, type_year


@pytest.fixture
def ys(school):
    add_subjects(school)
    return school


def test_conduct_grid_saves_a_key_and_refuses_a_stale_version(client, login_as, ys):
    c, s = ys["classes"]["6A1"], students(ys)[0]
    auth = login_as("chunhiem")
    page = client.get(f"/homeroom/class/{c.id}/conduct/1").get_data(as_text=True)
    assert "Xếp loại rèn luyện học kì I" in page and s.full_name in page
    url = f"/homeroom/class/{c.id}/conduct/1/row"
    resp = auth.htmx_post(url, {"student_id": s.id, "version": 0, "row": 0, "level": "Đ"})
    assert resp.status_code == 200 and 'value="Đ"' in resp.get_data(as_text=True)
    assert records.conduct_levels(c)[(s.id, 1)].level == tt22.DAT
    stale = auth.htmx_post(url, {"student_id": s.id, "version": 0, "row": 0, "level": "T"})
    assert stale.status_code == 409 and "vừa được" in stale.get_data(as_text=True)
    bad = auth.htmx_post(url, {"student_id": s.id, "version": 1, "row": 0, "level": "X"})
    assert bad.status_code == 422 and "T (Tốt)" in bad.get_data(as_text=True)
    comment = auth.htmx_post(url, {"student_id": s.id, "version": 1, "row": 0, "comment": "Chăm chỉ"})
    assert comment.status_code == 200
    rating = records.conduct_levels(c)[(s.id, 1)]
    assert (rating.level, rating.comment, rating.version) == (tt22.DAT, "Chăm chỉ", 2)


def test_semester_two_grid_shows_the_year_level_from_the_table(client, login_as, ys):
    c, s = ys["classes"]["6A1"], students(ys)[0]
    auth = login_as("chunhiem")
    auth.htmx_post(f"/homeroom/class/{c.id}/conduct/1/row", {"student_id": s.id, "version": 0, "row": 0, "level": "C"})
    resp = auth.htmx_post(f"/homeroom/class/{c.id}/conduct/2/row",
                          {"student_id": s.id, "version": 0, "row": 0, "level": "T"})
    cells = re.findall(r"<td>([^<]*)</td>", resp.get_data(as_text=True))
    assert tt22.KHA in cells  # HK I Chưa đạt, HK II Tốt → Khá (Điều 8)


def test_a_homeroom_teacher_reaches_only_their_class_and_a_student_of_it(client, login_as, ys):
    other = ys["classes"]["6A2"]
    auth = login_as("chunhiem")
    assert client.get(f"/homeroom/class/{other.id}/conduct/1").status_code == 403
    assert client.get(f"/homeroom/class/{other.id}/year-end").status_code == 403
    stranger = ys["students"]["Bùi Thị Cúc"]
    c = ys["classes"]["6A1"]
    resp = auth.htmx_post(f"/homeroom/class/{c.id}/conduct/1/row",
                          {"student_id": stranger.id, "version": 0, "row": 0, "level": "T"})
    assert resp.status_code == 403
    assert AuditEntry.select().where(AuditEntry.action == "refused").count() == 3


def test_sheet_page_flags_the_missing_subject_with_its_teacher_and_submit_is_refused(client, login_as, ys):
    c = ys["classes"]["6A1"]
    for s in students(ys):
        type_year(ys, s, {})
        rate(ys, s, "T", "T")
    MarkCell.update(value=None).where((MarkCell.subject == ys["subjects"]["ANH"]) & (MarkCell.kind == "ck")).execute()
    auth = login_as("chunhiem")
    page = client.get(f"/homeroom/class/{c.id}/results/year").get_data(as_text=True)
    teacher = ys["staff"]["giaovien"].full_name
    assert f"Tiếng Anh ({teacher}): 7 học sinh chưa đủ điểm" in page
    resp = auth.post(f"/homeroom/class/{c.id}/year-end/submit", follow_redirects=True)
    assert "Chưa nộp được" in resp.get_data(as_text=True)
    assert records.year_end_of(c).state == records.DRAFT


def test_the_walk_submit_return_pass_approve_and_reapprove_over_http(client, login_as, ys):
    c = ys["classes"]["6A1"]
    s = full_class(ys)
    auth = login_as("chunhiem")
    page = client.get(f"/homeroom/class/{c.id}/results/year").get_data(as_text=True)
    assert tt22.AWARD_EXCELLENT in page and "Môn: Toán, Ngữ văn" in page
    auth.post(f"/homeroom/class/{c.id}/year-end/submit")
    assert records.year_end_of(c).state == records.SUBMITTED
    auth.logout()

    auth = login_as("phohieutruong")
    listing = client.get("/vice-principal/year-end").get_data(as_text=True)
    assert "6A1" in listing and "chờ phó hiệu trưởng" in listing
    assert auth.post(f"/vice-principal/year-end/class/{c.id}/return", {"reason": ""}).status_code == 303
    assert records.year_end_of(c).state == records.SUBMITTED  # no reason: nothing changed
    auth.post(f"/vice-principal/year-end/class/{c.id}/return", {"reason": "Kiểm tra lại điểm danh"})
    assert records.year_end_of(c).state == records.RETURNED
    auth.logout()

    auth = login_as("chunhiem")
    page = client.get(f"/homeroom/class/{c.id}/year-end").get_data(as_text=True)
    assert "Phó hiệu trưởng trả lại: Kiểm tra lại điểm danh" in page
    auth.post(f"/homeroom/class/{c.id}/year-end/submit")
    auth.logout()

    auth = login_as("phohieutruong")
    auth.post(f"/vice-principal/year-end/class/{c.id}/pass")
    assert records.year_end_of(c).state == records.PASSED
    assert auth.post(f"/vice-principal/year-end/class/{c.id}/approve").status_code == 403  # principal only
    assert records.year_end_of(c).state == records.PASSED
    auth.logout()

    auth = login_as("hieutruong")
    auth.post(f"/vice-principal/year-end/class/{c.id}/approve")
    assert records.year_end_of(c).state == records.APPROVED
    MarkCell.update(value="4.0", updated_at=datetime.now()).where((MarkCell.student == s[1]) & (MarkCell.subject == ys["subjects"]["VAN"])
                                       ).execute()
    page = client.get(f"/vice-principal/year-end/class/{c.id}").get_data(as_text=True)
    assert "Cần duyệt lại" in page and s[1].full_name in page
    auth.post(f"/vice-principal/year-end/class/{c.id}/approve")
    assert not approval.needs_reapproval(c)
    page = client.get(f"/vice-principal/year-end/class/{c.id}").get_data(as_text=True)
    for label in ("GVCN nộp kết quả", "Trả lại", "Phó hiệu trưởng chuyển hiệu trưởng duyệt", "Hiệu trưởng duyệt",
                  "Hiệu trưởng duyệt lại"):
        assert label in page


def test_conduct_cannot_change_once_submitted(client, login_as, ys):
    c = ys["classes"]["6A1"]
    s = full_class(ys)
    approval.submit(c, ys["users"]["chunhiem"])
    auth = login_as("chunhiem")
    resp = auth.htmx_post(f"/homeroom/class/{c.id}/conduct/2/row",
                          {"student_id": s[0].id, "version": 1, "row": 0, "level": "C"})
    assert resp.status_code == 422 and "đã nộp" in resp.get_data(as_text=True)
    assert records.conduct_levels(c)[(s[0].id, 2)].level == tt22.TOT


def test_office_retest_mark_changes_the_outcome_over_http(client, login_as, ys):
    c = ys["classes"]["6A1"]
    s = full_class(ys)
    auth = login_as("admin")
    assert s[3].full_name not in client.get("/admin/year-end/retests").get_data(as_text=True)  # not approved yet
    approve(ys)
    page = client.get("/admin/year-end/retests").get_data(as_text=True)
    assert s[3].full_name in page and s[5].full_name in page
    resp = auth.post(f"/admin/year-end/retests/{c.id}", {"student_id": s[3].id, "subject_id": ys["subjects"]["TOAN"].id,
                                                         "value": "7"}, follow_redirects=True)
    assert "Đã lưu điểm kiểm tra lại môn Toán" in resp.get_data(as_text=True)
    assert records.final_decisions(c)[s[3].id].decision == tt22.PROMOTED
    wrong = auth.post(f"/admin/year-end/retests/{c.id}", {"student_id": s[3].id,
                                                          "subject_id": ys["subjects"]["ANH"].id, "value": "7"},
                      follow_redirects=True)
    assert "không thuộc các môn kiểm tra lại" in wrong.get_data(as_text=True)
    # carrying forward: the student not promoted for absences is proposed to stay; the others still wait
    page = client.get("/admin/year-end/retests").get_data(as_text=True)
    proposal = page[page.index('id="staying"'):]
    codes = proposal.split("<ul>")[1].split("</ul>")[0]  # the list; the review page ticks them (test_yearend_carry)
    assert "/admin/years/carry-forward/review" in proposal
    assert s[6].code in codes and s[3].code not in codes  # the re-tested student was promoted after summer
    assert "chưa có kết quả sau hè" in proposal and s[4].full_name in proposal


def test_subject_teacher_comments_per_student(client, login_as, ys):
    a = ys["assignment"]
    s = students(ys)[0]
    auth = login_as("giaovien")
    assert "Nhận xét môn Toán" in client.get(f"/teacher/comments/{a.id}").get_data(as_text=True)
    resp = auth.htmx_post(f"/teacher/comments/{a.id}/row", {"student_id": s.id, "version": 0, "text": "Tiến bộ rõ"})
    assert resp.status_code == 200
    assert records.comments(a.school_class, a.subject)[s.id].text == "Tiến bộ rõ"
    other = [x for x in ys["classes"]["6A2"].assignments][0]
    assert client.get(f"/teacher/comments/{other.id}").status_code == 403


def test_homeroom_comment_is_saved_and_audited(client, login_as, ys):
    c, s = ys["classes"]["6A1"], students(ys)[0]
    auth = login_as("chunhiem")
    assert s.full_name in client.get(f"/homeroom/class/{c.id}/comments").get_data(as_text=True)
    resp = auth.htmx_post(f"/homeroom/class/{c.id}/comments/row", {"student_id": s.id, "version": 0,
                                                                   "text": "Ngoan, học tốt"})
    assert resp.status_code == 200 and "Đã lưu" in resp.get_data(as_text=True)
    too_long = auth.htmx_post(f"/homeroom/class/{c.id}/comments/row",
                              {"student_id": s.id, "version": 1, "text": "x" * 301})
    assert too_long.status_code == 422 and records.comments(c)[s.id].text == "Ngoan, học tốt"
    assert AuditEntry.select().where(AuditEntry.action == "comment").count() == 1


def test_only_the_principal_returns_an_approved_class_and_conduct_opens_again(client, login_as, ys):
    from tests.test_yearend import approve

    c = ys["classes"]["6A1"]
    s = full_class(ys)
    approve(ys)
    auth = login_as("phohieutruong")
    assert auth.post(f"/vice-principal/year-end/class/{c.id}/return", {"reason": "Sửa rèn luyện"}).status_code == 403
    assert records.year_end_of(c).state == records.APPROVED
    auth.logout()
    auth = login_as("hieutruong")
    auth.post(f"/vice-principal/year-end/class/{c.id}/return", {"reason": "Sửa rèn luyện em Bình"})
    assert records.year_end_of(c).state == records.RETURNED
    assert len(records.frozen_results(c)) == 7  # kept until approved again
    saved = records.save_conduct(c, s[2], 2, "T", None, 1, ys["users"]["chunhiem"])
    assert saved.status == "saved"
