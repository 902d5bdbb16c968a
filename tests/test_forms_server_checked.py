"""Forms are checked by the server in Vietnamese: no browser checks (English "Please fill out this field",
a maxlength that silently cuts a pasted name), novalidate on every form with fields, a too-long value
refused with its limit."""
import re

import pytest

from models.people.records import Student
from tests.test_admin_people import PROFILE

_BROWSER_CHECK = re.compile(r"<(?:input|select|textarea)\b[^>]*\s(?:required|maxlength|minlength|pattern)\b", re.S)
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
_FIELD = re.compile(r"<(?:textarea|select)\b|<input\b(?![^>]*type=\"hidden\")", re.S)


def _admin_pages(app) -> list[str]:
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if rule.endpoint.startswith("admin.") and "GET" in rule.methods and not rule.arguments
                  and not rule.rule.endswith((".xlsx", "/template")))


def _check_page(path: str, html: str) -> None:
    found = _BROWSER_CHECK.search(html)
    assert found is None, (path, found.group(0)[:200])
    for attrs, body in _FORM.findall(html):
        if "post" in attrs.lower() and _FIELD.search(body):
            assert "novalidate" in attrs, (path, attrs[:200])


def test_admin_pages_leave_checks_to_the_server(app, client, login_as, school):
    login_as("admin")
    pages = _admin_pages(app)
    assert "/admin/students/new" in pages and "/admin/school" in pages
    for path in pages + [f"/admin/locks?semester_id={school['year'].semesters[0].id}",
                         f"/admin/staff/{school['staff']['giaovien'].id}/edit"]:
        resp = client.get(path)
        if resp.status_code != 200:
            continue
        _check_page(path, resp.get_data(as_text=True))


def test_a_250_character_name_is_refused_with_the_limit_not_cut(client, login_as, school):
    admin = login_as("admin")
    page = client.get("/admin/students/new").get_data(as_text=True)
    name_input = re.search(r'<input[^>]*name="full_name"[^>]*>', page).group(0)
    assert "maxlength" not in name_input and " required" not in name_input
    assert 'aria-required="true"' in name_input
    before = Student.select().count()
    long_name = " ".join(["Nguyễn"] * 36)[:250]
    resp = admin.post("/admin/students/new", {**PROFILE, "full_name": long_name,
                                              "class_id": str(school["classes"]["6A2"].id), "joined_on": "06/09/2024"})
    assert resp.status_code == 422
    assert "Tối đa 100 ký tự." in resp.get_data(as_text=True)
    assert Student.select().count() == before


@pytest.mark.parametrize("path", ["/verify"])
def test_an_empty_verification_code_gets_a_vietnamese_message(client, login_as, path):
    login_as("admin")
    resp = client.get(path + "?code=")
    assert resp.status_code == 422
    assert "Vui lòng nhập mã in ở chân trang." in resp.get_data(as_text=True)
    page = client.get(path).get_data(as_text=True)
    assert "novalidate" in page and not _BROWSER_CHECK.search(page)
