"""Class lists as Excel workbooks: read a clerk's .xlsx into validated rows, write rows back out.

Everything here is pure: no database, no Flask. The caller turns ``ImportPreview.ok_rows`` into
students; this module only reads, cleans, checks and writes. Every user-visible message is
Vietnamese and names the column it is about.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from io import BytesIO
from typing import Any, NamedTuple

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from models.rules.dates import format_date, parse_birth_date
from models.rules.identifiers import (
    is_valid_person_code,
    normalize_person_code,
    validate_personal_id,
    validate_phone,
    validate_sector_code,
)
from models.rules.text import fold, nfc

__all__ = [
    "COLUMNS",
    "MAX_DATA_ROWS",
    "NOT_XLSX_MESSAGE",
    "Column",
    "ImportPreview",
    "ImportRow",
    "SheetRows",
    "preview_from_sheet",
    "read_class_list",
    "read_sheet",
    "sheet_from_json",
    "sheet_to_json",
    "template_workbook",
    "write_class_list",
]


class Column(NamedTuple):
    key: str
    header: str
    required: bool


# The class-list sheet, in export order. "ma_dinh_danh" only appears in exported lists that are
# imported again; a clerk's new list leaves it out.
COLUMNS: list[Column] = [
    Column("ma_dinh_danh", "Mã định danh", False),
    Column("full_name", "Họ và tên", True),
    Column("date_of_birth", "Ngày sinh", True),
    Column("gender", "Giới tính", True),
    Column("ethnicity", "Dân tộc", False),
    Column("birthplace", "Nơi sinh", False),
    Column("permanent_address", "Địa chỉ thường trú", False),
    Column("policy_family", "Con gia đình chính sách", False),
    Column("father_name", "Họ tên cha", False),
    Column("father_job", "Nghề nghiệp cha", False),
    Column("father_phone", "Điện thoại cha", False),
    Column("mother_name", "Họ tên mẹ", False),
    Column("mother_job", "Nghề nghiệp mẹ", False),
    Column("mother_phone", "Điện thoại mẹ", False),
    Column("guardian_name", "Người giám hộ", False),
    Column("guardian_job", "Nghề nghiệp người giám hộ", False),
    Column("guardian_phone", "Điện thoại người giám hộ", False),
    Column("sector_code", "Mã học sinh (CSDL ngành)", False),
    Column("personal_id", "Số định danh cá nhân", False),
]
_BY_KEY = {column.key: column for column in COLUMNS}

# A class has at most 45 students (TT32/2020 Điều 15); room for those who left and are still listed.
MAX_DATA_ROWS = 100
# Non-empty rows read below the header (notes, a pre-numbered STT column) before giving up.
MAX_SCANNED_ROWS = 1000
MAX_COLUMNS = 60
# Unpacked sizes checked in the zip directory before any XML is parsed: a sheet of 100 students is
# about 150 KB, so these only stop files built to exhaust the server.
MAX_SHEET_XML_BYTES = 8 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 4 * 1024 * 1024
MAX_UNPACKED_BYTES = 48 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
# A cell longer than this fails every length check anyway; kept shorter in the stored preview.
MAX_CELL_CHARS = 1000
HEADER_SEARCH_ROWS = 10
STATUS_HEADER = "Trạng thái"
NOT_XLSX_MESSAGE = "Tệp không phải là bảng tính Excel (.xlsx) hợp lệ."
_XLS_HINT = "Nếu đây là tệp .xls (Excel 97-2003), hãy mở bằng Excel và lưu lại dưới dạng .xlsx rồi tải lên."

TOO_MANY_ROWS_MESSAGE = f"Tệp có quá nhiều dòng: tối đa {MAX_DATA_ROWS} học sinh một lớp."
TOO_MUCH_TEXT_MESSAGE = ("Tệp chứa quá nhiều chữ so với một danh sách lớp (có ô rất dài hoặc rất nhiều ô); "
                         "hãy xoá các ô, trang tính thừa rồi lưu lại.")
TOO_BIG_UNPACKED_MESSAGE = ("Tệp khi giải nén quá lớn so với một danh sách lớp; hãy xoá các trang tính, "
                            "hình ảnh thừa rồi lưu lại.")

DEFAULT_ETHNICITY = "Kinh"
_NAME_MAX = 100
_TEXT_MAX = 255

# Other headers clerks and other software use for the same columns. Matching is on _header_key, so
# accents, case, punctuation and "(*)" marks do not matter here.
_ALIASES: dict[str, tuple[str, ...]] = {
    "ma_dinh_danh": ("Mã định danh SổTrường", "Mã định danh học sinh"),
    "full_name": ("Họ tên", "Họ và tên học sinh", "Họ tên học sinh"),
    "date_of_birth": ("Ngày tháng năm sinh", "Ngày sinh (dd/mm/yyyy)"),
    "gender": ("Nam/Nữ", "Giới"),
    "permanent_address": ("Thường trú", "Địa chỉ", "Hộ khẩu thường trú"),
    "policy_family": ("Gia đình chính sách", "Con GĐCS", "Con gia đình CS", "Diện chính sách"),
    "father_name": ("Họ và tên cha", "Tên cha"),
    "father_job": ("Nghề nghiệp của cha", "Nghề cha"),
    "father_phone": ("Số điện thoại cha", "SĐT cha", "ĐT cha"),
    "mother_name": ("Họ và tên mẹ", "Tên mẹ"),
    "mother_job": ("Nghề nghiệp của mẹ", "Nghề mẹ"),
    "mother_phone": ("Số điện thoại mẹ", "SĐT mẹ", "ĐT mẹ"),
    "guardian_name": ("Họ tên người giám hộ", "Họ và tên người giám hộ"),
    "guardian_job": ("Nghề nghiệp người giám hộ", "Nghề người giám hộ"),
    "guardian_phone": ("Số điện thoại người giám hộ", "SĐT người giám hộ", "ĐT người giám hộ"),
    "sector_code": ("Mã học sinh", "Mã HS", "Mã CSDL ngành", "Mã định danh ngành", "Mã học sinh CSDL ngành"),
    # In everyday use "mã định danh cá nhân" is the 12-digit citizen number, not our 20-char code.
    "personal_id": ("Số ĐDCN", "Mã định danh cá nhân", "Số định danh", "Số CCCD", "CCCD"),
}
# Known columns that carry nothing to import: the row number and the exported status.
_IGNORED_HEADERS = ("STT", "Số TT", "TT", "Số thứ tự", STATUS_HEADER)

_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")


def _header_key(text: str) -> str:
    """Accent/case/punctuation-insensitive key of a header: "Họ và tên (*)" -> "ho va ten"."""
    return " ".join(_NON_ALNUM_RE.sub(" ", fold(text)).split())


def _build_header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for column in COLUMNS:
        for header in (column.header, *_ALIASES.get(column.key, ())):
            key = _header_key(header)
            assert index.get(key, column.key) == column.key, f"ambiguous header alias {header!r}"
            index[key] = column.key
    return index


_HEADER_INDEX = _build_header_index()
_IGNORED_KEYS = frozenset(_header_key(h) for h in _IGNORED_HEADERS)
_NAME_KEY = _header_key("Họ và tên")
_NAME_KEYS = frozenset(k for k, v in _HEADER_INDEX.items() if v == "full_name")
assert _NAME_KEY in _NAME_KEYS


# --- import result --------------------------------------------------------------------------------


@dataclass
class ImportRow:
    """One data row of the sheet.

    ``values`` has every COLUMNS key: dates as ``date``, ``policy_family`` as bool, text as NFC
    strings ("" when an optional cell is empty). A value that failed its check is ``None`` and the
    reason is in ``errors``. ``raw`` keeps each cell as typed (text), for showing the row back.
    """

    line: int
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    header_line: int | None = None
    sheet_name: str | None = None

    @property
    def ok_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.errors]

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and bool(self.rows) and not self.bad_rows


# --- reading --------------------------------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value: Any) -> str:
    """Any cell value as NFC text with collapsed whitespace ("" for empty)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return nfc(value) or ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime | date):
        return format_date(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return nfc(str(value)) or ""


def _quoted(text: str, limit: int = 40) -> str:
    return "“" + (text if len(text) <= limit else text[:limit] + "…") + "”"


def _numeric_digits(value: Any) -> str | None:
    """Digits of a whole number typed into a numeric cell, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return str(int(value))
    return None


def _check_length(header: str, text: str, limit: int, errors: list[str]) -> str | None:
    if len(text) > limit:
        errors.append(f"{header}: dài quá {limit} ký tự.")
        return None
    return text


def _clean_full_name(text: str, errors: list[str]) -> str | None:
    header = _BY_KEY["full_name"].header
    if not text:
        errors.append(f"{header}: chưa nhập (bắt buộc).")
        return None
    if any(ch.isdigit() for ch in text):
        errors.append(f"{header}: không được chứa chữ số ({_quoted(text)}).")
        return None
    if not any(ch.isalpha() for ch in text):
        errors.append(f"{header}: không phải là họ tên ({_quoted(text)}).")
        return None
    return _check_length(header, text, _NAME_MAX, errors)


def _clean_birth_date(value: Any, text: str, today: date, errors: list[str]) -> date | None:
    header = _BY_KEY["date_of_birth"].header
    if not text:
        errors.append(f"{header}: chưa nhập (bắt buộc).")
        return None
    if isinstance(value, datetime | date):
        # A real Excel date: still check that it is plausible for a student.
        text = format_date(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # A bare number: an Excel serial whose cell lost its date format, or a year typed alone.
        errors.append(
            f"{header}: ô chứa số {text}, không phải ngày; hãy nhập theo dạng dd/mm/yyyy "
            "hoặc định dạng ô là ngày."
        )
        return None
    elif isinstance(value, time):
        errors.append(f"{header}: ô chứa giờ ({text}), không phải ngày; hãy nhập theo dạng dd/mm/yyyy.")
        return None
    try:
        return parse_birth_date(text, today)
    except ValueError as exc:
        errors.append(f"{header}: {exc}")
        return None


_GENDERS = {"nam": "Nam", "nu": "Nữ"}


def _clean_gender(text: str, errors: list[str]) -> str | None:
    header = _BY_KEY["gender"].header
    if not text:
        errors.append(f"{header}: chưa nhập (bắt buộc).")
        return None
    gender = _GENDERS.get(fold(text))
    if gender is None:
        errors.append(f"{header}: ghi “Nam” hoặc “Nữ” (đã nhập {_quoted(text)}).")
    return gender


_YES = frozenset({"x", "co", "1"})
_NO = frozenset({"", "khong", "0"})


def _clean_policy_family(value: Any, text: str, errors: list[str]) -> bool | None:
    if isinstance(value, bool):
        return value
    key = fold(text)
    if key in _YES:
        return True
    if key in _NO:
        return False
    header = _BY_KEY["policy_family"].header
    errors.append(
        f"{header}: ghi “x” (hoặc “có”) nếu là con gia đình chính sách, để trống nếu không (đã nhập {_quoted(text)})."
    )
    return None


def _clean_phone(key: str, value: Any, text: str, errors: list[str]) -> str | None:
    digits = _numeric_digits(value)
    if digits is not None and len(digits) == 9:
        # Typed into a number cell, Excel dropped the leading 0 of 0912345678.
        text = "0" + digits
    try:
        return validate_phone(text)
    except ValueError as exc:
        errors.append(f"{_BY_KEY[key].header}: {exc} Đã nhập: {_quoted(text)}.")
        return None


def _clean_personal_id(value: Any, text: str, errors: list[str]) -> str | None:
    digits = _numeric_digits(value)
    if digits is not None and 10 <= len(digits) < 12:
        # Citizen numbers start with a 0xx province code that a number cell drops.
        text = digits.zfill(12)
    try:
        return validate_personal_id(text)
    except ValueError as exc:
        errors.append(f"{_BY_KEY['personal_id'].header}: {exc} Đã nhập: {_quoted(text)}.")
        return None


def _clean_sector_code(text: str, errors: list[str]) -> str | None:
    try:
        return validate_sector_code(text)
    except ValueError as exc:
        errors.append(f"{_BY_KEY['sector_code'].header}: {exc} Đã nhập: {_quoted(text)}.")
        return None


def _clean_person_code(text: str, known_codes: frozenset[str] | set[str], errors: list[str]) -> str | None:
    header = _BY_KEY["ma_dinh_danh"].header
    if not text:
        return ""
    code = normalize_person_code(text)
    if not is_valid_person_code(code):
        hint = ""
        if re.fullmatch(r"[0-9]{12}", code):
            hint = " Số định danh cá nhân 12 chữ số ghi ở cột “Số định danh cá nhân”."
        errors.append(f"{header}: {_quoted(text)} không phải là mã định danh hợp lệ (20 ký tự).{hint}")
        return None
    if code not in known_codes:
        errors.append(f"{header}: {code} không có trong danh sách học sinh của trường.")
        return None
    return code


_PLAIN_TEXT_KEYS = (
    "ethnicity",
    "birthplace",
    "permanent_address",
    "father_name",
    "father_job",
    "mother_name",
    "mother_job",
    "guardian_name",
    "guardian_job",
)
_NAME_LIKE_KEYS = frozenset({"father_name", "mother_name", "guardian_name", "ethnicity"})
_PHONE_KEYS = ("father_phone", "mother_phone", "guardian_phone")


def _clean_row(
    line: int, cells: dict[str, Any], today: date, known_codes: frozenset[str] | set[str]
) -> ImportRow:
    raw = {key: _cell_text(cells.get(key)) for key in _BY_KEY}
    errors: list[str] = []
    values: dict[str, Any] = {}
    values["ma_dinh_danh"] = _clean_person_code(raw["ma_dinh_danh"], known_codes, errors)
    values["full_name"] = _clean_full_name(raw["full_name"], errors)
    values["date_of_birth"] = _clean_birth_date(
        cells.get("date_of_birth"), raw["date_of_birth"], today, errors
    )
    values["gender"] = _clean_gender(raw["gender"], errors)
    for key in _PLAIN_TEXT_KEYS:
        limit = _NAME_MAX if key in _NAME_LIKE_KEYS else _TEXT_MAX
        values[key] = _check_length(_BY_KEY[key].header, raw[key], limit, errors)
    if values["ethnicity"] == "":
        values["ethnicity"] = DEFAULT_ETHNICITY
    values["policy_family"] = _clean_policy_family(cells.get("policy_family"), raw["policy_family"], errors)
    for key in _PHONE_KEYS:
        values[key] = _clean_phone(key, cells.get(key), raw[key], errors)
    values["sector_code"] = _clean_sector_code(raw["sector_code"], errors)
    values["personal_id"] = _clean_personal_id(cells.get("personal_id"), raw["personal_id"], errors)
    # Keep the dict in COLUMNS order for predictable display.
    ordered = {key: values[key] for key in _BY_KEY}
    return ImportRow(line=line, values=ordered, errors=errors, raw=raw)


def _check_duplicates(rows: list[ImportRow]) -> None:
    """Errors on the later row of each duplicate: same code, same personal ID, same name + birth date."""
    first_code: dict[str, int] = {}
    first_id: dict[str, int] = {}
    first_person: dict[tuple[str, date], int] = {}
    for row in rows:
        code = row.values["ma_dinh_danh"]
        if code:
            if code in first_code:
                row.errors.append(f"Mã định danh: trùng với dòng {first_code[code]}.")
            else:
                first_code[code] = row.line
        personal_id = row.values["personal_id"]
        if personal_id:
            if personal_id in first_id:
                row.errors.append(f"Số định danh cá nhân: trùng với dòng {first_id[personal_id]}.")
            else:
                first_id[personal_id] = row.line
        name, born = row.values["full_name"], row.values["date_of_birth"]
        if name and born:
            person = (fold(name), born)
            if person in first_person:
                row.errors.append(
                    f"Họ và tên: trùng học sinh ở dòng {first_person[person]} (cùng họ tên và ngày sinh)."
                )
            else:
                first_person[person] = row.line


@dataclass
class _Sheet:
    name: str
    header_line: int
    positions: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    too_many: bool = False


def _find_header(ws) -> tuple[int, tuple[Any, ...], Any] | None:
    """The first of the top rows with a "Họ và tên" cell: (line, cells, iterator over the rest)."""
    rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    for line, values in enumerate(rows, start=1):
        if any(isinstance(v, str) and _header_key(v) in _NAME_KEYS for v in values):
            return line, values, rows
        if line >= HEADER_SEARCH_ROWS:
            break
    return None


_COLUMN_NUMBER_RE = re.compile(r"\(?[0-9]{1,2}\)?")


def _is_column_numbering(values: tuple[Any, ...]) -> bool:
    """True for the "(1) (2) (3) ..." row official forms put under the header."""
    filled = [v for v in values if not _is_blank(v)]
    if len(filled) < 3:
        return False
    for value in filled:
        if isinstance(value, bool):
            return False
        if isinstance(value, int | float):
            if not (float(value).is_integer() and 0 <= value < 100):
                return False
        elif not (isinstance(value, str) and _COLUMN_NUMBER_RE.fullmatch(value.strip())):
            return False
    return True


def _map_header(sheet: _Sheet, header: tuple[Any, ...]) -> None:
    for index, value in enumerate(header):
        text = _cell_text(value)
        if not text:
            continue
        letter = get_column_letter(index + 1)
        key = _header_key(text)
        if key in _IGNORED_KEYS:
            continue
        column_key = _HEADER_INDEX.get(key)
        if column_key is None:
            sheet.warnings.append(f"Cột {letter} {_quoted(text)} không thuộc mẫu danh sách nên được bỏ qua.")
            continue
        if column_key in sheet.positions:
            first = get_column_letter(sheet.positions[column_key] + 1)
            sheet.errors.append(
                f"Cột “{_BY_KEY[column_key].header}” xuất hiện hai lần (cột {first} và cột {letter})."
            )
            continue
        sheet.positions[column_key] = index
    for column in COLUMNS:
        if column.required and column.key not in sheet.positions:
            sheet.errors.append(
                f"Thiếu cột bắt buộc “{column.header}” ở dòng tiêu đề (dòng {sheet.header_line})."
            )


def workbook_bounds_error(data: bytes) -> str | None:
    """Why an .xlsx is too big to read, from the unpacked sizes in its zip directory; None if it is not.

    Reading a member never yields more than the size the directory declares (zipfile stops there and
    checks the CRC), so these declared sizes bound the parse. A file that is not a zip is left to
    the reader, which reports it as not an .xlsx.
    """
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if len(members) > MAX_ZIP_MEMBERS:
        return TOO_BIG_UNPACKED_MESSAGE
    total = 0
    for member in members:
        name = member.filename.lower()
        total += member.file_size
        if name.startswith("xl/worksheets/") and member.file_size > MAX_SHEET_XML_BYTES:
            return f"{TOO_MANY_ROWS_MESSAGE} Hãy xoá các dòng, cột thừa (kể cả dòng trống đã định dạng) rồi lưu lại."
        if name.endswith("sharedstrings.xml") and member.file_size > MAX_SHARED_STRINGS_BYTES:
            return TOO_MUCH_TEXT_MESSAGE
    if total > MAX_UNPACKED_BYTES:
        return TOO_BIG_UNPACKED_MESSAGE
    return None


def _kept_value(value: Any) -> Any:
    # a cell far over every length limit is kept only as long as its error needs
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return value[:MAX_CELL_CHARS]
    return value


def _read_sheet(data: bytes) -> tuple[_Sheet | None, list[str]]:
    """Load the workbook; map the header and collect the data rows of the first sheet with a header.

    Raises whatever openpyxl, zipfile or the XML parser raise on a corrupt file. Returns
    (None, sheet names) when no sheet has a "Họ và tên" header in its first rows. Stops at
    MAX_DATA_ROWS students or MAX_SCANNED_ROWS non-empty rows (``too_many``).
    """
    wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = list(wb.worksheets)
        active = wb.active
        if active in sheets:
            sheets.remove(active)
            sheets.insert(0, active)
        names = [ws.title for ws in sheets]
        for ws in sheets:
            if hasattr(ws, "reset_dimensions"):
                # Files from other software often carry a wrong <dimension>; read every cell.
                ws.reset_dimensions()
            found = _find_header(ws)
            if found is None:
                continue
            header_line, header, rows = found
            sheet = _Sheet(ws.title, header_line)
            _map_header(sheet, header)
            if sheet.errors:
                return sheet, names
            scanned = 0
            for line, values in enumerate(rows, start=header_line + 1):
                if all(_is_blank(v) for v in values):
                    continue
                scanned += 1
                if scanned > MAX_SCANNED_ROWS:
                    sheet.too_many = True
                    break
                cells = {key: _kept_value(values[i]) if i < len(values) else None
                         for key, i in sheet.positions.items()}
                # Nothing in the known columns (a pre-numbered STT, a note in another column): skip.
                if all(_is_blank(v) for v in cells.values()):
                    continue
                if not sheet.rows and _is_column_numbering(values):
                    continue
                if len(sheet.rows) >= MAX_DATA_ROWS:
                    sheet.too_many = True
                    break
                sheet.rows.append((line, cells))
            return sheet, names
        return None, names
    finally:
        wb.close()


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class SheetRows:
    """What was read from a workbook before any row is checked: the raw cells of each student row.

    ``refused`` is set when the file cannot be a class list at all (not an .xlsx, too big, too many
    rows): an upload like that is refused outright. Other ``file_errors`` are shown on the preview.
    """

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    header_line: int | None = None
    sheet_name: str | None = None
    refused: bool = False


def read_sheet(data: bytes) -> SheetRows:
    """Read the student rows of a class-list .xlsx within the size bounds; never raises on bad input."""
    result = SheetRows()
    raw_bytes = bytes(data or b"")
    bounds = workbook_bounds_error(raw_bytes)
    if bounds:
        result.file_errors.append(bounds)
        result.refused = True
        return result
    try:
        sheet, sheet_names = _read_sheet(raw_bytes)
    except Exception:  # any failure to parse an uploaded file means it is not a usable .xlsx
        result.file_errors.append(NOT_XLSX_MESSAGE)
        if raw_bytes.startswith(_OLE_MAGIC):
            result.file_errors.append(_XLS_HINT)
        result.refused = True
        return result
    if sheet is None:
        result.file_errors.append(
            f"Không tìm thấy dòng tiêu đề có cột “Họ và tên” trong {HEADER_SEARCH_ROWS} dòng đầu của bảng tính."
        )
        return result
    result.header_line = sheet.header_line
    result.sheet_name = sheet.name
    if len(sheet_names) > 1:
        result.warnings.append(f"Tệp có {len(sheet_names)} trang tính; chỉ đọc trang {_quoted(sheet.name)}.")
    result.warnings.extend(sheet.warnings)
    result.file_errors.extend(sheet.errors)
    if sheet.too_many:
        result.file_errors.append(TOO_MANY_ROWS_MESSAGE)
        result.refused = True
    if result.file_errors:
        return result
    if not sheet.rows:
        result.file_errors.append(
            f"Không có dòng học sinh nào dưới dòng tiêu đề (dòng {sheet.header_line})."
        )
        return result
    result.rows = sheet.rows
    return result


def preview_from_sheet(
    sheet: SheetRows, *, today: date, known_codes: frozenset[str] | set[str] = frozenset()
) -> ImportPreview:
    """Check every row read by :func:`read_sheet` (cheap: no file is parsed here)."""
    preview = ImportPreview(file_errors=list(sheet.file_errors), warnings=list(sheet.warnings),
                            header_line=sheet.header_line, sheet_name=sheet.sheet_name)
    if preview.file_errors:
        return preview
    preview.rows = [_clean_row(line, cells, today, known_codes) for line, cells in sheet.rows]
    _check_duplicates(preview.rows)
    return preview


def read_class_list(
    data: bytes, *, today: date, known_codes: frozenset[str] | set[str] = frozenset()
) -> ImportPreview:
    """Read a class-list .xlsx into an :class:`ImportPreview`; never raises on bad input.

    ``today`` anchors the birth-date plausibility check; ``known_codes`` are the school's existing
    mã định danh (a re-imported export may only carry those).
    """
    return preview_from_sheet(read_sheet(data), today=today, known_codes=known_codes)


# --- the read rows as JSON, so a preview is parsed once and kept beside the upload -----------------

_TAGS = {"datetime": datetime, "date": date, "time": time}


def _cell_to_json(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    for tag, kind in _TAGS.items():
        if isinstance(value, kind):
            return {tag: value.isoformat()}
    return _cell_text(value)  # anything else openpyxl may hand out is shown and checked as text


def _cell_from_json(value: Any) -> Any:
    if isinstance(value, dict):
        (tag, text), = value.items()
        return _TAGS[tag].fromisoformat(text)
    return value


def sheet_to_json(sheet: SheetRows) -> dict:
    return {"rows": [[line, {k: _cell_to_json(v) for k, v in cells.items()}] for line, cells in sheet.rows],
            "file_errors": sheet.file_errors, "warnings": sheet.warnings, "header_line": sheet.header_line,
            "sheet_name": sheet.sheet_name, "refused": sheet.refused}


def sheet_from_json(data: dict) -> SheetRows:
    return SheetRows(rows=[(int(line), {k: _cell_from_json(v) for k, v in cells.items()})
                           for line, cells in data["rows"]],
                     file_errors=list(data["file_errors"]), warnings=list(data["warnings"]),
                     header_line=data["header_line"], sheet_name=data["sheet_name"],
                     refused=bool(data["refused"]))


# --- writing --------------------------------------------------------------------------------------

_WIDTHS = {
    "ma_dinh_danh": 24,
    "full_name": 26,
    "date_of_birth": 12,
    "gender": 9,
    "ethnicity": 10,
    "birthplace": 22,
    "permanent_address": 36,
    "policy_family": 14,
    "father_name": 24,
    "father_job": 16,
    "father_phone": 13,
    "mother_name": 24,
    "mother_job": 16,
    "mother_phone": 13,
    "guardian_name": 24,
    "guardian_job": 16,
    "guardian_phone": 13,
    "sector_code": 16,
    "personal_id": 16,
}
# Kept as text so Excel never drops leading zeros or turns them into 9.12E+08.
_TEXT_FORMAT_KEYS = frozenset({"ma_dinh_danh", *_PHONE_KEYS, "sector_code", "personal_id"})
_DATE_FORMAT = "DD/MM/YYYY"
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_BOLD = Font(bold=True)


def _safe_text(value: Any) -> str:
    """NFC text without the control characters an .xlsx cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", nfc(str(value)) or "")


def _put_text(cell, text: str) -> None:
    cell.value = text or None
    if text:
        # A name like "=HYPERLINK(...)" must stay text, never become a formula.
        cell.data_type = "s"


def _export_value(key: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if key == "date_of_birth":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return _safe_text(value)
    if key == "policy_family":
        return "x" if value else None
    return _safe_text(value)


def _layout(
    ws,
    title_lines: list[str],
    keys: list[str],
    extra_headers: list[str],
    note: str | None = None,
) -> int:
    """Title lines, optional note and the header row; returns the header row number."""
    if len(title_lines) + (1 if note else 0) > HEADER_SEARCH_ROWS - 2:
        raise ValueError(f"At most {HEADER_SEARCH_ROWS - 2} title/note lines keep the header re-importable.")
    line = 0
    for line, title in enumerate(title_lines, start=1):
        cell = ws.cell(row=line, column=1)
        _put_text(cell, _safe_text(title))
        cell.font = Font(bold=True, size=13 if line == 1 else 12)
    if note:
        line += 1
        cell = ws.cell(row=line, column=1)
        _put_text(cell, _safe_text(note))
        cell.font = Font(italic=True)
    header_line = line + 2 if line else 1
    headers = ["STT", *(_BY_KEY[key].header for key in keys), *extra_headers]
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(row=header_line, column=index, value=header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[header_line].height = 32
    ws.column_dimensions["A"].width = 6
    for index, key in enumerate(keys, start=2):
        ws.column_dimensions[get_column_letter(index)].width = _WIDTHS[key]
    for index in range(len(keys) + 2, len(headers) + 1):
        ws.column_dimensions[get_column_letter(index)].width = 16
    # Keep the header, STT and the name in view while scrolling.
    name_column = keys.index("full_name") + 2
    ws.freeze_panes = ws.cell(row=header_line + 1, column=name_column + 1)
    ws.print_title_rows = f"{header_line}:{header_line}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return header_line


def _to_bytes(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_class_list(title_lines: list[str], rows: list[dict]) -> bytes:
    """An .xlsx class list: bold title lines, a blank line, the header row, one row per student.

    ``rows`` are dicts keyed by COLUMNS keys (missing keys are left blank); ``date_of_birth`` is a
    date, ``policy_family`` a bool. If any row has a "status" key a last column "Trạng thái" is
    added. The result can be read back by :func:`read_class_list`.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách học sinh"
    keys = [column.key for column in COLUMNS]
    has_status = any("status" in row for row in rows)
    header_line = _layout(ws, list(title_lines), keys, [STATUS_HEADER] if has_status else [])
    for number, row in enumerate(rows, start=1):
        line = header_line + number
        cell = ws.cell(row=line, column=1, value=number)
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center")
        for index, key in enumerate(keys, start=2):
            cell = ws.cell(row=line, column=index)
            value = _export_value(key, row.get(key))
            if isinstance(value, date):
                cell.value = value
                cell.number_format = _DATE_FORMAT
            else:
                _put_text(cell, value or "")
                if key in _TEXT_FORMAT_KEYS:
                    cell.number_format = "@"
            if key in ("gender", "policy_family", "date_of_birth"):
                cell.alignment = Alignment(horizontal="center")
            cell.border = _BORDER
        if has_status:
            cell = ws.cell(row=line, column=len(keys) + 2)
            status = row.get("status")
            _put_text(cell, _safe_text(status) if status not in (None, "") else "")
            cell.border = _BORDER
    if rows:
        last = get_column_letter(len(keys) + 1 + (1 if has_status else 0))
        ws.auto_filter.ref = f"A{header_line}:{last}{header_line + len(rows)}"
    return _to_bytes(wb)


_TEMPLATE_ROWS = 200


def template_workbook() -> bytes:
    """An empty class list to fill in: title, a note on how to fill it, the header row, no data.

    The example lives in the note, never in a data row, so an untouched template imports as empty.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách học sinh"
    keys = [column.key for column in COLUMNS if column.key != "ma_dinh_danh"]
    required = ", ".join(f"“{c.header}”" for c in COLUMNS if c.required)
    note = (
        f"Ghi chú: các cột {required} là bắt buộc. Ngày sinh ghi theo dạng dd/mm/yyyy (ví dụ 05/09/2013); "
        "Giới tính ghi Nam hoặc Nữ; Dân tộc để trống là Kinh; Con gia đình chính sách ghi x nếu có. "
        "Ví dụ: Nguyễn Văn An | 05/09/2013 | Nam. Không sửa dòng tiêu đề; xóa dòng trống thừa không cần thiết."
    )
    header_line = _layout(ws, ["DANH SÁCH HỌC SINH"], keys, [], note=note)
    first, last = header_line + 1, header_line + _TEMPLATE_ROWS
    for index, key in enumerate(keys, start=2):
        if key in _TEXT_FORMAT_KEYS or key == "date_of_birth":
            # Text cells: "05/09/2013" stays day-first whatever the computer's regional settings.
            ws.column_dimensions[get_column_letter(index)].number_format = "@"
    gender_letter = get_column_letter(keys.index("gender") + 2)
    policy_letter = get_column_letter(keys.index("policy_family") + 2)
    gender_rule = DataValidation(type="list", formula1='"Nam,Nữ"', allow_blank=True)
    gender_rule.error = "Giới tính ghi Nam hoặc Nữ."
    gender_rule.errorTitle = "Giới tính"
    gender_rule.add(f"{gender_letter}{first}:{gender_letter}{last}")
    policy_rule = DataValidation(type="list", formula1='"x"', allow_blank=True)
    policy_rule.error = "Ghi x nếu là con gia đình chính sách, để trống nếu không."
    policy_rule.errorTitle = "Con gia đình chính sách"
    policy_rule.add(f"{policy_letter}{first}:{policy_letter}{last}")
    ws.add_data_validation(gender_rule)
    ws.add_data_validation(policy_rule)
    return _to_bytes(wb)
