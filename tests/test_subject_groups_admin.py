"""The admin edits THPT subject groups (a group's electives and chuyên đề, a class's group, a student's elective
with another class): audited, a stale form answered 409, and every change that would leave entered marks (or an
elective) without their page refused with a Vietnamese message, nothing changed."""
import pytest

from models.audit.log import AuditEntry
from models.core import write_transaction
from models.gradebook import group_changes
from models.gradebook.marks import MarkCell
from models.school import subject_groups as sg
from tests.thpt_school import build_thpt


@pytest.fixture
def thpt(school):
    return build_thpt(school)


def _mark(thpt, class_name, name, subject, kind="ck", idx=1, value="8.0"):
    with write_transaction():
        MarkCell.create(school_class=thpt["classes"][class_name], subject=thpt["subjects"][subject],
                        semester=thpt["hk1"], student=thpt["pupils"][name], kind=kind, idx=idx, value=value)


def _group(code):
    return sg.SubjectGroup.get(sg.SubjectGroup.code == code)


def _edit(auth, thpt, code, electives, topics, name=None, state=None):
    group = _group(code)
    return auth.post(f"/admin/subject-groups/{group.id}/edit", data={
        "name": name or group.name, "elective": [thpt["subjects"][c].id for c in electives],
        "topic": [thpt["subjects"][c].id for c in topics], "state": state or sg.group_state(group)})


def _audits():
    return AuditEntry.select().count()


def test_the_admin_edits_a_groups_electives_and_chuyen_de_audited(thpt, login_as):
    auth = login_as("admin")
    page = auth.client.get("/admin/subject-groups").get_data(as_text=True)
    assert "Sửa tổ hợp KHTN" in page and "Thôi học ghép" in page
    resp = _edit(auth, thpt, "KHTN", ["TIN"], ["TOAN", "TIN"], name="Tự nhiên – Tin học")
    assert resp.status_code == 303
    s = thpt["subjects"]
    assert sg.class_subject_ids(thpt["classes"]["10A1"]) == {s["TOAN"].id, s["LI"].id, s["TIN"].id}
    # Vật lí is no group's elective any more: every class with a group studies it
    assert s["LI"].id in sg.class_subject_ids(thpt["classes"]["10A2"])
    assert sg.extra_tx(thpt["classes"]["10A1"], s["TIN"]) == 1
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (entry.action, entry.entity, entry.entity_id) == ("update", "subject_group", "KHTN")
    assert '"LI"' in entry.before and '"topics":["TIN","TOAN"]' in entry.after


def test_removing_an_elective_with_marks_is_refused_and_changes_nothing(thpt, login_as):
    _mark(thpt, "10A1", "Phạm Thu Hà", "LI")
    with write_transaction():  # Vật lí stays an elective of another group: 10A1 would lose it
        sg.create_group("KT", "Kĩ thuật", [thpt["subjects"]["LI"]], [])
    auth = login_as("admin")
    state, count = sg.group_state(_group("KHTN")), _audits()
    resp = _edit(auth, thpt, "KHTN", ["TIN"], ["TOAN"])
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "lớp 10A1 đã có điểm môn Vật lí của 1 học sinh sẽ không còn học môn này" in page
    assert "đề nghị sửa điểm" in page
    assert sg.group_state(_group("KHTN")) == state and _audits() == count


def test_removing_a_chuyen_de_whose_column_holds_marks_is_refused(thpt, login_as):
    _mark(thpt, "10A1", "Phạm Thu Hà", "TOAN", kind="tx", idx=5)  # the chuyên đề's ĐĐGtx
    auth = login_as("admin")
    resp = _edit(auth, thpt, "KHTN", ["LI", "TIN"], [])
    assert resp.status_code == 422 and "ĐĐGtx của chuyên đề môn Toán" in resp.get_data(as_text=True)
    assert sg.extra_tx(thpt["classes"]["10A1"], thpt["subjects"]["TOAN"]) == 1
    resp = auth.post(f"/admin/subjects/{thpt['subjects']['TOAN'].id}/topic-tx", data={"topic_tx": "0"})
    assert resp.status_code == 422 and "ĐĐGtx của chuyên đề môn Toán" in resp.get_data(as_text=True)
    assert sg.topic_tx(thpt["subjects"]["TOAN"]) == 1


def test_making_a_class_study_what_its_student_takes_elsewhere_is_refused(thpt, login_as):
    auth = login_as("admin")
    resp = _edit(auth, thpt, "KHXH", ["DIA", "TIN"], [])
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "học sinh Lê Văn Bình học môn Tin học với lớp 10A1, trong khi lớp 10A2 của em sẽ học môn đó" in page
    assert sg.class_subject_ids(thpt["classes"]["10A2"]) == {thpt["subjects"]["TOAN"].id, thpt["subjects"]["DIA"].id}


def test_a_stale_group_form_is_answered_409(thpt, login_as):
    auth = login_as("admin")
    old = sg.group_state(_group("KHTN"))
    assert _edit(auth, thpt, "KHTN", ["LI", "TIN"], [], state=old).status_code == 303
    resp = _edit(auth, thpt, "KHTN", ["LI", "TIN"], ["TOAN", "LI"], state=old)
    assert resp.status_code == 409 and "vừa được người khác sửa" in resp.get_data(as_text=True)
    assert sg.extra_tx(thpt["classes"]["10A1"], thpt["subjects"]["LI"]) == 0


def test_a_classs_group_change_that_orphans_marks_is_refused_and_a_stale_one_409(thpt, login_as):
    _mark(thpt, "10A2", "Đỗ Thị Lan", "DIA")
    auth = login_as("admin")
    c2, khtn, khxh = thpt["classes"]["10A2"], _group("KHTN"), _group("KHXH")
    resp = auth.post(f"/admin/subject-groups/class/{c2.id}", data={"group_id": khtn.id, "current": khxh.id})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "lớp 10A2 đã có điểm môn Địa lí" in page
    assert sg.group_of(c2).code == "KHXH"
    resp = auth.post(f"/admin/subject-groups/class/{c2.id}", data={"group_id": khtn.id, "current": ""})
    assert resp.status_code == 409 and "vừa được người khác đổi" in resp.get_data(as_text=True)


def test_a_students_elective_replacing_a_subject_with_marks_is_refused(thpt, login_as):
    _mark(thpt, "10A2", "Đỗ Thị Lan", "DIA")
    auth = login_as("admin")
    lan, s = thpt["pupils"]["Đỗ Thị Lan"], thpt["subjects"]
    count = sg.StudentElective.select().count()
    resp = auth.post("/admin/subject-groups/elective", data={
        "student_code": lan.code, "subject_id": s["LI"].id, "class_id": thpt["classes"]["10A1"].id,
        "replaces_id": s["DIA"].id})
    assert resp.status_code == 422 and "lớp 10A2 đã có điểm môn Địa lí" in resp.get_data(as_text=True)
    assert sg.StudentElective.select().count() == count


def test_removing_a_students_elective_is_refused_while_its_marks_exist_then_audited(thpt, login_as):
    auth = login_as("admin")
    binh = thpt["pupils"]["Lê Văn Bình"]
    elective = sg.StudentElective.get(sg.StudentElective.student == binh)
    _mark(thpt, "10A2", "Lê Văn Bình", "TIN")
    resp = auth.post(f"/admin/subject-groups/elective/{elective.id}/remove")
    assert resp.status_code == 422 and "lớp 10A2 đã có điểm môn Tin học" in resp.get_data(as_text=True)
    assert sg.StudentElective.get_or_none(sg.StudentElective.id == elective.id) is not None
    with write_transaction():
        MarkCell.update(value=None).where(MarkCell.student == binh).execute()  # cleared, as a teacher would
    assert auth.post(f"/admin/subject-groups/elective/{elective.id}/remove").status_code == 303
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (entry.action, entry.entity, entry.entity_id) == ("delete", "student_elective", f"2024-2025/{binh.code}/TIN")
    again = auth.post(f"/admin/subject-groups/elective/{elective.id}/remove")
    assert again.status_code == 409


def test_problems_already_there_do_not_block_an_unrelated_change(thpt):
    # a Địa lí mark of Bình left from before he took Tin học instead: not this change's doing
    _mark(thpt, "10A2", "Lê Văn Bình", "DIA")
    assert group_changes.problems({thpt["classes"]["10A2"].id})
    with write_transaction():
        group_changes.update_group(_group("KHXH"), "Xã hội", [thpt["subjects"]["DIA"]], [],
                                   sg.group_state(_group("KHXH")))
    assert _group("KHXH").name == "Xã hội"
