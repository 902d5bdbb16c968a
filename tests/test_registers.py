"""The sổ đăng bộ and the sổ theo dõi học sinh bỏ học, chuyển đi, chuyển đến (MK (docs/rules.md) B.1.1, B.III.1)."""
import io
from datetime import date

from pypdf import PdfReader

from models.audit.log import AuditEntry
from models.core import write_transaction
from models.people.records import change_student_status, create_student
from models.printing import registers
from models.printing.registers import RegistrationNumber
from models.school.structure import enrol
from tests.conftest import finished_job


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _numbers() -> dict[str, int]:
    return {r.student.full_name: r.number for r in RegistrationNumber.select()}


def _newcomer(school, name: str, joined: date):
    with write_transaction():
        student = create_student({"full_name": name, "gender": "Nam", "date_of_birth": date(2013, 5, 5)}, 2024)
        enrol(student, school["classes"]["6A1"], joined)
    return student


def test_numbers_follow_admission_are_given_once_and_never_reused(app, school):
    late = _newcomer(school, "An Văn Muộn", date(2024, 11, 4))
    assert registers.assign_numbers() == 9  # 7 in 6A1 + Bùi Thị Cúc (6A2) on 05/09, then the newcomer
    first = _numbers()
    assert first["An Văn Muộn"] == 9 and sorted(first.values()) == list(range(1, 10))
    assert AuditEntry.select().where(AuditEntry.action == "registration_number").count() == 9
    assert registers.assign_numbers() == 0 and _numbers() == first  # completing again changes nothing
    with write_transaction():
        change_student_status(late, "chuyen_di", date(2025, 1, 6), "Theo gia đình", other_school="THCS Lê Lợi")
    _newcomer(school, "Bế Thị Mới", date(2025, 2, 3))
    assert registers.assign_numbers() == 1
    assert _numbers() == {**first, "Bế Thị Mới": 10}  # the one who left keeps 9; 9 is not given again


def test_enrolment_register_pdf(app, school):
    late = _newcomer(school, "An Văn Muộn", date(2024, 11, 4))
    registers.assign_numbers()
    with write_transaction():
        change_student_status(late, "chuyen_di", date(2025, 1, 6), "Theo gia đình", other_school="THCS Lê Lợi")
    _newcomer(school, "Bế Thị Mới", date(2025, 2, 3))
    register = registers.enrolment_register()
    assert [row[0] for row in register.rows] == [str(n) for n in range(1, 10)] + [""]  # the newcomer waits
    muon = next(row for row in register.rows if row[1] == "An Văn Muộn")
    assert muon[8:] == ["04/11/2024", "6A1", "06/01/2025", "Chuyển đi; Theo gia đình; đến trường THCS Lê Lợi"]
    with app.app_context():
        text = _text(registers.register_pdf(register))
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "SỔ ĐĂNG BỘ" in text.upper()
    assert "An Văn Muộn" in text and "06/01/2025" in text and "THCS Lê Lợi" in text
    assert "1 học sinh vào trường sau lần cấp số gần nhất chưa có số đăng bộ" in text


def test_movements_register_from_the_status_histories(app, school):
    with write_transaction():
        change_student_status(school["students"]["Vũ Ánh"], "thoi_hoc", date(2025, 3, 3), "Hoàn cảnh gia đình")
        change_student_status(school["students"]["Hoàng Anh"], "chuyen_di", date(2024, 12, 2), "Chuyển nhà",
                              other_school="THCS Nguyễn Du")
    register = registers.movements_register(school["year"])
    assert [(r[1], r[2], r[5], r[7], r[8]) for r in register.rows] == [
        ("02/12/2024", "Hoàng Anh", "6A1", "Chuyển đi", "THCS Nguyễn Du"),
        ("03/03/2025", "Vũ Ánh", "6A1", "Thôi học", "")]
    with app.app_context():
        text = _text(registers.register_pdf(register))
    assert "SỔ THEO DÕI HỌC SINH BỎ HỌC, CHUYỂN ĐI, CHUYỂN ĐẾN" in text.upper()
    assert "Hoàng Anh" in text and "Hoàn cảnh gia đình" in text


def test_cli_prints_a_register(app, school, tmp_path):
    out = tmp_path / "dang-bo.pdf"
    result = app.test_cli_runner().invoke(args=["print-register", "--kind", "dang-bo", "--assign", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Đã cấp 8 số đăng bộ mới" in result.output and "Nguyễn Thị An" in _text(out.read_bytes())
    bad = app.test_cli_runner().invoke(args=["print-register", "--kind", "dang-bo", "--year", "1999-2000",
                                             "--out", str(out)])
    assert bad.exit_code != 0


def test_admin_page_assigns_and_prints_in_the_worker(app, school, login_as):
    auth = login_as("admin")
    page = auth.client.get("/admin/registers")
    assert page.status_code == 200 and "Chưa có số: <strong>8</strong>" in page.get_data(as_text=True)
    assert auth.post("/admin/registers/assign").status_code == 303
    assert RegistrationNumber.select().count() == 8
    bad = auth.post("/admin/registers/print", data={"kind": "khac"})
    assert bad.status_code == 303 and registers.JOB_KIND not in {j.kind for j in _jobs()}
    assert "Loại sổ không hợp lệ." in auth.client.get("/admin/registers").get_data(as_text=True)
    assert auth.post("/admin/registers/print", data={"kind": "dang-bo"}).status_code == 303
    [job] = _jobs()
    job = finished_job(job.id, 60)
    assert job.status == "done", job.error
    resp = auth.client.get(f"/admin/registers/jobs/{job.id}.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert "So-dang-bo.pdf" in resp.headers["Content-Disposition"]
    assert "Nguyễn Thị An" in _text(resp.data)


def test_registers_are_the_admins(school, login_as):
    auth = login_as("hieutruong")
    assert auth.client.get("/admin/registers").status_code == 403
    assert auth.post("/admin/registers/assign").status_code == 403
    assert RegistrationNumber.select().count() == 0


def _jobs():
    from models.printing.jobs import PrintJob

    return list(PrintJob.select().where(PrintJob.kind == registers.JOB_KIND))


def test_every_register_page_has_a_code_that_verify_recomputes(app, school, monkeypatch):
    import re

    from models.printing.verification import check_code

    monkeypatch.setattr(registers, "ROWS_PER_PAGE", 4)  # 10 students: three pages
    late = _newcomer(school, "An Văn Muộn", date(2024, 11, 4))
    registers.assign_numbers()
    with app.app_context():
        data = registers.register_pdf(registers.enrolment_register())
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    codes = [re.search(r"Mã xác thực: ([0-9A-F]{5}-[0-9A-F]{5})", text).group(1) for text in pages]
    assert len(codes) == 3 == len(set(codes))
    assert "CỘNG HOÀ" in pages[0] and "(tiếp theo)" in pages[1] and "Hiệu trưởng" in pages[2]
    assert [check_code(c).still_matches for c in codes] == [True, True, True]
    with write_transaction():
        late.birthplace = "Huế"
        late.save()
    changed = [check_code(c) for c in codes]
    assert [r.still_matches for r in changed] == [True, True, False]  # An Văn Muộn is number 9, on page 3
    assert any("An Văn Muộn" in line and "Huế" in line for line in changed[2].differences)
