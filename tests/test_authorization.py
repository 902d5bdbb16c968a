"""Every route of every role blueprint, walked from the URL map, refused to every other role."""
import re

import pytest

from tests.factories import ACCOUNTS

# who may open each role blueprint in the small school (chunhiem is homeroom of 6A1)
ALLOWED = {
    "admin": {"admin"},
    "vice_principal": {"hieutruong", "phohieutruong"},
    "teacher": {"totruong", "giaovien", "chunhiem"},
    "homeroom": {"chunhiem"},
    "nurse": {"yte", "hieutruong", "phohieutruong"},  # the heads read health data, only the nurse writes
    "accountant": {"ketoan"},
}


def _role_routes(app):
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".", 1)[0]
        if blueprint in ALLOWED:
            url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield blueprint, method, url


def test_every_role_blueprint_has_routes(app):
    blueprints = {bp for bp, _, _ in _role_routes(app)}
    assert blueprints == set(ALLOWED)


@pytest.mark.parametrize("username", sorted(ACCOUNTS))
def test_other_roles_get_403_on_every_route(app, client, login_as, username):
    auth = login_as(username)
    checked = 0
    for blueprint, method, url in _role_routes(app):
        if username in ALLOWED[blueprint]:
            continue
        if method == "GET":
            resp = client.get(url)
        else:
            resp = auth.post(url, data={}) if method == "POST" else client.open(
                url, method=method, headers={"X-CSRFToken": auth.token})
        assert resp.status_code == 403, f"{username} {method} {url} → {resp.status_code}"
        assert "Không có quyền truy cập" in resp.get_data(as_text=True)
        checked += 1
    assert checked > 0


def test_anonymous_is_sent_to_login_everywhere(app, client, school):
    for _, method, url in _role_routes(app):
        if method != "GET":
            continue
        resp = client.get(url)
        assert resp.status_code == 302 and "/login" in resp.location, url


def test_homeroom_teacher_reaches_only_their_own_class(client, login_as, school):
    login_as("chunhiem")
    own = school["classes"]["6A1"]
    other = school["classes"]["6A2"]
    assert client.get(f"/homeroom/class/{own.id}").status_code == 200
    assert client.get(f"/homeroom/class/{other.id}").status_code == 403
    cuc = school["students"]["Bùi Thị Cúc"]  # a 6A2 student, reached through 6A1's URL
    assert client.get(f"/homeroom/class/{own.id}/student/{cuc.id}").status_code == 404


def test_head_of_department_page_refused_to_plain_teacher(client, login_as, school):
    login_as("giaovien")
    assert client.get("/teacher/department").status_code == 403


def test_object_level_forgery_is_audited(client, login_as, school):
    from models.audit.log import AuditEntry

    login_as("chunhiem")
    other = school["classes"]["6A2"]
    assert client.get(f"/homeroom/class/{other.id}").status_code == 403
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert entry.action == "refused" and entry.entity == "school_class" and entry.entity_id == str(other.id)
    assert entry.username == "chunhiem"
