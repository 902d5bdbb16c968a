"""Flask's signed-cookie session, with the check of a cookie already seen remembered."""
import time

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

_SCALARS = (str, int, float, bool, type(None))


class RememberingSessionInterface(SecureCookieSessionInterface):
    """Each request of a browser sends the same signed cookie until the session changes; verifying its
    signature and decoding it cost about as much as saving a grade cell's value. The first time a
    cookie is seen it is checked as Flask does; after that its contents are taken from memory, still
    refused once older than the session's lifetime. Only sessions of plain values (no lists, no dicts:
    flashed messages) are remembered, so a request can never change what another one reads.

    Remembering a cookie never keeps a session alive: the cookie carries the account's session epoch
    from its sign-in, and the user loader compares it with the account row (models.people.accounts.end_sessions),
    read from models/reference_cache.py. Sign-out, a password change, a reset or disabling an account
    raise the epoch: in this process at once, in another process within the cache's TTL (5 s).
    """

    MAX_REMEMBERED = 10_000

    def __init__(self):
        self._seen: dict[str, tuple[dict, float]] = {}

    def open_session(self, app, request):
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return super().open_session(app, request)
        max_age = app.permanent_session_lifetime.total_seconds()
        known = self._seen.get(value)
        if known is not None and time.time() - known[1] <= max_age:
            return self.session_class(known[0])
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        try:
            data, signed_at = serializer.loads(value, max_age=int(max_age), return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(isinstance(v, _SCALARS) for v in data.values()):
            if len(self._seen) >= self.MAX_REMEMBERED:
                self._seen.clear()
            self._seen[value] = (data, signed_at.timestamp())
        return self.session_class(data)
