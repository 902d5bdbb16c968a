"""Primary assessments (TT27): subject cells at the four moments, qualities and competences, the year-end
result, monthly comments — saved with the grade book's locks, versions and audit."""
from datetime import datetime

import pytest

from models.audit.log import AuditEntry
from models.core import write_transaction
from models.gradebook.locks import switch_lock
from models.primary import assessments as pa
from models.rules import tt27
from models.school.structure import Semester
from tests.primary_school import build_primary

NOW = datetime(2024, 10, 1, 8, 0)


@pytest.fixture
def primary(school):
    return build_primary(school)


def pupil(primary, name="Lê Minh Anh"):
    return primary["pupils"][name]


def save(primary, user, field, text, moment="CHK1", version=0, assignment="tv", name="Lê Minh Anh"):
    return pa.save_subject_cell(primary[assignment], moment, pupil(primary, name), field, text, version, user,
                                now=NOW)


def test_a_level_is_saved_with_its_version_and_audited(primary, school):
    user = school["users"]["giaovien"]
    result = save(primary, user, "level", "t")
    assert (result.status, result.value, result.version) == ("saved", "T", 1)
    cell = pa.PrimaryCell.get(pa.PrimaryCell.field == "level")
    assert (cell.moment, cell.value, cell.version) == ("CHK1", "T", 1)
    entry = AuditEntry.select().where(AuditEntry.entity == "primary_cell").get()
    assert entry.action == "assess" and entry.entity_id.endswith("/TV/CHK1/" + pupil(primary).code + "/level")
    assert save(primary, user, "level", "H", version=1).version == 2


@pytest.mark.parametrize("typed", ["7,5", "7.5", "11", "-1"])
def test_a_decimal_or_out_of_range_score_is_refused_and_nothing_changes(primary, school, typed):
    result = save(primary, school["users"]["giaovien"], "score", typed)
    assert result.status == "invalid" and "số nguyên từ 0 đến 10" in result.message
    assert pa.PrimaryCell.select().count() == 0
    assert AuditEntry.select().where(AuditEntry.entity == "primary_cell").count() == 0


def test_a_whole_score_is_saved(primary, school):
    assert save(primary, school["users"]["giaovien"], "score", " 8 ").value == "8"


def test_no_score_where_the_subject_is_not_tested(primary, school):
    user = school["users"]["chunhiem"]
    # Đạo đức is never tested; grade 4 tests Toán at GHK1 but not at a made-up moment
    assert save(primary, user, "score", "8", assignment="dd").status == "forbidden"
    assert save(primary, user, "score", "8", moment="GHK1", assignment="math").status == "saved"
    assert save(primary, user, "level", "T", moment="HK1", assignment="math").status == "forbidden"
    assert pa.fields_of(primary["class"], primary["subjects"]["DD"], "CN") == ["level", "comment"]


def test_a_stale_version_is_a_conflict_not_an_overwrite(primary, school):
    save(primary, school["users"]["giaovien"], "level", "T")
    result = save(primary, school["users"]["chunhiem"], "level", "C", version=0)
    assert result.status == "conflict" and "Giáo Viên Giaovien" in result.message
    assert pa.PrimaryCell.get().value == "T"


def test_a_locked_moment_refuses(primary, school):
    hk1 = Semester.get((Semester.year == school["year"]) & (Semester.number == 1))
    with write_transaction():
        switch_lock("class", str(primary["class"].id), True, "Đã chốt sổ", None, semester=hk1,
                    now=datetime(2024, 9, 2))
    result = save(primary, school["users"]["giaovien"], "level", "T")
    assert result.status == "locked" and "Đang khoá" in result.message
    assert pa.PrimaryCell.select().count() == 0
    assert save(primary, school["users"]["giaovien"], "level", "T", moment="CN").status == "saved"


def test_a_comment_too_long_is_refused(primary, school):
    result = save(primary, school["users"]["giaovien"], "comment", "x" * 301)
    assert result.status == "invalid" and "300" in result.message
    assert save(primary, school["users"]["giaovien"], "comment", "Đọc to, rõ ràng.").status == "saved"


def test_the_grid_has_a_score_column_only_where_tested(primary):
    grid = pa.subject_grid(primary["tv"], "GHK1", now=NOW)
    assert grid.fields == ["level", "score", "comment"] and len(grid.rows) == 3
    assert pa.subject_grid(primary["dd"], "GHK1", now=NOW).fields == ["level", "comment"]


def rate_everything(primary, school, name, subject_level="T", trait_level="T", scores=(10, 9)):
    user = school["users"]["chunhiem"]
    for key in ("tv", "math", "dd"):
        version = pa.PrimaryCell.get_or_none((pa.PrimaryCell.student == pupil(primary, name))
                                             & (pa.PrimaryCell.subject == primary[key].subject)
                                             & (pa.PrimaryCell.moment == "CN") & (pa.PrimaryCell.field == "level"))
        assert pa.save_subject_cell(primary[key], "CN", pupil(primary, name), "level", subject_level,
                                    version.version if version else 0, user, now=NOW).ok
    for key, score in zip(("tv", "math"), scores, strict=True):
        assert pa.save_subject_cell(primary[key], "CN", pupil(primary, name), "score", str(score), 0, user,
                                    now=NOW).ok
    for trait in {**tt27.QUALITIES, **tt27.COMPETENCES}:
        assert pa.save_trait(primary["class"], "CN", pupil(primary, name), trait, trait_level, 0, user, now=NOW).ok


def test_year_results_from_the_stored_assessments(primary, school):
    rate_everything(primary, school, "Lê Minh Anh")
    rate_everything(primary, school, "Trần Văn Bình", scores=(7, 10))
    results = pa.year_results(primary["class"])
    assert results[pupil(primary).id] == tt27.EXCELLENT
    assert results[pupil(primary, "Trần Văn Bình").id] == tt27.GOOD
    assert results[pupil(primary, "Phạm Thị Chi").id].startswith("Chưa đủ đánh giá")
    grid = pa.trait_grid(primary["class"], "CN", now=NOW)
    assert grid.rows[0].result == tt27.EXCELLENT and len(grid.rows[0].cells) == 15


def test_a_missing_rating_is_named(primary, school):
    rate_everything(primary, school, "Lê Minh Anh")
    user = school["users"]["chunhiem"]
    assert pa.save_trait(primary["class"], "CN", pupil(primary), "tham_mi", "", 1, user, now=NOW).ok
    assert "Thẩm mĩ" in pa.year_results(primary["class"])[pupil(primary).id]


def test_a_trait_level_must_be_t_d_or_c(primary, school):
    user = school["users"]["chunhiem"]
    result = pa.save_trait(primary["class"], "GHK1", pupil(primary), "nhan_ai", "H", 0, user, now=NOW)
    assert result.status == "invalid" and "Cần cố gắng" in result.message
    assert pa.save_trait(primary["class"], "GHK1", pupil(primary), "nhan_ai", "d", 0, user, now=NOW).value == "Đ"
    assert AuditEntry.select().where(AuditEntry.entity == "primary_trait").count() == 1


def test_monthly_comments_are_kept_per_month(primary, school):
    user = school["users"]["chunhiem"]
    assert pa.save_monthly_comment(primary["class"], "2024-10", pupil(primary), "Tiến bộ", 0, user).ok
    assert pa.save_monthly_comment(primary["class"], "2024-11", pupil(primary), "Chăm chỉ", 0, user).ok
    assert pa.save_monthly_comment(primary["class"], "2025-07", pupil(primary), "Hè", 0, user).status == "invalid"
    assert pa.MonthlyComment.select().count() == 2
    assert AuditEntry.select().where(AuditEntry.entity == "monthly_comment").count() == 2


# --- the teacher's grid over HTTP -------------------------------------------------------------------

def post_primary(auth, primary, value, field="level", moment="CHK1", version=0, name="Lê Minh Anh", key="tv"):
    return auth.htmx_post(f"/teacher/primary/{primary[key].id}/{moment}/cell",
                          data={"student_id": pupil(primary, name).id, "field": field, "version": version,
                                "row": 0, "col": 0, "value": value})


def test_the_tt22_grid_of_a_primary_class_sends_to_the_primary_grid(primary, login_as):
    auth = login_as("giaovien")
    resp = auth.client.get(f"/teacher/gradebook/{primary['tv'].id}/1")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/teacher/primary/{primary['tv'].id}/GHK1")
    page = auth.client.get(f"/teacher/primary/{primary['tv'].id}/GHK1").get_data(as_text=True)
    assert "Mức đạt được" in page and "Điểm KTĐK" in page and "Lê Minh Anh" in page and "Giữa học kì I" in page
    assert "ĐĐGtx" not in page


def test_a_secondary_class_keeps_the_tt22_grid(primary, school, login_as):
    auth = login_as("giaovien")
    assert auth.client.get(f"/teacher/gradebook/{school['assignment'].id}/1").status_code == 200
    assert auth.client.get(f"/teacher/primary/{school['assignment'].id}/GHK1").status_code == 404


def test_typing_a_level_and_a_score_saves_them(primary, login_as):
    auth = login_as("giaovien")
    resp = post_primary(auth, primary, "t")
    assert resp.status_code == 200 and 'value="T"' in resp.get_data(as_text=True)
    resp = post_primary(auth, primary, "9", field="score")
    assert resp.status_code == 200 and 'value="9"' in resp.get_data(as_text=True)
    assert {(c.field, c.value) for c in pa.PrimaryCell.select()} == {("level", "T"), ("score", "9")}


def test_a_score_of_7_5_is_refused_with_the_message(primary, login_as):
    auth = login_as("giaovien")
    resp = post_primary(auth, primary, "7,5", field="score")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "không cho điểm thập phân" in body and 'value="7,5"' in body
    assert pa.PrimaryCell.select().count() == 0


def test_another_teachers_assignment_is_refused(primary, login_as):
    auth = login_as("giaovien")
    assert auth.client.get(f"/teacher/primary/{primary['math'].id}/CN").status_code == 403
    assert post_primary(auth, primary, "T", key="math").status_code == 403
    assert pa.PrimaryCell.select().count() == 0


# --- the homeroom teacher's page ---------------------------------------------------------------------

def test_the_homeroom_teacher_rates_and_sees_the_year_end_result(primary, school, login_as):
    rate_everything(primary, school, "Lê Minh Anh")
    auth = login_as("chunhiem")
    url = f"/homeroom/class/{primary['class'].id}/primary/CN"
    page = auth.client.get(url).get_data(as_text=True)
    assert "Yêu nước" in page and "Thể chất" in page and "Hoàn thành xuất sắc" in page
    version = pa.PrimaryTrait.get((pa.PrimaryTrait.student == pupil(primary)) & (pa.PrimaryTrait.trait == "yeu_nuoc")).version
    resp = auth.htmx_post(url + "/cell", data={"student_id": pupil(primary).id, "trait": "yeu_nuoc",
                                                "version": version, "row": 0, "col": 0, "value": "d"})
    assert resp.status_code == 200 and 'value="Đ"' in resp.get_data(as_text=True)
    assert "Hoàn thành xuất sắc" not in auth.client.get(url).get_data(as_text=True)
    assert pa.year_results(primary["class"])[pupil(primary).id] == tt27.COMPLETED


def test_a_wrong_rating_is_refused_over_http(primary, login_as):
    auth = login_as("chunhiem")
    resp = auth.htmx_post(f"/homeroom/class/{primary['class'].id}/primary/GHK1/cell",
                          data={"student_id": pupil(primary).id, "trait": "nhan_ai", "version": 0, "row": 0,
                                "col": 0, "value": "H"})
    assert resp.status_code == 422 and "Cần cố gắng" in resp.get_data(as_text=True)
    assert pa.PrimaryTrait.select().count() == 0


def test_only_the_homeroom_teacher_of_a_primary_class(primary, school, login_as):
    auth = login_as("chunhiem")
    assert auth.client.get(f"/homeroom/class/{school['classes']['6A1'].id}/primary/CN").status_code == 404
    auth.logout()
    other = login_as("giaovien")
    assert other.client.get(f"/homeroom/class/{primary['class'].id}/primary/CN").status_code == 403


# --- the Sổ THKQGD print -----------------------------------------------------------------------------

def test_the_summary_sheet_lists_levels_scores_ratings_and_results(primary, school):
    from models.printing import primary_summary

    rate_everything(primary, school, "Lê Minh Anh")
    sheet = primary_summary.summary_sheet(primary["class"], "CN")
    assert [c.short for c in sheet.columns] == ["Tiếng Việt", "Toán", "Đạo đức"]
    assert [c.tested for c in sheet.columns] == [True, True, False]
    first = next(r for r in sheet.rows if r.full_name == "Lê Minh Anh")
    assert first.subjects == [("T", "10"), ("T", "9"), ("T", "")]
    assert first.traits == ["T"] * 15 and first.result == tt27.EXCELLENT and first.award == tt27.AWARD_EXCELLENT
    other = next(r for r in sheet.rows if r.full_name == "Phạm Thị Chi")
    assert other.result == "" and other.award == ""
    # the signatures of seed 001: subject teachers at GHK/CHK (Tiếng Việt is giaovien's, not the homeroom's)
    assert primary_summary.summary_sheet(primary["class"], "GHK1").subject_teachers == [
        ("Tiếng Việt", "Giáo Viên Giaovien")]


def test_the_summary_pdf_is_a3_landscape_in_vietnamese(primary, school, login_as):
    import io

    from pypdf import PdfReader

    rate_everything(primary, school, "Lê Minh Anh")
    auth = login_as("chunhiem")
    resp = auth.client.get(f"/print/primary-summary/{primary['class'].id}/CN.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    page = PdfReader(io.BytesIO(resp.data)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert width > height and round(width / 72 * 25.4) == 420
    text = page.extract_text()
    assert "Hoàn thành xuất sắc" in text and "Lê Minh Anh" in text and "Hiệu trưởng" in text
    assert auth.client.get(f"/print/primary-summary/{primary['class'].id}/HK1").status_code == 404


def test_the_primary_hoc_ba_pdf(primary, school, login_as):
    import io

    from pypdf import PdfReader

    rate_everything(primary, school, "Lê Minh Anh")
    auth = login_as("chunhiem")
    resp = auth.client.get(f"/print/primary-hoc-ba/{pupil(primary).id}.pdf")
    assert resp.status_code == 200
    page = PdfReader(io.BytesIO(resp.data)).pages[0]
    assert float(page.mediabox.height) > float(page.mediabox.width)  # A4 portrait
    text = page.extract_text()
    assert "Hoàn thành xuất sắc" in text and "Học sinh Xuất sắc" in text and "Hoàn thành chương trình lớp 4" in text
    assert "Năng lực đặc thù: Thể chất" in text
    # a secondary pupil has no primary học bạ; another class's pupil is not the homeroom teacher's
    assert auth.client.get(f"/print/primary-hoc-ba/{school['students']['Bùi Thị Cúc'].id}").status_code == 404


def test_a_primary_class_enters_the_year_end_archive_with_its_own_books(app, primary, school):
    from models.printing.archive import class_files

    with app.app_context():
        names = [name for name, _ in class_files(primary["class"].id)]
    assert names[:4] == [f"4A1/So-THKQGD-4A1-{m}-2024-2025.pdf" for m in ("GHK1", "CHK1", "GHK2", "CN")]
    assert len([n for n in names if n.startswith("4A1/Hoc-ba/")]) == 3


def test_the_homeroom_teacher_writes_monthly_comments(primary, login_as):
    auth = login_as("chunhiem")
    url = f"/homeroom/class/{primary['class'].id}/monthly-comments/2024-10"
    assert "Nhận xét tháng 10/2024" in auth.client.get(url).get_data(as_text=True)
    resp = auth.htmx_post(url + "/cell", data={"student_id": pupil(primary).id, "version": 0, "row": 0, "col": 0,
                                               "value": "Em đọc to, rõ ràng."})
    assert resp.status_code == 200 and "Em đọc to, rõ ràng." in resp.get_data(as_text=True)
    assert "Em đọc to, rõ ràng." in auth.client.get(url).get_data(as_text=True)
    assert "Em đọc to" not in auth.client.get(url[:-2] + "11").get_data(as_text=True)
    assert auth.client.get(url[:-7] + "2025-07").status_code == 404
    resp = auth.htmx_post(url + "/cell", data={"student_id": pupil(primary).id, "version": 1, "row": 0, "col": 0,
                                               "value": "x" * 301})
    assert resp.status_code == 422 and pa.MonthlyComment.get().text == "Em đọc to, rõ ràng."
