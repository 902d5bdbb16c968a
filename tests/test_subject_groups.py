"""THPT subject groups (tổ hợp): each class's subjects, chuyên đề ĐĐGtx, a student taking an elective with another
class's teacher (in that teacher's grid, marks kept in the student's own class book)."""
from datetime import date

import pytest

from models.audit.log import AuditEntry
from models.core import write_transaction
from models.gradebook.marks import MarkCell, grid_for
from models.school import subject_groups as sg
from models.school.structure import TeachingAssignment
from tests.thpt_school import build_thpt


@pytest.fixture
def thpt(school):
    return build_thpt(school)


def test_each_class_studies_its_groups_electives(thpt):
    s, c = thpt["subjects"], thpt["classes"]
    assert sg.class_subject_ids(c["10A1"]) == {s["TOAN"].id, s["LI"].id, s["TIN"].id}
    assert sg.class_subject_ids(c["10A2"]) == {s["TOAN"].id, s["DIA"].id}


def test_a_class_without_a_group_studies_every_subject_of_its_grade(thpt, school):
    assert sg.class_subject_ids(school["classes"]["6A1"]) is None
    assert sg.class_studies(school["classes"]["6A1"], school["subjects"]["TOAN"])


def test_two_grade_10_classes_show_different_grids(thpt, login_as):
    auth = login_as("giaovien")
    a = thpt["assignments"]
    one = auth.client.get(f"/teacher/gradebook/{a[('10A1', 'TOAN')].id}/1").get_data(as_text=True)
    two = auth.client.get(f"/teacher/gradebook/{a[('10A2', 'TOAN')].id}/1").get_data(as_text=True)
    # Toán 105 periods → 4 ĐĐGtx; 10A1's group adds the Toán chuyên đề: one more
    assert "ĐĐGtx 5" in one and "ĐĐGtx 5" not in two and "ĐĐGtx 4" in two
    assert "Phạm Thu Hà" in one and "Phạm Thu Hà" not in two


def test_entry_progress_counts_the_chuyen_de_column(thpt):
    from models.gradebook.marks import progress_for

    a = thpt["assignments"]
    one, two = progress_for([a[("10A1", "TOAN")], a[("10A2", "TOAN")]], [thpt["hk1"]])
    assert (one.required, two.required) == (1 * (5 + 2), 2 * (4 + 2))


def test_the_chuyen_de_tx_count_is_a_setting_per_subject(thpt):
    c1, math = thpt["classes"]["10A1"], thpt["subjects"]["TOAN"]
    with write_transaction():
        sg.set_topic_tx(math, 2)
    assert len(grid_for(thpt["assignments"][("10A1", "TOAN")], thpt["hk1"]).columns) == 4 + 2 + 2
    entry = AuditEntry.select().where(AuditEntry.entity == "subject").order_by(AuditEntry.id.desc()).first()
    assert entry.entity_id == "TOAN" and '"topic_tx":2' in entry.after
    with pytest.raises(ValueError, match="từ 0 đến"):
        sg.set_topic_tx(math, 9)
    assert sg.topic_tx(math) == 2 and sg.extra_tx(c1, math) == 2


def test_a_student_taking_an_elective_elsewhere_is_in_that_teachers_grid(thpt):
    grid = grid_for(thpt["assignments"][("10A1", "TIN")], thpt["hk1"])
    guests = [(r.student.full_name, r.home_class.name) for r in grid.rows if r.home_class]
    assert guests == [("Lê Văn Bình", "10A2")]
    away = grid_for(thpt["assignments"][("10A2", "DIA")], thpt["hk1"])
    assert [r.student.full_name for r in away.rows] == ["Đỗ Thị Lan"]


def test_the_teacher_saves_a_guests_mark_into_the_students_own_class_book(thpt, login_as):
    auth = login_as("giaovien")
    binh = thpt["pupils"]["Lê Văn Bình"]
    resp = auth.htmx_post(f"/teacher/gradebook/{thpt['assignments'][('10A1', 'TIN')].id}/1/cell",
                          data={"student_id": binh.id, "kind": "tx", "idx": 1, "version": 0, "row": 0,
                                "value": "8,5"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    cell = MarkCell.get(MarkCell.student == binh)
    assert cell.school_class_id == thpt["classes"]["10A2"].id and cell.value == "8.5"
    entry = AuditEntry.select().where(AuditEntry.entity == "mark").order_by(AuditEntry.id.desc()).first()
    assert entry.entity_id.startswith("2024-2025/10A2/TIN/HK1/")
    grid = grid_for(thpt["assignments"][("10A1", "TIN")], thpt["hk1"])
    assert [c.display for r in grid.rows if r.student.id == binh.id for c in r.cells][0] == "8,5"
    history = auth.client.get(f"/teacher/gradebook/{thpt['assignments'][('10A1', 'TIN')].id}/1/history/"
                              f"{binh.id}/tx/1")
    assert history.status_code == 200 and "8,5" in history.get_data(as_text=True)


def test_a_student_of_no_guest_elective_is_refused_on_anothers_grid(thpt, login_as):
    auth = login_as("giaovien")
    lan = thpt["pupils"]["Đỗ Thị Lan"]
    resp = auth.htmx_post(f"/teacher/gradebook/{thpt['assignments'][('10A1', 'TIN')].id}/1/cell",
                          data={"student_id": lan.id, "kind": "tx", "idx": 1, "version": 0, "row": 0,
                                "value": "8"})
    assert resp.status_code == 404
    assert not MarkCell.select().where(MarkCell.student == lan).exists()


def test_a_subject_outside_the_class_group_has_no_grid(thpt, school, login_as):
    with write_transaction():
        wrong = TeachingAssignment.create(school_class=thpt["classes"]["10A1"], subject=thpt["subjects"]["DIA"],
                                          teacher=school["staff"]["giaovien"])
    auth = login_as("giaovien")
    assert auth.client.get(f"/teacher/gradebook/{wrong.id}/1").status_code == 404


def test_refusals_change_nothing(thpt):
    s, c = thpt["subjects"], thpt["classes"]
    before = (sg.SubjectGroup.select().count(), sg.StudentElective.select().count())
    with pytest.raises(ValueError, match="ít nhất một môn lựa chọn"):
        sg.create_group("X", "Tổ hợp rỗng", [], [])
    with pytest.raises(ValueError, match="đã có"):
        sg.create_group("khtn", "Trùng mã", [s["LI"]], [])
    with pytest.raises(ValueError, match="đã học môn"):  # 10A1 already studies Tin học
        sg.add_student_elective(thpt["pupils"]["Phạm Thu Hà"], c["10A2"], s["TOAN"])
    assert (sg.SubjectGroup.select().count(), sg.StudentElective.select().count()) == before


def test_only_thpt_classes_get_a_group(thpt, school):
    group = sg.SubjectGroup.get(sg.SubjectGroup.code == "KHTN")
    with pytest.raises(ValueError, match="trung học phổ thông"):
        sg.set_class_group(school["classes"]["6A1"], group)
    assert sg.group_of(school["classes"]["6A1"]) is None


# --- the admin's pages ----------------------------------------------------------------------------

def test_admin_creates_a_group_and_gives_a_class_its_group(thpt, login_as):
    auth = login_as("admin")
    s = thpt["subjects"]
    page = auth.client.get("/admin/subject-groups").get_data(as_text=True)
    assert "KHTN" in page and "Khoa học tự nhiên" in page and "Lê Văn Bình" in page
    resp = auth.post("/admin/subject-groups/new", data={"code": "kt1", "name": "Kĩ thuật",
                                                         "elective": [s["LI"].id, s["DIA"].id],
                                                         "topic": [s["LI"].id]})
    assert resp.status_code == 303
    group = sg.SubjectGroup.get(sg.SubjectGroup.code == "KT1")
    resp = auth.post(f"/admin/subject-groups/class/{thpt['classes']['10A2'].id}", data={"group_id": group.id})
    assert resp.status_code == 303 and sg.group_of(thpt["classes"]["10A2"]).code == "KT1"
    entry = AuditEntry.select().where(AuditEntry.entity == "class_group").order_by(AuditEntry.id.desc()).first()
    assert entry.entity_id == "2024-2025/10A2" and "KT1" in entry.after


def test_admin_refusals_say_why_in_vietnamese_and_change_nothing(thpt, school, login_as):
    auth = login_as("admin")
    count = sg.SubjectGroup.select().count()
    resp = auth.post("/admin/subject-groups/new", data={"code": "X", "name": "Không môn"})
    assert resp.status_code == 422 and "ít nhất một môn lựa chọn" in resp.get_data(as_text=True)
    group = sg.SubjectGroup.get(sg.SubjectGroup.code == "KHTN")
    resp = auth.post(f"/admin/subject-groups/class/{school['classes']['6A1'].id}", data={"group_id": group.id})
    assert resp.status_code == 422 and "trung học phổ thông" in resp.get_data(as_text=True)
    resp = auth.post("/admin/subject-groups/elective", data={"student_code": "KHONGCO", "subject_id": 1,
                                                              "class_id": 1})
    assert resp.status_code == 422 and "Không tìm thấy học sinh" in resp.get_data(as_text=True)
    assert sg.SubjectGroup.select().count() == count and sg.group_of(school["classes"]["6A1"]) is None


def test_admin_adds_a_students_elective_with_another_class(thpt, login_as):
    auth = login_as("admin")
    lan, s = thpt["pupils"]["Đỗ Thị Lan"], thpt["subjects"]
    resp = auth.post("/admin/subject-groups/elective", data={
        "student_code": lan.code, "subject_id": s["LI"].id, "class_id": thpt["classes"]["10A1"].id,
        "replaces_id": s["DIA"].id})
    assert resp.status_code == 303
    grid = grid_for(thpt["assignments"][("10A2", "DIA")], thpt["hk1"])
    assert lan.id not in {r.student.id for r in grid.rows}


def test_the_subjects_page_shows_and_sets_the_chuyen_de_tx(thpt, login_as):
    auth = login_as("admin")
    math = thpt["subjects"]["TOAN"]
    page = auth.client.get("/admin/subjects").get_data(as_text=True)
    assert "Số ĐĐGtx mỗi chuyên đề học tập" in page and f'id="topic-tx-{math.id}"' in page
    assert auth.post(f"/admin/subjects/{math.id}/topic-tx", data={"topic_tx": "0"}).status_code == 303
    assert sg.topic_tx(math) == 0
    resp = auth.post(f"/admin/subjects/{math.id}/topic-tx", data={"topic_tx": "abc"})
    assert resp.status_code == 422 and "từ 0 đến" in resp.get_data(as_text=True)
    assert sg.topic_tx(math) == 0


# --- the books ------------------------------------------------------------------------------------

def _pages(book, kind):
    return {p.key: p for p in book.pages if p.kind == kind}


def test_class_books_follow_each_class_and_its_students_electives(thpt, login_as):
    from models.printing.class_book import build_book

    auth = login_as("giaovien")
    binh = thpt["pupils"]["Lê Văn Bình"]
    auth.htmx_post(f"/teacher/gradebook/{thpt['assignments'][('10A1', 'TIN')].id}/1/cell",
                   data={"student_id": binh.id, "kind": "tx", "idx": 1, "version": 0, "row": 0, "value": "9"})
    one = _pages(build_book(thpt["classes"]["10A1"], today=date(2024, 10, 1)), "subject")
    two = _pages(build_book(thpt["classes"]["10A2"], today=date(2024, 10, 1)), "subject")
    assert set(one) == {"subject-1-TOAN", "subject-1-LI", "subject-1-TIN"}
    assert set(two) == {"subject-1-TOAN", "subject-1-TIN", "subject-1-DIA"}
    # 10A2's book: Bình's Tin học marks, entered by 10A1's teacher; Địa lí without him
    tin = two["subject-1-TIN"].data
    assert [(r["label"], r["cells"]["TX1"]) for r in tin["rows"]] == [("Lê Văn Bình", "9,0")]
    assert [r["label"] for r in two["subject-1-DIA"].data["rows"]] == ["Đỗ Thị Lan"]
    assert tin["Giáo viên"] == [thpt["assignments"][("10A1", "TIN")].teacher.full_name]
    assert one["subject-1-TOAN"].data["Số ĐĐGtx"] == 5 and two["subject-1-TOAN"].data["Số ĐĐGtx"] == 4
    # the fifth ĐĐGtx (the chuyên đề) has its own column on the printed page; 10A2's page is as before
    assert one["subject-1-TOAN"].data["columns"][:5] == ["TX1", "TX2", "TX3", "TX4", "TX5"]
    assert "Số cột ĐĐGtx" not in two["subject-1-TOAN"].data and "TX5" not in two["subject-1-TOAN"].data["columns"]


def test_the_class_book_cover_names_the_classs_level(thpt, school):
    from models.printing.class_book import build_book

    cover = build_book(thpt["classes"]["10A1"], today=date(2024, 10, 1)).pages[0]
    assert cover.kind == "cover" and cover.data["Cấp học"] == "trung học phổ thông"
    assert build_book(school["classes"]["6A1"], today=date(2024, 10, 1)).pages[0].data["Cấp học"] == \
        "trung học cơ sở"


def test_hoc_ba_lists_the_students_own_subjects_under_a_thpt_title(thpt):
    from models.printing.hoc_ba import class_pages

    pages = {p.student.full_name: p for p in class_pages(thpt["classes"]["10A2"])}
    assert [line.key for line in pages["Lê Văn Bình"].lines] == ["TOAN", "TIN"]
    assert [line.key for line in pages["Đỗ Thị Lan"].lines] == ["TOAN", "DIA"]
    assert pages["Lê Văn Bình"].level_name == "trung học phổ thông"


def test_the_assignment_page_lists_only_the_classs_group_subjects(thpt, login_as):
    auth = login_as("admin")
    page = auth.client.get(f"/admin/assignments?class_id={thpt['classes']['10A2'].id}").get_data(as_text=True)
    assert "Địa lí" in page and "Vật lí" not in page
    page = auth.client.get(f"/admin/assignments?class_id={thpt['classes']['10A1'].id}").get_data(as_text=True)
    assert "Vật lí" in page and "Địa lí" not in page
