"""The timetable (thời khoá biểu) and the programme plan (PPCT): rules, grid saves, Excel imports, admin pages."""
import re
from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook

from models.audit.log import AuditEntry
from models.rules import timetable as rules
from models.school.structure import TeachingAssignment
from models.teaching import ppct, timetable


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# --- rules ---------------------------------------------------------------------------------------------

def test_version_on_takes_the_latest_not_after_the_day():
    dates = [date(2024, 9, 5), date(2024, 11, 4), date(2025, 1, 13)]
    assert rules.version_on(dates, date(2024, 9, 4)) is None
    assert rules.version_on(dates, date(2024, 9, 5)) == date(2024, 9, 5)
    assert rules.version_on(dates, date(2024, 11, 3)) == date(2024, 9, 5)
    assert rules.version_on(dates, date(2024, 12, 2)) == date(2024, 11, 4)
    assert rules.version_on(dates, date(2025, 3, 1)) == date(2025, 1, 13)


def test_a_teacher_in_two_classes_at_once_is_a_clash():
    slots = [rules.Slot("6A1", 0, 1, "Toán", "An"), rules.Slot("6A2", 0, 1, "Toán", "An"),
             rules.Slot("6A3", 0, 2, "Toán", "An"), rules.Slot("6A1", 0, 2, "Văn", "Bình")]
    found = rules.clashes(slots)
    assert [(c.teacher, c.weekday, c.period, c.classes) for c in found] == [("An", 0, 1, ("6A1", "6A2"))]
    assert "Thứ Hai, Tiết 1 (sáng)" in found[0].message and "6A1, 6A2" in found[0].message


@pytest.mark.parametrize("text, weekday", [("2", 0), ("Thứ 2", 0), ("T3", 1), ("thứ Tư", 2), ("7", 5),
                                           ("Thứ Bảy", 5), (3.0, 1)])
def test_weekday_forms(text, weekday):
    assert rules.parse_weekday(text) == weekday


@pytest.mark.parametrize("text", ["1", "8", "CN", "Chủ nhật", "", None])
def test_weekday_refused(text):
    with pytest.raises(ValueError):
        rules.parse_weekday(text)


def test_periods_and_sessions():
    assert rules.day_period(1, 3) == 3 and rules.day_period(2, 1) == 6
    assert rules.period_label(6) == "Tiết 1 (chiều)"
    assert rules.periods_of(1) == [1, 2, 3, 4, 5] and rules.periods_of(2)[-1] == 10
    assert rules.week_start(date(2024, 12, 5)) == date(2024, 12, 2)
    assert rules.split_cell("Toán - Nguyễn Văn An") == ("Toán", "Nguyễn Văn An")
    assert rules.split_cell("Ngữ văn") == ("Ngữ văn", "")


# --- the class grid ------------------------------------------------------------------------------------

def _version(school, day=date(2024, 9, 5)):
    return timetable.create_version(school["year"], day)


def test_grid_save_and_clash_refused(app, school):
    version = _version(school)
    c6a1, c6a2 = school["classes"]["6A1"], school["classes"]["6A2"]
    math_6a1 = school["assignment"]
    timetable.save_class_grid(version, c6a1, {(0, 1): math_6a1.id, (0, 2): math_6a1.id},
                              timetable.grid_token(version, c6a1))
    stale = timetable.grid_token(version, school["classes"]["7A1"])  # 7A1's page, opened before
    assert {k: a.id for k, a in timetable.class_grid(version, c6a1).items()} == {(0, 1): math_6a1.id,
                                                                                 (0, 2): math_6a1.id}
    # giaovien teaches 6A1 at Monday period 1; give 6A2 a lesson by giaovien at the same time: refused
    clash = TeachingAssignment.create(school_class=c6a2, subject=school["subjects"]["GDTC"],
                                      teacher=school["staff"]["giaovien"])
    with pytest.raises(ValueError, match="dạy cùng lúc nhiều lớp"):
        timetable.save_class_grid(version, c6a2, {(0, 1): clash.id}, timetable.grid_token(version, c6a2))
    assert timetable.class_grid(version, c6a2) == {}
    # a stale page of the same class: someone saved since it was opened
    empty = timetable.grid_token(version, timetable.SchoolClass.get_by_id(c6a2.id))
    with pytest.raises(timetable.Conflict):
        timetable.save_class_grid(version, c6a1, {(0, 1): None}, empty)
    assert len(timetable.class_grid(version, c6a1)) == 2
    # another class's page opened before 6A1 was saved still saves
    timetable.save_class_grid(version, school["classes"]["7A1"], {}, stale)


def test_an_assignment_of_another_class_is_refused(app, school):
    version = _version(school)
    other = TeachingAssignment.get(TeachingAssignment.school_class == school["classes"]["6A2"])
    with pytest.raises(ValueError, match="không được phân công"):
        timetable.save_class_grid(version, school["classes"]["6A1"], {(1, 1): other.id},
                                  timetable.grid_token(version, school["classes"]["6A1"]))


def test_version_in_force_on_a_day(app, school):
    first = _version(school)
    second = _version(school, date(2024, 11, 4))
    assert timetable.version_on(school["year"], date(2024, 10, 1)).id == first.id
    assert timetable.version_on(school["year"], date(2024, 11, 4)).id == second.id
    with pytest.raises(ValueError, match="Đã có"):
        _version(school, date(2024, 11, 4))


# --- the Excel import ----------------------------------------------------------------------------------

def test_import_is_all_or_nothing_and_names_the_row(app, school):
    data = xlsx([["Thứ", "Buổi", "Tiết", "6A1", "6A2"],
                 [2, "Sáng", 1, "Toán", "Toán"],
                 [2, "Sáng", 2, "GDTC", ""],
                 ["Thứ 9", "Sáng", 3, "Toán", ""],
                 [3, "Sáng", 1, "Hoá học", ""]])
    result = timetable.import_timetable(school["year"], date(2024, 9, 5), data, "tkb.xlsx")
    assert not result.ok
    assert any(e.startswith("Dòng 4:") and "Thứ 9" in e for e in result.errors)
    assert any(e.startswith("Dòng 5 (Thứ Ba, Tiết 1 (sáng)), lớp 6A1") and "Hoá học" in e for e in result.errors)
    assert timetable.TimetableVersion.select().count() == 0


def test_import_writes_the_version(app, school):
    data = xlsx([["Thứ", "Buổi", "Tiết", "6A1", "6A2"],
                 [2, "Sáng", 1, "Toán", "Toán"],
                 ["Thứ 2", "Sáng", 2, "Giáo dục thể chất", None],
                 [3, "Chiều", 1, "TOAN", None]])
    result = timetable.import_timetable(school["year"], date(2024, 9, 5), data, "tkb.xlsx")
    assert result.ok, result.errors
    version = timetable.version_on(school["year"], date(2024, 9, 9))
    grid = timetable.class_grid(version, school["classes"]["6A1"])
    assert {k: a.subject.code for k, a in grid.items()} == {(0, 1): "TOAN", (0, 2): "GDTC", (1, 6): "TOAN"}
    assert AuditEntry.get(AuditEntry.entity == "timetable").action == "import"


def test_import_refuses_a_clash(app, school):
    # totruong teaches 6A2 math; make them also teach 6A1's GDTC, then put both at Monday period 1
    TeachingAssignment.create(school_class=school["classes"]["6A1"], subject=school["subjects"]["GDTC"],
                              teacher=school["staff"]["totruong"], is_coordinator=False)
    data = xlsx([["Thứ", "Buổi", "Tiết", "6A1", "6A2"],
                 [2, "Sáng", 1, f"GDTC - {school['staff']['totruong'].full_name}", "Toán"]])
    result = timetable.import_timetable(school["year"], date(2024, 9, 5), data)
    assert not result.ok and "dạy cùng lúc" in result.errors[0]


def test_admin_import_page_names_the_bad_row(app, school, login_as):
    auth = login_as("admin")
    data = xlsx([["Thứ", "Buổi", "Tiết", "6A1"], [2, "Sáng", 1, "Toán"], [2, "Sáng", 9, "Toán"]])
    resp = auth.post("/admin/timetable/import", data={"effective_on": "05/09/2024",
                                                       "file": (BytesIO(data), "tkb.xlsx")},
                     content_type="multipart/form-data")
    assert resp.status_code == 422
    assert "Dòng 3: Tiết “9” không hợp lệ" in resp.get_data(as_text=True)
    assert timetable.TimetableVersion.select().count() == 0


def test_admin_grid_page_saves(app, school, login_as):
    auth = login_as("admin")
    version = _version(school)
    c6a1 = school["classes"]["6A1"]
    url = f"/admin/timetable/{version.id}/class/{c6a1.id}"
    page = auth.client.get(url).get_data(as_text=True)
    assert "Thời khoá biểu lớp 6A1" in page
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)
    resp = auth.post(url, data={"token": token, "c2_3": str(school["assignment"].id)})
    assert resp.status_code == 303
    assert {k: a.id for k, a in timetable.class_grid(version, c6a1).items()} == {(2, 3): school["assignment"].id}
    stale = auth.post(url, data={"token": token, "c2_4": str(school["assignment"].id)})
    assert stale.status_code == 409 and "vừa được người khác sửa" in stale.get_data(as_text=True)


# --- PPCT ----------------------------------------------------------------------------------------------

def test_ppct_import_checks_rows_and_counts(app, school):
    bad = xlsx([["Khối", "Môn", "Tiết", "Tên bài"], [6, "Toán", 1, "Tập hợp"], [6, "Toán", 1, "Lặp"],
                [5, "Toán", 1, "Khối không có"], [6, "Toán", "x", "Sai tiết"], [6, "Toán", 2, ""]])
    result = ppct.import_ppct(school["year"], bad)
    assert [e.split(":")[0] for e in result.errors] == ["Dòng 3", "Dòng 4", "Dòng 5", "Dòng 6"]
    assert ppct.PpctLesson.select().count() == 0
    good = xlsx([["Khối", "Môn", "Tiết", "Tên bài"]] + [[6, "Toán", n, f"Bài {n}"] for n in (1, 2, 4)])
    result = ppct.import_ppct(school["year"], good)
    assert result.ok
    assert "Môn Toán khối 6: 3 tiết trong PPCT, nhưng môn có 140 tiết/năm." in result.warnings
    assert "Môn Toán khối 6: thiếu tiết 3." in result.warnings
    grade6 = school["classes"]["6A1"].grade_id
    assert ppct.lessons(school["year"], grade6, school["subjects"]["TOAN"].id) == {1: "Bài 1", 2: "Bài 2", 4: "Bài 4"}
    # imported again: replaced, not added
    ppct.import_ppct(school["year"], xlsx([["Khối", "Môn", "Tiết", "Tên bài"], [6, "TOAN", 1, "Mới"]]))
    assert ppct.lessons(school["year"], grade6, school["subjects"]["TOAN"].id) == {1: "Mới"}


def test_ppct_page(app, school, login_as):
    auth = login_as("admin")
    data = xlsx([["Khối", "Môn", "Tiết", "Tên bài"], [7, "Toán", 1, "Bài 1"]])
    resp = auth.post("/admin/ppct", data={"file": (BytesIO(data), "ppct.xlsx")}, content_type="multipart/form-data")
    assert resp.status_code == 303
    page = auth.client.get("/admin/ppct").get_data(as_text=True)
    assert "Lệch -139" in page and "1 tiết trong PPCT, nhưng môn có 140 tiết/năm" in page
