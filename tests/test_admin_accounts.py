"""The admin's account pages: create, roles, password reset, disable, unlock; every change audited."""
import re
from datetime import datetime, timedelta

from models.audit.log import AuditEntry
from models.core import write_transaction
from models.people.accounts import User, suggest_username, temporary_password
from models.people.records import create_staff
from tests.conftest import Auth


def _new_staff(name="Nguyễn Văn Bảo"):
    with write_transaction():
        return create_staff({"full_name": name, "gender": "Nam"}, 2024)


def _shown_password(html: str) -> str:
    match = re.search(r'class="mono temporary-password">([^<]+)<', html)
    assert match, "the temporary password is not on the page"
    return match.group(1)


def _audit(action, user_id):
    return list(AuditEntry.select().where((AuditEntry.action == action) & (AuditEntry.entity == "account")
                                          & (AuditEntry.entity_id == str(user_id))))


def test_temporary_password_is_readable_and_random():
    first, second = temporary_password(), temporary_password()
    assert re.fullmatch(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", first)
    assert first != second


def test_username_suggestion_is_ascii_and_unique(school):
    assert suggest_username("Đặng Thị Ánh") == "dangthianh"
    assert suggest_username("Giáo Viên Admin") == "giaovienadmin"
    User.update(username="dangthianh").where(User.username == "admin").execute()
    assert suggest_username("Đặng Thị Ánh") == "dangthianh2"


def test_list_shows_accounts_roles_homeroom_and_staff_without_account(client, login_as, school):
    login_as("admin")
    staff = _new_staff()
    html = client.get("/admin/accounts").get_data(as_text=True)
    assert "chunhiem" in html and "Lớp 6A1" in html  # homeroom of 6A1 this year
    assert '<span class="badge role">Tổ trưởng chuyên môn</span>' in html
    assert "Nguyễn Văn Bảo" in html and f"/admin/accounts/new?staff_id={staff.id}" in html
    assert "Tạo tài khoản" in html
    only_nurses = client.get("/admin/accounts?role=nurse").get_data(as_text=True)
    assert "yte" in only_nurses and "ketoan" not in only_nurses
    found = client.get("/admin/accounts?q=ke toan", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "ketoan" in found and "yte" not in found and "<html" not in found


def test_create_account_for_staff_member(client, login_as, school):
    auth = login_as("admin")
    staff = _new_staff()
    form = client.get(f"/admin/accounts/new?staff_id={staff.id}").get_data(as_text=True)
    assert 'value="nguyenvanbao"' in form
    resp = auth.post(f"/admin/accounts/new?staff_id={staff.id}",
                     {"staff_id": staff.id, "username": "NguyenVanBao", "roles": ["teacher", "nurse"]})
    assert resp.status_code == 200
    password = _shown_password(resp.get_data(as_text=True))
    user = User.get(User.username == "nguyenvanbao")
    assert user.staff_id == staff.id and user.full_name == "Nguyễn Văn Bảo"
    assert user.roles == {"teacher", "nurse"}
    assert user.must_change_password is True
    created = _audit("create", user.id)
    assert len(created) == 1 and created[0].username == "admin"
    assert created[0].after_data["roles"] == ["nurse", "teacher"]
    # the temporary password signs in and leads straight to the password change
    auth.logout()
    other = Auth(client)
    signed_in = other.login("nguyenvanbao", password)
    assert signed_in.status_code == 302 and signed_in.location.endswith("/account/password")
    assert client.get("/teacher/").location.endswith("/account/password")


def test_duplicate_username_is_refused(client, login_as, school):
    auth = login_as("admin")
    staff = _new_staff()
    before = (User.select().count(), AuditEntry.select().count())
    resp = auth.post("/admin/accounts/new", {"staff_id": staff.id, "username": "giaovien", "roles": ["teacher"]})
    assert resp.status_code == 422
    assert "Tên đăng nhập “giaovien” đã có người dùng." in resp.get_data(as_text=True)
    assert (User.select().count(), AuditEntry.select().count()) == before
    assert not User.select().where(User.staff == staff).exists()


def test_bad_create_input_gives_vietnamese_messages(client, login_as, school):
    auth = login_as("admin")
    staff = _new_staff()
    before = User.select().count()
    cases = [
        ({"username": "", "roles": ["teacher"]}, "Vui lòng nhập tên đăng nhập."),
        ({"username": "bảo", "roles": ["teacher"]}, "chỉ gồm chữ không dấu"),
        ({"username": "nguyenvanbao"}, "Vui lòng chọn ít nhất một vai trò."),
        ({"username": "nguyenvanbao", "roles": ["superuser"]}, "Vai trò không hợp lệ."),
    ]
    for data, message in cases:
        resp = auth.post(f"/admin/accounts/new?staff_id={staff.id}", {"staff_id": staff.id, **data})
        assert resp.status_code == 422, data
        assert message in resp.get_data(as_text=True), data
    # a staff member who already has an account
    giaovien = school["staff"]["giaovien"]
    resp = auth.post("/admin/accounts/new", {"staff_id": giaovien.id, "username": "gv2", "roles": ["teacher"]})
    assert resp.status_code == 422 and "đã có tài khoản" in resp.get_data(as_text=True)
    assert User.select().count() == before


def test_roles_edit_is_audited_with_before_and_after(client, login_as, school):
    auth = login_as("admin")
    user = school["users"]["giaovien"]
    resp = auth.post(f"/admin/accounts/{user.id}", {"action": "roles", "roles": ["teacher", "head_of_department"],
                                                    "roles_reason": "Bổ nhiệm tổ trưởng"})
    assert resp.status_code == 303
    assert User.get_by_id(user.id).roles == {"teacher", "head_of_department"}
    entry = _audit("roles", user.id)[-1]
    assert entry.before_data == {"roles": ["teacher"]}
    assert entry.after_data == {"roles": ["head_of_department", "teacher"]}
    assert entry.reason == "Bổ nhiệm tổ trưởng"
    page = client.get(f"/admin/accounts/{user.id}").get_data(as_text=True)
    assert "Đổi vai trò" in page and "Giáo viên bộ môn → " in page


def test_roles_edit_needs_a_reason_and_a_role(client, login_as, school):
    auth = login_as("admin")
    user = school["users"]["giaovien"]
    count = AuditEntry.select().count()
    no_reason = auth.post(f"/admin/accounts/{user.id}", {"action": "roles", "roles": ["nurse"]})
    assert no_reason.status_code == 422 and "Vui lòng nhập lí do." in no_reason.get_data(as_text=True)
    no_role = auth.post(f"/admin/accounts/{user.id}", {"action": "roles", "roles_reason": "x"})
    assert no_role.status_code == 422 and "Vui lòng chọn ít nhất một vai trò." in no_role.get_data(as_text=True)
    assert User.get_by_id(user.id).roles == {"teacher"}
    assert AuditEntry.select().count() == count


def test_admin_cannot_remove_own_admin_role(client, login_as, school):
    auth = login_as("admin")
    me = school["users"]["admin"]
    resp = auth.post(f"/admin/accounts/{me.id}", {"action": "roles", "roles": ["teacher"], "roles_reason": "thử"})
    assert resp.status_code == 422
    assert "Bạn không thể tự bỏ vai trò quản trị của chính mình." in resp.get_data(as_text=True)
    assert User.get_by_id(me.id).roles == {"admin"}
    assert not _audit("roles", me.id)


def test_reset_password_unlocks_and_forces_a_change(client, login_as, school):
    auth = login_as("admin")
    user = school["users"]["giaovien"]
    User.update(locked_until=datetime.now() + timedelta(minutes=10), failed_logins=3).where(
        User.id == user.id).execute()
    resp = auth.post(f"/admin/accounts/{user.id}", {"action": "reset_password"})
    assert resp.status_code == 200
    password = _shown_password(resp.get_data(as_text=True))
    fresh = User.get_by_id(user.id)
    assert fresh.locked_until is None and fresh.failed_logins == 0
    assert fresh.must_change_password is True and fresh.check_password(password)
    assert len(_audit("reset_password", user.id)) == 1
    auth.logout()
    signed_in = Auth(client).login("giaovien", password)
    assert signed_in.status_code == 302 and signed_in.location.endswith("/account/password")


def test_unlock_clears_the_lock_and_is_audited(client, login_as, school):
    auth = login_as("admin")
    user = school["users"]["giaovien"]
    until = datetime.now() + timedelta(minutes=10)
    User.update(locked_until=until, failed_logins=0).where(User.id == user.id).execute()
    assert "Mở khoá ngay" in client.get(f"/admin/accounts/{user.id}").get_data(as_text=True)
    assert auth.post(f"/admin/accounts/{user.id}", {"action": "unlock"}).status_code == 303
    assert User.get_by_id(user.id).locked_until is None
    entry = _audit("unlock", user.id)[0]
    assert entry.after_data == {"locked_until": None} and entry.before_data["locked_until"]
    again = auth.post(f"/admin/accounts/{user.id}", {"action": "unlock"})
    assert again.status_code == 422 and "không bị khoá" in again.get_data(as_text=True)
    assert len(_audit("unlock", user.id)) == 1


def test_disable_blocks_login_and_enable_restores_it(client, login_as, school):
    auth = login_as("admin")
    user = school["users"]["giaovien"]
    no_reason = auth.post(f"/admin/accounts/{user.id}", {"action": "disable"})
    assert no_reason.status_code == 422 and "Vui lòng nhập lí do." in no_reason.get_data(as_text=True)
    assert User.get_by_id(user.id).is_enabled
    resp = auth.post(f"/admin/accounts/{user.id}", {"action": "disable", "reason": "Chuyển công tác"})
    assert resp.status_code == 303
    assert not User.get_by_id(user.id).is_enabled
    entry = _audit("disable", user.id)[0]
    assert entry.before_data == {"enabled": True} and entry.after_data == {"enabled": False}
    assert entry.reason == "Chuyển công tác"
    auth.logout()
    refused = Auth(client).login("giaovien")
    assert refused.status_code != 302 and "vô hiệu hoá" in refused.get_data(as_text=True)
    auth.login("admin")
    assert auth.post(f"/admin/accounts/{user.id}", {"action": "enable", "reason": "Trở lại"}).status_code == 303
    assert User.get_by_id(user.id).is_enabled and len(_audit("enable", user.id)) == 1


def test_admin_cannot_disable_self(client, login_as, school):
    auth = login_as("admin")
    me = school["users"]["admin"]
    resp = auth.post(f"/admin/accounts/{me.id}", {"action": "disable", "reason": "thử"})
    assert resp.status_code == 422
    assert "Bạn không thể vô hiệu hoá tài khoản của chính mình." in resp.get_data(as_text=True)
    assert User.get_by_id(me.id).is_enabled
    assert not _audit("disable", me.id)


def test_unknown_action_is_refused(client, login_as, school):
    auth = login_as("admin")
    user = school["users"]["giaovien"]
    assert auth.post(f"/admin/accounts/{user.id}", {"action": "delete"}).status_code == 400
    assert User.get_or_none(User.id == user.id) is not None


def test_non_admin_gets_403(client, login_as, school):
    auth = login_as("hieutruong")
    user = school["users"]["giaovien"]
    staff = _new_staff()
    assert client.get("/admin/accounts").status_code == 403
    assert client.get(f"/admin/accounts/new?staff_id={staff.id}").status_code == 403
    resp = auth.post(f"/admin/accounts/{user.id}", {"action": "disable", "reason": "x"})
    assert resp.status_code == 403
    assert User.get_by_id(user.id).is_enabled


# --- lock-outs: the admin sees them all and ends one early ----------------------------------------------

def _lock_address(address: str):
    from models.people.accounts import LoginFailure
    from models.rules.passwords import ADDRESS_LOCKOUT_THRESHOLD

    now = datetime.now()
    with write_transaction():
        LoginFailure.insert_many([{"address": address, "username": f"thu{i % 3}", "at": now - timedelta(seconds=i)}
                                  for i in range(ADDRESS_LOCKOUT_THRESHOLD)]).execute()


def test_lockouts_page_lists_locked_accounts_and_computers(client, login_as, school):
    auth = login_as("admin")
    user = school["users"]["ketoan"]
    User.update(locked_until=datetime.now() + timedelta(minutes=10)).where(User.id == user.id).execute()
    _lock_address("10.0.0.7")
    assert "Xem các khoá đăng nhập" in client.get("/admin/accounts").get_data(as_text=True)
    html = auth.client.get("/admin/lockouts").get_data(as_text=True)
    assert "ketoan" in html and "10.0.0.7" in html and "thu0, thu1, thu2" in html
    assert html.count("Mở khoá ngay") == 2


def test_clearing_a_computers_lockout_lets_it_sign_in_and_is_audited(app, client, login_as, school):
    auth = login_as("admin")
    _lock_address("10.0.0.7")
    staff_room = Auth(app.test_client())
    staff_room.client.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    assert "Máy này đã nhập sai" in staff_room.login("giaovien").get_data(as_text=True)
    resp = auth.post("/admin/lockouts", {"kind": "address", "key": "10.0.0.7", "reason": "Phòng giáo viên"})
    assert resp.status_code == 303
    entry = AuditEntry.get((AuditEntry.action == "unlock_address") & (AuditEntry.entity_id == "10.0.0.7"))
    assert entry.reason == "Phòng giáo viên" and entry.after_data == {"locked_until": None}
    assert staff_room.login("giaovien").status_code == 302
    again = auth.post("/admin/lockouts", {"kind": "address", "key": "10.0.0.7"})
    assert again.status_code == 422 and "không bị khoá" in again.get_data(as_text=True)
    assert "Hiện không có" in client.get("/admin/lockouts").get_data(as_text=True)


def test_clearing_an_accounts_lockout_from_the_list_is_audited(client, login_as, school):
    auth = login_as("admin")
    user = school["users"]["ketoan"]
    User.update(locked_until=datetime.now() + timedelta(minutes=10)).where(User.id == user.id).execute()
    resp = auth.post("/admin/lockouts", {"kind": "account", "key": str(user.id)})
    assert resp.status_code == 303
    assert User.get_by_id(user.id).locked_until is None
    assert len(_audit("unlock", user.id)) == 1


def test_a_bad_lockout_clear_is_refused_and_changes_nothing(client, login_as, school):
    auth = login_as("admin")
    count = AuditEntry.select().count()
    assert auth.post("/admin/lockouts", {"kind": "table", "key": "1"}).status_code == 400
    assert auth.post("/admin/lockouts", {"kind": "account", "key": "99999999999999999999"}).status_code == 404
    assert AuditEntry.select().count() == count


def test_the_lockouts_page_is_for_the_admin_only(client, login_as, school):
    login_as("hieutruong")
    assert client.get("/admin/lockouts").status_code == 403
