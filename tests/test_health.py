"""School health (issue 18): records, periodic checks in the grid, clinic log and stock, who sees what."""
from datetime import date, datetime, timedelta

import pytest

from models.audit.log import AuditEntry
from models.health import checks, clinic, records
from models.health.checks import HealthCheck
from models.health.clinic import MedicineBatch, StockMove
from models.health.records import HealthRecord


def _an(school):
    return school["students"]["Lê Văn An"]  # boy, born 10/02/2013, in 6A1


# --- periodic checks ----------------------------------------------------------------------------------

def test_a_check_computes_bmi_and_the_who_status(school):
    an = _an(school)
    row = checks.save_check(school["classes"]["6A1"], an, date(2024, 10, 1),
                            {"height_cm": "140,5", "weight_kg": "33", "eye_left": "8/10", "eye_right": "10",
                             "refraction": "lc", "spine": "c"})
    assert row.bmi == 16.7
    assert row.bmi_z is not None and row.nutrition == "binh_thuong"
    assert row.refraction == "CL" and row.refraction_labels == ["Cận thị", "Loạn thị"]
    assert row.spine is True and row.cell("height_cm") == "140,5" and row.cell("eye_left") == "8/10"
    entry = AuditEntry.select().where(AuditEntry.entity == "health_check").get()
    assert entry.after_data["height_cm"] == "140.5"


def test_an_obese_and_a_thin_child_are_classified(school):
    an = _an(school)
    heavy = checks.save_check(school["classes"]["6A1"], an, date(2024, 10, 1), {"height_cm": "140", "weight_kg": "55"})
    assert heavy.nutrition == "beo_phi"
    thin = checks.save_check(school["classes"]["6A1"], an, date(2024, 10, 2), {"height_cm": "150", "weight_kg": "29"})
    assert thin.nutrition in ("gay_com", "gay_com_nang")


@pytest.mark.parametrize(("form", "message"), [
    ({"height_cm": "300", "weight_kg": "40"}, "Chiều cao 300 cm không hợp lí"),
    ({"height_cm": "200", "weight_kg": "40"}, "không hợp lí với học sinh 11 tuổi"),
    ({"height_cm": "140", "weight_kg": "150"}, "không hợp lí với học sinh 11 tuổi"),
    ({"height_cm": "abc"}, "không phải là số"),
    ({"eye_left": "12"}, "Thị lực mắt trái"),
    ({"refraction": "X"}, "Tật khúc xạ"),
    ({"spine": "có"}, "Cột sống"),
])
def test_impossible_values_are_refused_and_nothing_is_stored(school, form, message):
    with pytest.raises(ValueError, match=message):
        checks.save_check(school["classes"]["6A1"], _an(school), date(2024, 10, 1), form)
    assert HealthCheck.select().count() == 0
    assert not AuditEntry.select().where(AuditEntry.entity == "health_check").exists()


def _grid_url(school, day="2024-10-01"):
    return f"/nurse/checks/{school['classes']['6A1'].id}/{day}"


def test_the_nurse_enters_a_cell_of_the_grid(client, login_as, school):
    auth = login_as("yte")
    an = _an(school)
    page = client.get(_grid_url(school)).get_data(as_text=True)
    assert 'id="grade-grid"' in page and an.full_name in page and "Chiều cao (cm)" in page
    resp = auth.htmx_post(_grid_url(school), {"student_id": an.id, "field": "weight_kg", "height_cm": "140",
                                              "weight_kg": "33,5", "row": 1, "col": 1})
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'value="33,5"' in html and 'id="calc-' in html and "Bình thường" in html and "Đã lưu" in html
    assert HealthCheck.get().weight_kg == 33.5


def test_a_300_cm_pupil_is_refused_in_the_grid_with_a_message(client, login_as, school):
    auth = login_as("yte")
    an = _an(school)
    resp = auth.htmx_post(_grid_url(school), {"student_id": an.id, "field": "height_cm", "height_cm": "300"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Chiều cao 300 cm không hợp lí" in html and 'aria-invalid="true"' in html and 'value="300"' in html
    assert HealthCheck.select().count() == 0


def test_a_student_of_another_class_cannot_be_saved_through_this_grid(client, login_as, school):
    auth = login_as("yte")
    cuc = school["students"]["Bùi Thị Cúc"]
    resp = auth.htmx_post(_grid_url(school), {"student_id": cuc.id, "field": "height_cm", "height_cm": "140"})
    assert resp.status_code == 400 and HealthCheck.select().count() == 0


def test_the_check_day_is_typed_as_dd_mm_yyyy(client, login_as, school):
    login_as("yte")
    resp = client.get(f"/nurse/checks/open?class_id={school['classes']['6A1'].id}&on=01/10/2024")
    assert resp.status_code == 302 and resp.location.endswith(_grid_url(school))
    resp = client.get(f"/nurse/checks/open?class_id={school['classes']['6A1'].id}&on=31/02/2024", follow_redirects=True)
    assert "không hợp lệ" in resp.get_data(as_text=True)


# --- records and who sees what --------------------------------------------------------------------------

def _alerts(school):
    records.save_record(_an(school), {"allergies": "Dị ứng hải sản", "blood_group": "O",
                                      "insurance_number": "HS4010123456789", "insurance_valid_until": "31/12/2025"})


def test_the_nurse_edits_a_record_and_it_is_audited(client, login_as, school):
    auth = login_as("yte")
    an = _an(school)
    resp = auth.post(f"/nurse/student/{an.id}", {"blood_group": "AB", "allergies": "Penicillin",
                                                 "insurance_valid_until": "01/09/2025"})
    assert resp.status_code == 302
    row = HealthRecord.get(HealthRecord.student == an)
    assert row.blood_group == "AB" and row.insurance_valid_until == date(2025, 9, 1)
    assert AuditEntry.select().where((AuditEntry.entity == "health_record") & (AuditEntry.action == "create")).exists()
    # the nurse's own read leaves no trace
    assert client.get(f"/nurse/student/{an.id}").status_code == 200
    assert not AuditEntry.select().where(AuditEntry.action == "read").exists()


def test_a_bad_record_is_refused_with_a_message_and_nothing_changes(client, login_as, school):
    auth = login_as("yte")
    an = _an(school)
    resp = auth.post(f"/nurse/student/{an.id}", {"blood_group": "Z", "allergies": "Penicillin"})
    assert resp.status_code == 422 and "Nhóm máu" in resp.get_data(as_text=True)
    resp = auth.post(f"/nurse/student/{an.id}", {"insurance_valid_until": "31/02/2025"})
    assert resp.status_code == 422
    assert HealthRecord.select().count() == 0


@pytest.mark.parametrize("username", ["hieutruong", "phohieutruong"])
def test_the_heads_read_a_full_record_audited_and_cannot_write(client, login_as, school, username):
    _alerts(school)
    auth = login_as(username)
    an = _an(school)
    page = client.get(f"/nurse/student/{an.id}").get_data(as_text=True)
    assert "HS4010123456789" in page and "<form method=\"post\"" not in page
    entry = AuditEntry.select().where(AuditEntry.action == "read").get()
    assert entry.entity == "health_record" and entry.entity_id == an.code and entry.username == username
    assert auth.post(f"/nurse/student/{an.id}", {"blood_group": "A"}).status_code == 403
    assert HealthRecord.get().blood_group == "O"


def test_the_homeroom_teacher_sees_only_the_alerts_of_their_class(client, login_as, school):
    _alerts(school)
    records.save_record(school["students"]["Bùi Thị Cúc"], {"allergies": "Dị ứng phấn hoa"})
    login_as("chunhiem")
    page = client.get(f"/homeroom/class/{school['classes']['6A1'].id}/health").get_data(as_text=True)
    assert "Dị ứng hải sản" in page and "Lê Văn An" in page
    assert "HS4010123456789" not in page and "phấn hoa" not in page  # no card number, no other class
    assert client.get(f"/homeroom/class/{school['classes']['6A2'].id}/health").status_code == 403
    assert client.get(f"/nurse/student/{_an(school).id}").status_code == 403


def test_other_teachers_see_nothing(client, login_as, school):
    _alerts(school)
    login_as("giaovien")
    assert client.get(f"/homeroom/class/{school['classes']['6A1'].id}/health").status_code == 403
    assert client.get(f"/nurse/student/{_an(school).id}").status_code == 403
    assert client.get("/nurse/").status_code == 403


# --- clinic log and stock -----------------------------------------------------------------------------

def _paracetamol(quantity=20, expires=None):
    item = clinic.add_item("Paracetamol 500 mg", "viên", 10)
    clinic.receive(item, quantity, expires or date.today() + timedelta(days=365), "P1")
    return item


def test_medicine_given_in_the_clinic_log_leaves_the_stock(client, login_as, school):
    item = _paracetamol()
    auth = login_as("yte")
    an = _an(school)
    resp = auth.post("/nurse/clinic", {"student_id": an.id, "day": date.today().strftime("%d/%m/%Y"),
                                       "time": "09:30", "complaint": "Sốt 38,5 độ", "treatment": "Hạ sốt",
                                       "item_0": item.id, "qty_0": "2", "parent_informed": "1"})
    assert resp.status_code == 302
    assert MedicineBatch.get().quantity == 18
    assert StockMove.select().where(StockMove.kind == "dispense").get().change == -2
    page = client.get("/nurse/clinic").get_data(as_text=True)
    assert "Sốt 38,5 độ" in page and "2 viên Paracetamol 500 mg" in page
    assert "còn 18 viên" in client.get(f"/nurse/clinic?student_id={an.id}").get_data(as_text=True)
    assert f'data-item="{item.id}">18<' in client.get("/nurse/stock").get_data(as_text=True)
    assert AuditEntry.select().where(AuditEntry.action == "dispense").exists()


def test_more_medicine_than_in_stock_is_refused_and_nothing_is_logged(client, login_as, school):
    item = _paracetamol(quantity=3)
    auth = login_as("yte")
    resp = auth.post("/nurse/clinic", {"student_id": _an(school).id, "day": date.today().strftime("%d/%m/%Y"),
                                       "time": "09:30", "complaint": "Sốt", "item_0": item.id, "qty_0": "5"})
    assert resp.status_code == 422 and "Không đủ" in resp.get_data(as_text=True)
    assert clinic.ClinicVisit.select().count() == 0 and MedicineBatch.get().quantity == 3


def test_stock_draws_the_batch_that_expires_first_and_skips_expired(school):
    item = clinic.add_item("Băng cuộn", "cuộn", 0)
    late = clinic.receive(item, 5, date(2030, 1, 1), "L")
    early = clinic.receive(item, 5, date(2029, 1, 1), "E")
    clinic.issue(item, 7, "Cấp cho lớp 6A1", today=date(2028, 1, 1))
    assert MedicineBatch.get_by_id(early.id).quantity == 0 and MedicineBatch.get_by_id(late.id).quantity == 3
    with pytest.raises(ValueError, match="Không đủ"):
        clinic.issue(item, 1, "hỏng", today=date(2030, 1, 2))  # what is left has expired


def test_low_stock_and_expiry_within_30_days_are_warned(client, login_as, school):
    item = _paracetamol(quantity=8, expires=date.today() + timedelta(days=20))
    other = clinic.add_item("Oresol", "gói", 5)
    clinic.receive(other, 50, date.today() + timedelta(days=31))
    warnings = clinic.warnings()
    assert any("Paracetamol" in w and "dưới mức báo" in w for w in warnings)
    assert any("Paracetamol" in w and "hết hạn ngày" in w for w in warnings)
    assert not any("Oresol" in w for w in warnings)
    login_as("yte")
    assert "dưới mức báo" in client.get("/nurse/").get_data(as_text=True)
    assert item.name in client.get("/nurse/stock").get_data(as_text=True)


def test_stock_in_refuses_an_expired_batch_and_a_bad_quantity(client, login_as, school):
    item = clinic.add_item("Oresol", "gói", 5)
    auth = login_as("yte")
    resp = auth.post("/nurse/stock/in", {"item_id": item.id, "quantity": "10", "expires_on": "01/01/2020"},
                     follow_redirects=True)
    assert "Hạn dùng phải sau ngày nhập" in resp.get_data(as_text=True)
    resp = auth.post("/nurse/stock/in", {"item_id": item.id, "quantity": "-3", "expires_on": "01/01/2099"},
                     follow_redirects=True)
    assert "số nguyên dương" in resp.get_data(as_text=True)
    assert MedicineBatch.select().count() == 0
    resp = auth.post("/nurse/stock/in", {"item_id": item.id, "quantity": "10", "expires_on": "01/01/2099"})
    assert MedicineBatch.get().quantity == 10


def test_the_yearly_supply_list_counts_in_and_out(school):
    item = _paracetamol()
    clinic.issue(item, 4, "Hỏng")
    today = date.today()
    assert clinic.supplied_in(today - timedelta(days=1), today) == [(item, 20, 4)]
    assert datetime.now().year >= 2024


def test_the_demo_has_a_check_for_every_class_and_a_batch_near_expiry(school):
    from models.demo.health import seed_demo_health

    today = date(2024, 12, 2)
    summary = seed_demo_health(today=today)
    assert "kết quả khám" in summary
    classes_with_students = {c.id for c in school["classes"].values() if c.name in ("6A1", "6A2")}
    assert {c.school_class_id for c in HealthCheck.select()} == classes_with_students
    assert all(c.nutrition for c in HealthCheck.select())
    assert any("hết hạn ngày" in w for w in clinic.warnings(today))
    assert clinic.ClinicVisit.select().count() > 0
    from models.health import daily

    assert [(c.name, s) for c, s, _ in daily.outbreaks(today)] == [("6A1", "Tiêu chảy")]


# --- reports and the parent notice ---------------------------------------------------------------------

def _two_checks(school):
    c6a1 = school["classes"]["6A1"]
    checks.save_check(c6a1, _an(school), date(2024, 10, 1), {"height_cm": "140", "weight_kg": "55", "refraction": "C"})
    checks.save_check(c6a1, school["students"]["Trần Văn Bình"], date(2024, 10, 1),
                      {"height_cm": "145", "weight_kg": "36", "dental": "Sâu răng", "spine": "C"})


def test_the_report_counts_and_gives_percentages_per_class_grade_and_school(school):
    from models.health import reports

    _two_checks(school)
    report = reports.school_report()
    groups = {g.label: g for g in report.groups}
    assert [g.kind for g in report.groups][-1] == "school"
    assert groups["6A1"].checked == 2 and groups["Khối 6"].checked == 2 and groups["Toàn trường"].checked == 2
    assert groups["6A1"].count("beo_phi") == 1 and groups["6A1"].percent("beo_phi") == 50.0
    assert groups["6A1"].count("C") == 1 and groups["6A1"].count("spine") == 1 and groups["6A1"].count("dental") == 1
    assert groups["6A2"].checked == 0 and groups["6A2"].percent("beo_phi") is None
    assert reports.percent_text(33.3) == "33,3%"


def test_the_report_prints_as_a4_and_exports_to_excel(client, login_as, school):
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    _two_checks(school)
    login_as("yte")
    page = client.get("/nurse/reports").get_data(as_text=True)
    assert "Tổng hợp kết quả khám sức khỏe định kỳ" in page and "50,0%" in page
    pdf = client.get("/nurse/reports/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert round(width) == 595 and round(height) == 842  # A4 portrait, in points
    xlsx = client.get("/nurse/reports/xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["6A1"][1] == 2 and rows["Toàn trường"][1] == 2
    heads = [c.value for c in sheet[2]]
    assert rows["6A1"][heads.index("Béo phì (%)")] == 50.0


def test_the_parent_notice_lists_the_findings_with_advice(client, login_as, school):
    import io

    from pypdf import PdfReader

    _two_checks(school)
    login_as("yte")
    binh = school["students"]["Trần Văn Bình"]
    html = client.get(f"/nurse/notice/{binh.id}").get_data(as_text=True)
    assert "Phiếu thông báo kết quả khám sức khỏe" in html and "Sâu răng" in html and "cong vẹo" in html
    assert "khám nha khoa" in html
    pdf = client.get(f"/nurse/notice/{binh.id}/pdf")
    assert pdf.status_code == 200
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Trần Văn Bình" in text and "nha khoa" in text


def test_teachers_get_neither_report_nor_notice(client, login_as, school):
    login_as("chunhiem")
    assert client.get("/nurse/reports").status_code == 403
    assert client.get(f"/nurse/notice/{_an(school).id}/pdf").status_code == 403


# --- daily health -------------------------------------------------------------------------------------

def test_the_homeroom_teacher_logs_a_day_and_the_nurse_sees_the_count(client, login_as, school):
    from models.health.daily import DailyHealth

    c6a1 = school["classes"]["6A1"]
    auth = login_as("chunhiem")
    today = date.today().strftime("%d/%m/%Y")
    resp = auth.post(f"/homeroom/class/{c6a1.id}/daily-health",
                     {"student_id": _an(school).id, "day": today, "symptom": "sot", "note": "38 độ"})
    assert resp.status_code == 302
    assert DailyHealth.get().symptom == "sot"
    assert "38 độ" in client.get(f"/homeroom/class/{c6a1.id}/daily-health").get_data(as_text=True)
    # a student of another class, an unknown symptom: refused, nothing stored
    resp = auth.post(f"/homeroom/class/{c6a1.id}/daily-health",
                     {"student_id": school["students"]["Bùi Thị Cúc"].id, "day": today, "symptom": "sot"})
    assert resp.status_code == 422
    resp = auth.post(f"/homeroom/class/{c6a1.id}/daily-health",
                     {"student_id": _an(school).id, "day": today, "symptom": "cum_ga"})
    assert resp.status_code == 422 and "Chọn tình trạng" in resp.get_data(as_text=True)
    assert DailyHealth.select().count() == 1
    assert client.get(f"/homeroom/class/{school['classes']['6A2'].id}/daily-health").status_code == 403
    auth.logout()
    login_as("yte")
    page = client.get("/nurse/").get_data(as_text=True)
    assert "1 học sinh có ghi nhận" in page and "6A1</a>: 1" in page


def test_an_outbreak_is_warned_when_three_of_a_class_have_the_same_symptom_in_three_days(client, login_as, school):
    from models.health import daily

    c6a1 = school["classes"]["6A1"]
    names = ["Lê Văn An", "Trần Văn Bình", "Đặng Quốc Đạt"]
    today = date(2024, 11, 20)
    for back, name in enumerate(names[:2]):
        daily.log_daily(c6a1, school["students"][name], today - timedelta(days=back), "tieu_chay", today=today)
    daily.log_daily(c6a1, school["students"][names[2]], today - timedelta(days=3), "tieu_chay", today=today)
    assert daily.outbreaks(today) == []  # the third was four days ago
    daily.log_daily(c6a1, school["students"][names[2]], today - timedelta(days=2), "tieu_chay", today=today)
    assert [(c.name, s, n) for c, s, n in daily.outbreaks(today)] == [("6A1", "Tiêu chảy", 3)]
    with pytest.raises(ValueError, match="chưa tới"):
        daily.log_daily(c6a1, _an(school), today + timedelta(days=1), "sot", today=today)


def test_the_heads_find_the_health_pages_in_their_menu(client, login_as, school):
    login_as("hieutruong")
    page = client.get("/nurse/").get_data(as_text=True)
    assert "Báo cáo y tế" in page
    assert client.get("/nurse/reports").status_code == 200
    assert client.get("/nurse/stock").status_code == 200 and "Nhập kho</button>" not in client.get(
        "/nurse/stock").get_data(as_text=True)
