"""A primary teacher's comment after the lock (TT27): the grade book's correction walk carries the comment's whole
text (teacher → head of the tổ → vice-principal → office), refuses a comment the grid would refuse, never
overwrites a comment that changed meanwhile, and leaves the change in the history and the audit log."""
import io
import json
from datetime import datetime

import pytest

from blueprints.corrections import views
from models.audit.log import AuditEntry
from models.core import write_transaction
from models.gradebook import corrections as corr
from models.gradebook.corrections import CorrectionRequest
from models.primary import assessments as pa
from models.primary import corrections as pc
from models.rules import tt27
from tests.primary_school import build_primary

NOW = datetime(2024, 11, 20, 9, 0)  # a Wednesday morning, a month before the final tests
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
OLD = "Em đọc còn chậm, cần luyện thêm ở nhà."
NEW = ("Em đọc to, rõ ràng, đúng tốc độ; hiểu nội dung bài đọc và trả lời được các câu hỏi. Bài viết sạch đẹp, "
       "ít lỗi chính tả. Em cần mạnh dạn phát biểu hơn trong giờ học và tiếp tục rèn chữ viết ở nhà.")


@pytest.fixture
def primary(school, monkeypatch):
    monkeypatch.setattr(views, "now", lambda: NOW)
    return build_primary(school, unlock=False)  # no entry windows in the test school: every moment is locked


def _anh(primary):
    return primary["pupils"]["Lê Minh Anh"]


def _store(primary, school, text=OLD):
    with write_transaction():
        return pa.PrimaryCell.create(school_class=primary["class"], subject=primary["subjects"]["TV"],
                                     student=_anh(primary), moment="GHK1", field="comment", value=text, version=1,
                                     updated_by=school["users"]["giaovien"], updated_at=datetime(2024, 11, 1, 20, 0))


def _url(primary):
    return (f"/corrections/new?target=primary&assignment_id={primary['tv'].id}&moment=GHK1"
            f"&student_id={_anh(primary).id}&field=comment")


def _file(auth, url, value=NEW, reason="Ghi nhầm nhận xét của học sinh khác khi đối chiếu sổ cá nhân."):
    return auth.post(url, {"new_value": value, "reason": reason, "evidence": (io.BytesIO(PNG), "so-ca-nhan.png")},
                     content_type="multipart/form-data")


def _cell_entries(primary):
    key = pc.cell_key(primary["class"], primary["subjects"]["TV"], "GHK1", _anh(primary), "comment")
    return list(AuditEntry.select().where((AuditEntry.entity == "primary_cell") & (AuditEntry.entity_id == key))
                .order_by(AuditEntry.id))


def test_a_locked_comment_goes_the_whole_walk_with_its_text_and_leaves_history_and_audit(primary, school, client,
                                                                                           switch):
    cell = _store(primary, school)
    giaovien = switch("giaovien")
    grid = client.get(f"/teacher/primary/{primary['tv'].id}/GHK1").get_data(as_text=True)
    assert _url(primary).replace("&", "&amp;") in grid  # Alt+E on the locked comment opens the request
    form = client.get(_url(primary)).get_data(as_text=True)
    assert '<textarea id="new_value" name="new_value"' in form and 'maxlength="300"' in form
    assert "Nhận xét · Giữa học kì I" in form and f"Nhận xét đang lưu</th><td><strong>{OLD}<" in form

    # a line break typed in the textarea is kept as one space, as the grid keeps it
    resp = _file(giaovien, _url(primary), value=NEW.replace("; ", ";\r\n", 1))
    assert resp.status_code == 303, resp.get_data(as_text=True)[:1500]
    req = CorrectionRequest.get()
    assert (req.target, req.moment, req.cell_field, req.old_value, req.new_value, req.state) == (
        "primary", "GHK1", "comment", OLD, NEW, "cho_to_truong")
    filed = AuditEntry.get((AuditEntry.entity == "correction") & (AuditEntry.action == "file"))
    assert json.loads(filed.after)["new"] == NEW and json.loads(filed.after)["old"] == OLD

    short = NEW[:39] + "…"
    totruong = switch("totruong")
    queue = client.get("/corrections/head").get_data(as_text=True)
    assert f"<strong>{short}</strong>" in queue and f"<strong>{NEW}</strong>" not in queue  # shortened in lists
    page = client.get(f"/corrections/{req.id}").get_data(as_text=True)
    assert f"<strong>{NEW}</strong>" in page and "Nhận xét khi lập đề nghị" in page  # whole on the request
    assert totruong.post(f"/corrections/{req.id}/confirm", {"comment": "Đúng."}).status_code == 303

    vp = switch("phohieutruong")
    assert f"<strong>{short}</strong>" in client.get("/corrections/approvals").get_data(as_text=True)
    assert f"<strong>{NEW}</strong>" in client.get(f"/corrections/{req.id}").get_data(as_text=True)
    assert vp.post(f"/corrections/{req.id}/approve", {"comment": "Đồng ý."}).status_code == 303
    assert pa.PrimaryCell.get_by_id(cell.id).value == OLD  # approval alone changes nothing

    admin = switch("admin")
    assert f"<strong>{short}</strong>" in client.get("/corrections/apply").get_data(as_text=True)
    assert "Ghi nhận xét mới" in client.get(f"/corrections/{req.id}").get_data(as_text=True)
    assert admin.post(f"/corrections/{req.id}/apply").status_code == 303
    after = pa.PrimaryCell.get_by_id(cell.id)
    assert (after.value, after.version, after.corrected) == (NEW, 2, True)
    assert CorrectionRequest.get().state == "da_ap_dung"
    entry = _cell_entries(primary)[-1]
    assert (entry.action, entry.username, entry.reason) == ("assess", "admin", f"Sửa theo đề nghị #{req.id}")
    assert json.loads(entry.before) == {"value": OLD} and json.loads(entry.after) == {"value": NEW}
    assert AuditEntry.select().where((AuditEntry.entity == "correction") & (AuditEntry.action == "apply")
                                     & (AuditEntry.entity_id == str(req.id))).count() == 1

    switch("giaovien")
    grid = client.get(f"/teacher/primary/{primary['tv'].id}/GHK1").get_data(as_text=True)
    assert f'value="{NEW}"' in grid and "corrected" in grid
    history = client.get(f"/teacher/primary/{primary['tv'].id}/GHK1/history/{_anh(primary).id}/comment")
    text = history.get_data(as_text=True)
    assert f"Sửa theo đề nghị #{req.id}" in text and NEW in text and OLD in text


@pytest.mark.parametrize("value, message", [
    ("a" * (tt27.COMMENT_MAX + 1), "Nhận xét tối đa 300 kí tự."),
    ("  " + OLD.replace(" ", "\r\n", 1) + " ", "trùng với giá trị đang lưu"),  # the same text, differently spaced
])
def test_a_comment_the_grid_would_refuse_is_refused_and_nothing_is_filed(primary, school, switch, value, message):
    cell = _store(primary, school)
    resp = _file(switch("giaovien"), _url(primary), value=value)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert not CorrectionRequest.select().exists()
    assert not AuditEntry.select().where(AuditEntry.entity == "correction").exists()
    assert pa.PrimaryCell.get_by_id(cell.id).value == OLD


@pytest.mark.parametrize("value", ["Em tiến bộ\x07 rõ rệt.", "Em tiến bộ\x1b[31m rõ rệt.", "Tốt\x00"])
def test_a_comment_with_a_control_character_is_refused_at_the_door_and_by_the_rule(primary, school, switch, tmp_path,
                                                                                  value):
    cell = _store(primary, school)
    resp = _file(switch("giaovien"), _url(primary), value=value)
    assert resp.status_code == 400 and "ký tự điều khiển" in resp.get_data(as_text=True)
    # a caller that does not come through a browser (an import, a command) meets the rule itself
    target = pc.primary_target(primary["tv"], "GHK1", _anh(primary), "comment", now=NOW)
    with pytest.raises(ValueError, match="kí tự điều khiển"):
        corr.file_primary_request(target, value, "Nhầm.", corr.check_evidence(PNG, "a.png"),
                                  school["users"]["giaovien"], str(tmp_path), now=NOW)
    assert not CorrectionRequest.select().exists()
    assert pa.PrimaryCell.get_by_id(cell.id).value == OLD


def test_a_comment_of_exactly_the_limit_is_filed_whole(primary, school, switch):
    _store(primary, school)
    longest = ("Em chăm chỉ. " * 30)[:tt27.COMMENT_MAX - 1] + "x"
    assert len(longest) == tt27.COMMENT_MAX
    assert _file(switch("giaovien"), _url(primary), value=longest).status_code == 303
    assert CorrectionRequest.get().new_value == longest


def test_a_returned_comment_request_is_edited_with_its_text_and_refused_when_too_long(primary, school, client,
                                                                                       switch):
    _store(primary, school)
    assert _file(switch("giaovien"), _url(primary)).status_code == 303
    req = CorrectionRequest.get()
    totruong = switch("totruong")
    assert totruong.post(f"/corrections/{req.id}/return", {"comment": "Ghi rõ hơn."}).status_code == 303
    giaovien = switch("giaovien")
    form = client.get(f"/corrections/{req.id}/edit").get_data(as_text=True)
    assert f">{NEW}</textarea>" in form  # the whole text to edit, not four characters of it
    resp = giaovien.post(f"/corrections/{req.id}/edit", {"new_value": "b" * 301, "reason": "Ghi rõ hơn."},
                         content_type="multipart/form-data")
    assert resp.status_code == 422 and "Nhận xét tối đa 300 kí tự." in resp.get_data(as_text=True)
    assert CorrectionRequest.get().new_value == NEW and CorrectionRequest.get().state == "bi_tra_lai"
    resp = giaovien.post(f"/corrections/{req.id}/edit", {"new_value": NEW + " Cố gắng lên em nhé!",
                                                          "reason": "Ghi rõ hơn."}, content_type="multipart/form-data")
    assert resp.status_code == 303
    assert CorrectionRequest.get().new_value == NEW + " Cố gắng lên em nhé!"
    assert CorrectionRequest.get().state == "cho_to_truong"


def test_applying_is_refused_when_the_comment_changed_since_filing(primary, school, switch, tmp_path):
    cell = _store(primary, school)
    target = pc.primary_target(primary["tv"], "GHK1", _anh(primary), "comment", now=NOW)
    req = corr.file_primary_request(target, NEW, "Nhầm.", corr.check_evidence(PNG, "a.png"),
                                    school["users"]["giaovien"], str(tmp_path), now=NOW)
    corr.approve(corr.confirm(req, school["users"]["totruong"], now=NOW), school["users"]["phohieutruong"], now=NOW)
    meanwhile = "Em đã tiến bộ nhiều trong tháng này."
    with write_transaction():  # e.g. the moment was reopened and the teacher rewrote it
        pa.PrimaryCell.update(value=meanwhile, version=2).where(pa.PrimaryCell.id == cell.id).execute()
    before = len(_cell_entries(primary))
    admin = switch("admin")
    resp = admin.post(f"/corrections/{req.id}/apply")
    assert resp.status_code == 422 and "đã thay đổi từ khi lập đề nghị" in resp.get_data(as_text=True)
    assert pa.PrimaryCell.get_by_id(cell.id).value == meanwhile  # no silent overwrite
    assert CorrectionRequest.get().state == "da_duyet" and len(_cell_entries(primary)) == before
    assert not AuditEntry.select().where((AuditEntry.entity == "correction")
                                         & (AuditEntry.action == "apply")).exists()


def test_a_comment_request_is_refused_while_the_moment_is_open(school, switch, monkeypatch):
    monkeypatch.setattr(views, "now", lambda: NOW)
    primary = build_primary(school)  # entry open
    resp = switch("giaovien").client.get(_url(primary))
    assert resp.status_code == 422 and "đang mở" in resp.get_data(as_text=True)


def test_the_comment_rule_cleans_and_refuses():
    assert tt27.parse_comment("  Em\tchăm\r\nchỉ  ") == "Em chăm chỉ"
    assert tt27.parse_comment("") is None and tt27.parse_comment(" \n ") is None
    assert tt27.parse_comment("e\u0301") == "é"  # NFC
    with pytest.raises(ValueError, match="tối đa 300"):
        tt27.parse_comment("x" * 301)
    with pytest.raises(ValueError, match="điều khiển"):
        tt27.parse_comment("Tốt\x00")


def test_the_grid_and_the_monthly_comments_refuse_control_characters_too(school):
    primary = build_primary(school)  # entry open
    user, anh = school["users"]["giaovien"], _anh(primary)
    result = pa.save_subject_cell(primary["tv"], "GHK1", anh, "comment", "Tốt\x07", 0, user, now=NOW)
    assert result.status == "invalid" and "điều khiển" in result.message
    result = pa.save_monthly_comment(primary["class"], "2024-10", anh, "Tốt\x07", 0, school["users"]["chunhiem"],
                                     now=NOW)
    assert result.status == "invalid" and "điều khiển" in result.message
    assert not pa.PrimaryCell.select().exists() and not pa.MonthlyComment.select().exists()


def test_an_applied_year_end_comment_is_red_in_the_hoc_ba_and_not_counted_on_the_summary_sheet(app, primary, school,
                                                                                               tmp_path):
    from models.printing import primary_hoc_ba, primary_summary

    anh = _anh(primary)
    with write_transaction():
        pa.PrimaryCell.create(school_class=primary["class"], subject=primary["subjects"]["TV"], student=anh,
                              moment="CN", field="comment", value=OLD, version=1,
                              updated_by=school["users"]["giaovien"], updated_at=datetime(2025, 5, 20, 20, 0))
    target = pc.primary_target(primary["tv"], "CN", anh, "comment", now=NOW)
    req = corr.file_primary_request(target, NEW, "Nhầm.", corr.check_evidence(PNG, "a.png"),
                                    school["users"]["giaovien"], str(tmp_path), now=NOW)
    corr.approve(corr.confirm(req, school["users"]["totruong"], now=NOW), school["users"]["phohieutruong"], now=NOW)
    pc.apply(req, school["users"]["admin"], now=NOW)
    page = primary_hoc_ba.class_pages(primary["class"], [anh])[0]
    line = next(line for line in page.lines if line.name == "Tiếng Việt")
    assert (line.comment, line.comment_fixed, line.level_fixed) == (NEW, True, False)
    assert page.corrections == 1 and page.corrected_subjects == ["Tiếng Việt"]
    with app.test_request_context():
        assert f'class="name fixed">{NEW}<' in primary_hoc_ba.html([page])
    assert primary_summary.summary_sheet(primary["class"], "CN").corrections == 0  # the sheet prints no comment
