"""The accountant's finance pages over HTTP: set up a fee, charge a class, pay, print, reverse, balances."""
from models.audit.log import AuditEntry
from models.finance.fees import Charge, FeeItem
from models.finance.payments import Payment


def setup_fee(auth):
    resp = auth.post("/accountant/fees", {"name": "Học phí", "amount": "1.250.000 đ", "period": "month",
                                          "grades": ["6"], "mandatory": "1"})
    assert resp.status_code == 302
    return FeeItem.get(FeeItem.name == "Học phí")


def test_fee_item_form_and_bad_amount(login_as, school):
    auth = login_as("ketoan")
    item = setup_fee(auth)
    assert (item.amount, item.grades, item.mandatory) == (1_250_000, "6", True)
    html = auth.client.get("/accountant/fees").get_data(as_text=True)
    assert "1.250.000 đ" in html and "Hằng tháng" in html
    resp = auth.post("/accountant/fees", {"name": "Bán trú", "amount": "12,5", "period": "month"})
    assert resp.status_code == 422 and "không có phần thập phân" in resp.get_data(as_text=True)
    assert FeeItem.select().count() == 1


def test_charge_pay_receipt_reverse_and_balances(login_as, school):
    auth = login_as("ketoan")
    item = setup_fee(auth)
    c6a1 = school["classes"]["6A1"]
    an = school["students"]["Nguyễn Thị An"]
    resp = auth.post("/accountant/exemptions", {"student_code": an.code, "category": "ho_ngheo", "percent": "50",
                                                "fee_item": str(item.id), "document": "QĐ 15/QĐ-UBND",
                                                "valid_from": "01/09/2024", "valid_to": ""})
    assert resp.status_code == 302
    resp = auth.post("/accountant/charges", {"class_id": c6a1.id, "period": "2024-09", "items": [str(item.id)]})
    assert resp.status_code == 302 and Charge.select().count() == 7
    charge = Charge.get(Charge.student == an)
    assert charge.due == 625_000
    page = auth.client.get(f"/accountant/student/{an.id}").get_data(as_text=True)
    assert "625.000 đ" in page and "Thu tiền và lập phiếu thu" in page

    too_much = auth.post(f"/accountant/student/{an.id}/pay", {f"line-{charge.id}": "700.000", "paid_on": "05/09/2024",
                                                              "method": "cash"})
    assert too_much.status_code == 422 and "chỉ còn nợ 625.000 đ" in too_much.get_data(as_text=True)
    assert Payment.select().count() == 0

    resp = auth.post(f"/accountant/student/{an.id}/pay", {f"line-{charge.id}": "625.000", "paid_on": "05/09/2024",
                                                          "method": "cash", "payer": "Nguyễn Văn Ba"})
    assert resp.status_code == 302
    payment = Payment.get(Payment.receipt_no == 1)
    receipt = auth.client.get(f"/accountant/receipt/{payment.id}").get_data(as_text=True)
    assert "Sáu trăm hai mươi lăm nghìn đồng" in receipt and "00001" in receipt and "Nguyễn Văn Ba" in receipt
    pdf = auth.client.get(f"/accountant/receipt/{payment.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"

    home = auth.client.get("/accountant/").get_data(as_text=True)
    assert "625.000 đ" in home  # paid in 6A1
    assert auth.post(f"/accountant/payment/{payment.id}/reverse", {"reason": ""}).status_code == 422
    resp = auth.post(f"/accountant/payment/{payment.id}/reverse", {"reason": "Thu nhầm"})
    assert resp.status_code == 302
    assert Payment.select().count() == 2
    assert AuditEntry.select().where(AuditEntry.action == "reverse").count() == 1
    ledger = auth.client.get("/accountant/ledger").get_data(as_text=True)
    assert "Huỷ phiếu 00001" in ledger and "Thu nhầm" in ledger


def test_homeroom_teacher_sees_own_class_balances(login_as, school):
    auth = login_as("ketoan")
    item = setup_fee(auth)
    auth.post("/accountant/charges", {"class_id": school["classes"]["6A1"].id, "period": "2024-09",
                                      "items": [str(item.id)]})
    auth.logout()
    teacher = login_as("chunhiem")
    html = teacher.client.get("/homeroom/fees").get_data(as_text=True)
    assert "Lớp 6A1" in html and "Nguyễn Thị An" in html and "8.750.000 đ" in html
    assert "Bùi Thị Cúc" not in html  # 6A2 is not theirs
    assert teacher.client.get("/accountant/").status_code == 403


def test_reports_page_and_excel(login_as, school):
    auth = login_as("ketoan")
    item = setup_fee(auth)
    an = school["students"]["Nguyễn Thị An"]
    auth.post("/accountant/charges", {"class_id": school["classes"]["6A1"].id, "period": "2024-09",
                                      "items": [str(item.id)]})
    charge = Charge.get(Charge.student == an)
    auth.post(f"/accountant/student/{an.id}/pay", {f"line-{charge.id}": "1.250.000", "paid_on": "05/09/2024",
                                                   "method": "transfer"})
    html = auth.client.get("/accountant/reports").get_data(as_text=True)
    assert "Tổng hợp thu năm học 2024-2025" in html and html.count("1.250.000 đ") >= 3
    resp = auth.client.get("/accountant/reports/cong-no.xlsx")
    assert resp.status_code == 200 and resp.data[:2] == b"PK"
    assert auth.client.get("/accountant/reports/khac.xlsx").status_code == 404


def test_disclosure_entered_by_the_accountant_is_shown_to_all_staff(login_as, school):
    auth = login_as("ketoan")
    resp = auth.post("/accountant/disclosure?period=nam", {"kind": "chi", "category": "Chi thanh toán cá nhân",
                                                           "estimate": "700.000.000", "actual": "350.000.000"})
    assert resp.status_code == 302
    bad = auth.post("/accountant/disclosure?period=nam", {"kind": "chi", "category": "Chi khác", "actual": "-5"})
    assert bad.status_code == 422 and "âm" in bad.get_data(as_text=True)
    auth.logout()
    teacher = login_as("giaovien")
    html = teacher.client.get("/print/disclosure?period=nam").get_data(as_text=True)
    assert "Chi thanh toán cá nhân" in html and "350.000.000" in html
    pdf = teacher.client.get("/print/disclosure.pdf?period=nam")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert teacher.client.get("/accountant/disclosure").status_code == 403
