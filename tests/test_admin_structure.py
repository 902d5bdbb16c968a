"""The admin's school-structure pages: every write changes data and is audited; every refusal is a
Vietnamese 422 that changes nothing; carrying a year forward; non-admins are refused."""
from datetime import date

import pytest

from models.audit.log import AuditEntry
from models.people.accounts import User
from models.people.records import change_staff_status
from models.school.structure import (
    Department,
    DepartmentMember,
    Enrolment,
    Grade,
    GradeSubject,
    School,
    SchoolClass,
    SchoolYear,
    Semester,
    Subject,
    TeachingAssignment,
)


def audits(action: str, entity: str) -> list[AuditEntry]:
    return list(AuditEntry.select().where((AuditEntry.action == action) & (AuditEntry.entity == entity))
                .order_by(AuditEntry.id))


def text(resp) -> str:
    return resp.get_data(as_text=True)


def refused(resp, message: str) -> None:
    assert resp.status_code == 422, resp.status_code
    assert message in text(resp)


def semester(year, number) -> Semester:
    return Semester.get((Semester.year == year) & (Semester.number == number))


# --- the school -----------------------------------------------------------------------------------

def test_school_settings_saves_and_audits(client, login_as, school):
    auth = login_as("admin")
    resp = auth.post("/admin/school", {"name": "Trường THCS  Nguyễn Du ", "code": "ND01",
                                       "header_line_1": "UBND QUẬN HOÀN KIẾM",
                                       "header_line_2": "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "levels": ["thcs", "thpt"],
                                       "phone": "024 3825 1234", "place_name": "Hà Nội"})
    assert resp.status_code == 303
    saved = School.current()
    assert (saved.name, saved.levels, saved.phone, saved.place_name) == (
        "Trường THCS Nguyễn Du", "thcs,thpt", "02438251234", "Hà Nội")
    entry = audits("update", "school")[-1]
    assert entry.after_data["name"] == "Trường THCS Nguyễn Du"
    assert entry.before_data["name"] == "Trường THCS Kiểm Thử"
    assert "Đã lưu thông tin trường." in text(client.get("/admin/school"))


def test_school_needs_a_level_and_a_name(login_as, school):
    auth = login_as("admin")
    before = len(audits("update", "school"))
    refused(auth.post("/admin/school", {"name": "Trường Mới"}), "Vui lòng chọn ít nhất một cấp học.")
    refused(auth.post("/admin/school", {"name": "", "levels": ["thcs"]}), "Vui lòng nhập tên trường.")
    assert School.current().name == "Trường THCS Kiểm Thử"
    assert len(audits("update", "school")) == before


def test_school_row_is_created_when_missing(login_as, school):
    auth = login_as("admin")
    School.delete().execute()
    resp = auth.post("/admin/school", {"name": "Trường THCS Mới", "levels": ["thcs"]})
    assert resp.status_code == 303
    assert School.current().name == "Trường THCS Mới"
    assert audits("create", "school")


def test_lock_page_quotes_the_schools_own_regulation(client, login_as, school):
    auth = login_as("admin")
    hk1 = semester(school["year"], 1)
    page = text(client.get(f"/admin/locks?semester_id={hk1.id}"))
    assert "Theo quy định của trường: đợt 1" in page and "/QĐ-" not in page
    resp = auth.post("/admin/school", {"name": "Trường THCS Kiểm Thử", "levels": ["thcs"],
                                       "regulation_ref": "Quy định số 12/QĐ-THCSKT ngày 05/09/2024"})
    assert resp.status_code == 303
    after = audits("update", "school")[-1].after_data
    assert after["regulation_ref"] == "Quy định số 12/QĐ-THCSKT ngày 05/09/2024"
    assert "Quy định số 12/QĐ-THCSKT ngày 05/09/2024" in text(client.get("/admin/school"))
    page = text(client.get(f"/admin/locks?semester_id={hk1.id}"))
    assert "Theo Quy định số 12/QĐ-THCSKT ngày 05/09/2024: đợt 1" in page


# --- years and semesters --------------------------------------------------------------------------

def test_create_year_derives_its_name_and_two_semesters(login_as, school):
    auth = login_as("admin")
    assert auth.post("/admin/years/new", {"start_year": "2025"}).status_code == 303
    year = SchoolYear.get(SchoolYear.start_year == 2025)
    assert year.name == "2025-2026" and not year.is_current
    assert [s.number for s in Semester.select().where(Semester.year == year).order_by(Semester.number)] == [1, 2]
    assert audits("create", "school_year")[-1].entity_id == "2025-2026"


def test_create_year_twice_or_bad_year_is_refused(login_as, school):
    auth = login_as("admin")
    refused(auth.post("/admin/years/new", {"start_year": "2024"}), "Năm học 2024-2025 đã có.")
    refused(auth.post("/admin/years/new", {"start_year": "hai"}), "Năm bắt đầu phải là số nguyên.")
    assert SchoolYear.select().count() == 1
    assert not audits("create", "school_year")


def test_edit_semester_dates(login_as, school):
    auth = login_as("admin")
    resp = auth.post(f"/admin/years/{school['year'].id}/semester/1",
                     {"starts_on": "03/09/2024", "ends_on": "10/01/2025", "teaching_weeks": "18",
                      "final_tests_on": "20/12/2024"})
    assert resp.status_code == 303
    first = semester(school["year"], 1)
    assert (first.starts_on, first.ends_on, first.final_tests_on) == (
        date(2024, 9, 3), date(2025, 1, 10), date(2024, 12, 20))
    entry = audits("update", "semester")[-1]
    assert entry.entity_id == "2024-2025/1"
    assert entry.before_data["starts_on"] == "2024-09-05"


@pytest.mark.parametrize("number, data, message", [
    (1, {"starts_on": "11/01/2025", "ends_on": "05/09/2024", "teaching_weeks": "18"},
     "Ngày bắt đầu học kì phải trước ngày kết thúc."),
    (2, {"starts_on": "05/01/2025", "ends_on": "25/05/2025", "teaching_weeks": "17"},
     "Học kì II phải bắt đầu sau ngày kết thúc học kì I (11/01/2025)."),
    (1, {"starts_on": "05/09/2024", "ends_on": "11/01/2025", "teaching_weeks": "30"},
     "Số tuần thực học phải từ 1 đến 25."),
    (1, {"starts_on": "05/09/2024", "ends_on": "11/01/2025", "teaching_weeks": "18", "final_tests_on": "15/01/2025"},
     "Ngày kiểm tra cuối kì phải nằm trong học kì (05/09/2024 – 11/01/2025)."),
    (1, {"starts_on": "31/02/2024", "ends_on": "11/01/2025", "teaching_weeks": "18"},
     "Ngày không hợp lệ: 31/02/2024 (nhập theo dạng dd/mm/yyyy)."),
    (1, {"starts_on": "05/09/2024", "ends_on": "11/01/2025", "teaching_weeks": "18",
         "midterm_tests_on": "01/09/2024"},
     "Ngày kiểm tra giữa kì phải nằm trong học kì (05/09/2024 – 11/01/2025)."),
    (1, {"starts_on": "05/09/2024", "ends_on": "11/01/2025", "teaching_weeks": "18",
         "midterm_tests_on": "23/12/2024", "final_tests_on": "20/12/2024"},
     "Ngày kiểm tra giữa kì phải trước ngày kiểm tra cuối kì (20/12/2024)."),
])
def test_bad_semester_dates_are_refused(login_as, school, number, data, message):
    auth = login_as("admin")
    before = semester(school["year"], number)
    refused(auth.post(f"/admin/years/{school['year'].id}/semester/{number}", data), message)
    after = semester(school["year"], number)
    assert (after.starts_on, after.ends_on, after.teaching_weeks, after.final_tests_on, after.midterm_tests_on) == (
        before.starts_on, before.ends_on, before.teaching_weeks, before.final_tests_on, before.midterm_tests_on)
    assert not audits("update", "semester")


def test_the_admin_sets_the_midterm_test_date(login_as, school):
    """Issue 11: ĐĐGgk deadlines need the mid-term test date, set beside the final tests' on the semester."""
    auth = login_as("admin")
    form = auth.client.get(f"/admin/years/{school['year'].id}/semester/1").get_data(as_text=True)
    assert 'name="midterm_tests_on"' in form and "Ngày kiểm tra giữa kì" in form
    resp = auth.post(f"/admin/years/{school['year'].id}/semester/1",
                     {"starts_on": "05/09/2024", "ends_on": "11/01/2025", "teaching_weeks": "18",
                      "midterm_tests_on": "28/10/2024", "final_tests_on": "23/12/2024"})
    assert resp.status_code == 303
    assert semester(school["year"], 1).midterm_tests_on == date(2024, 10, 28)
    entry = audits("update", "semester")[-1]
    assert entry.before_data["midterm_tests_on"] is None and entry.after_data["midterm_tests_on"] == "2024-10-28"
    assert "28/10/2024" in auth.client.get("/admin/years").get_data(as_text=True)


def test_exactly_one_year_is_current(login_as, school):
    auth = login_as("admin")
    auth.post("/admin/years/new", {"start_year": "2025"})
    new = SchoolYear.get(SchoolYear.start_year == 2025)
    assert auth.post(f"/admin/years/{new.id}/current").status_code == 303
    assert [y.name for y in SchoolYear.select().where(SchoolYear.is_current)] == ["2025-2026"]
    entry = audits("set_current", "school_year")[-1]
    assert entry.before_data == {"current": ["2024-2025"]}
    # making the current year current again is refused and two current years never appear
    refused(auth.post(f"/admin/years/{new.id}/current"), "Năm học 2025-2026 đã là năm học hiện tại.")
    assert [y.name for y in SchoolYear.select().where(SchoolYear.is_current)] == ["2025-2026"]
    assert len(audits("set_current", "school_year")) == 1


# --- carrying a year forward ----------------------------------------------------------------------

def _class_lists(year) -> dict[str, list[int]]:
    return {c.name: sorted(e.student_id for e in Enrolment.select().where(Enrolment.school_class == c))
            for c in SchoolClass.select().where(SchoolClass.year == year)}


def test_carry_forward_moves_the_class_up_except_who_stays(client, login_as, school):
    auth = login_as("admin")
    old_lists = _class_lists(school["year"])
    staying = school["students"]["Trần Văn Bình"]
    resp = auth.post("/admin/years/carry-forward", {"staying": f"{staying.code.lower()}\n"})
    assert resp.status_code == 303
    new = SchoolYear.get(SchoolYear.start_year == 2025)
    moved_up = SchoolClass.get((SchoolClass.year == new) & (SchoolClass.name == "7A1"))
    stayed_in = SchoolClass.get((SchoolClass.year == new) & (SchoolClass.name == "6A1"))
    sixth = [s.id for name, s in school["students"].items() if name != "Bùi Thị Cúc"]
    assert sorted(e.student_id for e in moved_up.enrolments) == sorted(i for i in sixth if i != staying.id)
    assert [e.student_id for e in stayed_in.enrolments] == [staying.id]
    assert moved_up.homeroom_teacher_id == school["staff"]["chunhiem"].id
    assert moved_up.previous_id == school["classes"]["6A1"].id
    # the old year is untouched and stays current until the admin switches
    assert _class_lists(school["year"]) == old_lists
    assert SchoolYear.current().name == "2024-2025"
    entry = audits("carry_forward", "school_year")[-1]
    assert entry.after_data["moved"] == 7 and entry.after_data["stayed"] == 1
    page = text(client.get(resp.location))
    assert "Kết quả chuyển năm học 2024-2025 → 2025-2026" in page
    assert "7A1" in page


def test_carry_forward_twice_is_refused(login_as, school):
    auth = login_as("admin")
    assert auth.post("/admin/years/carry-forward", {"staying": ""}).status_code == 303
    classes = SchoolClass.select().count()
    refused(auth.post("/admin/years/carry-forward", {"staying": ""}), "Năm học 2025-2026 đã có.")
    assert SchoolYear.select().count() == 2
    assert SchoolClass.select().count() == classes
    assert len(audits("carry_forward", "school_year")) == 1


def test_carry_forward_with_an_unknown_student_changes_nothing(login_as, school):
    auth = login_as("admin")
    refused(auth.post("/admin/years/carry-forward", {"staying": "HS2024KHONGCO0000000"}),
            "Không có học sinh mã HS2024KHONGCO0000000 trong năm học 2024-2025.")
    assert SchoolYear.select().count() == 1
    assert not audits("carry_forward", "school_year")


# --- grades and subjects --------------------------------------------------------------------------

def test_subjects_page_shows_the_tx_count_of_the_rule(client, login_as, school):
    login_as("admin")
    page = text(client.get("/admin/subjects"))
    math_row = page[page.index('id="grade-subject-1"'):]
    math_row = math_row[:math_row.index("</tr>")]
    assert 'value="140"' in math_row and '<td class="num">4</td>' in math_row
    pe_row = page[page.index('id="grade-subject-2"'):]
    assert '<td class="num">2</td>' in pe_row[:pe_row.index("</tr>")]


def test_create_missing_grades_of_the_levels(login_as, school):
    auth = login_as("admin")
    School.update(levels="thcs,thpt").execute()
    assert auth.post("/admin/subjects/grades").status_code == 303
    assert [g.number for g in Grade.select().order_by(Grade.number)] == list(range(6, 13))
    assert Grade.get(Grade.number == 10).level == "thpt"
    assert audits("create", "grade")[-1].after_data == {"grades": [10, 11, 12]}


def test_add_subject_and_refuse_a_duplicate_code(login_as, school):
    auth = login_as("admin")
    dept = Department.get(Department.code == "TOAN_TIN")
    resp = auth.post("/admin/subjects/new", {"code": "tin", "name": "Tin học", "kind": "scored",
                                             "department_id": str(dept.id), "position": "5"})
    assert resp.status_code == 303
    tin = Subject.get(Subject.code == "TIN")
    assert (tin.name, tin.department_id, tin.position) == ("Tin học", dept.id, 5)
    assert audits("create", "subject")[-1].entity_id == "TIN"
    refused(auth.post("/admin/subjects/new", {"code": "TOAN", "name": "Toán 2", "kind": "scored",
                                              "department_id": "0", "position": "1"}), "Mã môn học TOAN đã có.")
    assert Subject.select().count() == 3


def test_add_subject_to_a_grade(login_as, school):
    auth = login_as("admin")
    g8 = Grade.get(Grade.number == 8)
    math = school["subjects"]["TOAN"]
    assert auth.post("/admin/subjects/grade-subject", {"grade_id": g8.id, "subject_id": math.id,
                                                       "periods": "140"}).status_code == 303
    assert GradeSubject.get((GradeSubject.grade == g8) & (GradeSubject.subject == math)).periods_per_year == 140
    assert audits("create", "grade_subject")[-1].entity_id == "8/TOAN"
    refused(auth.post("/admin/subjects/grade-subject", {"grade_id": g8.id, "subject_id": math.id,
                                                        "periods": "105"}), "Môn Toán đã có trong khối 8.")
    assert GradeSubject.select().where(GradeSubject.grade == g8).count() == 1


def test_edit_periods_and_the_tx_count_follows(login_as, school):
    auth = login_as("admin")
    row = GradeSubject.get(GradeSubject.periods_per_year == 140)
    resp = auth.htmx_post(f"/admin/subjects/grade-subject/{row.id}", {"periods": "35"})
    assert resp.status_code == 200
    body = text(resp)
    assert body.lstrip().startswith("<tr") and "<html" not in body
    assert 'value="35"' in body and '<td class="num">2</td>' in body
    assert GradeSubject.get_by_id(row.id).periods_per_year == 35
    entry = audits("update", "grade_subject")[-1]
    assert (entry.before_data, entry.after_data) == ({"periods_per_year": 140}, {"periods_per_year": 35})


@pytest.mark.parametrize("periods, message", [
    ("0", "Số tiết/năm phải là số nguyên từ 1 đến 350."),
    ("351", "Số tiết/năm phải là số nguyên từ 1 đến 350."),
    ("abc", "Số tiết/năm phải là số nguyên."),
    ("", "Vui lòng nhập số tiết/năm."),
])
def test_bad_periods_are_refused(login_as, school, periods, message):
    auth = login_as("admin")
    row = GradeSubject.get(GradeSubject.periods_per_year == 140)
    refused(auth.post(f"/admin/subjects/grade-subject/{row.id}", {"periods": periods}), message)
    refused(auth.htmx_post(f"/admin/subjects/grade-subject/{row.id}", {"periods": periods}), message)
    assert GradeSubject.get_by_id(row.id).periods_per_year == 140
    assert not audits("update", "grade_subject")


# --- departments ----------------------------------------------------------------------------------

def test_create_department_and_refuse_a_duplicate(login_as, school):
    auth = login_as("admin")
    assert auth.post("/admin/departments/new", {"name": "Tổ Khoa học xã hội", "code": "khxh"}).status_code == 303
    assert Department.get(Department.code == "KHXH").name == "Tổ Khoa học xã hội"
    assert audits("create", "department")[-1].entity_id == "KHXH"
    refused(auth.post("/admin/departments/new", {"name": "Tổ khác", "code": "KHXH"}), "Mã tổ KHXH đã có.")
    assert Department.select().count() == 3


def test_set_head_moves_the_role_to_the_new_head(login_as, school):
    auth = login_as("admin")
    dept = Department.get(Department.code == "TOAN_TIN")
    giaovien = school["staff"]["giaovien"]
    assert auth.post(f"/admin/departments/{dept.id}/head", {"staff_id": giaovien.id}).status_code == 303
    heads = [m.staff_id for m in DepartmentMember.select().where(
        (DepartmentMember.department == dept) & DepartmentMember.is_head)]
    assert heads == [giaovien.id]
    assert "head_of_department" in User.get(User.username == "giaovien").roles
    assert "head_of_department" not in User.get(User.username == "totruong").roles
    assert audits("head", "department")[-1].before_data == {"head": school["staff"]["totruong"].code}
    assert len(audits("roles", "account")) == 2


def test_members_belong_to_one_department(login_as, school):
    auth = login_as("admin")
    math = Department.get(Department.code == "TOAN_TIN")
    arts = Department.get(Department.code == "NT_TC")
    giaovien = school["staff"]["giaovien"]
    assert auth.post(f"/admin/departments/{arts.id}/member", {"staff_id": giaovien.id}).status_code == 303
    rows = list(DepartmentMember.select().where(DepartmentMember.staff == giaovien))
    assert [r.department_id for r in rows] == [arts.id]
    assert audits("member", "department")[-1].before_data == {"department": "TOAN_TIN"}
    # the head of a department cannot be moved away before another head is named
    refused(auth.post(f"/admin/departments/{arts.id}/member", {"staff_id": school["staff"]["totruong"].id}),
            "đang là tổ trưởng Tổ Toán – Tin học")
    assert DepartmentMember.get(DepartmentMember.staff == school["staff"]["totruong"]).department_id == math.id
    refused(auth.post(f"/admin/departments/{arts.id}/member", {"staff_id": "0"}),
            "Vui lòng chọn cán bộ, giáo viên.")


# --- classes --------------------------------------------------------------------------------------

def test_create_class_and_refuse_a_duplicate_name(login_as, school):
    auth = login_as("admin")
    year = school["year"]
    g6 = Grade.get(Grade.number == 6)
    assert auth.post(f"/admin/classes/{year.id}/new", {"grade_id": g6.id, "name": "6a3"}).status_code == 303
    assert SchoolClass.get((SchoolClass.year == year) & (SchoolClass.name == "6A3")).grade_id == g6.id
    assert audits("create", "school_class")[-1].entity_id == "2024-2025/6A3"
    count = SchoolClass.select().count()
    refused(auth.post(f"/admin/classes/{year.id}/new", {"grade_id": g6.id, "name": "6A1"}),
            "Lớp 6A1 đã có trong năm học 2024-2025.")
    refused(auth.post(f"/admin/classes/{year.id}/new", {"grade_id": g6.id, "name": "7A9"}),
            "Tên lớp phải bắt đầu bằng số khối 6, ví dụ 6A1.")
    assert SchoolClass.select().count() == count
    assert len(audits("create", "school_class")) == 1


def test_set_homeroom_teacher(login_as, school):
    auth = login_as("admin")
    c6a2 = school["classes"]["6A2"]
    giaovien = school["staff"]["giaovien"]
    assert auth.post(f"/admin/classes/{c6a2.id}/homeroom", {"staff_id": giaovien.id}).status_code == 303
    assert SchoolClass.get_by_id(c6a2.id).homeroom_teacher_id == giaovien.id
    entry = audits("homeroom", "school_class")[-1]
    assert (entry.before_data, entry.after_data) == ({"homeroom_teacher": None}, {"homeroom_teacher": giaovien.code})


def test_a_teacher_is_homeroom_of_one_class_a_year(login_as, school):
    auth = login_as("admin")
    c6a2 = school["classes"]["6A2"]
    refused(auth.post(f"/admin/classes/{c6a2.id}/homeroom", {"staff_id": school["staff"]["chunhiem"].id}),
            "đã chủ nhiệm lớp 6A1 trong năm học 2024-2025; mỗi giáo viên chủ nhiệm tối đa một lớp.")
    assert SchoolClass.get_by_id(c6a2.id).homeroom_teacher_id is None
    assert not audits("homeroom", "school_class")


def test_a_teacher_who_left_cannot_be_homeroom(app, login_as, school):
    from models.core import write_transaction

    auth = login_as("admin")
    ketoan = school["staff"]["ketoan"]
    with write_transaction():
        change_staff_status(ketoan, "nghi_huu", date(2024, 10, 1), "Nghỉ hưu")
    c6a2 = school["classes"]["6A2"]
    refused(auth.post(f"/admin/classes/{c6a2.id}/homeroom", {"staff_id": ketoan.id}),
            "Giáo Viên Ketoan không còn công tác tại trường (Nghỉ hưu).")
    assert SchoolClass.get_by_id(c6a2.id).homeroom_teacher_id is None
    refused(auth.post(f"/admin/classes/{c6a2.id}/homeroom", {"staff_id": "9999"}),
            "Giáo viên chủ nhiệm: lựa chọn không hợp lệ.")


def test_classes_page_lists_homeroom_and_class_size(client, login_as, school):
    login_as("admin")
    page = text(client.get("/admin/classes"))
    row = page[page.index('id="class-{}"'.format(school["classes"]["6A1"].id)):]
    row = row[:row.index("</tr>")]
    assert '<td class="num">7</td>' in row
    assert f'<option value="{school["staff"]["chunhiem"].id}" selected>' in row


# --- teaching assignments -------------------------------------------------------------------------

def _coordinators(school_class, subject) -> list[int]:
    return [a.teacher_id for a in TeachingAssignment.select().where(
        (TeachingAssignment.school_class == school_class) & (TeachingAssignment.subject == subject)
        & TeachingAssignment.is_coordinator)]


def test_shared_assignment_keeps_one_coordinator(login_as, school):
    auth = login_as("admin")
    c6a1, math = school["classes"]["6A1"], school["subjects"]["TOAN"]
    totruong, giaovien = school["staff"]["totruong"], school["staff"]["giaovien"]
    resp = auth.htmx_post(f"/admin/assignments/{c6a1.id}/new", {"subject_id": math.id, "teacher_id": totruong.id})
    assert resp.status_code == 200
    assert text(resp).lstrip().startswith("<tr") and totruong.full_name in text(resp)
    assert "showMessage" in resp.headers["HX-Trigger"]
    assert _coordinators(c6a1, math) == [giaovien.id]  # the first assigned stays the coordinator
    assert audits("assign", "teaching_assignment")[-1].after_data == {"teacher": totruong.code,
                                                                      "is_coordinator": False}
    shared = TeachingAssignment.get((TeachingAssignment.teacher == totruong) & (TeachingAssignment.school_class == c6a1))
    assert auth.post(f"/admin/assignments/item/{shared.id}/coordinator").status_code == 303
    assert _coordinators(c6a1, math) == [totruong.id]
    assert audits("coordinator", "teaching_assignment")[-1].before_data == {"coordinator": [giaovien.code]}


def test_assigning_the_same_teacher_twice_is_refused(login_as, school):
    auth = login_as("admin")
    c6a1, math = school["classes"]["6A1"], school["subjects"]["TOAN"]
    count = TeachingAssignment.select().count()
    refused(auth.htmx_post(f"/admin/assignments/{c6a1.id}/new",
                           {"subject_id": math.id, "teacher_id": school["staff"]["giaovien"].id}),
            "đã được phân công dạy môn Toán lớp 6A1.")
    refused(auth.post(f"/admin/assignments/{c6a1.id}/new", {"subject_id": math.id, "teacher_id": "0"}),
            "Vui lòng chọn giáo viên.")
    assert TeachingAssignment.select().count() == count
    assert not audits("assign", "teaching_assignment")


def test_removing_the_coordinator_hands_over_and_is_audited(login_as, school):
    auth = login_as("admin")
    c6a1, math = school["classes"]["6A1"], school["subjects"]["TOAN"]
    auth.post(f"/admin/assignments/{c6a1.id}/new", {"subject_id": math.id, "teacher_id": school["staff"]["totruong"].id})
    first = school["assignment"]
    resp = auth.htmx_post(f"/admin/assignments/item/{first.id}/remove")
    assert resp.status_code == 200
    assert TeachingAssignment.get_or_none(TeachingAssignment.id == first.id) is None
    assert _coordinators(c6a1, math) == [school["staff"]["totruong"].id]
    entry = audits("unassign", "teaching_assignment")[-1]
    assert entry.before_data == {"teacher": school["staff"]["giaovien"].code, "is_coordinator": True}
    assert entry.entity_id == "2024-2025/6A1/TOAN"


def test_assignment_page_shows_teachers_and_their_weekly_load(client, login_as, school):
    login_as("admin")
    page = text(client.get(f"/admin/assignments?class_id={school['classes']['6A1'].id}"))
    assert "Phụ trách chính" in page
    loads = page[page.index('id="teacher-loads"'):]
    # giaovien teaches Toán 6A1 (140 periods): 140 / 35 = 4,0 periods a week
    row = loads[loads.index(school["staff"]["giaovien"].full_name):]
    assert '<td class="num">4,0</td>' in row[:row.index("</tr>")]


# --- who may write --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/admin/classes/1/new", "/admin/years/carry-forward", "/admin/school",
                                  "/admin/assignments/1/new"])
def test_non_admins_are_refused(login_as, school, path):
    auth = login_as("giaovien")
    classes, years = SchoolClass.select().count(), SchoolYear.select().count()
    resp = auth.post(path, {"grade_id": Grade.get(Grade.number == 6).id, "name": "6A9", "staying": "",
                            "subject_id": "1", "teacher_id": "1"})
    assert resp.status_code == 403
    assert "Không có quyền truy cập" in text(resp)
    assert (SchoolClass.select().count(), SchoolYear.select().count()) == (classes, years)
