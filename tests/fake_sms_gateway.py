"""A fake "SMS Gateway for Android" local server on loopback, for the sender's tests: the endpoints the
Python client calls (POST /messages, GET /messages/<id>), Basic auth, 409 on a message id it already holds,
and a record of every message it accepted. Delivery reports come back as "Delivered" on the first read."""
import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOGIN, PASSWORD = "sms", "gateway-pass"


class FakeGateway:
    def __init__(self, delay: float = 0.0, fail_first: int = 0, status: str = "Delivered"):
        self.accepted: list[dict] = []  # every message taken, in order
        self.posts = 0  # every POST, duplicates and failures included
        self.delay = delay  # seconds before answering a POST (after the message is taken)
        self.fail_first = fail_first  # answer the first N POSTs with 503
        self.status = status  # what a later GET reports
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _auth_ok(self) -> bool:
                expected = "Basic " + base64.b64encode(f"{LOGIN}:{PASSWORD}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    self._answer(401, {"message": "unauthorized"})
                    return False
                return True

            def _answer(self, code: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                if not self._auth_ok():
                    return
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with gateway.lock:
                    gateway.posts += 1
                    if gateway.posts <= gateway.fail_first:
                        self._answer(503, {"message": "busy"})
                        return
                    if any(m["id"] == body.get("id") for m in gateway.accepted):
                        self._answer(409, {"message": "message with this id already exists"})
                        return
                    gateway.accepted.append(body)
                if gateway.delay:
                    time.sleep(gateway.delay)
                self._answer(202, gateway.state_body(body, "Pending"))

            def do_GET(self):
                if not self._auth_ok():
                    return
                key = self.path.rstrip("/").rsplit("/", 1)[-1]
                with gateway.lock:
                    found = next((m for m in gateway.accepted if m["id"] == key), None)
                if found is None:
                    self._answer(404, {"message": "message not found"})
                    return
                self._answer(200, gateway.state_body(found, gateway.status))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @staticmethod
    def state_body(message: dict, state: str) -> dict:
        return {"id": message["id"], "state": state, "isHashed": False, "isEncrypted": False,
                "recipients": [{"phoneNumber": p, "state": state} for p in message["phoneNumbers"]]}

    def ids(self) -> list[str]:
        with self.lock:
            return [m["id"] for m in self.accepted]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
