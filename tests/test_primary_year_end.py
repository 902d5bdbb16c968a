"""A primary class's year end (TT27 Điều 9–10): award proposals confirmed or edited with remarks by the homeroom
teacher, then submit → pass → approve (frozen), returned with a reason, and approved again after a change."""
import io
from datetime import datetime

import pytest

from models.audit.log import AuditEntry
from models.core import write_transaction
from models.primary import assessments as pa
from models.rules import tt27
from models.yearend import approval, primary_year, records
from models.yearend.approval import StepRefused
from tests.primary_school import build_primary
from tests.test_primary import rate_everything

NOW = datetime(2024, 10, 1, 8, 0)
ANH, BINH, CHI = "Lê Minh Anh", "Trần Văn Bình", "Phạm Thị Chi"


@pytest.fixture
def primary(school):
    return build_primary(school)


@pytest.fixture
def rated(primary, school):
    rate_everything(primary, school, ANH)  # 10 and 9, all T: HTXS
    rate_everything(primary, school, BINH, scores=(7, 10))  # all T, a 10 in Toán: HTT, Tiêu biểu proposed
    rate_everything(primary, school, CHI, subject_level="H", trait_level="Đ", scores=(6, 6))  # HT
    return primary


def _row(primary, name):
    return next(r for r in primary_year.award_rows(primary["class"]) if r.student.full_name == name)


def test_proposals_follow_the_rule_and_the_homeroom_teacher_confirms_them(rated, school):
    anh, binh, chi = (_row(rated, n) for n in (ANH, BINH, CHI))
    assert (anh.year.result, anh.proposal.award) == (tt27.EXCELLENT, tt27.AWARD_EXCELLENT)
    assert (binh.year.result, binh.proposal.award) == (tt27.GOOD, tt27.AWARD_EXEMPLARY)
    assert binh.proposal.grounds == ("Điểm kiểm tra cuối năm môn Toán: 10",)
    assert (chi.year.result, chi.proposal.award) == (tt27.COMPLETED, "")
    assert anh.award is None and anh.completion == "Hoàn thành chương trình lớp 4"
    assert primary_year.confirm_proposals(rated["class"], school["users"]["chunhiem"]) == 3
    assert [(_row(rated, n).award, _row(rated, n).remark) for n in (ANH, BINH, CHI)] == [
        ("xuat_sac", tt27.EXCELLENT), ("tieu_bieu", "Điểm kiểm tra cuối năm môn Toán: 10"), ("", "")]
    assert AuditEntry.select().where(AuditEntry.entity == "primary_award").count() == 3


def test_an_award_the_result_does_not_allow_is_refused_and_tieu_bieu_without_grounds_needs_a_remark(rated, school):
    user = school["users"]["chunhiem"]
    chi = rated["pupils"][CHI]
    with pytest.raises(StepRefused, match="chỉ dành cho học sinh hoàn thành tốt"):
        primary_year.save_award(rated["class"], chi, "tieu_bieu", "Chăm ngoan", 0, user)
    anh = rated["pupils"][ANH]
    with pytest.raises(StepRefused, match="chỉ dành cho học sinh hoàn thành xuất sắc"):
        primary_year.save_award(rated["class"], rated["pupils"][BINH], "xuat_sac", "", 0, user)
    assert not primary_year.PrimaryAward.select().exists()
    # an HTT pupil the rule found no ground for: the class may still recognise them, saying why
    with write_transaction():
        pa.PrimaryCell.update(value="8").where((pa.PrimaryCell.student == rated["pupils"][BINH])
                                               & (pa.PrimaryCell.field == "score")).execute()
    assert _row(rated, BINH).proposal.award == ""
    with pytest.raises(StepRefused, match="Ghi rõ thành tích"):
        primary_year.save_award(rated["class"], rated["pupils"][BINH], "tieu_bieu", "", 0, user)
    saved = primary_year.save_award(rated["class"], rated["pupils"][BINH], "tieu_bieu",
                                    "Đạt giải Nhì Hội khoẻ Phù Đổng cấp quận", 0, user)
    assert (saved.award, saved.version) == ("tieu_bieu", 1)
    with pytest.raises(StepRefused, match="vừa được lưu"):  # a stale version never overwrites
        primary_year.save_award(rated["class"], rated["pupils"][BINH], "", "", 0, user)
    assert primary_year.save_award(rated["class"], anh, "", "Xin không nhận", 0, user).award == ""


def test_the_walk_submit_return_pass_approve_freezes_and_a_later_change_needs_reapproval(rated, school):
    users = school["users"]
    c = rated["class"]
    with pytest.raises(StepRefused, match="chưa xác nhận khen thưởng"):
        approval.submit(c, users["chunhiem"])
    primary_year.confirm_proposals(c, users["chunhiem"])
    approval.submit(c, users["chunhiem"])
    assert records.year_end_of(c).state == records.SUBMITTED
    with pytest.raises(StepRefused, match="không sửa được khen thưởng"):  # frozen while submitted
        primary_year.save_award(c, rated["pupils"][CHI], "", "Sửa", 1, users["chunhiem"])
    approval.return_class(c, "Xem lại ghi chú của em Chi", users["phohieutruong"])
    assert records.year_end_of(c).reason == "Xem lại ghi chú của em Chi"
    primary_year.save_award(c, rated["pupils"][CHI], "", "Tiến bộ về đọc", 1, users["chunhiem"])
    approval.submit(c, users["chunhiem"])
    approval.pass_on(c, users["phohieutruong"])
    approval.approve(c, users["hieutruong"])
    assert records.year_end_of(c).state == records.APPROVED
    frozen = records.frozen_results(c)
    assert frozen[rated["pupils"][ANH].id] == {"result": tt27.EXCELLENT, "award": "xuat_sac",
                                               "remark": tt27.EXCELLENT, "completion": "Hoàn thành chương trình lớp 4"}
    assert not approval.needs_reapproval(c)
    # a correction lowers a CN level: the class needs approving again, and only then is the new result frozen
    with write_transaction():
        pa.PrimaryCell.update(value="H").where((pa.PrimaryCell.student == rated["pupils"][ANH])
                                               & (pa.PrimaryCell.field == "level")
                                               & (pa.PrimaryCell.subject == rated["subjects"]["DD"])).execute()
    assert approval.needs_reapproval(c)
    assert [r.full_name for r in approval.changed_students(c)] == [ANH]
    approval.approve(c, users["hieutruong"])
    assert records.frozen_results(c)[rated["pupils"][ANH].id]["result"] == tt27.COMPLETED
    assert [s.step for s in records.steps_of(c)] == ["submit", "return", "submit", "pass", "approve", "reapprove"]


def test_the_homeroom_and_board_pages(rated, school, login_as):
    c = rated["class"]
    auth = login_as("chunhiem")
    page = auth.client.get(f"/homeroom/class/{c.id}/primary-year").get_data(as_text=True)
    assert "Học sinh Xuất sắc" in page and "Chưa xác nhận" in page and "Điểm kiểm tra cuối năm môn Toán: 10" in page
    assert auth.post(f"/homeroom/class/{c.id}/primary-year/confirm").status_code == 303
    resp = auth.post(f"/homeroom/class/{c.id}/primary-year/award",
                     {"student_id": rated["pupils"][CHI].id, "award": "xuat_sac", "remark": "", "version": 1})
    assert resp.status_code == 303
    assert "chỉ dành cho học sinh hoàn thành xuất sắc" in auth.client.get(
        f"/homeroom/class/{c.id}/primary-year").get_data(as_text=True)
    assert auth.post(f"/homeroom/class/{c.id}/primary-year/submit").status_code == 303
    assert records.year_end_of(c).state == records.SUBMITTED
    assert auth.client.get(f"/homeroom/class/{c.id}/year-end").status_code == 303
    auth.logout()
    vp = login_as("phohieutruong")
    page = vp.client.get(f"/vice-principal/year-end/class/{c.id}").get_data(as_text=True)
    assert "Chuyển hiệu trưởng duyệt" in page and "Học sinh Xuất sắc" in page
    assert f"/vice-principal/year-end/primary-lists/not_completed?year={c.year_id}&amp;class_id={c.id}" in page
    assert vp.post(f"/vice-principal/year-end/class/{c.id}/pass").status_code == 303
    vp.logout()
    principal = login_as("hieutruong")
    assert principal.post(f"/vice-principal/year-end/class/{c.id}/approve").status_code == 303
    assert records.year_end_of(c).state == records.APPROVED


def test_both_prints_show_the_awards_the_approval_and_corrections_in_red(app, rated, school):
    from models.printing import primary_hoc_ba, primary_summary

    c, users = rated["class"], school["users"]
    sheet = primary_summary.summary_sheet(c, "CN")
    binh = next(r for r in sheet.rows if r.full_name == BINH)
    assert (binh.result, binh.award, binh.award_proposed) == (tt27.GOOD, tt27.AWARD_EXEMPLARY, True)
    assert sheet.approval == "Đang nhập" and sheet.completion_line == "Hoàn thành chương trình lớp 4: 3/3 học sinh."
    primary_year.confirm_proposals(c, users["chunhiem"])
    primary_year.save_award(c, rated["pupils"][BINH], "", "Chưa đủ thành tích", 1, users["chunhiem"])
    approval.submit(c, users["chunhiem"])
    approval.pass_on(c, users["phohieutruong"])
    approval.approve(c, users["hieutruong"], now=datetime(2025, 6, 5, 10, 0))
    with write_transaction():  # as an applied correction leaves it
        pa.PrimaryCell.update(corrected=True).where((pa.PrimaryCell.student == rated["pupils"][ANH])
                                                    & (pa.PrimaryCell.field == "score")
                                                    & (pa.PrimaryCell.subject == rated["subjects"]["TOAN"])).execute()
    sheet = primary_summary.summary_sheet(c, "CN")
    binh = next(r for r in sheet.rows if r.full_name == BINH)
    assert (binh.award, binh.award_proposed) == ("", False)  # the homeroom teacher's decision, not the proposal
    anh = next(r for r in sheet.rows if r.full_name == ANH)
    assert anh.corrected == {(1, "score")} and sheet.corrections == 1
    assert sheet.approval == "Hiệu trưởng đã duyệt ngày 05/06/2025"
    with app.test_request_context():
        html = primary_summary.html(sheet)
    assert 'class="fixed">9<' in html and "Xuất sắc" in html and "Hiệu trưởng đã duyệt ngày 05/06/2025" in html

    page = primary_hoc_ba.class_pages(c, [rated["pupils"][ANH]])[0]
    assert (page.award, page.award_proposed, page.approval) == (
        tt27.AWARD_EXCELLENT, False, "Hiệu trưởng đã duyệt ngày 05/06/2025")
    assert page.corrections == 1 and page.corrected_subjects == ["Toán"]
    with app.test_request_context():
        html = primary_hoc_ba.html([page])
    assert 'class="fixed">9<' in html and "sửa chữa ở: <span class=\"count\">1</span>" in html
    assert "Xác nhận của Hiệu trưởng" in html  # the shared signature block


def test_the_school_summary_and_lists_of_a_primary_class_follow_tt27(rated, school):
    from models.yearend import primary_reports, reports

    c, users = rated["class"], school["users"]
    rate_everything(rated, school, CHI, subject_level="C", trait_level="Đ", scores=(6, 6))  # Chưa hoàn thành
    summary = primary_reports.school_summary(school["year"])
    assert [r.label for r in summary.rows] == ["4A1", "Khối 4", "Toàn trường"]
    row = summary.rows[0]
    assert row.total == 3 and row.counts == {
        f"kq:{tt27.EXCELLENT}": 1, f"kq:{tt27.GOOD}": 1, f"kq:{tt27.NOT_COMPLETED}": 1,
        f"kt:{tt27.AWARD_EXCELLENT}": 1, "kt:Học sinh Tiêu biểu": 1, "ct:Lớp học": 2}  # grade 4: not primary done
    # the TT22 summary of the same (mixed) school no longer counts the primary class
    assert "4A1" not in {r.label for r in reports.school_summary(school["year"]).rows}

    names = {kind: [(r.school_class.name, r.row.student.full_name) for r in
                    primary_reports.pupil_list(kind, primary_reports.classes_of(school["year"]))[1]]
             for kind in primary_reports.LISTS}
    assert names == {"excellent": [("4A1", ANH)], "exemplary": [("4A1", BINH)], "not_completed": [("4A1", CHI)],
                     "completed": []}
    binh = primary_reports.pupil_list("exemplary", [c])[1][0]
    assert binh.proposed and binh.detail == "Điểm kiểm tra cuối năm môn Toán: 10"
    # the homeroom teacher's decision replaces the proposal: Bình is no longer on the list
    primary_year.save_award(c, rated["pupils"][BINH], "", "Chưa đề nghị", 0, users["chunhiem"])
    assert primary_reports.pupil_list("exemplary", [c])[1] == []
    assert primary_reports.school_summary(school["year"]).rows[0].counts.get("kt:Học sinh Tiêu biểu") is None


def test_the_board_reads_the_primary_summary_and_lists_beside_the_secondary_ones(rated, school, login_as):
    from openpyxl import load_workbook

    year = school["year"]
    auth = login_as("hieutruong")
    page = auth.client.get(f"/vice-principal/year-end?year={year.id}").get_data(as_text=True)
    # a school with both levels: each level its own lists
    assert "Tiểu học (Thông tư 27/2020)" in page and "Trung học (Thông tư 22/2021)" in page
    assert "/vice-principal/year-end/primary-summary" in page and "/vice-principal/year-end/primary-lists/completed" in page
    summary = auth.client.get(f"/vice-principal/year-end/primary-summary?year={year.id}").get_data(as_text=True)
    assert "Thống kê kết quả giáo dục cuối năm" in summary and tt27.EXCELLENT in summary
    assert "Học sinh Tiêu biểu" in summary and "Khối 4" in summary and "6A1" not in summary
    assert "Rèn luyện" not in summary and "Lên lớp" not in summary
    listed = auth.client.get(f"/vice-principal/year-end/primary-lists/excellent?year={year.id}").get_data(as_text=True)
    assert ANH in listed and BINH not in listed and "đề xuất, GVCN chưa xác nhận" in listed
    assert "Rèn luyện" not in listed
    one = auth.client.get(f"/vice-principal/year-end/primary-lists/exemplary?year={year.id}"
                          f"&class_id={rated['class'].id}").get_data(as_text=True)
    assert BINH in one and "lớp 4A1" in one
    xlsx = auth.client.get(f"/vice-principal/year-end/primary-lists/exemplary?year={year.id}&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [c.value for c in sheet[3]][3:6] == [BINH, "05/02/2015", tt27.GOOD]
    assert auth.client.get(f"/vice-principal/year-end/primary-lists/good?year={year.id}").status_code == 404
    secondary = school["classes"]["6A1"].id
    assert auth.client.get(f"/vice-principal/year-end/primary-lists/excellent?year={year.id}"
                           f"&class_id={secondary}").status_code == 404
    tt22_summary = auth.client.get(f"/vice-principal/year-end/summary?year={year.id}").get_data(as_text=True)
    assert "Khối 4" not in tt22_summary and "Khối 6" in tt22_summary
