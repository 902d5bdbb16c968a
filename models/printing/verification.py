"""Verification codes printed on every PDF page, and /verify/<code>.

A page's code is a short hash of exactly the data printed on it (plus the document kind and its
parameters). Each code is recorded with a snapshot of that data in `printed_page`; checking a code
recomputes today's data for the same page through a registered page builder and lists, in Vietnamese,
what changed since the page was printed.

Contract used by every printed document (class book, teacher's book, học bạ, monthly attendance sheet, registers,
minutes book, class log, teaching schedule):

- `page_code(document, params, page_data) -> "ABCDE-12345"`; safe inside or outside a write transaction.
- `register_page_builder(document, fn, label=...)`: `fn(params) -> list of page_data`, one per page.
  `check_code` finds the stored page among them by `params["page_key"]` (matched against each page's
  `page_data["page_key"]`) when present, else by `params["page"]` (1-based position). Prefer page_key:
  a page number shifts when pages are added before it, a page key does not.
- `check_code(code) -> VerifyResult`.

Page data is JSON (str, int, bool, None, lists, dicts; dates and Decimals are stored as text). The
differ reads it by these conventions: dict keys are the labels shown to the reader (e.g. "ĐĐGck");
the structural keys in STRUCTURAL are not shown; a list of dicts that each carry "key" is matched by
key and each item is named by its "label" (e.g. the student's name); "key"/"page_key" never differ.
"""
import hashlib
import importlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from models.audit.log import current_actor
from models.core import BaseModel, db, write_transaction
from models.people.accounts import User

CODE_LENGTH = 10
STRUCTURAL = frozenset({"rows", "cells", "fields", "items", "columns", "data", "sections"})
IGNORED = frozenset({"key", "page_key"})
EMPTY = "(trống)"
# modules that register page builders when imported; check_code imports them so /verify works in any process
BUILDER_MODULES = ("models.printing.class_book", "models.printing.teacher_book", "models.printing.hoc_ba", "models.printing.attendance_sheet",
                   "models.printing.registers", "models.printing.minutes_book", "models.printing.class_log_book",
                   "models.printing.teaching_schedule")

_builders: dict[str, object] = {}
_labels: dict[str, str] = {
    "class_book": "Sổ theo dõi và đánh giá học sinh (theo lớp học)",
    "teacher_book": "Sổ theo dõi và đánh giá học sinh (của giáo viên)",
    "hoc_ba": "Học bạ",
}


class PrintedPage(BaseModel):
    """One printed page's code and the snapshot of the data printed on it."""

    code = CharField(max_length=16, unique=True)
    document = CharField(max_length=40, index=True)
    params = TextField(default="{}")
    data = TextField(default="null")
    generated_at = DateTimeField()
    generated_by = ForeignKeyField(User, null=True, backref="+")
    generated_by_name = CharField(default="")

    class Meta:
        table_name = "printed_page"

    @property
    def parameters(self) -> dict:
        return json.loads(self.params or "{}")

    @property
    def page_data(self):
        return json.loads(self.data or "null")


def _default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def canonical(value) -> str:
    """Stable JSON: sorted keys, no spaces, NFC text kept as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_default, separators=(",", ":"))


def normalise(value):
    """Page data as it reads back from the stored JSON (tuples → lists, dates → text)."""
    return json.loads(canonical(value))


def compute_code(document: str, params: dict, page_data) -> str:
    """The code without recording it: 10 upper-case hex digits of the hash, grouped "ABCDE-12345"."""
    digest = hashlib.sha256("\x1f".join((document, canonical(params), canonical(page_data))).encode()).hexdigest()
    head = digest[:CODE_LENGTH].upper()
    return f"{head[:5]}-{head[5:]}"


def clean_code(text: str) -> str:
    """What the reader typed ("abcde12345", " ABCDE-12345 ") → "ABCDE-12345"; "" when not a code."""
    raw = "".join(c for c in (text or "").upper() if c.isalnum())
    if len(raw) != CODE_LENGTH or any(c not in "0123456789ABCDEF" for c in raw):
        return ""
    return f"{raw[:5]}-{raw[5:]}"


def _record(document: str, params: dict, page_data, code: str, now: datetime, by: int | None, by_name: str) -> None:
    fields = {"document": document, "params": canonical(params), "data": canonical(page_data),
              "generated_at": now, "generated_by": by, "generated_by_name": by_name}
    updated = PrintedPage.update(**fields).where(PrintedPage.code == code).execute()
    if not updated:
        PrintedPage.insert(code=code, **fields).execute()


def page_codes(document: str, pages: list[tuple[dict, object]], now: datetime | None = None,
               by: int | None = None) -> list[str]:
    """The codes of many pages at once (params, page_data per page), recorded in one transaction."""
    now = now or datetime.now()
    actor = current_actor()
    if by is None:
        by = actor.user_id
    by_name = actor.username if by == actor.user_id else ""
    codes = [compute_code(document, params, data) for params, data in pages]

    def write():
        for code, (params, data) in zip(codes, pages, strict=True):
            _record(document, params, data, code, now, by, by_name)

    if db.in_transaction():
        write()
    else:
        with write_transaction():
            write()
    return codes


def page_code(document: str, params: dict, page_data, now: datetime | None = None, by: int | None = None) -> str:
    """The page's verification code; records (or refreshes) its PrintedPage row with the data snapshot."""
    return page_codes(document, [(params, page_data)], now=now, by=by)[0]


def register_page_builder(document: str, fn, label: str | None = None) -> None:
    """fn(params) -> list of page_data, one per page in order: how check_code recomputes today's page."""
    _builders[document] = fn
    if label:
        _labels[document] = label


def document_label(document: str) -> str:
    return _labels.get(document, document)


def _load_builders() -> None:
    for name in BUILDER_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:  # the module exists but something it needs does not
                raise


def _find_page(pages: list, params: dict):
    if "page_key" in params:
        for page in pages:
            if isinstance(page, dict) and page.get("page_key") == params["page_key"]:
                return page
        return None
    number = params.get("page")
    if isinstance(number, int) and 1 <= number <= len(pages):
        return pages[number - 1]
    return None


# --- what changed -------------------------------------------------------------------------------

def _show(value) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items() if k not in IGNORED)
    return str(value)


def _keyed(items) -> bool:
    return bool(items) and all(isinstance(i, dict) and "key" in i for i in items)


def _name(item: dict) -> str:
    return str(item.get("label") or item.get("key"))


def _diff(old, new, path: list[str], out: list[str]) -> None:
    if old == new:
        return
    where = ", ".join(path)
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            if key in IGNORED:
                continue
            if key == "label":
                if old.get(key) != new.get(key):
                    out.append(f"{where or 'Tên'}: {_show(old.get(key))} → {_show(new.get(key))}")
                continue
            sub = path if key in STRUCTURAL else path + [str(key)]
            _diff(old.get(key), new.get(key), sub, out)
        return
    if isinstance(old, list) and isinstance(new, list) and (_keyed(old) or _keyed(new)) \
            and all(isinstance(i, dict) and "key" in i for i in old + new):
        before = {i["key"]: i for i in old}
        after = {i["key"]: i for i in new}
        for item in old:
            if item["key"] not in after:
                out.append(f"{', '.join(path + [_name(item)])}: không còn trên trang")
            else:
                _diff(item, after[item["key"]], path + [_name(after[item["key"]])], out)
        for item in new:
            if item["key"] not in before:
                out.append(f"{', '.join(path + [_name(item)])}: mới có trên trang")
        return
    if isinstance(old, list) and isinstance(new, list) and any(isinstance(i, dict | list) for i in old + new):
        for index in range(max(len(old), len(new))):
            _diff(old[index] if index < len(old) else None, new[index] if index < len(new) else None,
                  path + [f"dòng {index + 1}"], out)
        return
    out.append(f"{where or 'Nội dung'}: {_show(old)} → {_show(new)}")


def differences(old, new) -> list[str]:
    """Human-readable Vietnamese lines, e.g. "Nguyễn Văn An, ĐĐGck: 7,5 → 8,0"."""
    out: list[str] = []
    _diff(normalise(old), normalise(new), [], out)
    return out


# --- checking a code ----------------------------------------------------------------------------

@dataclass
class VerifyResult:
    code: str
    found: bool = False
    document: str = ""
    label: str = ""
    params: dict = field(default_factory=dict)
    generated_at: datetime | None = None
    generated_by: str = ""
    checked: bool = False  # today's data could be recomputed (a builder exists and the page still exists)
    still_matches: bool = False
    differences: list[str] = field(default_factory=list)
    message: str = ""


def check_code(code: str) -> VerifyResult:
    """Whether the printed page with this code still shows today's data, and if not what changed."""
    cleaned = clean_code(code)
    result = VerifyResult(code=cleaned or (code or "").strip())
    if not cleaned:
        result.message = "Mã xác thực không hợp lệ (gồm 10 chữ số hệ 16, ví dụ ABCDE-12345)."
        return result
    row = PrintedPage.get_or_none(PrintedPage.code == cleaned)
    if row is None:
        result.message = "Không tìm thấy trang in nào mang mã này."
        return result
    result.found = True
    result.document = row.document
    result.params = row.parameters
    result.generated_at = row.generated_at
    result.generated_by = row.generated_by_name
    _load_builders()
    result.label = document_label(row.document)
    builder = _builders.get(row.document)
    if builder is None:
        result.message = "Chưa thể tính lại dữ liệu hôm nay cho loại tài liệu này."
        return result
    today = _find_page(builder(result.params), result.params)
    if today is None:
        result.checked = True
        result.differences = ["Trang này không còn trong tài liệu in hôm nay."]
        result.message = "Trang in không còn khớp với dữ liệu hiện tại."
        return result
    result.checked = True
    stored = row.page_data
    result.still_matches = compute_code(row.document, result.params, today) == cleaned \
        and normalise(today) == stored
    if result.still_matches:
        result.message = "Trang in khớp với dữ liệu hiện tại."
    else:
        result.differences = differences(stored, today) or ["Dữ liệu trên trang đã thay đổi."]
        result.message = "Trang in không còn khớp với dữ liệu hiện tại."
    return result
