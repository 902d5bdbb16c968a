"""A conduct level after the year's approval changes only through the correction workflow: a direct edit is
refused with a Vietnamese message; the GVCN files a request with a reason, the vice-principal approves, the
admin applies it, the year result is recomputed and the class must be approved again; every step is audited."""
from datetime import datetime

import pytest

from blueprints.corrections import views
from models.audit.log import AuditEntry
from models.gradebook.corrections import CorrectionRequest
from models.rules import tt22
from models.yearend import approval, conduct_changes, records, results
from tests.test_corrections import NOW
from tests.test_yearend import full_class
from tests.yearend_school import add_subjects


@pytest.fixture
def ys(school, monkeypatch):
    add_subjects(school)
    monkeypatch.setattr(views, "now", lambda: NOW)  # office hours for the apply step
    return school


def approve(ys):
    """The walk, done before the workflow's clock (NOW) so that the applied level is newer than the approval."""
    c, users, before = ys["classes"]["6A1"], ys["users"], datetime(2024, 11, 1, 8, 0)
    approval.submit(c, users["chunhiem"], now=before)
    approval.pass_on(c, users["phohieutruong"], now=before)
    approval.approve(c, users["hieutruong"], now=before)


def _url(c, s, semester=2):
    return f"/corrections/new?target=conduct&class_id={c.id}&student_id={s.id}&semester={semester}"


def _actions(since: int):
    return [e.action for e in AuditEntry.select().where(AuditEntry.entity.in_(["correction", "conduct"])
                                                        & (AuditEntry.id > since)).order_by(AuditEntry.id)]


def test_after_approval_a_direct_edit_is_refused_and_the_correction_path_changes_the_result(client, login_as, ys):
    c = ys["classes"]["6A1"]
    s = full_class(ys)
    approve(ys)
    student = s[4]  # HK I Đạt, HK II Chưa đạt: year Chưa đạt, summer training
    before = next(r for r in results.class_sheet(c).rows if r.student.id == student.id)
    assert (before.conduct, before.promotion) == (tt22.CHUA_DAT, tt22.SUMMER_TRAINING)

    last_entry = AuditEntry.select().order_by(AuditEntry.id.desc()).get().id
    auth = login_as("chunhiem")
    direct = auth.htmx_post(f"/homeroom/class/{c.id}/conduct/2/row",
                            {"student_id": student.id, "version": 1, "row": 0, "level": "Đ"})
    assert direct.status_code == 422 and "Đề nghị sửa" in direct.get_data(as_text=True)
    assert records.conduct_levels(c)[(student.id, 2)].level == tt22.CHUA_DAT
    grid = client.get(f"/homeroom/class/{c.id}/conduct/2").get_data(as_text=True)
    assert _url(c, student).replace("&", "&amp;") in grid

    assert auth.post(_url(c, student), {"new_value": "Đ", "reason": ""}).status_code == 422
    assert auth.post(_url(c, student), {"new_value": "C", "reason": "Nhầm"}).status_code == 422  # same level
    assert CorrectionRequest.select().count() == 0
    filed = auth.post(_url(c, student), {"new_value": "Đ", "reason": "Xếp nhầm khi đối chiếu biên bản họp lớp."})
    assert filed.status_code == 303, filed.get_data(as_text=True)[:2000]
    req = CorrectionRequest.get()
    assert (req.target, req.state, req.old_value, req.new_value) == ("conduct", "cho_pht", "C", "Đ")
    again = auth.post(_url(c, student), {"new_value": "K", "reason": "Lần nữa"})
    assert again.status_code == 422 and f"#{req.id}" in again.get_data(as_text=True)
    page = client.get(f"/homeroom/class/{c.id}/year-end").get_data(as_text=True)
    assert "Đề nghị sửa rèn luyện" in page and "Chờ PHT duyệt" in page
    auth.logout()

    auth = login_as("phohieutruong")
    assert auth.post(f"/corrections/{req.id}/approve").status_code == 303
    auth.logout()
    auth = login_as("admin")
    assert auth.post(f"/corrections/{req.id}/apply").status_code == 303
    assert CorrectionRequest.get_by_id(req.id).state == "da_ap_dung"
    assert records.conduct_levels(c)[(student.id, 2)].level == tt22.DAT
    after = next(r for r in results.class_sheet(c).rows if r.student.id == student.id)
    assert (after.conduct, after.promotion) == (tt22.DAT, tt22.PROMOTED)
    assert approval.needs_reapproval(c) and [r.student.id for r in approval.changed_students(c)] == [student.id]
    assert _actions(last_entry) == ["file", "approve", "conduct", "apply"]
    entry = AuditEntry.select().where(AuditEntry.action == "conduct").order_by(AuditEntry.id.desc()).get()
    assert entry.reason == f"Sửa theo đề nghị #{req.id}"
    auth.logout()

    auth = login_as("hieutruong")
    page = client.get(f"/vice-principal/year-end/class/{c.id}").get_data(as_text=True)
    assert "Cần duyệt lại" in page and student.full_name in page and "Đã áp dụng" in page
    auth.post(f"/vice-principal/year-end/class/{c.id}/approve")
    assert not approval.needs_reapproval(c)
    assert records.frozen_results(c)[student.id]["promotion"] == tt22.PROMOTED


def test_who_may_file_and_when(client, login_as, ys):
    c, other = ys["classes"]["6A1"], ys["classes"]["6A2"]
    s = full_class(ys)
    auth = login_as("chunhiem")
    # before approval the grid is the way: no request
    early = auth.post(_url(c, s[0]), {"new_value": "K", "reason": "Xếp lại"})
    assert early.status_code == 422 and "trực tiếp" in early.get_data(as_text=True)
    approve(ys)
    cuc = ys["students"]["Bùi Thị Cúc"]
    assert client.get(_url(other, cuc)).status_code == 403  # not their class
    assert client.get(_url(c, s[0], semester=3)).status_code == 404
    auth.logout()
    login_as("giaovien")
    assert client.get(_url(c, s[0])).status_code == 403


def test_a_level_changed_since_filing_is_not_applied(client, login_as, ys):
    c = ys["classes"]["6A1"]
    s = full_class(ys)
    approve(ys)
    chunhiem, vp, admin = (ys["users"][n] for n in ("chunhiem", "phohieutruong", "admin"))
    target = conduct_changes.conduct_target(c, s[1], 2)
    req = conduct_changes.file_request(target, "T", "Xếp nhầm", None, chunhiem, "", now=NOW)
    from models.gradebook import corrections as corr

    corr.approve(req, vp, now=NOW)
    records.ConductRating.update(level=tt22.DAT).where((records.ConductRating.student == s[1])
                                                       & (records.ConductRating.semester == 2)).execute()
    with pytest.raises(ValueError, match="đã thay đổi"):
        corr.apply(req, admin, now=NOW, write=conduct_changes.write_level)
    assert CorrectionRequest.get_by_id(req.id).state == "da_duyet"
    with pytest.raises(ValueError, match="không áp dụng được"):
        corr.apply(req, admin, now=NOW)  # a conduct request needs its writer
