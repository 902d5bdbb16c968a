"""Class-list Excel import/export: models/rules/class_list_excel.py."""

import json
import random
import unicodedata
import zipfile
from datetime import date, datetime
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from models.rules.class_list_excel import (
    COLUMNS,
    MAX_DATA_ROWS,
    NOT_XLSX_MESSAGE,
    ImportPreview,
    read_class_list,
    template_workbook,
    write_class_list,
)
from models.rules.identifiers import new_person_code

TODAY = date(2025, 1, 15)
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Điện thoại cha", "Số định danh cá nhân"]
ALL_KEYS = [c.key for c in COLUMNS]


def xlsx(rows, *, sheets=None):
    """Bytes of a workbook whose first sheet holds ``rows`` (lists of cell values)."""
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for title, extra_rows in (sheets or {}).items():
        extra = wb.create_sheet(title)
        for row in extra_rows:
            extra.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read(rows, **kwargs) -> ImportPreview:
    return read_class_list(xlsx(rows), today=kwargs.pop("today", TODAY), **kwargs)


def codes(n, seed=7):
    rand = random.Random(seed)
    return [new_person_code("HS", 2024, rand) for _ in range(n)]


def full_row(**overrides):
    row = {
        "ma_dinh_danh": "",
        "full_name": "Nguyễn Văn An",
        "date_of_birth": date(2013, 9, 5),
        "gender": "Nam",
        "ethnicity": "Kinh",
        "birthplace": "Hà Nội",
        "permanent_address": "Số 12, ngõ 34, phường Dịch Vọng, quận Cầu Giấy, Hà Nội",
        "policy_family": False,
        "father_name": "Nguyễn Văn Bình",
        "father_job": "Kỹ sư",
        "father_phone": "0912345678",
        "mother_name": "Trần Thị Cúc",
        "mother_job": "Giáo viên",
        "mother_phone": "0987654321",
        "guardian_name": "",
        "guardian_job": "",
        "guardian_phone": "",
        "sector_code": "0123456789",
        "personal_id": "001213012345",
    }
    row.update(overrides)
    return row


# --- the column description -----------------------------------------------------------------------


def test_columns_describe_the_sheet():
    assert ALL_KEYS[:4] == ["ma_dinh_danh", "full_name", "date_of_birth", "gender"]
    assert len(ALL_KEYS) == len(set(ALL_KEYS)) == 19
    required = {c.key for c in COLUMNS if c.required}
    assert required == {"full_name", "date_of_birth", "gender"}
    for _key, header, _required in COLUMNS:
        assert header == unicodedata.normalize("NFC", header)
    assert {c.key: c.header for c in COLUMNS}["sector_code"] == "Mã học sinh (CSDL ngành)"


# --- a good file ----------------------------------------------------------------------------------


def test_good_file_is_read_and_cleaned():
    decomposed = unicodedata.normalize("NFD", "Lê  Thị   Hồng ")
    preview = read(
        [
            HEADER,
            [1, "Nguyễn Văn An", datetime(2013, 9, 5), "Nam", "0912 345 678", "001213012345"],
            [2, decomposed, "7/3/2013", "nữ", 912345678, 1213012346],  # number cells lost leading zeros
            [3, "Phạm Minh Châu", "2013-12-31", "NỮ", "+84 912 345 679", None],
        ]
    )
    assert preview.file_errors == [] and preview.warnings == []
    assert preview.is_valid
    assert [row.line for row in preview.rows] == [2, 3, 4]
    assert len(preview.ok_rows) == 3 and preview.bad_rows == []
    first, second, third = (row.values for row in preview.rows)
    assert first["date_of_birth"] == date(2013, 9, 5)
    assert first["father_phone"] == "0912345678"
    assert first["ethnicity"] == "Kinh"  # the default
    assert first["policy_family"] is False
    assert first["ma_dinh_danh"] == "" and first["birthplace"] == ""
    assert set(first) == set(ALL_KEYS)
    assert second["full_name"] == "Lê Thị Hồng"
    assert unicodedata.is_normalized("NFC", second["full_name"])
    assert second["gender"] == "Nữ" and second["date_of_birth"] == date(2013, 3, 7)
    assert second["father_phone"] == "0912345678"
    assert second["personal_id"] == "001213012346"
    assert third["gender"] == "Nữ" and third["father_phone"] == "0912345679"
    assert third["personal_id"] == ""


def test_blank_rows_and_prenumbered_stt_rows_are_skipped_silently():
    preview = read(
        [
            HEADER,
            [1, "Nguyễn Văn An", "05/09/2013", "Nam"],
            [None, None, None, None],
            [],
            [3, "  ", None, "", "   "],  # pre-numbered STT with nothing else
            [4, "Trần Thị Bé", "06/09/2013", "Nữ"],
        ]
    )
    assert preview.is_valid
    assert [row.line for row in preview.rows] == [2, 6]


@pytest.mark.parametrize(
    "numbering",
    [[1, 2, 3, 4, 5, 6], ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"], ["1", "2", "3", None, None, None]],
)
def test_column_numbering_row_under_the_header_is_skipped(numbering):
    preview = read([HEADER, numbering, [1, "Nguyễn An", "05/09/2013", "Nam"]])
    assert preview.is_valid, [r.errors for r in preview.rows]
    assert [row.line for row in preview.rows] == [3]


def test_numbering_like_row_further_down_is_still_checked():
    preview = read([HEADER, [1, "Nguyễn An", "05/09/2013", "Nam"], [2, 3, 4, 5]])
    assert [row.line for row in preview.bad_rows] == [3]


def test_optional_columns_policy_family_and_ethnicity():
    header = ["Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Con gia đình chính sách"]
    preview = read(
        [
            header,
            ["A Bình", "01/01/2013", "Nam", "Tày", "x"],
            ["A Chi", "01/01/2013", "Nữ", None, "Có"],
            ["A Dũng", "01/01/2013", "Nam", "", "X"],
            ["A Em", "01/01/2013", "Nữ", "Mường", None],
            ["A Giang", "01/01/2013", "Nữ", "Kinh", True],
        ]
    )
    assert preview.is_valid, [row.errors for row in preview.rows]
    values = [row.values for row in preview.rows]
    assert [v["policy_family"] for v in values] == [True, True, True, False, True]
    assert [v["ethnicity"] for v in values] == ["Tày", "Kinh", "Kinh", "Mường", "Kinh"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Nam", "Nam"), ("nam", "Nam"), ("NAM", "Nam"), ("Nữ", "Nữ"), ("nữ", "Nữ"), ("nu", "Nữ"), ("NỮ", "Nữ")],
)
def test_gender_spellings_accepted(typed, expected):
    preview = read([HEADER, [1, "Nguyễn An", "05/09/2013", typed]])
    assert preview.is_valid
    assert preview.rows[0].values["gender"] == expected


@pytest.mark.parametrize("typed", ["male", "female", "M", "F", "x", "Nam nữ"])
def test_gender_other_values_rejected(typed):
    preview = read([HEADER, [1, "Nguyễn An", "05/09/2013", typed]])
    assert not preview.is_valid
    (error,) = preview.rows[0].errors
    assert error.startswith("Giới tính: ghi “Nam” hoặc “Nữ”")
    assert typed in error


# --- bad rows -------------------------------------------------------------------------------------

BAD_ROWS = [
    # (id, row after STT, expected message fragment)
    ("missing name", [None, "05/09/2013", "Nam"], "Họ và tên: chưa nhập (bắt buộc)."),
    ("digits in name", ["Nguyễn Văn 2", "05/09/2013", "Nam"], "Họ và tên: không được chứa chữ số"),
    (
        "impossible date",
        ["Nguyễn An", "31/02/2013", "Nam"],
        "Ngày sinh: Ngày không hợp lệ: 31/02/2013 (nhập theo dạng dd/mm/yyyy).",
    ),
    ("two-digit year", ["Nguyễn An", "05/09/13", "Nam"], "Ngày sinh: Ngày không hợp lệ: 05/09/13"),
    (
        "future date",
        ["Nguyễn An", "01/02/2026", "Nam"],
        "Ngày sinh: Ngày sinh 01/02/2026 nằm trong tương lai.",
    ),
    (
        "too young (excel date)",
        ["Nguyễn An", datetime(2024, 1, 1), "Nam"],
        "Ngày sinh: Ngày sinh 01/01/2024 không hợp lệ",
    ),
    ("too old", ["Nguyễn An", "01/01/1900", "Nam"], "hơn 100 tuổi"),
    ("bare serial number", ["Nguyễn An", 41522, "Nam"], "Ngày sinh: ô chứa số 41522, không phải ngày"),
    ("missing date", ["Nguyễn An", None, "Nam"], "Ngày sinh: chưa nhập (bắt buộc)."),
    ("missing gender", ["Nguyễn An", "05/09/2013", None], "Giới tính: chưa nhập (bắt buộc)."),
    ("bad gender", ["Nguyễn An", "05/09/2013", "male"], "Giới tính: ghi “Nam” hoặc “Nữ” (đã nhập “male”)."),
    (
        "bad phone",
        ["Nguyễn An", "05/09/2013", "Nam", "12345"],
        "Điện thoại cha: Số điện thoại phải gồm 10 chữ số",
    ),
    (
        "letters in phone",
        ["Nguyễn An", "05/09/2013", "Nam", "09a2345678"],
        "Điện thoại cha: Số điện thoại chỉ được",
    ),
    (
        "bad personal id",
        ["Nguyễn An", "05/09/2013", "Nam", None, "12345"],
        "Số định danh cá nhân: Số định danh cá nhân phải gồm đúng 12 chữ số. Đã nhập: “12345”.",
    ),
]


@pytest.mark.parametrize(("row", "message"), [b[1:] for b in BAD_ROWS], ids=[b[0] for b in BAD_ROWS])
def test_each_bad_row_kind_is_reported_with_its_line(row, message):
    preview = read(
        [
            ["TRƯỜNG THCS NGUYỄN DU"],
            HEADER,
            [1, "Trần Thị Bé", "06/09/2013", "Nữ"],
            [2, *row],
            [3, "Lê Văn Cường", "07/09/2013", "Nam"],
        ]
    )
    assert preview.file_errors == []
    assert not preview.is_valid
    assert [r.line for r in preview.ok_rows] == [3, 5]
    (bad,) = preview.bad_rows
    assert bad.line == 4
    assert any(message in error for error in bad.errors), bad.errors
    for error in bad.errors:
        assert unicodedata.is_normalized("NFC", error)


def test_invalid_values_are_none_and_raw_text_is_kept():
    preview = read([HEADER, [1, "Nguyễn An", "31/02/2013", "male", "12345"]])
    row = preview.rows[0]
    assert row.values["date_of_birth"] is None and row.values["gender"] is None
    assert row.values["father_phone"] is None
    assert row.raw["date_of_birth"] == "31/02/2013" and row.raw["gender"] == "male"
    assert len(row.errors) == 3


def test_bad_policy_family_value():
    preview = read(
        [
            ["Họ và tên", "Ngày sinh", "Giới tính", "Con gia đình chính sách"],
            ["An", "05/09/2013", "Nam", "hộ nghèo"],
        ]
    )
    (error,) = preview.rows[0].errors
    assert error.startswith("Con gia đình chính sách: ghi “x”") and "“hộ nghèo”" in error


def test_duplicate_personal_id_in_file():
    preview = read(
        [
            HEADER,
            [1, "Nguyễn An", "05/09/2013", "Nam", None, "001213012345"],
            [2, "Trần Bình", "06/09/2013", "Nam", None, "0012 1301 2345"],
        ]
    )
    assert not preview.is_valid
    assert preview.rows[0].errors == []
    assert preview.rows[1].errors == ["Số định danh cá nhân: trùng với dòng 2."]


def test_same_name_and_birth_date_twice():
    preview = read(
        [
            HEADER,
            [1, "Nguyễn Văn An", "05/09/2013", "Nam"],
            [2, "Nguyễn Văn An", "06/09/2013", "Nam"],  # same name, another day: fine
            [3, "NGUYỄN  VĂN AN", datetime(2013, 9, 5), "Nam"],
        ]
    )
    assert [row.errors for row in preview.rows[:2]] == [[], []]
    (error,) = preview.rows[2].errors
    assert error.startswith("Họ và tên: trùng học sinh ở dòng 2")
    assert not preview.is_valid


# --- mã định danh and known codes -----------------------------------------------------------------

CODE_HEADER = ["Mã định danh", "Họ và tên", "Ngày sinh", "Giới tính"]


def test_known_codes_are_accepted_and_normalised():
    known = codes(2)
    spaced = known[1][:6] + " " + known[1][6:].lower()
    preview = read(
        [
            CODE_HEADER,
            [known[0], "An", "05/09/2013", "Nam"],
            [spaced, "Bình", "05/09/2013", "Nam"],
            [None, "Chi", "05/09/2013", "Nữ"],
        ],
        known_codes=set(known),
    )
    assert preview.is_valid, [r.errors for r in preview.rows]
    assert [r.values["ma_dinh_danh"] for r in preview.rows] == [known[0], known[1], ""]


def test_unknown_code_is_an_error():
    known, stranger = codes(1), codes(1, seed=99)[0]
    preview = read([CODE_HEADER, [stranger, "An", "05/09/2013", "Nam"]], known_codes=frozenset(known))
    assert preview.rows[0].errors == [
        f"Mã định danh: {stranger} không có trong danh sách học sinh của trường."
    ]
    # Without known codes every code is unknown.
    preview = read([CODE_HEADER, [known[0], "An", "05/09/2013", "Nam"]])
    assert "không có trong danh sách" in preview.rows[0].errors[0]


def test_malformed_code_is_an_error():
    good = codes(1)[0]
    broken = good[:-1] + ("2" if good[-1] != "2" else "3")  # wrong check character
    preview = read(
        [CODE_HEADER, [broken, "An", "05/09/2013", "Nam"], ["001213012345", "Bình", "05/09/2013", "Nam"]],
        known_codes={good, broken},
    )
    assert preview.rows[0].errors == [
        f"Mã định danh: “{broken}” không phải là mã định danh hợp lệ (20 ký tự)."
    ]
    assert "cột “Số định danh cá nhân”" in preview.rows[1].errors[0]


def test_duplicate_code_in_file():
    known = codes(1)
    preview = read(
        [CODE_HEADER, [known[0], "An", "05/09/2013", "Nam"], [known[0], "Bình", "06/09/2013", "Nam"]],
        known_codes=set(known),
    )
    assert preview.rows[0].errors == []
    assert preview.rows[1].errors == ["Mã định danh: trùng với dòng 2."]


# --- header variations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        ["Ho va ten", "Ngay sinh", "Gioi tinh", "Dien thoai cha"],
        ["HỌ VÀ TÊN", "NGÀY SINH", "GIỚI TÍNH", "ĐIỆN THOẠI CHA"],
        ["  Họ   và tên ", "Ngày sinh (*)", "Giới tính*", "Điện thoại\ncha"],
        [unicodedata.normalize("NFD", h) for h in ["Họ và tên", "Ngày sinh", "Giới tính", "Điện thoại cha"]],
        ["Họ tên", "Ngày, tháng, năm sinh", "Giới tính", "SĐT cha"],
    ],
    ids=["no accents", "upper case", "spaces and marks", "decomposed", "aliases"],
)
def test_header_spellings(header):
    preview = read([header, ["Nguyễn An", "05/09/2013", "Nam", "0912345678"]])
    assert preview.is_valid, (preview.file_errors, preview.warnings)
    assert preview.warnings == []
    assert preview.rows[0].values["father_phone"] == "0912345678"


def test_columns_in_any_order_with_title_above_and_unknown_columns():
    preview = read(
        [
            ["SỞ GIÁO DỤC VÀ ĐÀO TẠO HÀ NỘI"],
            ["TRƯỜNG THCS NGUYỄN DU"],
            [],
            ["DANH SÁCH HỌC SINH LỚP 6A1"],
            ["Số TT", "Giới tính", "Ghi chú", "Ngày sinh", "Số định danh cá nhân", "Họ và tên"],
            [1, "Nữ", "chuyển đến", "05/09/2013", "001213012345", "Trần Thị Bé"],
        ]
    )
    assert preview.is_valid
    assert preview.header_line == 5
    assert preview.warnings == ["Cột C “Ghi chú” không thuộc mẫu danh sách nên được bỏ qua."]
    row = preview.rows[0]
    assert row.line == 6
    assert row.values["full_name"] == "Trần Thị Bé" and row.values["gender"] == "Nữ"
    assert row.values["personal_id"] == "001213012345"


def test_header_must_be_within_the_first_ten_rows():
    title = [[f"Dòng {i}"] for i in range(10)]
    preview = read([*title, HEADER, [1, "Nguyễn An", "05/09/2013", "Nam"]])
    assert preview.file_errors == [
        "Không tìm thấy dòng tiêu đề có cột “Họ và tên” trong 10 dòng đầu của bảng tính."
    ]
    assert preview.rows == [] and not preview.is_valid
    assert read([*title[:9], HEADER, [1, "Nguyễn An", "05/09/2013", "Nam"]]).is_valid


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["Họ và tên", "Giới tính"], "Ngày sinh"),
        (["Họ và tên", "Ngày sinh"], "Giới tính"),
    ],
)
def test_missing_required_column_is_a_file_error(header, missing):
    preview = read([header, ["Nguyễn An", "05/09/2013"]])
    assert preview.file_errors == [f"Thiếu cột bắt buộc “{missing}” ở dòng tiêu đề (dòng 1)."]
    assert preview.rows == [] and not preview.is_valid


def test_duplicate_column_is_a_file_error():
    preview = read(
        [["Họ và tên", "Ngày sinh", "Giới tính", "Ngay sinh"], ["An", "05/09/2013", "Nam", "05/09/2013"]]
    )
    assert preview.file_errors == ["Cột “Ngày sinh” xuất hiện hai lần (cột B và cột D)."]


def test_header_only_is_not_valid():
    preview = read([HEADER, [None, None]])
    assert preview.file_errors == ["Không có dòng học sinh nào dưới dòng tiêu đề (dòng 1)."]
    assert not preview.is_valid


def test_header_found_on_another_sheet():
    data = xlsx([["Ghi chú của văn thư"]], sheets={"6A1": [HEADER, [1, "Nguyễn An", "05/09/2013", "Nam"]]})
    preview = read_class_list(data, today=TODAY)
    assert preview.is_valid
    assert preview.sheet_name == "6A1"
    assert preview.warnings == ["Tệp có 2 trang tính; chỉ đọc trang “6A1”."]


def test_row_limit():
    rows = [HEADER] + [
        [i, f"Học Sinh {chr(65 + i % 26)}", "05/09/2013", "Nam"] for i in range(MAX_DATA_ROWS + 1)
    ]
    preview = read(rows)
    assert preview.file_errors == ["Tệp có quá nhiều dòng: tối đa 100 học sinh một lớp."]
    assert preview.rows == [] and not preview.is_valid
    preview = read(rows[:-1])
    assert preview.file_errors == [] and len(preview.rows) == MAX_DATA_ROWS


def test_rows_beyond_the_known_columns_count_toward_a_limit():
    rows = [HEADER, [1, "Nguyễn An", "05/09/2013", "Nam"]] + [[None] * 6 + ["ghi chú"]] * 1000
    preview = read(rows)
    assert preview.file_errors == ["Tệp có quá nhiều dòng: tối đa 100 học sinh một lớp."]
    assert read(rows[:-1]).is_valid


def test_unpacked_sizes_are_checked_before_parsing():
    from models.rules.class_list_excel import workbook_bounds_error

    good = xlsx([HEADER, [1, "Nguyễn An", "05/09/2013", "Nam"]])
    assert workbook_bounds_error(good) is None
    with zipfile.ZipFile(BytesIO(good)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    big_sheet = dict(files, **{"xl/worksheets/sheet1.xml": b" " * (8 * 1024 * 1024 + 1)})
    assert "quá nhiều dòng" in workbook_bounds_error(_zip(big_sheet))
    big_strings = dict(files, **{"xl/sharedStrings.xml": b" " * (4 * 1024 * 1024 + 1)})
    assert "quá nhiều chữ" in workbook_bounds_error(_zip(big_strings))
    many = dict(files, **{f"xl/media/{n}.bin": b"" for n in range(600)})
    assert "giải nén quá lớn" in workbook_bounds_error(_zip(many))
    assert read_class_list(_zip(big_sheet), today=TODAY).file_errors[0].startswith("Tệp có quá nhiều dòng")


def test_a_long_cell_is_kept_short_and_refused():
    preview = read([HEADER, [1, "Nguyễn " + "A" * 5000, "05/09/2013", "Nam"]])
    row = preview.rows[0]
    assert row.errors == ["Họ và tên: dài quá 100 ký tự."] and len(row.raw["full_name"]) <= 1000


# --- corrupt uploads ------------------------------------------------------------------------------


def _zip(files):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _broken_sheet_xml():
    good = xlsx([HEADER, [1, "Nguyễn An", "05/09/2013", "Nam"]])
    with zipfile.ZipFile(BytesIO(good)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["xl/worksheets/sheet1.xml"] = files["xl/worksheets/sheet1.xml"][:150]
    return _zip(files)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"Ho va ten,Ngay sinh\nAn,05/09/2013\n",
        b"PK\x03\x04 not really a zip",
        xlsx([HEADER])[:500],
        _zip({"hello.txt": "xin chào"}),
        _broken_sheet_xml(),
        bytes(range(256)) * 10,
    ],
    ids=["empty", "csv", "fake zip", "truncated", "zip without workbook", "broken sheet xml", "binary"],
)
def test_corrupt_upload_is_a_file_error(data):
    preview = read_class_list(data, today=TODAY)
    assert preview.file_errors == [NOT_XLSX_MESSAGE]
    assert preview.rows == [] and not preview.is_valid


def test_old_xls_upload_gets_a_hint():
    preview = read_class_list(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, today=TODAY)
    assert preview.file_errors[0] == NOT_XLSX_MESSAGE
    assert ".xls" in preview.file_errors[1] and "lưu lại" in preview.file_errors[1]


# --- export ---------------------------------------------------------------------------------------

TITLE = ["TRƯỜNG THCS NGUYỄN DU", "DANH SÁCH HỌC SINH LỚP 6A1 – NĂM HỌC 2024-2025"]


def test_export_layout():
    data = write_class_list(
        TITLE, [full_row(status="Đang học"), full_row(full_name="Trần Thị Bé", gender="Nữ")]
    )
    ws = load_workbook(BytesIO(data)).active
    assert ws["A1"].value == TITLE[0] and ws["A1"].font.bold
    assert ws["A2"].value == TITLE[1] and ws["A2"].font.bold
    header = [cell.value for cell in ws[4]]
    assert header == ["STT", *(c.header for c in COLUMNS), "Trạng thái"]
    assert all(cell.font.bold for cell in ws[4])
    assert ws.freeze_panes is not None and ws.freeze_panes.endswith("5")  # frozen below the header
    assert ws.column_dimensions["C"].width >= 20  # names get room
    dob = ws.cell(row=5, column=4)
    assert isinstance(dob.value, datetime) and dob.value.date() == date(2013, 9, 5)
    assert dob.number_format.lower() == "dd/mm/yyyy"
    assert [ws.cell(row=r, column=1).value for r in (5, 6)] == [1, 2]
    assert ws.cell(row=5, column=21).value == "Đang học"
    assert ws.cell(row=6, column=21).value is None
    phone = ws.cell(row=5, column=12)
    assert phone.value == "0912345678" and phone.data_type == "s"


def test_export_without_status_and_policy_marks():
    data = write_class_list([], [full_row(policy_family=True), full_row(full_name="Bé", policy_family=False)])
    ws = load_workbook(BytesIO(data)).active
    header = [cell.value for cell in ws[1]]
    assert header[-1] == "Số định danh cá nhân" and "Trạng thái" not in header
    policy_column = header.index("Con gia đình chính sách") + 1
    assert [ws.cell(row=r, column=policy_column).value for r in (2, 3)] == ["x", None]


def test_export_never_writes_formulas_or_control_characters():
    row = full_row(full_name='=HYPERLINK("http://x","An")', birthplace="Hà\x07 Nội")
    ws = load_workbook(BytesIO(write_class_list(TITLE, [row]))).active
    name = ws.cell(row=5, column=3)
    assert name.data_type == "s" and name.value.startswith("=HYPERLINK")
    assert ws.cell(row=5, column=7).value == "Hà Nội"


def test_export_refuses_a_title_that_would_hide_the_header():
    with pytest.raises(ValueError):
        write_class_list([f"Dòng {i}" for i in range(9)], [full_row()])


def test_export_import_round_trip_preserves_every_field():
    known = codes(3)
    rows = [
        full_row(ma_dinh_danh=known[0], status="Đang học"),
        full_row(
            ma_dinh_danh=known[1],
            full_name="Hà Thị Ngọc Ánh",
            date_of_birth=date(2012, 2, 29),
            gender="Nữ",
            ethnicity="Tày",
            birthplace="Cao Bằng",
            permanent_address="Bản Nà Rị, xã Quang Trung, huyện Hòa An",
            policy_family=True,
            father_name="",
            father_job="",
            father_phone="",
            mother_name="Hà Thị Lụa",
            mother_job="Làm ruộng",
            mother_phone="0363123456",
            guardian_name="Nông Văn Tiến",
            guardian_job="Cán bộ xã",
            guardian_phone="0209123456",
            sector_code="ABC123xyz",
            personal_id="004212000111",
            status="Đã chuyển đi",
        ),
        full_row(
            ma_dinh_danh=known[2], full_name="Lò Văn Pá", ethnicity="Thái", personal_id="", sector_code=""
        ),
    ]
    preview = read_class_list(write_class_list(TITLE, rows), today=TODAY, known_codes=set(known))
    assert preview.file_errors == [] and preview.warnings == []
    assert preview.is_valid, [r.errors for r in preview.rows]
    assert [r.line for r in preview.rows] == [5, 6, 7]
    for original, row in zip(rows, preview.rows, strict=True):
        expected = {key: original[key] for key in ALL_KEYS}
        assert row.values == expected


def test_export_import_round_trip_with_empty_optional_fields():
    rows = [{"full_name": "Nguyễn An", "date_of_birth": date(2013, 1, 2), "gender": "Nam"}]
    preview = read_class_list(write_class_list(["DANH SÁCH"], rows), today=TODAY)
    assert preview.is_valid
    values = preview.rows[0].values
    assert values["ethnicity"] == "Kinh" and values["policy_family"] is False
    assert all(
        values[key] == ""
        for key in ALL_KEYS
        if key not in {"full_name", "date_of_birth", "gender", "ethnicity", "policy_family"}
    )


# --- template -------------------------------------------------------------------------------------


def test_template_has_note_above_header_and_no_data_rows():
    data = template_workbook()
    ws = load_workbook(BytesIO(data)).active
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    header_index = next(i for i, row in enumerate(values) if "Họ và tên" in row)
    assert header_index < 10
    header = values[header_index]
    assert header[0] == "STT" and "Mã định danh" not in header
    assert header[1:] == [c.header for c in COLUMNS if c.key != "ma_dinh_danh"]
    assert any("dd/mm/yyyy" in str(cell) for row in values[:header_index] for cell in row)
    assert all(all(cell is None for cell in row) for row in values[header_index + 1 :])
    # An untouched template imports as "no students", not as a fake example row.
    preview = read_class_list(data, today=TODAY)
    assert preview.file_errors == [f"Không có dòng học sinh nào dưới dòng tiêu đề (dòng {header_index + 1})."]


def test_filled_template_imports():
    wb = load_workbook(BytesIO(template_workbook()))
    ws = wb.active
    header_line = next(row[0].row for row in ws.iter_rows() if any(c.value == "Họ và tên" for c in row))
    headers = {cell.value: cell.column for cell in ws[header_line]}
    line = header_line + 1
    ws.cell(row=line, column=headers["STT"], value=1)
    ws.cell(row=line, column=headers["Họ và tên"], value="Vũ Thị Hoa")
    ws.cell(row=line, column=headers["Ngày sinh"], value="05/09/2013")
    ws.cell(row=line, column=headers["Giới tính"], value="Nữ")
    ws.cell(row=line, column=headers["Điện thoại mẹ"], value="0912345678")
    buffer = BytesIO()
    wb.save(buffer)
    preview = read_class_list(buffer.getvalue(), today=TODAY)
    assert preview.is_valid, (preview.file_errors, [r.errors for r in preview.rows])
    assert preview.rows[0].values["mother_phone"] == "0912345678"


# --- fuzz -----------------------------------------------------------------------------------------

_cell = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 1, 1)).map(
        lambda d: datetime(d.year, d.month, d.day)
    ),
    st.sampled_from(["05/09/2013", "31/02/2013", "0912345678", "Nam", "Nữ", "=1+1", "  ", "x"]),
)


def _storable(value):
    # openpyxl cannot store control characters; a real .xlsx never holds them either.
    if isinstance(value, str):
        return "".join(ch for ch in value if ch.isprintable() or ch == " ") or None
    return value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_cell, _cell, _cell, _cell, _cell), min_size=1, max_size=6))
def test_fuzzed_cells_never_raise(rows):
    data = xlsx([["Họ và tên", "Ngày sinh", "Giới tính", "Điện thoại cha", "Số định danh cá nhân"]])
    wb = load_workbook(BytesIO(data))
    for row in rows:
        wb.active.append([_storable(v) for v in row])
    buffer = BytesIO()
    wb.save(buffer)
    preview = read_class_list(buffer.getvalue(), today=TODAY)
    assert preview.file_errors in ([], ["Không có dòng học sinh nào dưới dòng tiêu đề (dòng 1)."])
    for row in preview.rows:
        assert set(row.values) == set(ALL_KEYS)
        for error in row.errors:
            assert isinstance(error, str) and error and unicodedata.is_normalized("NFC", error)
        if row.ok:
            assert isinstance(row.values["date_of_birth"], date)
            assert row.values["gender"] in ("Nam", "Nữ")
            assert row.values["full_name"]
    assert preview.is_valid == (not preview.file_errors and all(r.ok for r in preview.rows))


def test_rows_read_survive_json_with_their_cell_types():
    from datetime import time as clock

    from models.rules.class_list_excel import preview_from_sheet, read_sheet, sheet_from_json, sheet_to_json

    data = xlsx([HEADER, [1, "Nguyễn An", datetime(2013, 9, 5), "Nam"], [2, "Lê Bình", clock(7, 30), "Nữ"],
                 [3, "Trần Chi", 41500, True]])
    sheet = read_sheet(data)
    again = sheet_from_json(json.loads(json.dumps(sheet_to_json(sheet))))
    assert again == sheet
    assert preview_from_sheet(again, today=TODAY) == read_class_list(data, today=TODAY)
