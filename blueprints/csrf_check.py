"""The CSRF check of every form post and htmx request, with a token already verified remembered."""
from flask import Flask, current_app, request, session
from flask_wtf.csrf import CSRFProtect

MAX_REMEMBERED = 10_000
_verified: dict[str, str] = {}  # signed token → the session secret it was verified against


def install(app: Flask, csrf: CSRFProtect) -> None:
    """Run Flask-WTF's check from our own hook, as Flask-WTF documents for a custom check
    (WTF_CSRF_CHECK_DEFAULT = False, then `csrf.protect()`).

    A grade grid sends the same X-CSRFToken with every cell it saves. Once a token has been verified
    against the session's CSRF secret, the same token with the same secret is accepted without checking
    its signature again: the answer could not differ. Only while tokens do not expire
    (WTF_CSRF_TIME_LIMIT = None, this app's setting); with a time limit every token is checked.
    """
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False

    @app.before_request
    def _check_csrf():
        config = current_app.config
        if not config["WTF_CSRF_ENABLED"] or request.method not in config["WTF_CSRF_METHODS"]:
            return
        token = request.headers.get("X-CSRFToken")
        secret = session.get(config["WTF_CSRF_FIELD_NAME"])
        remember = token and secret and config["WTF_CSRF_TIME_LIMIT"] is None
        if remember and _verified.get(token) == secret:
            return
        csrf.protect()  # refuses with a 400 (CSRFError) when the token is missing or wrong
        if remember:
            if len(_verified) >= MAX_REMEMBERED:
                _verified.clear()
            _verified[token] = secret
