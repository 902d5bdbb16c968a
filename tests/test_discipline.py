"""Daily conduct (nề nếp, issue 17): the list of items, records per student or class and day, withdrawal, who may
write, and the day's violations per student for the notices to families."""
from datetime import date

import pytest

from models.audit.log import AuditEntry
from models.core import DeletionRefused
from models.discipline import conduct
from models.discipline.conduct import ConductRecord

DAY = date(2024, 12, 2)
TODAY = date(2024, 12, 3)


@pytest.fixture
def items(school):
    return {"late": conduct.add_item("Đi muộn", "-2"),
            "uniform": conduct.add_item("Không đồng phục", "−1"),
            "dirty": conduct.add_item("Lớp vệ sinh bẩn", "-5", "class"),
            "answer": conduct.add_item("Phát biểu xây dựng bài", "+1")}


def _s(school, name):
    return school["students"][name]


def test_an_item_needs_a_name_and_whole_nonzero_points(school):
    with pytest.raises(ValueError, match="số nguyên"):
        conduct.add_item("Đi muộn", "-1,5")
    with pytest.raises(ValueError, match="khác 0"):
        conduct.add_item("Đi muộn", "0")
    with pytest.raises(ValueError, match="tên nội dung"):
        conduct.add_item("  ", "-1")
    conduct.add_item("Đi muộn", "-2")
    with pytest.raises(ValueError, match="Đã có"):
        conduct.add_item("Đi  muộn", "-3")
    assert conduct.ConductItem.select().count() == 1


def test_recording_tapped_students_makes_one_audited_record_each(school, items):
    c6a1 = school["classes"]["6A1"]
    an, binh = _s(school, "Lê Văn An"), _s(school, "Trần Văn Bình")
    made = conduct.record_conduct(c6a1, items["late"], DAY, [an, binh], "cổng trường", today=TODAY)
    assert [(r.student.id, r.points) for r in made] == [(an.id, -2), (binh.id, -2)]
    entries = list(AuditEntry.select().where(AuditEntry.entity == "conduct_record"))
    assert len(entries) == 2 and entries[0].after_data["points"] == -2 and entries[0].after_data["class"] == "6A1"


def test_a_class_item_is_one_record_without_a_student(school, items):
    made = conduct.record_conduct(school["classes"]["6A1"], items["dirty"], DAY, [], today=TODAY)
    assert len(made) == 1 and made[0].student_id is None and made[0].points == -5


@pytest.mark.parametrize(("day", "who", "message"), [
    (date(2024, 12, 4), "Lê Văn An", "chưa tới"),
    (date(2024, 8, 1), "Lê Văn An", "không thuộc năm học"),
    (DAY, None, "ít nhất một học sinh"),
    (DAY, "Bùi Thị Cúc", "Không thuộc lớp 6A1"),
])
def test_bad_records_are_refused_and_nothing_is_written(school, items, day, who, message):
    students = [_s(school, who)] if who else []
    with pytest.raises(ValueError, match=message):
        conduct.record_conduct(school["classes"]["6A1"], items["late"], day, students, today=TODAY)
    assert ConductRecord.select().count() == 0


def test_a_record_is_withdrawn_with_a_reason_never_deleted(school, items):
    row = conduct.record_conduct(school["classes"]["6A1"], items["late"], DAY, [_s(school, "Lê Văn An")],
                                 today=TODAY)[0]
    with pytest.raises(ValueError, match="lí do"):
        conduct.withdraw(row, " ")
    row = conduct.withdraw(row, "ghi nhầm học sinh")
    assert row.withdrawn_at is not None and row.withdraw_reason == "ghi nhầm học sinh"
    with pytest.raises(ValueError, match="đã được rút lại"):
        conduct.withdraw(row, "lần nữa")
    with pytest.raises(DeletionRefused):
        row.delete_instance()
    assert conduct.tallies(school["classes"]["6A1"]) == {}
    assert AuditEntry.select().where(AuditEntry.action == "withdraw").get().reason == "ghi nhầm học sinh"


def test_changing_an_item_keeps_past_points_and_refuses_a_stale_edit(school, items):
    row = conduct.record_conduct(school["classes"]["6A1"], items["late"], DAY, [_s(school, "Lê Văn An")],
                                 today=TODAY)[0]
    late = conduct.update_item(items["late"], 1, "Đi học muộn", "-3", "student", True)
    assert late.points == -3 and late.version == 2
    assert ConductRecord.get_by_id(row.id).points == -2
    with pytest.raises(conduct.StaleItem):
        conduct.update_item(items["late"], 1, "Đi muộn", "-1", "student", True)


def test_day_violations_per_student_for_the_families(school, items):
    c6a1 = school["classes"]["6A1"]
    an, binh = _s(school, "Lê Văn An"), _s(school, "Trần Văn Bình")
    conduct.record_conduct(c6a1, items["late"], DAY, [an], today=TODAY)
    conduct.record_conduct(c6a1, items["uniform"], DAY, [an, binh], today=TODAY)
    conduct.record_conduct(c6a1, items["answer"], DAY, [binh], today=TODAY)  # a good deed: not a violation
    conduct.record_conduct(c6a1, items["dirty"], DAY, [], today=TODAY)  # the class's: nobody's in particular
    withdrawn = conduct.record_conduct(c6a1, items["late"], DAY, [binh], today=TODAY)[0]
    conduct.withdraw(withdrawn, "nhầm")
    found = conduct.day_violations(DAY)
    assert {s.full_name: [r.item.name for r in rows] for s, rows in found.items()} == {
        "Lê Văn An": ["Đi muộn", "Không đồng phục"], "Trần Văn Bình": ["Không đồng phục"]}
    assert conduct.day_violations(date(2024, 12, 3)) == {}


def test_tallies_count_violations_and_good_deeds(school, items):
    c6a1 = school["classes"]["6A1"]
    an = _s(school, "Lê Văn An")
    conduct.record_conduct(c6a1, items["late"], DAY, [an], today=TODAY)
    conduct.record_conduct(c6a1, items["answer"], DAY, [an], today=TODAY)
    conduct.record_conduct(c6a1, items["answer"], TODAY, [an], today=TODAY)
    tally = conduct.tallies(c6a1)[an.id]
    assert (tally.violations, tally.good_deeds, tally.points) == (1, 2, 0)
    assert tally.text == "1 vi phạm, 2 việc tốt (0 điểm)"


# --- pages ---------------------------------------------------------------------------------------------------

def test_giamthi_taps_students_and_an_item_through_htmx(client, login_as, school, items):
    auth = login_as("giamthi")
    c6a1 = school["classes"]["6A1"]
    page = client.get(f"/discipline/class/{c6a1.id}?day=02/12/2024").get_data(as_text=True)
    assert "Chạm chọn học sinh" in page and "Đi muộn (−2)" in page
    an, binh = _s(school, "Lê Văn An"), _s(school, "Trần Văn Bình")
    resp = auth.htmx_post(f"/discipline/class/{c6a1.id}/record",
                          {"day": "02/12/2024", "item_id": items["late"].id, "student_id": [an.id, binh.id]})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="conduct-entry"' in html and "<html" not in html
    assert "Đã ghi “Đi muộn” (−2) cho 2 học sinh" in html and html.count("Đi muộn</td>") == 2
    refused = auth.htmx_post(f"/discipline/class/{c6a1.id}/record", {"day": "02/12/2024", "student_id": [an.id]})
    assert refused.status_code == 422 and "Chọn nội dung" in refused.get_data(as_text=True)
    assert ConductRecord.select().count() == 2


def test_the_heads_read_but_do_not_write(client, login_as, school, items):
    auth = login_as("hieutruong")
    c6a1 = school["classes"]["6A1"]
    assert client.get(f"/discipline/class/{c6a1.id}").status_code == 200
    resp = auth.post(f"/discipline/class/{c6a1.id}/record",
                     {"day": "02/12/2024", "item_id": items["late"].id, "student_id": _s(school, "Lê Văn An").id})
    assert resp.status_code == 403 and ConductRecord.select().count() == 0


def test_admin_keeps_the_list_but_does_not_record(client, login_as, school, items):
    auth = login_as("admin")
    resp = auth.post("/discipline/items", {"name": "Nhặt được của rơi trả lại", "points": "3", "scope": "student"})
    assert resp.status_code == 302
    assert conduct.ConductItem.get(conduct.ConductItem.name == "Nhặt được của rơi trả lại").points == 3
    c6a1 = school["classes"]["6A1"]
    resp = auth.post(f"/discipline/class/{c6a1.id}/record",
                     {"day": "02/12/2024", "item_id": items["late"].id, "student_id": _s(school, "Lê Văn An").id})
    assert resp.status_code == 403


def test_a_stale_item_edit_answers_409(client, login_as, school, items):
    auth = login_as("giamthi")
    late = items["late"]
    first = auth.htmx_post(f"/discipline/items/{late.id}", {"version": 1, "name": "Đi muộn", "points": "-3",
                                                           "scope": "student", "active": "1"})
    assert first.status_code == 200
    second = auth.htmx_post(f"/discipline/items/{late.id}", {"version": 1, "name": "Đi muộn", "points": "-1",
                                                            "scope": "student", "active": "1"})
    assert second.status_code == 409 and "Người khác vừa sửa" in second.get_data(as_text=True)
    assert conduct.ConductItem.get_by_id(late.id).points == -3


# --- the week's emulation ------------------------------------------------------------------------------------

def test_the_week_ranking_counts_the_week_only_and_shares_places(school, items):
    from models.discipline.ranking import week_ranking

    c6a1, c6a2 = school["classes"]["6A1"], school["classes"]["6A2"]
    an, cuc = _s(school, "Lê Văn An"), _s(school, "Bùi Thị Cúc")
    conduct.record_conduct(c6a1, items["late"], DAY, [an], today=TODAY)  # Monday 02/12: −2
    conduct.record_conduct(c6a1, items["answer"], TODAY, [an], today=TODAY)  # +1
    conduct.record_conduct(c6a1, items["dirty"], date(2024, 11, 29), [], today=TODAY)  # the week before
    conduct.record_conduct(c6a2, items["uniform"], DAY, [cuc], today=TODAY)  # −1
    gone = conduct.record_conduct(c6a2, items["late"], DAY, [cuc], today=TODAY)[0]
    conduct.withdraw(gone, "nhầm lớp")
    ranking = week_ranking(school["year"], date(2024, 12, 8))
    assert ranking.monday == DAY and ranking.label == "Tuần 02/12/2024 – 08/12/2024"
    assert [(r.school_class.name, r.ranked.points, r.ranked.rank, r.violations, r.good_deeds) for r in ranking.rows] == [
        ("7A1", 100, 1, 0, 0), ("6A1", 99, 2, 1, 1), ("6A2", 99, 2, 1, 0)]
    before = week_ranking(school["year"], date(2024, 11, 29))
    assert [(r.school_class.name, r.ranked.points) for r in before.rows][-1] == ("6A1", 95)


def test_every_staff_member_reads_and_prints_the_week(client, login_as, school, items):
    conduct.record_conduct(school["classes"]["6A1"], items["late"], DAY, [_s(school, "Lê Văn An")], today=TODAY)
    login_as("ketoan")
    page = client.get("/print/emulation?day=02/12/2024").get_data(as_text=True)
    assert "Tuần 02/12/2024 – 08/12/2024" in page and 'id="emu-6A1"' in page and "<b>98</b>" in page
    pdf = client.get("/print/emulation.pdf?day=2024-12-02")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_homeroom_teacher_records_for_their_class_only(client, login_as, school, items):
    auth = login_as("chunhiem")
    c6a1, c6a2 = school["classes"]["6A1"], school["classes"]["6A2"]
    an = _s(school, "Lê Văn An")
    resp = auth.htmx_post(f"/homeroom/class/{c6a1.id}/daily-conduct/record",
                          {"day": "02/12/2024", "item_id": items["answer"].id, "student_id": an.id})
    assert resp.status_code == 200 and "Phát biểu xây dựng bài" in resp.get_data(as_text=True)
    week = client.get(f"/homeroom/class/{c6a1.id}/daily-conduct?day=03/12/2024").get_data(as_text=True)
    assert "Điểm thi đua: <strong>101</strong>" in week and "1 vi phạm" not in week
    assert "0 vi phạm, 1 việc tốt (+1 điểm)" in week
    refused = auth.post(f"/homeroom/class/{c6a2.id}/daily-conduct/record",
                        {"day": "02/12/2024", "item_id": items["late"].id, "student_id": _s(school, "Bùi Thị Cúc").id})
    assert refused.status_code == 403 and ConductRecord.select().count() == 1
    row = ConductRecord.get()
    withdrawn = auth.htmx_post(f"/homeroom/daily-conduct/{row.id}/withdraw", {"reason": "ghi nhầm"})
    assert withdrawn.status_code == 200 and ConductRecord.get_by_id(row.id).withdrawn_at is not None


def test_the_year_end_conduct_grid_shows_the_tally_as_information(client, login_as, school, items):
    from models.yearend.records import ConductRating

    c6a1 = school["classes"]["6A1"]
    an = _s(school, "Lê Văn An")
    conduct.record_conduct(c6a1, items["late"], DAY, [an], today=TODAY)
    login_as("chunhiem")
    page = client.get(f"/homeroom/class/{c6a1.id}/conduct/1").get_data(as_text=True)
    assert "Nề nếp (tham khảo)" in page and "1 vi phạm, 0 việc tốt (−2 điểm)" in page
    assert ConductRating.select().count() == 0  # never a level by itself


def test_the_demo_records_weeks_before_its_day_and_fills_6a1s_book(school):
    from models.demo.discipline import ITEMS, WEEKS, seed_demo_discipline
    from models.homeroom_book.book import HomeroomBookSection, HomeroomNote

    seed_demo_discipline(today=TODAY)
    assert conduct.ConductItem.select().count() == len(ITEMS)
    days = {r.day for r in ConductRecord.select()}
    assert days and max(days) < TODAY and min(days) >= date(2024, 11, 4)  # four weeks before the Monday 02/12
    assert all(d.weekday() < 5 for d in days) and WEEKS == 4
    assert ConductRecord.select().where(ConductRecord.day == TODAY).count() == 0
    c6a1 = school["classes"]["6A1"]
    kinds = {s.kind for s in HomeroomBookSection.select().where(HomeroomBookSection.school_class == c6a1)}
    assert {"committee", "year_plan", "month_plan", "month_review"} <= kinds
    assert HomeroomNote.select().where(HomeroomNote.kind == "class_meeting").count() == 13  # 07/09 … 30/11
    assert AuditEntry.select().where(AuditEntry.action == "seed_demo").count() == 2
