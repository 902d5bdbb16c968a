"""The vice-principal's monitoring on a THPT: progress, phổ điểm and anomalies count only the subjects each class
and student studies, and a student taking an elective with another class counts with that teacher's class."""
from datetime import date, datetime

import pytest

from models.gradebook.marks import guest_page, save_cell
from models.gradebook.monitoring import anomalies, column_marks, distribution, progress_rows
from models.school.structure import Grade
from tests.thpt_school import build_thpt

DAY = datetime(2024, 9, 20, 8, 0)


@pytest.fixture
def thpt(school):
    return build_thpt(school)


def put(thpt, school, class_name, subject, name, value, kind="tx", idx=1, at=DAY, version=0):
    """Save one cell as the teacher of class × subject would (a guest's into their own class's book)."""
    a = thpt["assignments"][(class_name, subject)]
    student = thpt["pupils"][name]
    page, enrolment = a, None
    guest = guest_page(a, student.id)
    if guest is not None:
        page, enrolment = guest
    result = save_cell(page, thpt["hk1"], student, kind, idx, value, version, school["users"]["giaovien"], now=at,
                       enrolment=enrolment)
    assert result.ok, result.message


def row(rows, thpt, class_name, subject):
    a = thpt["assignments"][(class_name, subject)]
    return next(r for r in rows if r.assignment.id == a.id)


def test_progress_counts_the_guest_with_the_teachers_class_and_not_with_their_own(thpt, school):
    put(thpt, school, "10A1", "TIN", "Lê Văn Bình", "8")
    rows = progress_rows(thpt["hk1"], today=date(2024, 10, 1))
    tin = row(rows, thpt, "10A1", "TIN")
    # Phạm Thu Hà of 10A1 and the guest Lê Văn Bình of 10A2; Tin học 70 periods → 3 ĐĐGtx each
    assert (tin.students, tin.tx_required, tin.tx_filled) == (2, 6, 1)
    dia = row(rows, thpt, "10A2", "DIA")
    assert (dia.students, dia.tx_required) == (1, 3)  # Bình dropped Địa lí for Tin học


def test_progress_counts_the_chuyen_de_columns_of_the_classs_group(thpt, school):
    put(thpt, school, "10A1", "TOAN", "Phạm Thu Hà", "7", idx=5)  # the chuyên đề ĐĐGtx of 10A1's group
    rows = progress_rows(thpt["hk1"], today=date(2024, 10, 1))
    one, two = row(rows, thpt, "10A1", "TOAN"), row(rows, thpt, "10A2", "TOAN")
    assert (one.students, one.tx_required, one.tx_filled) == (1, 5, 1)
    assert (two.students, two.tx_required) == (2, 8)


def test_the_distribution_shows_only_classes_studying_the_subject_with_the_guest_in_the_teachers_class(
        thpt, school):
    put(thpt, school, "10A1", "TIN", "Phạm Thu Hà", "9", kind="ck")
    put(thpt, school, "10A1", "TIN", "Lê Văn Bình", "6", kind="ck")
    grade = Grade.get(Grade.number == 10)
    result = distribution(thpt["hk1"], thpt["subjects"]["TIN"], grade, "ck")
    assert [g.name for g in result.classes] == ["Lớp 10A1"]
    assert sorted(str(m) for m in result.classes[0].marks) == ["6.0", "9.0"] and len(result.whole.marks) == 2
    dia = distribution(thpt["hk1"], thpt["subjects"]["DIA"], grade, "ck")
    assert [g.name for g in dia.classes] == ["Lớp 10A2"]


def test_a_mark_left_in_a_subject_the_student_no_longer_studies_does_not_count(thpt, school):
    from models.gradebook.marks import MarkCell

    classes, subjects = thpt["classes"], thpt["subjects"]
    put(thpt, school, "10A2", "DIA", "Đỗ Thị Lan", "5", kind="ck")
    # Bình's Địa lí mark typed before he moved to Tin học with 10A1 stays in the book but is not counted
    MarkCell.create(school_class=classes["10A2"], subject=subjects["DIA"], semester=thpt["hk1"],
                    student=thpt["pupils"]["Lê Văn Bình"], kind="ck", idx=1, value="10", version=1)
    marks = column_marks(thpt["hk1"], subjects["DIA"], [classes["10A2"]], "ck")
    assert [str(m) for m in marks[classes["10A2"].id]] == ["5.0"]
    rows = progress_rows(thpt["hk1"], today=date(2024, 10, 1))
    assert row(rows, thpt, "10A2", "DIA").ck_filled == 1


def test_the_class_mean_anomaly_compares_the_classes_that_study_the_subject(thpt, school):
    # 10A1's Tin học (Hà 9, guest Bình 3) is the grade's only Tin học class: no gap with itself
    put(thpt, school, "10A1", "TIN", "Phạm Thu Hà", "9", kind="ck")
    put(thpt, school, "10A1", "TIN", "Lê Văn Bình", "3", kind="ck")
    assert [a for a in anomalies(thpt["hk1"], "class_mean") if a.subject.code == "TIN"] == []
    # Toán: 10A1 (Hà 10) against the grade (10, 2, 2 → 4,67): flagged; Bình's Toán counts in 10A2
    put(thpt, school, "10A1", "TOAN", "Phạm Thu Hà", "10", kind="ck")
    put(thpt, school, "10A2", "TOAN", "Lê Văn Bình", "2", kind="ck")
    put(thpt, school, "10A2", "TOAN", "Đỗ Thị Lan", "2", kind="ck")
    flagged = {a.school_class.name for a in anomalies(thpt["hk1"], "class_mean") if a.subject.code == "TOAN"}
    assert flagged == {"10A1", "10A2"}


def test_the_vice_principals_pages_follow_the_groups(thpt, school, login_as):
    put(thpt, school, "10A1", "TIN", "Lê Văn Bình", "8", kind="ck")
    auth = login_as("hieutruong")
    grade = Grade.get(Grade.number == 10)
    page = auth.client.get(f"/vice-principal/distribution?grade={grade.id}&subject={thpt['subjects']['TIN'].id}"
                           "&column=ck&semester=1").get_data(as_text=True)
    assert "Lớp 10A1" in page and "Lớp 10A2" not in page


def test_the_teachers_own_progress_counts_the_guests_and_not_those_away(thpt, school):
    from models.gradebook.marks import progress_for

    put(thpt, school, "10A1", "TIN", "Lê Văn Bình", "8")
    a = thpt["assignments"]
    tin, dia = progress_for([a[("10A1", "TIN")], a[("10A2", "DIA")]], [thpt["hk1"]])
    # Tin học 70 periods: 3 ĐĐGtx + ĐĐGgk + ĐĐGck for Hà and the guest Bình; Địa lí for Lan only
    assert (tin.filled, tin.required) == (1, 2 * 5) and dia.required == 1 * 5


def test_an_anomaly_of_a_guests_mark_names_the_teaching_class_and_the_students_own(thpt, school, login_as):
    from datetime import timedelta

    # Bình of 10A2 takes Tin học with 10A1's teacher: 8 → 4 → 9 → 3 (three changes, each across a threshold)
    for version, value in enumerate(("8", "4", "9", "3")):
        put(thpt, school, "10A1", "TIN", "Lê Văn Bình", value, version=version, at=DAY + timedelta(hours=version))
    found = [a for a in anomalies(thpt["hk1"]) if a.student and a.student.full_name == "Lê Văn Bình"]
    assert {a.kind for a in found} == {"repeated", "crossing"}
    assert {(a.school_class.name, a.home_class.name, a.subject.code) for a in found} == {("10A1", "10A2", "TIN")}
    # a student's mark in their own class's subject names no other class
    put(thpt, school, "10A2", "TOAN", "Lê Văn Bình", "8")
    put(thpt, school, "10A2", "TOAN", "Lê Văn Bình", "2", version=1, at=DAY + timedelta(hours=5))
    own = [a for a in anomalies(thpt["hk1"], "crossing") if a.subject.code == "TOAN"]
    assert [(a.school_class.name, a.home_class) for a in own] == [("10A2", None)]

    auth = login_as("hieutruong")
    page = auth.client.get("/vice-principal/anomalies?semester=1&kind=repeated").get_data(as_text=True)
    row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "<td>10A1</td>" in row and "Tin học" in row and "HS lớp 10A2" in row and "<td>10A2</td>" not in row
    history = auth.client.get(f"/vice-principal/history/{found[0].cell_id}").get_data(as_text=True)
    assert "Tin học lớp 10A1" in history and "HS lớp 10A2" in history
