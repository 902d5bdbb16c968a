"""The request class: what a browser sends is checked once, at the boundary, before any view or form sees it.

- form fields and query arguments arrive in NFC (a phone's keyboard may send decomposed letters);
- control characters (NUL and the like) are refused with a Vietnamese 400: PostgreSQL cannot store a
  NUL and the PDF renderer chokes on them. A form value may carry tab and line breaks (a text area);
  a query string, a field name, a URL path or a JSON key may not;
- a body that is not a file upload (multipart) is refused with a 413 above SMALL_BODY_MAX bytes,
  before it is read: a grade cell is a few hundred bytes, an 11 MB "mark" is never a mark;
- whole numbers in URLs (the `int` converter) and in ids read from forms stay within 64 bits, the
  databases' BIGINT: a larger one is a 404 (URL) or a 400 (form), never a 500.
"""
import builtins
import re
import unicodedata

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, ValidationError

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

# bytes; a form without files (every save, every admin form) is far below this
SMALL_BODY_MAX = 16 * 1024

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, LF and CR pass


class ControlCharacterRefused(BadRequest):
    """A request carrying a control character; answered 400 with this description."""

    description = ("Dữ liệu gửi lên có ký tự điều khiển không hợp lệ (ví dụ ký tự NUL). "
                   "Vui lòng xoá ký tự đó hoặc gõ lại nội dung rồi gửi lại.")


def refuse_control_characters(text: str, *, allow_text_breaks: bool = False) -> None:
    """Raise ControlCharacterRefused when `text` holds a control character."""
    pattern = _CONTROL_BUT_TEXT if allow_text_breaks else _CONTROL
    if pattern.search(text):
        raise ControlCharacterRefused()


def _checked_json(value, *, key: bool = False):
    if isinstance(value, str):
        refuse_control_characters(value, allow_text_breaks=not key)
    elif isinstance(value, dict):
        for k, v in value.items():
            _checked_json(k, key=True)
            _checked_json(v)
    elif isinstance(value, list):
        for v in value:
            _checked_json(v)
    return value


def _checked_nfc_pairs(multidict, *, allow_text_breaks: bool):
    pairs = []
    for k, v in multidict.items(multi=True):
        refuse_control_characters(k)
        if isinstance(v, str):
            refuse_control_characters(v, allow_text_breaks=allow_text_breaks)
            v = unicodedata.normalize("NFC", v)
        pairs.append((unicodedata.normalize("NFC", k), v))
    return ImmutableMultiDict(pairs)


def bounded_int(value) -> int:
    """int(value) within 64 bits, else ValueError; usable as `type=` of `request.args.get`."""
    number = int(value)
    if not INT64_MIN <= number <= INT64_MAX:
        raise ValueError("số vượt quá giới hạn")
    return number


class Int64Converter(IntegerConverter):
    """The `int` URL converter, bounded to 64 bits: /teacher/gradebook/1/99999999999999999999 is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        lower = INT64_MIN if min is None else builtins.max(min, INT64_MIN)
        upper = INT64_MAX if max is None else builtins.min(max, INT64_MAX)
        super().__init__(map, fixed_digits=fixed_digits, min=lower, max=upper, signed=signed)

    def to_python(self, value: str):
        if len(value) > 20:  # int() of a very long digit string is itself slow
            raise ValidationError()
        return super().to_python(value)


class NFCRequest(Request):
    """Form fields and query arguments arrive in NFC and without control characters."""

    @property
    def max_content_length(self) -> int | None:
        configured = super().max_content_length
        if self._max_content_length is not None or self.mimetype == "multipart/form-data":
            return configured  # uploads keep MAX_CONTENT_LENGTH, a view's own limit stands
        return SMALL_BODY_MAX if configured is None else min(SMALL_BODY_MAX, configured)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        Request.max_content_length.fset(self, value)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _checked_nfc_pairs(self.__dict__["form"], allow_text_breaks=True)

    @property
    def args(self):
        if "_nfc_args" not in self.__dict__:
            self.__dict__["_nfc_args"] = _checked_nfc_pairs(super().args, allow_text_breaks=False)
        return self.__dict__["_nfc_args"]

    def get_json(self, *args, **kwargs):
        return _checked_json(super().get_json(*args, **kwargs))

    def check_boundary(self) -> None:
        """Read the path, the query string and the form once, so a control character anywhere is refused
        before any view runs (a view that never reads `q` would otherwise let it through to a log)."""
        refuse_control_characters(self.path)
        self.args  # noqa: B018
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            self.form  # noqa: B018
            if self.is_json:
                self.get_json(silent=True)
