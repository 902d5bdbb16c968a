"""What a request may carry is checked at the boundary: control characters, integers beyond 64 bits,
oversized bodies. Each is a clear Vietnamese 4xx and nothing changes, on SQLite and PostgreSQL alike."""
import io
import json
import re

import pytest
from werkzeug.routing import IntegerConverter

from blueprints.nfc_request import (
    INT64_MAX,
    SMALL_BODY_MAX,
    ControlCharacterRefused,
    Int64Converter,
    bounded_int,
    refuse_control_characters,
)
from models.gradebook.marks import MarkCell
from models.people.records import Student

HUGE = "99999999999999999999"  # 20 digits: beyond a 64-bit integer
CONTROL_MESSAGE = "ký tự điều khiển"


# --- control characters (NUL and the like) -------------------------------------------------------------

def test_refuse_control_characters_lets_text_breaks_through_only_where_allowed():
    refuse_control_characters("Nguyễn Văn A")
    refuse_control_characters("dòng 1\r\ndòng 2\tcột", allow_text_breaks=True)
    for bad in ("\x00", "a\x00b", "\x1b[31m", "\x7f", "\x85"):
        with pytest.raises(ControlCharacterRefused):
            refuse_control_characters(bad, allow_text_breaks=True)
    with pytest.raises(ControlCharacterRefused):
        refuse_control_characters("a\tb")  # a query string or a path holds no tab


@pytest.mark.parametrize("full_name", ["Nguyễn\x00Văn A", "\x00", "Lê\x07Văn B"])
def test_a_student_named_with_a_control_character_is_refused_and_not_stored(login_as, school, full_name):
    auth = login_as("admin")
    c = school["classes"]["6A2"]
    count = Student.select().count()
    resp = auth.post(f"/admin/students/new?class_id={c.id}",
                     data={"full_name": full_name, "date_of_birth": "01/02/2013", "gender": "Nam",
                           "class_id": str(c.id)})
    assert resp.status_code == 400
    assert CONTROL_MESSAGE in resp.get_data(as_text=True)
    assert Student.select().count() == count


def test_a_sign_in_with_a_nul_in_the_username_is_refused(client, school):
    from tests.conftest import csrf_token

    token = csrf_token(client, "/login")
    resp = client.post("/login", data={"username": "admin\x00", "password": "x", "csrf_token": token})
    assert resp.status_code == 400
    assert CONTROL_MESSAGE in resp.get_data(as_text=True)


@pytest.mark.parametrize(("username", "path"), [("yte", "/nurse/?q=a%00b"), ("admin", "/admin/students?q=%00"),
                                                ("admin", "/admin/students%00"), ("admin", "/admin/audit?q=%1b")])
def test_a_control_character_in_a_query_or_path_is_a_400(login_as, username, path):
    auth = login_as(username)
    resp = auth.client.get(path)
    assert resp.status_code == 400
    assert CONTROL_MESSAGE in resp.get_data(as_text=True)


def test_an_htmx_request_gets_the_message_as_a_toast(login_as, school):
    auth = login_as("giaovien")
    resp = auth.htmx_post(f"/teacher/gradebook/{school['assignment'].id}/1/cell",
                          {"student_id": school["students"]["Nguyễn Thị An"].id, "kind": "gk", "idx": 1,
                           "row": 1, "value": "8\x00", "version": 0})
    assert resp.status_code == 400
    assert CONTROL_MESSAGE in json.loads(resp.headers["HX-Trigger"])["showMessage"]["text"]


def test_a_json_body_with_a_nul_is_refused(client, school):
    resp = client.post("/login", json={"username": "admin\x00"})
    assert resp.status_code == 400
    assert CONTROL_MESSAGE in resp.get_data(as_text=True)


def test_a_text_area_may_carry_line_breaks_and_tabs(login_as, school):
    auth = login_as("admin")
    resp = auth.client.get("/admin/students?q=An")
    assert resp.status_code == 200
    resp = auth.post("/admin/students/new", data={"full_name": "Trần\tVăn\nCường"})
    assert resp.status_code != 400  # the form's own validation speaks, not the boundary


# --- integers beyond 64 bits ---------------------------------------------------------------------------

def test_bounded_int():
    assert bounded_int("9223372036854775807") == INT64_MAX
    for bad in ("9223372036854775808", HUGE, "-9223372036854775809", "x"):
        with pytest.raises(ValueError):
            bounded_int(bad)


def _int_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if any(isinstance(conv, IntegerConverter) for conv in rule._converters.values())]


def test_every_int_converter_in_the_url_map_is_bounded(app):
    rules = _int_rules(app)
    assert len(rules) > 50
    for rule in rules:
        for name, conv in rule._converters.items():
            if isinstance(conv, IntegerConverter):
                assert isinstance(conv, Int64Converter), f"{rule.rule}: <int:{name}> is not bounded"
                assert conv.max <= INT64_MAX


def _url_with(rule, value: str) -> str:
    """The rule's URL with `value` for every int and a plain word for any other part."""
    return re.sub(r"<(?:[^>:]+:)?([^>]+)>",
                  lambda m: value if isinstance(rule._converters[m.group(1)], IntegerConverter) else "x", rule.rule)


@pytest.mark.parametrize("username", ["admin", "giaovien"])
def test_every_rule_with_an_int_in_its_url_answers_404_for_an_integer_beyond_64_bits(app, login_as, username):
    auth = login_as(username)
    for rule in _int_rules(app):
        url = _url_with(rule, HUGE)
        method = "GET" if "GET" in rule.methods else "POST"
        resp = auth.client.open(url, method=method, headers={"X-CSRFToken": auth.token})
        # a path served by two rules (GET by one view, POST by another) may be answered 405 by the router
        shared_path = any(r.rule == rule.rule and r.methods != rule.methods for r in app.url_map.iter_rules())
        assert resp.status_code in ((404, 405) if shared_path else (404,)), f"{method} {url}: {resp.status_code}"


def test_a_cell_save_for_a_student_id_beyond_64_bits_is_a_400(login_as, school):
    auth = login_as("giaovien")
    resp = auth.htmx_post(f"/teacher/gradebook/{school['assignment'].id}/1/cell",
                          {"student_id": HUGE, "kind": "gk", "idx": 1, "row": 1, "value": "8", "version": 0})
    assert resp.status_code == 400


def test_an_attendance_save_for_a_student_id_beyond_64_bits_is_a_400(login_as, school):
    auth = login_as("chunhiem")
    c = school["classes"]["6A1"]
    resp = auth.htmx_post(f"/homeroom/class/{c.id}/attendance/2024-10/cell",
                          {"student_id": HUGE, "day": 1, "session": 1, "version": 0, "value": "P"})
    assert resp.status_code in (400, 404)
    assert resp.status_code != 500


@pytest.mark.parametrize("path", ["/admin/students?class_id=" + HUGE, "/admin/staff?department_id=" + HUGE,
                                  "/admin/audit?page=" + HUGE, "/admin/accounts/new?staff_id=" + HUGE])
def test_a_query_id_beyond_64_bits_is_ignored_not_a_500(login_as, school, path):
    auth = login_as("admin")
    assert auth.client.get(path).status_code in (200, 404)


# --- oversized bodies ----------------------------------------------------------------------------------

def test_an_oversized_mark_is_refused_with_413_before_parsing_and_not_echoed(login_as, school):
    auth = login_as("giaovien")
    student = school["students"]["Nguyễn Thị An"]
    value = "9" * (11 * 1024 * 1024)
    resp = auth.htmx_post(f"/teacher/gradebook/{school['assignment'].id}/1/cell",
                          {"student_id": student.id, "kind": "gk", "idx": 1, "row": 1, "value": value,
                           "version": 0})
    assert resp.status_code == 413
    assert len(resp.get_data()) < 10_000
    assert "quá lớn" in json.loads(resp.headers["HX-Trigger"])["showMessage"]["text"]
    assert MarkCell.get_or_none((MarkCell.student == student.id) & (MarkCell.kind == "gk")) is None


def test_a_small_form_just_over_the_limit_is_413_and_an_upload_keeps_its_own_limit(login_as, school):
    auth = login_as("admin")
    resp = auth.post("/admin/students/new", data={"full_name": "A" * SMALL_BODY_MAX})
    assert resp.status_code == 413
    assert "Dữ liệu quá lớn" in resp.get_data(as_text=True)
    # an Excel class list is far larger than a form and still reaches its own checks
    upload = io.BytesIO(b"x" * (SMALL_BODY_MAX * 4))
    resp = auth.post("/admin/students/import", data={"file": (upload, "lop.xlsx")},
                     content_type="multipart/form-data")
    assert resp.status_code != 413
