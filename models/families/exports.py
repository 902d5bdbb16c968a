"""The .xlsx of recipients' phones and texts for the school's messaging provider; exported = sent."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from models.families.notices import FamilyNotice, mark_handed_over
from models.rules.dates import format_date

HEADERS = ["STT", "Số điện thoại", "Nội dung tin nhắn (không dấu)", "Nội dung (có dấu)", "Học sinh", "Lớp",
           "Người nhận", "Loại thông báo", "Ngày", "Mã thông báo"]


def export_xlsx(notices: list[FamilyNotice], title: str) -> tuple[bytes, int]:
    """The workbook of the pending notices with a valid phone; those are marked sent, those without a valid
    phone are marked failed with the reason. Returns (bytes, rows)."""
    rows = [n for n in notices if n.state == "pending" and not n.phone_problem]
    book = Workbook()
    sheet = book.active
    sheet.title = "Tin nhắn"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for i, n in enumerate(rows, start=1):
        # the phone as text: a number column would drop the leading 0
        sheet.append([i, n.phone, n.sms, n.text, n.student.full_name, n.school_class.name, n.contact_label,
                      n.kind_label, format_date(n.day), n.key])
        sheet.cell(row=i + 2, column=2).number_format = "@"
    for column, width in zip("ABCDEFGHIJ", (5, 14, 60, 60, 26, 7, 14, 26, 11, 34), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3, min_col=3, max_col=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = BytesIO()
    book.save(out)
    mark_handed_over([n for n in notices if n.state == "pending"], "export")
    return out.getvalue(), len(rows)
