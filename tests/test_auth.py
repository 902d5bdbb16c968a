"""Sign-in, lockout, forced password change, idle sessions, role homes."""
from datetime import datetime, timedelta

import pytest

from models.people.accounts import LoginFailure, User
from tests.factories import PASSWORD

HOMES = {
    "admin": "/admin/",
    "hieutruong": "/vice-principal/",
    "phohieutruong": "/vice-principal/",
    "totruong": "/teacher/",
    "giaovien": "/teacher/",
    "chunhiem": "/homeroom/",
    "yte": "/nurse/",
    "ketoan": "/accountant/",
    "giamthi": "/discipline/",
}


@pytest.mark.parametrize("username", sorted(HOMES))
def test_each_account_lands_on_its_own_home(client, login_as, username):
    login_as(username)
    resp = client.get("/")
    assert resp.status_code == 302
    assert resp.location.endswith(HOMES[username])
    page = client.get(resp.location, follow_redirects=True)
    assert page.status_code == 200
    assert "Đăng xuất" in page.get_data(as_text=True)


def test_wrong_password_is_refused_in_vietnamese(client, auth, school):
    resp = auth.login("giaovien", "sai-mat-khau")
    assert resp.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in resp.get_data(as_text=True)
    assert client.get("/teacher/").status_code == 302  # still signed out


def test_five_failures_lock_the_account_for_fifteen_minutes(client, auth, school):
    for i in range(5):
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{i + 1}"  # different machines: the account locks
        auth.login("giaovien", "sai-mat-khau")
    user = User.get(User.username == "giaovien")
    assert user.locked_until is not None
    assert timedelta(minutes=14) < user.locked_until - datetime.now() <= timedelta(minutes=15)
    # even the right password is refused while locked
    resp = auth.login("giaovien", PASSWORD)
    assert resp.status_code == 401
    assert "tạm khoá" in resp.get_data(as_text=True)
    # after the lock has passed the right password works again
    User.update(locked_until=datetime.now() - timedelta(seconds=1)).where(User.id == user.id).execute()
    LoginFailure.update(at=datetime.now() - timedelta(minutes=20)).execute()
    assert auth.login("giaovien", PASSWORD).status_code == 302


def test_many_failures_from_one_address_lock_that_address(client, auth, school):
    from models.rules.passwords import ADDRESS_LOCKOUT_THRESHOLD

    now = datetime.now()
    LoginFailure.insert_many([{"address": "127.0.0.1", "username": f"a{i}", "at": now - timedelta(seconds=i)}
                              for i in range(ADDRESS_LOCKOUT_THRESHOLD - 1)]).execute()
    assert auth.login("a-last", "sai-mat-khau").status_code == 401
    resp = auth.login("admin", PASSWORD)
    assert resp.status_code == 401
    assert "Máy này đã nhập sai quá nhiều lần" in resp.get_data(as_text=True)


def test_one_account_locked_on_a_shared_computer_does_not_lock_the_others_out(client, auth, school):
    for _ in range(5):
        auth.login("ketoan", "sai-mat-khau")
    assert "tạm khoá" in auth.login("ketoan", PASSWORD).get_data(as_text=True)
    assert auth.login("admin", PASSWORD).status_code == 302  # same computer, another account


def _count_hash_checks(monkeypatch):
    import models.people.accounts

    calls = []
    real = models.people.accounts.check_password_hash

    def counting(hashed, password):
        calls.append(hashed)
        return real(hashed, password)

    monkeypatch.setattr(models.people.accounts, "check_password_hash", counting)
    return calls


def test_an_unknown_name_costs_one_password_check_as_a_real_account_does(auth, school, monkeypatch):
    calls = _count_hash_checks(monkeypatch)
    assert auth.login("khongcoai", "sai-mat-khau").status_code == 401
    assert len(calls) == 1
    assert calls[0].split("$")[0] == User.get(User.username == "giaovien").password_hash.split("$")[0]
    assert auth.login("giaovien", "sai-mat-khau").status_code == 401
    assert len(calls) == 2


def test_a_guessable_new_password_is_refused_with_a_hint(client, login_as):
    auth = login_as("giaovien")
    for weak in ("12345678", "        x"):
        resp = auth.post("/account/password", data={"current": PASSWORD, "new": weak, "confirm": weak})
        assert resp.status_code == 422
        assert "quá dễ đoán" in resp.get_data(as_text=True)
    assert User.get(User.username == "giaovien").check_password(PASSWORD)


def test_new_account_must_change_password_before_anything_else(client, auth, school):
    User.update(must_change_password=True).where(User.username == "giaovien").execute()
    resp = auth.login("giaovien")
    assert resp.location.endswith("/account/password")
    assert client.get("/teacher/").location.endswith("/account/password")
    token = auth.token
    bad = client.post("/account/password", data={"current": PASSWORD, "new": "ngan", "confirm": "ngan",
                                                   "csrf_token": token})
    assert bad.status_code == 422
    assert "ít nhất 8 ký tự" in bad.get_data(as_text=True)
    ok = client.post("/account/password", data={"current": PASSWORD, "new": "mat-khau-moi-2024",
                                                  "confirm": "mat-khau-moi-2024", "csrf_token": token})
    assert ok.status_code == 302
    assert client.get("/teacher/").status_code == 200
    assert User.get(User.username == "giaovien").check_password("mat-khau-moi-2024")


def test_password_older_than_six_months_must_be_changed(client, auth, school):
    User.update(password_changed_at=datetime.now() - timedelta(days=200)).where(User.username == "ketoan").execute()
    auth.login("ketoan")
    resp = client.get("/accountant/")
    assert resp.status_code == 302 and resp.location.endswith("/account/password")
    assert "quá 6 tháng" in client.get("/account/password").get_data(as_text=True)


def test_disabled_account_cannot_sign_in(client, auth, school):
    User.update(is_enabled=False).where(User.username == "yte").execute()
    resp = auth.login("yte")
    assert resp.status_code == 401


def test_idle_session_ends(app, client, login_as):
    login_as("ketoan")
    with client.session_transaction() as sess:
        sess["seen"] = sess["seen"] - app.config["IDLE_MINUTES"] * 60 - 5
    resp = client.get("/accountant/")
    assert resp.status_code == 302 and "/login" in resp.location


def test_expired_session_inside_htmx_redirects_the_browser(client, school):
    resp = client.get("/teacher/", headers={"HX-Request": "true"})
    assert resp.status_code == 200
    assert resp.headers["HX-Redirect"].startswith("/login")


def test_logout_requires_post_and_csrf(client, login_as):
    auth = login_as("giaovien")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no token
    assert auth.logout().status_code == 302
    assert client.get("/teacher/").status_code == 302


def test_login_page_shows_demo_accounts_only_for_a_demo_school(client, school):
    assert "sotruong-demo" not in client.get("/login").get_data(as_text=True)
    school["school"].is_demo = True
    school["school"].save()
    assert "sotruong-demo" in client.get("/login").get_data(as_text=True)


def test_security_headers(client, school):
    resp = client.get("/login")
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    cookie = resp.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- sessions end with sign-out and with a password change, reset or disable ------------------------------

COOKIE = "sotruong_session"


def _copy_of_session(app, client):
    """A second browser holding a copy of `client`'s session cookie."""
    other = app.test_client()
    other.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return other


def test_a_copied_cookie_dies_with_the_sign_out(app, client, login_as, school):
    auth = login_as("giaovien")
    book = f"/teacher/gradebook/{school['assignment'].id}/1"
    copy = _copy_of_session(app, client)
    assert copy.get(book).status_code == 200
    assert auth.logout().status_code == 302
    resp = copy.get(book)
    assert resp.status_code == 302 and "/login" in resp.location


def test_a_password_change_ends_every_other_session_of_the_account(app, school):
    from tests.conftest import Auth

    first, second = Auth(app.test_client()), Auth(app.test_client())
    assert first.login("giaovien").status_code == 302
    assert second.login("giaovien").status_code == 302
    assert second.client.get("/teacher/").status_code == 200
    resp = first.post("/account/password", data={"current": PASSWORD, "new": "Ngọn-đèn-biển-2024",
                                                  "confirm": "Ngọn-đèn-biển-2024"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert first.client.get("/teacher/").status_code == 200  # the session that changed it goes on
    resp = second.client.get("/teacher/")
    assert resp.status_code == 302 and "/login" in resp.location


@pytest.mark.parametrize("action", ["reset_password", "disable"])
def test_an_admin_reset_or_disable_ends_the_accounts_sessions(app, login_as, school, action):
    from tests.conftest import Auth

    teacher = Auth(app.test_client())
    assert teacher.login("giaovien").status_code == 302
    admin = login_as("admin")
    user = User.get(User.username == "giaovien")
    data = {"action": action, "reason": "Máy bị mất", "confirm": "y"}
    assert admin.post(f"/admin/accounts/{user.id}", data=data).status_code in (200, 303)
    User.update(is_enabled=True).where(User.id == user.id).execute()  # even once enabled again
    resp = teacher.client.get("/teacher/")
    assert resp.status_code == 302 and "/login" in resp.location
def test_production_hashes_passwords_with_full_cost_scrypt(app, school):
    """The suite signs in with a cheap scrypt (PASSWORD_HASH_METHOD in the test config); a server
    without that setting, as every real one runs, hashes at werkzeug's full cost n=2**15."""
    user = school["users"]["giaovien"]
    del app.config["PASSWORD_HASH_METHOD"]
    with app.app_context():
        user.set_password("mat-khau-moi-2025", temporary=False)
    assert user.password_hash.startswith("scrypt:32768:8:1$")
    assert user.check_password("mat-khau-moi-2025")
    user.set_password("mat-khau-ngoai-app", temporary=False)  # outside any app: the same default
    assert user.password_hash.startswith("scrypt:32768:8:1$")


def test_test_config_hashes_cheaply(app, school):
    user = school["users"]["giaovien"]
    with app.app_context():
        user.set_password("mat-khau-moi-2025", temporary=False)
    assert user.password_hash.startswith("scrypt:128:8:1$")
    assert user.check_password("mat-khau-moi-2025")
