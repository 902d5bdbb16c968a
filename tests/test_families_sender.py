"""The SMS sender against a fake "SMS Gateway for Android" on loopback: texts without diacritics under the
notice's idempotency key, delivery states read back, retries with back-off, and never a notice twice, even
when the sender is killed mid-batch (SIGKILL) and started again."""
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from models.audit.log import AuditEntry
from models.core import write_transaction
from models.families import notices, sender, settings
from models.families.notices import FamilyNotice
from tests.fake_sms_gateway import LOGIN, PASSWORD, FakeGateway

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2024, 12, 2)


def use_gateway(url: str, rate: int = 120) -> None:
    settings.save_settings({"channel": "sms", "gateway_url": url, "gateway_login": LOGIN,
                            "gateway_password": PASSWORD, "rate_per_minute": rate}, None)


def queued(school, count: int) -> list[FamilyNotice]:
    """`count` urgent notices to 6A1's families, queued for the sender."""
    students = [s for name, s in school["students"].items() if name != "Bùi Thị Cúc"][:count]
    with write_transaction():
        for i, s in enumerate(students):
            s.mother_phone = f"09123456{i:02d}"
            s.save()
    made = notices.create_notice("urgent", school["classes"]["6A1"], students, DAY,
                                 "Chiều nay trường cho học sinh nghỉ học do bão.", school["users"]["chunhiem"])
    assert notices.queue_for_sms(made) == (len(made), 0, 0)
    return made


def no_sleep(_seconds):
    pass


def test_queued_notices_are_sent_once_and_come_back_delivered(school):
    with FakeGateway() as gw:
        use_gateway(gw.url)
        made = queued(school, 3)
        sender.run(once=True, sleep=no_sleep)
        assert gw.ids() == [n.key for n in made]
        first = gw.accepted[0]
        assert first["phoneNumbers"] == ["0912345600"]
        assert first["textMessage"]["text"].startswith("Truong THCS Kiem Thu thong bao khan toi gia dinh em ")
        assert first["withDeliveryReport"] is True
        states = [(n.state, n.gateway_state, n.channel) for n in FamilyNotice.select().order_by(FamilyNotice.id)]
        assert states == [("delivered", "Delivered", "sms")] * 3
        # a second run sends nothing more
        sender.run(once=True, sleep=no_sleep)
        assert gw.posts == 3
    actions = [e.action for e in AuditEntry.select().where((AuditEntry.entity == "family_notice")
                                                           & (AuditEntry.entity_id == str(made[0].id)))
               .order_by(AuditEntry.id)]
    assert actions == ["create", "notice_queue", "notice_sending", "notice_sent", "notice_delivered"]


def test_a_busy_phone_is_retried_with_back_off_and_a_bad_phone_fails_at_once(school):
    with FakeGateway(fail_first=1, status="Sent") as gw:
        use_gateway(gw.url)
        made = queued(school, 2)
        before = datetime.now()
        sender.run(once=True, sleep=no_sleep)
        first = FamilyNotice.get_by_id(made[0].id)
        assert (first.state, first.attempts) == ("pending", 1)
        assert "503" in first.error
        assert timedelta(seconds=29) <= first.next_attempt_at - before <= timedelta(seconds=40)
        assert FamilyNotice.get_by_id(made[1].id).state == "sent"
        sender.run(once=True, sleep=no_sleep)  # not due yet: nothing sent
        assert gw.posts == 2
        with write_transaction():
            FamilyNotice.update(next_attempt_at=datetime.now()).where(FamilyNotice.id == first.id).execute()
        sender.run(once=True, sleep=no_sleep)
        assert FamilyNotice.get_by_id(first.id).state == "sent"
        assert sorted(gw.ids()) == sorted(n.key for n in made)
    # a landline cannot get an SMS: failed with the reason, never sent to the phone
    s = school["students"]["Bùi Thị Cúc"]
    with write_transaction():
        s.father_phone = "024 3826 1234"
        s.save()
    landline = notices.create_notice("urgent", school["classes"]["6A2"], [s], DAY, "Họp phụ huynh", None)
    assert notices.queue_for_sms(landline) == (0, 1, 0)
    assert FamilyNotice.get_by_id(landline[0].id).state == "failed"


def test_after_too_many_tries_a_notice_fails(school):
    with FakeGateway(fail_first=100) as gw:
        use_gateway(gw.url)
        made = queued(school, 1)
        for _ in range(6):
            with write_transaction():
                FamilyNotice.update(next_attempt_at=datetime.now()).where(FamilyNotice.id == made[0].id).execute()
            sender.run(once=True, sleep=no_sleep)
        notice = FamilyNotice.get_by_id(made[0].id)
        assert (notice.state, notice.attempts) == ("failed", 6)


def test_rate_limit_spaces_the_sends(school):
    waits = []
    with FakeGateway(status="Sent") as gw:
        use_gateway(gw.url, rate=30)
        queued(school, 3)
        sender.run(once=True, sleep=waits.append)
    assert len(waits) == 2 and all(1.5 < w <= 2.0 for w in waits)


def test_a_notice_left_sending_is_asked_about_before_anything_is_sent(school):
    with FakeGateway() as gw:
        use_gateway(gw.url)
        made = queued(school, 2)
        # the first reached the phone before the sender died; the second never left
        gw.accepted.append({"id": made[0].key, "phoneNumbers": ["0912345600"], "textMessage": {"text": "x"}})
        with write_transaction():
            FamilyNotice.update(state="sending").where(FamilyNotice.id.in_([n.id for n in made])).execute()
        sender.run(once=True, sleep=no_sleep)
        assert gw.posts == 1  # only the second
        assert gw.ids() == [made[0].key, made[1].key]
        assert {n.state for n in FamilyNotice.select()} == {"delivered"}


def _sender_process(app, *args):
    env = dict(os.environ, DATABASE_URL=app.config["DATABASE_URL"], SECRET_KEY="test-secret")
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "send-notices", *args], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.mark.live
def test_a_sender_killed_mid_batch_sends_each_remaining_notice_exactly_once(app, school):
    # each POST is answered 0.4 s after the phone took the message: a kill in that gap leaves a notice
    # "sending" that the phone already holds
    with FakeGateway(delay=0.4) as gw:
        use_gateway(gw.url)
        made = queued(school, 7)
        proc = _sender_process(app, "--poll", "0.2")
        deadline = time.time() + 60
        while len(gw.ids()) < 3 and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.1)  # inside the next POST's answer delay
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        taken = len(gw.ids())
        assert 3 <= taken < len(made), "the sender must be killed mid-batch"
        left_sending = FamilyNotice.select().where(FamilyNotice.state == "sending").count()
        restarted = _sender_process(app, "--once")
        out = restarted.communicate(timeout=120)[0].decode()
        assert restarted.returncode == 0, out
        keys = gw.ids()
        assert sorted(keys) == sorted(n.key for n in made), "each notice on the phone exactly once"
        assert len(set(keys)) == len(keys)
        assert {n.state for n in FamilyNotice.select()} == {"delivered"}
        assert left_sending <= 1


def test_an_unreachable_phone_or_a_wrong_password_is_retried_later(school):
    import socket

    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    use_gateway(f"http://127.0.0.1:{closed}")
    made = queued(school, 1)
    sender.run(once=True, sleep=no_sleep)
    notice = FamilyNotice.get_by_id(made[0].id)
    assert (notice.state, notice.attempts) == ("pending", 1)
    assert notice.error == "Không kết nối được điện thoại gửi SMS."
    with FakeGateway() as gw:
        settings.save_settings({"channel": "sms", "gateway_url": gw.url, "gateway_login": LOGIN,
                                "gateway_password": "wrong", "rate_per_minute": 120}, None)
        with write_transaction():
            FamilyNotice.update(next_attempt_at=datetime.now()).where(FamilyNotice.id == notice.id).execute()
        sender.run(once=True, sleep=no_sleep)
        notice = FamilyNotice.get_by_id(made[0].id)
        assert (notice.state, notice.attempts, notice.error) == ("pending", 2, "Máy chủ SMS trả lỗi 401.")
        assert gw.ids() == []
