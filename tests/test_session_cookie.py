"""The session cookie's check, remembered (blueprints/session_cookie.py): never a forged, expired or
shared-and-changed session."""
from datetime import timedelta

import pytest
from flask import request

from blueprints import session_cookie
from blueprints.session_cookie import RememberingSessionInterface


def _cookie(app, data):
    with app.test_request_context("/"):
        return app.session_interface.get_signing_serializer(app).dumps(data)


def _open(app, cookie):
    with app.test_request_context("/", headers={"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"}):
        return app.session_interface.open_session(app, request)


def test_the_app_uses_it(app):
    assert isinstance(app.session_interface, RememberingSessionInterface)


def test_a_cookie_seen_once_is_not_checked_again(app, monkeypatch):
    cookie = _cookie(app, {"_user_id": "5", "seen": 1.5})
    assert dict(_open(app, cookie)) == {"_user_id": "5", "seen": 1.5}
    monkeypatch.setattr(RememberingSessionInterface, "get_signing_serializer", lambda *a: pytest.fail("checked"))
    assert dict(_open(app, cookie)) == {"_user_id": "5", "seen": 1.5}


def test_a_forged_cookie_is_refused_even_beside_a_good_one(app):
    cookie = _cookie(app, {"_user_id": "5"})
    assert dict(_open(app, cookie)) == {"_user_id": "5"}
    payload, rest = cookie.split(".", 1)
    forged = _cookie(app, {"_user_id": "1"}).split(".", 1)[0] + "." + rest
    assert dict(_open(app, forged)) == {}


def test_an_expired_cookie_is_refused_even_when_remembered(app, monkeypatch):
    app.permanent_session_lifetime = timedelta(hours=1)
    cookie = _cookie(app, {"_user_id": "5"})
    assert dict(_open(app, cookie)) == {"_user_id": "5"}
    later = session_cookie.time.time() + 3601
    monkeypatch.setattr(session_cookie.time, "time", lambda: later)
    assert dict(_open(app, cookie)) == {}


def test_a_session_with_a_list_is_never_shared(app):
    cookie = _cookie(app, {"_user_id": "5", "_flashes": [["info", "Đã lưu"]]})
    first = _open(app, cookie)
    first["_flashes"].append(["info", "Thêm"])
    assert _open(app, cookie)["_flashes"] == [["info", "Đã lưu"]]


def test_changing_a_request_s_session_leaves_the_remembered_one(app):
    cookie = _cookie(app, {"_user_id": "5"})
    first = _open(app, cookie)
    first["_user_id"] = "6"
    assert dict(_open(app, cookie)) == {"_user_id": "5"}


def test_signing_in_and_out_still_works(client, login_as, school):
    auth = login_as("giaovien")
    assert client.get("/teacher/gradebook").status_code == 200
    assert client.get("/teacher/gradebook").status_code == 200  # the remembered cookie
    assert auth.post("/logout").status_code == 302
    assert client.get("/teacher/gradebook").status_code == 302
