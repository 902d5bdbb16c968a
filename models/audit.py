"""The append-only, hash-chained audit log and its one writer."""
import hashlib
import json
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from peewee import CharField, DateTimeField, IntegerField, TextField

from models import DeletionRefused, KeptModel, db, is_sqlite

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who is writing: set once per request (or per CLI command) and read by the audit writer."""

    user_id: int | None
    username: str
    address: str = ""


SYSTEM = Actor(None, "hệ thống", "")
_actor: ContextVar[Actor] = ContextVar("audit_actor", default=SYSTEM)


def set_actor(actor: Actor):
    return _actor.set(actor)


def reset_actor(token) -> None:
    _actor.reset(token)


def current_actor() -> Actor:
    return _actor.get()


def _default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def canonical(value) -> str:
    """Stable JSON for hashing and storing before/after values."""
    if value is None:
        return ""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_default, separators=(",", ":"))


class AuditEntry(KeptModel):
    at = DateTimeField(index=True)
    user_id = IntegerField(null=True, index=True)
    username = CharField()
    address = CharField(default="")
    action = CharField(index=True)
    entity = CharField(index=True)
    entity_id = CharField(index=True)
    before = TextField(default="")
    after = TextField(default="")
    reason = TextField(default="")
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64, unique=True)

    def save(self, *args, **kwargs):
        if self.id is not None and not kwargs.get("force_insert"):
            raise DeletionRefused("audit entries are never changed")
        return super().save(*args, **kwargs)

    def content_hash(self) -> str:
        # the stored text is what is hashed, so verification needs no reformatting
        payload = "\x1f".join([
            self.prev_hash,
            self.at.isoformat(timespec="microseconds"),
            "" if self.user_id is None else str(self.user_id),
            self.username,
            self.address,
            self.action,
            self.entity,
            self.entity_id,
            self.before,
            self.after,
            self.reason,
        ])
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @property
    def before_data(self):
        return json.loads(self.before) if self.before else None

    @property
    def after_data(self):
        return json.loads(self.after) if self.after else None

    @classmethod
    def head(cls) -> str:
        last = cls.select(cls.hash).order_by(cls.id.desc()).first()
        return last.hash if last else GENESIS


def record(action: str, entity: str, entity_id, before=None, after=None, reason: str = "",
           actor: Actor | None = None) -> AuditEntry:
    """Append one entry; call inside write_transaction() so the entry commits with the change."""
    if not db.in_transaction():
        raise RuntimeError("audit.record must run inside write_transaction()")
    if not is_sqlite():
        # postgres: serialise chain appends; sqlite already has one writer under BEGIN IMMEDIATE
        db.execute_sql("SELECT pg_advisory_xact_lock(727274)")
    actor = actor or current_actor()
    entry = AuditEntry(
        at=datetime.now(),
        user_id=actor.user_id,
        username=actor.username,
        address=actor.address or "",
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=canonical(before),
        after=canonical(after),
        reason=reason or "",
        prev_hash=AuditEntry.head(),
    )
    entry.hash = entry.content_hash()
    entry.save(force_insert=True)
    return entry


@dataclass
class ChainReport:
    ok: bool
    count: int
    first_broken_id: int | None = None
    problem: str = ""


def verify_chain() -> ChainReport:
    """Walk the whole chain; report the first entry whose link or content does not match."""
    previous = GENESIS
    count = 0
    for entry in AuditEntry.select().order_by(AuditEntry.id).iterator():
        count += 1
        if entry.prev_hash != previous:
            return ChainReport(False, count, entry.id, "liên kết với mục trước bị đứt (có mục bị xoá hoặc sửa)")
        if entry.content_hash() != entry.hash:
            return ChainReport(False, count, entry.id, "nội dung mục đã bị sửa sau khi ghi")
        previous = entry.hash
    return ChainReport(True, count)
