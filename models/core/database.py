"""Opening the configured database and bringing its schema up to date."""
import os
from pathlib import Path
from urllib.parse import urlparse

from peewee import Database
from playhouse.db_url import connect
from playhouse.migrations import Runner
from playhouse.pool import PooledSqliteDatabase

from models.core import db

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    # full: an acknowledged write survives a power cut; measured to cost nothing visible here.
    "synchronous": "full",
    "cache_size": -32000,
}


def sqlite_url_for(path: str | os.PathLike) -> str:
    return "sqlite:///" + os.path.abspath(path)


def open_database(url: str) -> Database:
    """Build a peewee database from a DATABASE_URL (sqlite:///path or postgresql://...)."""
    parsed = urlparse(url)
    if parsed.scheme in ("sqlite", "sqlite+pool"):
        # sqlite:///relative.db or sqlite:////absolute/path.db, as playhouse.db_url reads them
        path = url.split(":///", 1)[1].split("?", 1)[0]
        # pooled connections: closing the last wal connection checkpoints, costing ~2 ms a request.
        return PooledSqliteDatabase(
            path,
            pragmas=SQLITE_PRAGMAS,
            timeout=10,
            lock_type="IMMEDIATE",
            check_same_thread=False,
            max_connections=32,
            stale_timeout=300,
        )
    if parsed.scheme in ("postgres", "postgresql", "postgresql+pool", "postgres+pool"):
        scheme = "postgresql+pool"
        rest = url.split("://", 1)[1]
        sep = "&" if "?" in rest else "?"
        extra = "prefer_psycopg3=true&max_connections=32&stale_timeout=300"
        return connect(f"{scheme}://{rest}{sep}{extra}")
    raise ValueError(f"unsupported DATABASE_URL scheme: {parsed.scheme}")


def bind_database(database: Database) -> None:
    from models.core import reference_cache

    db.initialize(database)
    reference_cache.install(database)


def migrate() -> list[str]:
    """Apply pending migrations; returns the names applied."""
    return Runner(db.obj, directory=MIGRATIONS_DIR).up()
