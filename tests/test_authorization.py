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
    # the giám thị writes; the heads read (the school's week ranking itself is at /print/ for every staff member)
    "discipline": {"giamthi", "admin", "hieutruong", "phohieutruong"},
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


# --- the blueprints several roles share: print/, corrections/, verify -----------------------------------------
OFFICE = {"admin", "hieutruong", "phohieutruong"}
BOARD = {"hieutruong", "phohieutruong"}
TEACHING = {"totruong", "giaovien", "chunhiem"}
EVERYONE = set(ACCOUNTS)
# endpoint → the accounts that may reach it at all; on a page about one object (a class, a student, a request)
# the set holds everyone who could own such an object, and the object guards refuse the others (their own tests)
SHARED_ACCESS = {
    "corrections.apply": {"admin"}, "corrections.apply_queue": {"admin"},
    "corrections.approval_queue": BOARD, "corrections.approve": BOARD, "corrections.reject": BOARD,
    "corrections.head_queue": {"totruong"}, "corrections.confirm": {"totruong"},
    "corrections.return_request": {"totruong"},
    "corrections.detail": OFFICE | TEACHING, "corrections.evidence": OFFICE | TEACHING,
    "corrections.edit": TEACHING, "corrections.new": TEACHING, "corrections.mine": EVERYONE,
    "print.archive_page": {"admin"}, "print.archive_start": {"admin"}, "print.archive_progress": {"admin"},
    "print.archive_download": {"admin"}, "print.start_job": {"admin"},
    "print.sheets_overview": OFFICE, "print.job": OFFICE, "print.job_download": OFFICE,
    "print.attendance_sheet": OFFICE | {"chunhiem"}, "print.attendance_sheet_pdf": OFFICE | {"chunhiem"},
    "print.record_sheet_step": OFFICE | {"chunhiem"},
    "print.class_book_page": OFFICE | {"chunhiem"}, "print.class_book_pdf": OFFICE | {"chunhiem"},
    "print.class_book_build": OFFICE | {"chunhiem"}, "print.class_book_job": OFFICE | {"chunhiem"},
    "print.hoc_ba": OFFICE | {"chunhiem"}, "print.hoc_ba_pdf": OFFICE | {"chunhiem"},
    "print.primary_summary_page": OFFICE | {"chunhiem"}, "print.primary_summary_pdf": OFFICE | {"chunhiem"},
    "print.primary_hoc_ba": OFFICE | {"chunhiem"}, "print.primary_hoc_ba_pdf": OFFICE | {"chunhiem"},
    "print.disclosure": EVERYONE, "print.disclosure_pdf": EVERYONE,  # công khai tài chính: every staff member
    "print.emulation_week": EVERYONE, "print.emulation_week_pdf": EVERYONE,  # thi đua tuần: the whole school
    "print.homeroom_book_page": OFFICE | {"chunhiem"}, "print.homeroom_book_pdf": OFFICE | {"chunhiem"},
    "print.teacher_book": OFFICE | TEACHING, "print.teacher_book_pdf": OFFICE | TEACHING,
    "verify.verify_form": OFFICE | TEACHING, "verify.verify_code": OFFICE | TEACHING,
}


def _shared_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".", 1)[0] in ("print", "corrections", "verify"):
            url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule).replace("/1/1", "/1/2024-10")
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                # corrections.new is about the cell its query string names
                yield rule.endpoint, method, url, "<" in rule.rule or rule.endpoint == "corrections.new"


def test_every_shared_endpoint_says_who_may_use_it(app):
    endpoints = {endpoint for endpoint, _, _, _ in _shared_routes(app)}
    assert endpoints == set(SHARED_ACCESS), (f"not in SHARED_ACCESS: {endpoints - set(SHARED_ACCESS)}; "
                                             f"gone: {set(SHARED_ACCESS) - endpoints}")


@pytest.mark.parametrize("username", sorted(ACCOUNTS))
def test_shared_endpoints_refuse_who_may_not_use_them(app, client, login_as, username):
    from models.audit.log import AuditEntry

    auth = login_as(username)
    checked = 0
    for endpoint, method, url, about_an_object in _shared_routes(app):
        if username in SHARED_ACCESS[endpoint]:
            continue
        before = AuditEntry.select().where(AuditEntry.action == "refused").count()
        resp = client.get(url) if method == "GET" else auth.post(url, data={})
        # a page about an object that does not exist may answer 404 before it asks who you are
        allowed = (403, 404) if about_an_object else (403,)
        assert resp.status_code in allowed, f"{username} {method} {url} → {resp.status_code}"
        if resp.status_code == 403:  # every refusal is kept in the audit log
            assert AuditEntry.select().where(AuditEntry.action == "refused").count() == before + 1, url
        checked += 1
    assert checked > 0 or username in OFFICE


def test_every_refusal_in_the_blueprints_goes_through_refuse():
    """No bare abort(403) outside guards.refuse: a refusal is always audited."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "blueprints"
    bare = [f"{p.relative_to(root)}:{n}" for p in root.rglob("*.py")
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if "abort(403)" in line and p.name != "guards.py"]
    assert not bare, bare
