"""Secrets the app must read back (the SMS phone's password), stored sealed with a key derived from SECRET_KEY.

A database file or backup on its own then does not give the secret away; the instance's SECRET_KEY is needed too
(README: backup and restore). Fernet (the cryptography library: AES-128-CBC with HMAC-SHA256) rather than code
of ours. A value stored before sealing existed reads as it is and is sealed at its next save.
"""
from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

PREFIX = "fernet:"
_key: bytes | None = None  # set by the app factory (configure), before any request or command


class UnreadableSecret(ValueError):
    """The stored secret was sealed with another SECRET_KEY."""


def configure(secret_key: str) -> None:
    """The instance's SECRET_KEY, from which the sealing key is derived (app.create_app calls this)."""
    global _key
    digest = hashlib.sha256(b"sotruong sealed secret\0" + str(secret_key).encode("utf-8")).digest()
    _key = base64.urlsafe_b64encode(digest)


def _box() -> Fernet:
    if _key is None:
        raise RuntimeError("models.core.sealed: SECRET_KEY not configured (create the app first)")
    return Fernet(_key)


def seal(text: str) -> str:
    """The value to store for `text` ("" stays "": nothing set)."""
    return PREFIX + _box().encrypt(text.encode("utf-8")).decode("ascii") if text else ""


def unseal(stored: str) -> str:
    """The secret a stored value holds; raises UnreadableSecret when SECRET_KEY has changed since it was sealed."""
    if not stored or not stored.startswith(PREFIX):
        return stored or ""
    try:
        return _box().decrypt(stored[len(PREFIX):].encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise UnreadableSecret("Không đọc được mật khẩu đã lưu (khoá bí mật SECRET_KEY của máy chủ đã đổi): "
                               "hãy nhập lại mật khẩu.") from None
