"""The school's Android phone running "SMS Gateway for Android" in local-server mode, through its Python
client (`android-sms-gateway`): send one notice with its idempotency key as the message id, read a
message's state back.

The gateway keeps each message under the id we give it and refuses a second message with the same id
(409): so a notice whose send was interrupted can be asked about, or sent again, without reaching the
family twice.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import requests
from android_sms_gateway import APIClient, domain, errors
from android_sms_gateway.http import RequestsHttpClient

from models.core import sealed
from models.families import settings as family_settings
from models.families.settings import FamilySettings

TIMEOUT = 15  # seconds for one request to the phone on the LAN

# the gateway's ProcessState → our state: Pending/Processed are on the phone, on their way
STATE_MAP = {"Pending": "sent", "Processed": "sent", "Sent": "sent", "Delivered": "delivered",
             "Failed": "failed", "Cancelled": "failed", "Cancelling": "failed"}


class GatewayError(Exception):
    """The phone did not take the message. `retry`: worth trying again later (no answer, busy, 5xx)."""

    def __init__(self, message: str, retry: bool):
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class GatewayState:
    state: str  # our state (STATE_MAP)
    raw: str  # the gateway's own word
    error: str = ""


class _Session(requests.Session):
    """requests has no default timeout: a phone that stops answering must not hang the sender."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


@contextmanager
def open_client(settings: FamilySettings) -> Iterator[APIClient]:
    """A client for the phone named in the settings, its HTTP session closed afterwards."""
    if not settings.gateway_url:
        raise GatewayError("Chưa cài đặt địa chỉ máy chủ SMS của điện thoại (Quản trị › Thông báo gia đình).",
                           retry=False)
    if not settings.gateway_password:
        raise GatewayError("Chưa cài đặt mật khẩu máy chủ SMS của điện thoại.", retry=False)
    try:
        password = family_settings.gateway_password(settings)
    except sealed.UnreadableSecret as exc:
        raise GatewayError(str(exc), retry=False) from None
    session = _Session()
    try:
        yield APIClient(settings.gateway_login or None, password, base_url=settings.gateway_url,
                        http=RequestsHttpClient(session))
    finally:
        session.close()


def _state(message_state: domain.MessageState) -> GatewayState:
    raw = message_state.state.value
    error = next((r.error for r in message_state.recipients if r.error), "") or ""
    return GatewayState(STATE_MAP.get(raw, "sent"), raw, error)


def _failure(exc: Exception) -> GatewayError:
    if isinstance(exc, errors.APIError):
        status = getattr(exc, "status_code", None) or 0
        retry = status >= 500 or status in (401, 403, 408, 429)  # credentials may be fixed in the settings
        return GatewayError(f"Máy chủ SMS trả lỗi {status}.", retry=retry)
    if isinstance(exc, requests.RequestException):
        return GatewayError("Không kết nối được điện thoại gửi SMS.", retry=True)
    return GatewayError(f"Lỗi khi gửi SMS: {exc}", retry=True)


def send(client: APIClient, key: str, phone: str, text: str) -> GatewayState:
    """Hand one SMS to the phone under the id `key`. A 409 (that id is already there: an earlier try that
    was accepted before we could note it) reads the existing message's state instead of sending again."""
    message = domain.Message(phone_numbers=[phone], text_message=domain.TextMessage(text=text), id=key,
                             with_delivery_report=True)
    try:
        return _state(client.send(message))
    except errors.APIError as exc:
        if getattr(exc, "status_code", None) == 409:
            found = state_of(client, key)
            if found is not None:
                return found
        raise _failure(exc) from exc
    except Exception as exc:  # the client raises what its HTTP library raises
        raise _failure(exc) from exc


def state_of(client: APIClient, key: str) -> GatewayState | None:
    """The message's state on the phone, or None when the phone has no message with that id."""
    try:
        return _state(client.get_state(key))
    except errors.NotFoundError:
        return None
    except Exception as exc:
        raise _failure(exc) from exc
