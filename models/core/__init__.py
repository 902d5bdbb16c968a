"""The database core: the proxy `db`, the base models, `write_transaction()`, connecting and migrating,
prepared queries, the rows kept between requests, group commit and sealed secrets. Every other area builds on it.

The modules and names other areas may import are listed in __all__ (tests/test_layers.py holds them to it).
"""
import threading
from contextlib import contextmanager

from peewee import DatabaseProxy, Model, SqliteDatabase

__all__ = ["database", "prepared", "reference_cache", "group_commit", "sealed",
           "db", "BaseModel", "KeptModel", "DeletionRefused", "row_id", "is_sqlite", "write_transaction"]

db = DatabaseProxy()

# sqlite has one writer at a time; without a process-wide lock its busy handler sleep-polls
# with growing back-off and the slowest saves waited over a second (docs/measurements.md §1).
_write_lock = threading.RLock()


class DeletionRefused(Exception):
    """Raised when code tries to delete a record the school must keep forever."""


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class KeptModel(BaseModel):
    """A record that is never deleted: people, marks, attendance, payments, audit entries."""

    def delete_instance(self, *args, **kwargs):
        raise DeletionRefused(f"{type(self).__name__} records are never deleted")

    @classmethod
    def delete(cls):
        raise DeletionRefused(f"{cls.__name__} records are never deleted")


def row_id(row) -> int:
    """The id of a row given as a model instance or already as its id."""
    return row if isinstance(row, int) else row.id


def is_sqlite() -> bool:
    return isinstance(db.obj, SqliteDatabase)


@contextmanager
def write_transaction():
    """Open a write transaction: BEGIN IMMEDIATE under the process-wide lock on sqlite."""
    if is_sqlite():
        with _write_lock:
            with db.atomic() as tx:
                yield tx
    else:
        with db.atomic() as tx:
            yield tx
