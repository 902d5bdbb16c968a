"""Walk the whole URL map: every page needs a signed-in user, every write needs the CSRF token."""
import re

import pytest

PUBLIC = {"auth.login", "static"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)
        yield rule.endpoint, rule.methods - {"HEAD", "OPTIONS"}, url


def test_anonymous_visitors_are_sent_to_the_login_page(app, client, school):
    checked = 0
    for endpoint, methods, url in _routes(app):
        if "GET" not in methods:
            continue
        resp = client.get(url)
        assert resp.status_code == 302 and "/login" in resp.location, f"{endpoint} {url} → {resp.status_code}"
        checked += 1
    assert checked > 50


@pytest.mark.parametrize("username", ["admin", "giaovien", "chunhiem", "phohieutruong"])
def test_every_write_without_the_csrf_token_is_refused(app, client, login_as, username):
    login_as(username)
    checked = 0
    for endpoint, methods, url in _routes(app):
        for method in methods - {"GET"}:
            resp = client.open(url, method=method, data={"value": "8"}, headers={"HX-Request": "true"})
            assert resp.status_code == 400, f"{username} {method} {endpoint} {url} → {resp.status_code}"
            checked += 1
    assert checked > 30
