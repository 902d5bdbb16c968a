"""Primary cells after the lock (TT27): the grade book's correction walk (teacher → head of the tổ → vice-principal
→ office), red ink, and the cell's history from the audit log."""
import io
from datetime import datetime

import pytest

from blueprints.corrections import views
from models.audit.log import AuditEntry
from models.core import write_transaction
from models.gradebook.corrections import CorrectionRequest
from models.primary import assessments as pa
from models.primary import corrections as pc
from tests.primary_school import build_primary

NOW = datetime(2024, 11, 20, 9, 0)  # a Wednesday morning, a month before the final tests
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture
def primary(school, monkeypatch):
    monkeypatch.setattr(views, "now", lambda: NOW)
    return build_primary(school, unlock=False)  # no entry windows in the test school: every moment is locked


def _store(primary, school, field="level", value="H", moment="GHK1"):
    with write_transaction():
        return pa.PrimaryCell.create(school_class=primary["class"], subject=primary["subjects"]["TV"],
                                     student=primary["pupils"]["Lê Minh Anh"], moment=moment, field=field,
                                     value=value, version=1, updated_by=school["users"]["giaovien"],
                                     updated_at=datetime(2024, 11, 1, 20, 0))


def _url(primary, field="level", moment="GHK1"):
    return (f"/corrections/new?target=primary&assignment_id={primary['tv'].id}&moment={moment}"
            f"&student_id={primary['pupils']['Lê Minh Anh'].id}&field={field}")


def _file(auth, url, value="T", reason="Nhập nhầm khi đối chiếu bài làm."):
    return auth.post(url, {"new_value": value, "reason": reason, "evidence": (io.BytesIO(PNG), "bai-lam.png")},
                     content_type="multipart/form-data")


def test_a_locked_level_goes_the_whole_correction_walk_and_is_red_with_its_history(primary, school, client, switch):
    cell = _store(primary, school)
    giaovien = switch("giaovien")
    grid = client.get(f"/teacher/primary/{primary['tv'].id}/GHK1").get_data(as_text=True)
    assert 'data-correction="/corrections/new?target=primary' in grid and "data-history=" in grid
    assert "Đề nghị sửa đánh giá tiểu học" in client.get(_url(primary)).get_data(as_text=True)
    resp = _file(giaovien, _url(primary))
    assert resp.status_code == 303, resp.get_data(as_text=True)[:1500]
    req = CorrectionRequest.get()
    # Tiếng Việt has no department: the filer's tổ (totruong heads it) confirms
    assert (req.target, req.moment, req.cell_field, req.old_value, req.new_value, req.state) == (
        "primary", "GHK1", "level", "H", "T", "cho_to_truong")
    assert "Mức đạt được · Giữa học kì I" in client.get(f"/corrections/{req.id}").get_data(as_text=True)

    totruong = switch("totruong")
    assert "Lê Minh Anh" in client.get("/corrections/head").get_data(as_text=True)
    assert totruong.post(f"/corrections/{req.id}/confirm", {"comment": "Đúng."}).status_code == 303
    vp = switch("phohieutruong")
    assert vp.post(f"/corrections/{req.id}/approve", {"comment": "Đồng ý."}).status_code == 303
    assert pa.PrimaryCell.get_by_id(cell.id).value == "H"  # approval alone changes nothing
    admin = switch("admin")
    assert admin.post(f"/corrections/{req.id}/apply").status_code == 303
    after = pa.PrimaryCell.get_by_id(cell.id)
    assert (after.value, after.version, after.corrected) == ("T", 2, True)
    assert CorrectionRequest.get().state == "da_ap_dung"
    entry = AuditEntry.select().where(AuditEntry.entity == "primary_cell").order_by(AuditEntry.id.desc()).get()
    assert entry.reason == f"Sửa theo đề nghị #{req.id}" and entry.username == "admin"

    switch("giaovien")
    grid = client.get(f"/teacher/primary/{primary['tv'].id}/GHK1").get_data(as_text=True)
    assert "corrected" in grid
    history = client.get(f"/teacher/primary/{primary['tv'].id}/GHK1/history/"
                         f"{primary['pupils']['Lê Minh Anh'].id}/level").get_data(as_text=True)
    assert "Lịch sử ô đánh giá" in history and f"Sửa theo đề nghị #{req.id}" in history
    assert "dữ liệu ban đầu" in history  # the value before the first logged change


def test_a_score_request_takes_whole_numbers_only(primary, school, switch):
    _store(primary, school, field="score", value="6")
    giaovien = switch("giaovien")
    resp = _file(giaovien, _url(primary, field="score"), value="7,5")
    assert resp.status_code == 422 and "số nguyên từ 0 đến 10" in resp.get_data(as_text=True)
    assert not CorrectionRequest.select().exists()
    assert _file(giaovien, _url(primary, field="score"), value="8").status_code == 303
    assert CorrectionRequest.get().new_value == "8"


def test_a_field_the_subject_cell_has_not_cannot_be_requested(primary, school, client, switch):
    switch("giaovien")
    for field in ("trait", "nhan_ai"):  # a rating is the homeroom teacher's, filed from the ratings grid
        resp = client.get(_url(primary, field=field))
        assert resp.status_code == 422 and "chỉ đề nghị sửa được" in resp.get_data(as_text=True)
    dd = (f"/corrections/new?target=primary&assignment_id={primary['dd'].id}&moment=GHK1"
          f"&student_id={primary['pupils']['Lê Minh Anh'].id}&field=score")
    assert client.get(dd).status_code in (403, 404)  # not giaovien's assignment


def test_an_applied_request_is_refused_when_the_cell_changed_since(primary, school, tmp_path):
    from models.gradebook import corrections as corr

    cell = _store(primary, school)
    target = pc.primary_target(primary["tv"], "GHK1", primary["pupils"]["Lê Minh Anh"], "level", now=NOW)
    req = corr.file_primary_request(target, "T", "Nhầm.", corr.check_evidence(PNG, "a.png"),
                                    school["users"]["giaovien"], str(tmp_path), now=NOW)
    with write_transaction():
        pa.PrimaryCell.update(value="C", version=2).where(pa.PrimaryCell.id == cell.id).execute()
    corr.approve(corr.confirm(req, school["users"]["totruong"], now=NOW), school["users"]["phohieutruong"], now=NOW)
    with pytest.raises(ValueError, match="đã thay đổi"):
        pc.apply(req, school["users"]["admin"], now=NOW)
    assert pa.PrimaryCell.get_by_id(cell.id).value == "C" and CorrectionRequest.get().state == "da_duyet"


def test_a_ratings_history_lists_every_change(school, login_as):
    from tests.primary_school import build_primary as build

    primary = build(school)  # entry open
    anh = primary["pupils"]["Lê Minh Anh"]
    user = school["users"]["chunhiem"]
    assert pa.save_trait(primary["class"], "GHK1", anh, "nhan_ai", "Đ", 0, user, now=NOW).ok
    assert pa.save_trait(primary["class"], "GHK1", anh, "nhan_ai", "T", 1, user, now=NOW).ok
    auth = login_as("chunhiem")
    grid = auth.client.get(f"/homeroom/class/{primary['class'].id}/primary/GHK1").get_data(as_text=True)
    assert f'data-history="/homeroom/class/{primary["class"].id}/primary/GHK1/history/{anh.id}/nhan_ai"' in grid
    page = auth.client.get(f"/homeroom/class/{primary['class'].id}/primary/GHK1/history/{anh.id}/nhan_ai")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Nhân ái · lớp 4A1 · Giữa học kì I" in text
    assert text.count("<tr>") == 3  # the header and two changes: (trống) → Đ, Đ → T
    assert auth.client.get(f"/homeroom/class/{primary['class'].id}/primary/GHK1/history/{anh.id}/bogus").status_code == 404


def test_a_locked_rating_is_corrected_through_the_homeroom_teachers_tổ_and_printed_red(app, primary, school, client,
                                                                                       switch):
    from models.printing import primary_hoc_ba, primary_summary

    anh = primary["pupils"]["Lê Minh Anh"]
    with write_transaction():
        rating = pa.PrimaryTrait.create(school_class=primary["class"], student=anh, moment="CN", trait="cham_chi",
                                        value="Đ", version=1, updated_by=school["users"]["chunhiem"],
                                        updated_at=datetime(2024, 11, 1, 20, 0))
    chunhiem = switch("chunhiem")
    grid = client.get(f"/homeroom/class/{primary['class'].id}/primary/CN").get_data(as_text=True)
    url = f"/corrections/new?target=primary&class_id={primary['class'].id}&moment=CN&student_id={anh.id}&field=cham_chi"
    assert url.replace("&", "&amp;") in grid
    assert "Phẩm chất, năng lực" in client.get(url).get_data(as_text=True)
    resp = _file(chunhiem, url, value="H")
    assert resp.status_code == 422 and "T (Tốt), Đ (Đạt) hoặc C" in resp.get_data(as_text=True)
    assert _file(chunhiem, url, value="t").status_code == 303
    req = CorrectionRequest.get()
    assert (req.subject_id, req.cell_field, req.old_value, req.new_value) == (None, "cham_chi", "Đ", "T")
    assert req.cell_label == "Chăm chỉ · Cuối năm học" and req.subject_label == "Phẩm chất, năng lực"
    # chunhiem is no department's member in the test school: straight to the vice-principal
    assert req.state == "cho_pht"
    switch("giaovien")
    assert client.get(url).status_code == 403  # not giaovien's class
    vp = switch("phohieutruong")
    assert vp.post(f"/corrections/{req.id}/approve", {"comment": "Đồng ý."}).status_code == 303
    admin = switch("admin")
    assert admin.post(f"/corrections/{req.id}/apply").status_code == 303
    after = pa.PrimaryTrait.get_by_id(rating.id)
    assert (after.value, after.version, after.corrected) == ("T", 2, True)
    sheet = primary_summary.summary_sheet(primary["class"], "CN")
    row = next(r for r in sheet.rows if r.full_name == "Lê Minh Anh")
    assert row.corrected_traits == {2} and sheet.corrections == 1  # Chăm chỉ: the third quality
    page = primary_hoc_ba.class_pages(primary["class"], [anh])[0]
    assert page.corrections == 1 and page.corrected_subjects == ["phẩm chất, năng lực"]
    with app.test_request_context():
        assert 'class="fixed">Tốt<' in primary_hoc_ba.html([page])
    switch("chunhiem")
    history = client.get(f"/homeroom/class/{primary['class'].id}/primary/CN/history/{anh.id}/cham_chi")
    assert f"Sửa theo đề nghị #{req.id}" in history.get_data(as_text=True)
