"""Secrets the app reads back, sealed with a key derived from SECRET_KEY (models/core/sealed.py)."""
import pytest

from models.core import sealed
from models.families import gateway, settings


def test_seal_and_unseal(app):
    stored = sealed.seal("mật khẩu điện thoại")
    assert stored.startswith(sealed.PREFIX) and "mật khẩu" not in stored
    assert sealed.unseal(stored) == "mật khẩu điện thoại"
    assert sealed.seal(stored) != stored and sealed.seal("") == "" and sealed.unseal("") == ""
    assert sealed.unseal("legacy-plain") == "legacy-plain"  # stored before sealing: read as it is


def test_a_changed_secret_key_asks_for_the_password_again(app, school):
    settings.save_settings({"channel": "sms", "gateway_url": "http://127.0.0.1:9", "gateway_password": "x"}, None)
    row = settings.current()
    assert settings.gateway_password(row) == "x"
    sealed.configure("a different SECRET_KEY")  # read as a server whose SECRET_KEY was changed would
    try:
        with pytest.raises(sealed.UnreadableSecret, match="hãy nhập lại mật khẩu"):
            settings.gateway_password(row)
        with pytest.raises(gateway.GatewayError, match="SECRET_KEY") as refused:
            with gateway.open_client(row):
                pass
        assert refused.value.retry is False  # nothing to retry until someone types it again
    finally:
        sealed.configure(app.config["SECRET_KEY"])
