"""The QR code printed beside every "Mã xác thực": it opens /verify/<code> on the school's address.

The address is the PUBLIC_URL setting (README, Settings); segno draws the code in pure Python and the
print templates embed it as a data: URI PNG, which xhtml2pdf reads without touching the network or the
resource policy's folder.
"""
import functools

from flask import current_app

DEFAULT_PUBLIC_URL = "http://localhost:8080"  # python app.py's own address; a school sets its real one


def public_url() -> str:
    return (current_app.config.get("PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/")


def verify_url(code: str) -> str:
    return f"{public_url()}/verify/{code}"


@functools.lru_cache(maxsize=4096)
def _png_uri(url: str) -> str:
    import segno

    # level M survives a crease or a smudge; a 1-module border is enough on a white page
    return segno.make(url, error="m", micro=False).png_data_uri(scale=4, border=1)


def qr_data_uri(code: str) -> str:
    """A PNG data: URI of the QR code of /verify/<code> ("" without a code, e.g. the browser preview)."""
    return _png_uri(verify_url(code)) if code else ""
