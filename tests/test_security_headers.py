"""The headers blueprints/security_headers.py adds to every answer, and what it leaves alone."""
from blueprints.security_headers import SecurityHeaders


def _answer(path, headers):
    seen = {}

    def app(environ, start_response):
        start_response("200 OK", list(headers))
        return [b""]

    def start_response(status, final, exc_info=None):
        seen["headers"] = final

    SecurityHeaders(app)({"PATH_INFO": path}, start_response)
    return seen["headers"]


def test_a_page_gets_every_header_once():
    headers = _answer("/teacher/gradebook", [("Content-Type", "text/html")])
    names = [name for name, _ in headers]
    assert len(names) == len(set(names))
    found = dict(headers)
    assert found["X-Frame-Options"] == "DENY" and found["Cache-Control"] == "no-store"
    assert found["Vary"] == "HX-Request" and "frame-ancestors 'none'" in found["Content-Security-Policy"]


def test_a_view_s_own_headers_are_kept_and_vary_is_merged():
    headers = _answer("/print/x.pdf", [("Cache-Control", "private, max-age=60"), ("vary", "Cookie"),
                                       ("X-Frame-Options", "SAMEORIGIN")])
    found = dict(headers)
    assert found["Cache-Control"] == "private, max-age=60" and found["X-Frame-Options"] == "SAMEORIGIN"
    assert found["Vary"] == "Cookie, HX-Request" and "vary" not in found
    assert dict(_answer("/x", [("Vary", "HX-Request")]))["Vary"] == "HX-Request"


def test_static_files_may_be_cached():
    found = dict(_answer("/static/app.js", [("Content-Type", "text/javascript")]))
    assert "Cache-Control" not in found and "Vary" not in found
    assert found["X-Content-Type-Options"] == "nosniff"


def test_the_app_answers_with_them(client, school):
    resp = client.get("/login")
    assert resp.headers["Cache-Control"] == "no-store" and "HX-Request" in resp.headers["Vary"]
    static = client.get("/static/js/grid.js")
    assert static.status_code == 200 and static.headers.get("Cache-Control") != "no-store"
