"""The request class: every submitted text is Unicode NFC before any view or form sees it."""
import unicodedata

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict


def _nfc_pairs(multidict):
    return ImmutableMultiDict([(unicodedata.normalize("NFC", k), unicodedata.normalize("NFC", v))
                               for k, v in multidict.items(multi=True)])


class NFCRequest(Request):
    """Form fields and query arguments arrive in NFC (a phone's keyboard may send decomposed letters)."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _nfc_pairs(self.__dict__["form"])

    @property
    def args(self):
        if "_nfc_args" not in self.__dict__:
            self.__dict__["_nfc_args"] = _nfc_pairs(super().args)
        return self.__dict__["_nfc_args"]
