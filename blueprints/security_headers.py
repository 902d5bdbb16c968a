"""The security headers every answer carries, added where the answer leaves the application."""

# a content-security-policy with no inline script or style: every script is a static file
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'self'; object-src 'none'")

ALWAYS = (
    ("Content-Security-Policy", CSP),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
STATIC_PREFIX = "/static/"


class SecurityHeaders:
    """WSGI middleware: adds each header of ALWAYS the answer lacks; pages (not static files) also get
    `Cache-Control: no-store` and `Vary: HX-Request` (a page and its htmx fragment share one address).

    Done on the raw header list: werkzeug's Headers.setdefault scans the list per call, and this runs
    on every grade-cell save.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        page = not environ.get("PATH_INFO", "").startswith(STATIC_PREFIX)

        def start(status, headers, exc_info=None):
            present = {name.lower(): i for i, (name, _) in enumerate(headers)}
            headers.extend(header for header in ALWAYS if header[0].lower() not in present)
            if page:
                if "cache-control" not in present:
                    headers.append(("Cache-Control", "no-store"))
                vary = present.get("vary")
                if vary is None:
                    headers.append(("Vary", "HX-Request"))
                elif "hx-request" not in headers[vary][1].lower():
                    headers[vary] = ("Vary", f"{headers[vary][1]}, HX-Request")
            return start_response(status, headers, exc_info)

        return self.app(environ, start)
