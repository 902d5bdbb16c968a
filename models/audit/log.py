"""The append-only, hash-chained audit log and its one writer."""
import hashlib
import json
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from peewee import CharField, DateTimeField, IntegerField, TextField

from models.audit import vocabulary
from models.core import DeletionRefused, KeptModel, db, is_sqlite
from models.core.prepared import Prepared

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


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=_default, separators=(",", ":"))


def canonical(value) -> str:
    """Stable JSON for hashing and storing before/after values."""
    if value is None:
        return ""
    return _CANONICAL.encode(value)


def _content_hash(prev_hash: str, at: datetime, user_id, username: str, address: str, action: str, entity: str,
                  entity_id: str, before: str, after: str, reason: str) -> str:
    # the stored text is what is hashed, so verification needs no reformatting
    payload = "\x1f".join([prev_hash, at.isoformat(timespec="microseconds"), "" if user_id is None else str(user_id),
                           username, address, action, entity, entity_id, before, after, reason])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AuditEntry(KeptModel):
    at = DateTimeField(index=True)
    user_id = IntegerField(null=True, index=True)
    username = CharField()
    address = CharField(default="")
    action = CharField(index=True)
    entity = CharField()  # (entity, entity_id): one index, see Meta
    entity_id = CharField()
    before = TextField(default="")
    after = TextField(default="")
    reason = TextField(default="")
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64)  # no index: every save writes one, and the chain is checked by walking it

    class Meta:
        indexes = ((("entity", "entity_id"), False),)

    def save(self, *args, **kwargs):
        if self.id is not None and not kwargs.get("force_insert"):
            raise DeletionRefused("audit entries are never changed")
        return super().save(*args, **kwargs)

    def content_hash(self) -> str:
        return _content_hash(self.prev_hash, self.at, self.user_id, self.username, self.address, self.action,
                             self.entity, self.entity_id, self.before, self.after, self.reason)

    @property
    def before_data(self):
        return json.loads(self.before) if self.before else None

    @property
    def after_data(self):
        return json.loads(self.after) if self.after else None

    @classmethod
    def head(cls) -> str:
        last = _HEAD_ROW.first()
        return last[1] if last else GENESIS


# built once: peewee's SQL building cost more than the two statements themselves, inside the write lock
_FIELDS = ("at", "user_id", "username", "address", "action", "entity", "entity_id", "before", "after", "reason",
           "prev_hash", "hash")
_HEAD_ROW = Prepared(lambda: AuditEntry.select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc())
                     .limit(1).tuples(), 0)
_HEAD_BEFORE = Prepared(lambda entry_id: AuditEntry.select(AuditEntry.hash).where(AuditEntry.id < entry_id)
                        .order_by(AuditEntry.id.desc()).limit(1).tuples(), 1)
_RELINK = Prepared(lambda prev_hash, new_hash, entry_id: AuditEntry.update(prev_hash=prev_hash, hash=new_hash)
                   .where(AuditEntry.id == entry_id), 3)
_INSERT = Prepared(lambda *values: AuditEntry.insert(**dict(zip(_FIELDS, values, strict=True))), len(_FIELDS))


def record(action: str, entity: str, entity_id, before=None, after=None, reason: str = "",
           actor: Actor | None = None) -> AuditEntry:
    """Append one entry; call inside write_transaction() so the entry commits with the change."""
    if not db.in_transaction():
        raise RuntimeError("audit.record must run inside write_transaction()")
    if action not in vocabulary.ACTIONS or entity not in vocabulary.ENTITIES:
        vocabulary.check(action, entity)  # raises: a code without a label never reaches the log
    sqlite = is_sqlite()
    if not sqlite:
        # postgres: serialise chain appends; sqlite already has one writer under BEGIN IMMEDIATE
        db.execute_sql("SELECT pg_advisory_xact_lock(727274)")
    actor = actor or current_actor()
    # the row as a list in _FIELDS order, hashed and inserted as is; the model instance is built once, at the end
    row = [datetime.now(), actor.user_id, actor.username, actor.address or "", action, entity, str(entity_id),
           canonical(before), canonical(after), reason or "", "", ""]
    head = _known_head() if sqlite else (None, AuditEntry.head())
    row[10] = head[1]
    row[11] = _content_hash(row[10], *row[:10])
    entry_id = _INSERT.insert(*row)
    if sqlite and entry_id != head[0] + 1:  # another process appended since this one last committed: link to theirs
        before_row = _HEAD_BEFORE.first(entry_id)
        row[10] = before_row[0] if before_row else GENESIS
        row[11] = _content_hash(row[10], *row[:10])
        _RELINK.run(row[10], row[11], entry_id)
    if sqlite:
        _remember_head(entry_id, row[11])
    return AuditEntry(id=entry_id, **dict(zip(_FIELDS, row, strict=True)))


# sqlite: the chain's head as this process last committed it, so that an append need not read it first.
# Under BEGIN IMMEDIATE nobody else writes during the transaction; a write by another process between two
# transactions shows as a new id other than head + 1 (ids are the rowid: the largest one + 1) and the entry
# is re-linked above. A head appended inside a transaction becomes the known one only when it commits.
_committed_head: tuple = (None, 0, GENESIS)  # (database, id, hash)


def _known_head() -> tuple[int, str]:
    pending = getattr(db.top_transaction(), "audit_head", None)
    if pending is not None:
        return pending
    database, entry_id, entry_hash = _committed_head
    if database is db.obj:
        return entry_id, entry_hash
    row = _HEAD_ROW.first()
    return (row[0], row[1]) if row else (0, GENESIS)


def _remember_head(entry_id: int, entry_hash: str) -> None:
    database = db.obj
    db.top_transaction().audit_head = (entry_id, entry_hash)

    def committed():
        global _committed_head
        _committed_head = (database, entry_id, entry_hash)

    db.after_commit(committed)


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
    # tuples, not model instances: building an instance per entry cost more than hashing it
    rows = (AuditEntry.select(AuditEntry.id, *[getattr(AuditEntry, f) for f in _FIELDS])
            .order_by(AuditEntry.id).tuples().iterator())
    for entry_id, *fields in rows:
        count += 1
        prev_hash, entry_hash = fields[10], fields[11]
        if prev_hash != previous:
            return ChainReport(False, count, entry_id, "liên kết với mục trước bị đứt (có mục bị xoá hoặc sửa)")
        if _content_hash(prev_hash, *fields[:10]) != entry_hash:
            return ChainReport(False, count, entry_id, "nội dung mục đã bị sửa sau khi ghi")
        previous = entry_hash
    return ChainReport(True, count)


# --- admin: browsing the log -------------------------------------------------------------------------

import math  # noqa: E402
from datetime import timedelta  # noqa: E402

from peewee import fn  # noqa: E402

PAGE_SIZE = 50

# the one vocabulary of codes and labels, declared beside nothing else (see models/audit_vocabulary.py)
ACTION_LABELS, ENTITY_LABELS, FIELD_LABELS = vocabulary.ACTIONS, vocabulary.ENTITIES, vocabulary.FIELDS
action_label = vocabulary.action_label
entity_label = vocabulary.entity_label
field_label = vocabulary.field_label


@dataclass
class LogFilter:
    """What the admin asked for on the audit page; empty fields do not filter."""

    text: str = ""
    entity: str = ""
    action: str = ""
    username: str = ""
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    people_codes: list[str] = field(default_factory=list)  # students and staff whose name matched `text`
    account_ids: list[str] = field(default_factory=list)  # accounts whose name matched `text`


def _text_condition(text: str, people_codes: list[str], account_ids: list[str]):
    """Entity id, username (accent-insensitive), or one of the people (by code) or accounts (by id) whose
    name matched the text (found by the people area: see people.accounts.log_subjects)."""
    from models.rules.text import fold

    key = fold(text)
    condition = fn.LOWER(AuditEntry.entity_id) == text.lower()
    if len(text) >= 3:
        condition |= fn.LOWER(AuditEntry.entity_id).contains(text.lower())
    if not key:
        return condition
    words = key.split(" ")
    usernames = [u for u in distinct_values(AuditEntry.username) if all(w in fold(u) for w in words)]
    if usernames:
        condition |= AuditEntry.username.in_(usernames)
    # students and staff are logged by their code, accounts by their id
    if people_codes:
        condition |= AuditEntry.entity.in_(["student", "staff"]) & AuditEntry.entity_id.in_(people_codes)
    if account_ids:
        condition |= (AuditEntry.entity == "account") & AuditEntry.entity_id.in_(account_ids)
    return condition


def log_query(f: LogFilter):
    """The entries matching the filter, newest first."""
    q = AuditEntry.select()
    if f.text:
        q = q.where(_text_condition(f.text, f.people_codes, f.account_ids))
    if f.entity:
        q = q.where(AuditEntry.entity == f.entity)
    if f.action:
        q = q.where(AuditEntry.action == f.action)
    if f.username:
        q = q.where(AuditEntry.username == f.username)
    if f.date_from:
        q = q.where(AuditEntry.at >= datetime.combine(f.date_from, datetime.min.time()))
    if f.date_to:
        q = q.where(AuditEntry.at < datetime.combine(f.date_to + timedelta(days=1), datetime.min.time()))
    return q.order_by(AuditEntry.id.desc())


@dataclass
class LogPage:
    entries: list
    total: int
    page: int
    pages: int


def log_page(f: LogFilter, page: int = 1, per_page: int = PAGE_SIZE) -> LogPage:
    """One page of the filtered log; a page past the end shows the last one."""
    q = log_query(f)
    total = q.count()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    return LogPage(list(q.paginate(page, per_page)), total, page, pages)


def distinct_values(column) -> list[str]:
    """The distinct values of one column, for the filter selects."""
    return [row[0] for row in AuditEntry.select(column).distinct().order_by(column).tuples()]


def entries_about(entity: str, entity_id, limit: int = 100) -> list[AuditEntry]:
    """The latest entries about one thing, newest first."""
    return list(AuditEntry.select()
                .where((AuditEntry.entity == entity) & (AuditEntry.entity_id == str(entity_id)))
                .order_by(AuditEntry.id.desc()).limit(limit))


def neighbours(entry: AuditEntry) -> tuple[AuditEntry | None, AuditEntry | None]:
    """The entries written just before and just after this one."""
    older = AuditEntry.select().where(AuditEntry.id < entry.id).order_by(AuditEntry.id.desc()).first()
    newer = AuditEntry.select().where(AuditEntry.id > entry.id).order_by(AuditEntry.id).first()
    return older, newer
