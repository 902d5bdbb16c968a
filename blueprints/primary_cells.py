"""What a primary grid cell's save answers (teacher's subject cells, homeroom teacher's trait cells): one table."""
from flask import abort, request

from blueprints.nfc_request import bounded_int

STATUS = {"saved": 200, "unchanged": 200, "invalid": 422, "left": 422, "locked": 422, "conflict": 409}
CELL_CLASS = {"saved": "saved", "unchanged": "", "invalid": "error", "left": "error", "locked": "locked",
              "conflict": "conflict"}


def form_int(name: str) -> int:
    """An integer of the posted form; 400 when it is not one (or beyond 64 bits)."""
    try:
        return bounded_int(request.form.get(name, ""))
    except ValueError:
        abort(400)
