"""The SMS sender: takes queued notices from the database and hands them to the school's Android phone.

Runs as its own process: `flask --app app send-notices` (README, "Notices to families"). Never the same
notice twice, even when the process is killed mid-batch:

1. claim: the notice goes pending → sending in its own committed transaction (a conditional UPDATE, so
   two senders never claim one notice);
2. send: one request to the phone with the notice's idempotency key as the message id;
3. note: sending → sent (or back to pending with a back-off, or failed) in another committed transaction.

A process killed between 1 and 3 leaves the notice in "sending". The next start asks the phone about each
such notice by its id before anything else: if the phone has it, it is noted as sent (it is not sent
again); if not, it goes back to pending and is sent under the same id. The phone refuses a second message
with an id it already holds, which covers a request still in flight when the process died.

Retries wait `backoff_seconds(attempts)` (30 s, 1 min, 2 min … 1 h); after `max_attempts` the notice fails
with the reason. Sends are spaced by the settings' rate (messages per minute). Delivery reports are read
back for notices sent in the last three days.
"""
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from models.audit.log import record
from models.core import write_transaction
from models.families import gateway, settings
from models.families.notices import FamilyNotice, set_state
from models.rules.family_sms import backoff_seconds

POLL_DAYS = 3


def _log_nothing(_text: str) -> None:
    pass


def due(now: datetime, limit: int = 50) -> list[FamilyNotice]:
    return list(FamilyNotice.select()
                .where((FamilyNotice.state == "pending") & FamilyNotice.queued_at.is_null(False)
                       & (FamilyNotice.next_attempt_at <= now))
                .order_by(FamilyNotice.next_attempt_at, FamilyNotice.id).limit(limit))


def _claim(notice: FamilyNotice) -> bool:
    with write_transaction():
        taken = (FamilyNotice.update(state="sending", version=FamilyNotice.version + 1)
                 .where((FamilyNotice.id == notice.id) & (FamilyNotice.state == "pending")).execute())
        if taken:
            record("notice_sending", "family_notice", notice.id, before={"state": "pending"},
                   after={"state": "sending", "key": notice.key})
    return bool(taken)


def _note(notice_id: int, result: gateway.GatewayState, now: datetime) -> None:
    with write_transaction():
        notice = FamilyNotice.get_by_id(notice_id)
        fields = {"gateway_state": result.raw, "sent_at": notice.sent_at or now}
        if result.state == "delivered":
            set_state(notice, "delivered", "notice_delivered", delivered_at=now, **fields)
        elif result.state == "failed":
            set_state(notice, "failed", "notice_failed", error=result.error or f"Điện thoại báo: {result.raw}",
                       **fields)
        else:
            set_state(notice, "sent", "notice_sent", **fields)


def _retry_or_fail(notice_id: int, error: gateway.GatewayError, max_attempts: int, now: datetime) -> None:
    with write_transaction():
        notice = FamilyNotice.get_by_id(notice_id)
        attempts = notice.attempts + 1
        if error.retry and attempts < max_attempts:
            set_state(notice, "pending", "notice_retry", attempts=attempts, error=str(error),
                       next_attempt_at=now + timedelta(seconds=backoff_seconds(attempts)))
        else:
            set_state(notice, "failed", "notice_failed", attempts=attempts, error=str(error))


def recover(client, log: Callable[[str], None] = _log_nothing) -> int:
    """Notices left in "sending" by a sender that stopped: noted from the phone's answer, or put back."""
    stuck = list(FamilyNotice.select().where(FamilyNotice.state == "sending").order_by(FamilyNotice.id))
    for notice in stuck:
        found = gateway.state_of(client, notice.key)
        if found is not None:
            _note(notice.id, found, datetime.now())
            log(f"notice {notice.id}: already on the phone ({found.raw})")
        else:
            with write_transaction():
                set_state(FamilyNotice.get_by_id(notice.id), "pending", "notice_retry")
            log(f"notice {notice.id}: not on the phone, will be sent")
    return len(stuck)


def poll_states(client, now: datetime) -> int:
    """Read delivery reports back for SMS notices still "sent"; returns how many changed."""
    changed = 0
    waiting = list(FamilyNotice.select().where(
        (FamilyNotice.state == "sent") & (FamilyNotice.channel == "sms")
        & (FamilyNotice.sent_at >= now - timedelta(days=POLL_DAYS))).order_by(FamilyNotice.id))
    for notice in waiting:
        found = gateway.state_of(client, notice.key)
        if found is not None and found.state != "sent":
            _note(notice.id, found, now)
            changed += 1
    return changed


def send_due(client, config: settings.FamilySettings, sleep: Callable[[float], None] = time.sleep,
             log: Callable[[str], None] = _log_nothing, stop: Callable[[], bool] = lambda: False) -> int:
    """Send every notice due now, spaced by the rate limit; returns how many were handed to the phone."""
    interval = 60.0 / max(1, config.rate_per_minute)
    handed = 0
    last = None
    while not stop():
        batch = due(datetime.now())
        if not batch:
            break
        for notice in batch:
            if stop():
                break
            if last is not None:
                wait = interval - (time.monotonic() - last)
                if wait > 0:
                    sleep(wait)
            if not _claim(notice):
                continue
            last = time.monotonic()
            try:
                result = gateway.send(client, notice.key, notice.phone, notice.sms)
            except gateway.GatewayError as error:
                _retry_or_fail(notice.id, error, config.max_attempts, datetime.now())
                log(f"notice {notice.id}: {error}")
                continue
            _note(notice.id, result, datetime.now())
            handed += 1
            log(f"notice {notice.id}: {result.raw}")
    return handed


def run(once: bool = False, poll_seconds: float = 10.0, stop: Callable[[], bool] = lambda: False,
        sleep: Callable[[float], None] = time.sleep, log: Callable[[str], None] = _log_nothing,
        client_factory: Callable = gateway.open_client) -> None:
    """The sender's loop. `once`: recover, send what is due, read states back, and return."""
    recovered = False
    while not stop():
        config = settings.current()
        try:
            with client_factory(config) as client:
                if not recovered:
                    recover(client, log)
                    recovered = True
                send_due(client, config, sleep, log, stop)
                poll_states(client, datetime.now())
        except gateway.GatewayError as error:  # the phone is unreachable or not set up: try again later
            log(str(error))
        if once:
            return
        sleep(poll_seconds)
