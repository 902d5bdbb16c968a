"""Prepared queries for the hot paths (one grade-cell save runs a dozen of them).

peewee spends far more time building a query's SQL (~0.1–0.2 ms) than SQLite spends running it
(~0.01 ms). A `Prepared` query is built once per kind of database with sentinel parameters; each
call only binds the real values and reads the rows through the query's own cursor wrapper, so the
results are the same model instances (joins included) or tuples that the peewee query would give.
The row reader peewee sets up on the first call (which column goes to which model, the converters)
is kept too: it depends only on the query and the columns, which never change.

`cached=True` keeps the raw rows in models/core/reference_cache.py (for rows that rarely change and are
read on every request): a hit runs no SQL at all and still returns new instances.
"""
from peewee import Model

from models.core import db, reference_cache

_SENTINEL_BASE = -1_000_000_007
_PER_CURSOR = ("cursor", "count", "index", "populated", "row_cache")


def _copy(row):
    """A model instance that shares nothing changeable with `row` (joined instances copied too)."""
    if isinstance(row, dict):
        return dict(row)
    if not isinstance(row, Model):
        return row  # a tuple: immutable
    copy = object.__new__(type(row))
    copy.__dict__.update(row.__dict__)
    copy.__data__ = dict(row.__data__)
    copy._dirty = set(row._dirty)
    copy.__rel__ = {name: _copy(other) for name, other in row.__rel__.items()}
    return copy


class Prepared:
    """`Prepared(lambda a, b: Model.select().where(...), 2)`; then `.first(x, y)`, `.all(x, y)` or `.run(x, y)`.

    The builder receives one sentinel per parameter and must use each exactly where the value
    goes (equality or IN lists); any other constant in it is kept as built.
    """

    def __init__(self, build, arity: int, cached: bool = False):
        self._build = build
        self._arity = arity
        self._cached = cached
        self._compiled: dict[tuple, tuple] = {}
        self._readers: dict[tuple, tuple] = {}  # key -> (wrapper class, its state after initialize())

    @staticmethod
    def _key() -> tuple:
        return (type(db.obj), db.obj.param, db.obj.quote)

    def _compile(self):
        key = self._key()
        hit = self._compiled.get(key)
        if hit is None:
            sentinels = [_SENTINEL_BASE - i for i in range(self._arity)]
            query = self._build(*sentinels)
            sql, params = query.sql()
            by_text = {str(s): i for i, s in enumerate(sentinels)}
            template = [(True, by_text[str(p)]) if str(p) in by_text else (False, p) for p in params]
            if sorted({i for is_arg, i in template if is_arg}) != list(range(self._arity)):
                raise ValueError("every parameter of a prepared query must appear in it")
            hit = (query, sql, template)
            self._compiled[key] = hit
        return hit

    def _cursor(self, args):
        query, sql, template = self._compile()
        return query, db.execute_sql(sql, [args[v] if is_arg else v for is_arg, v in template])

    def all(self, *args) -> list:
        """Every row, as the query's row type (model instances, tuples, dicts)."""
        reader = self._readers.get(self._key())
        if self._cached and reader is not None:
            cache_key = (self, db.obj, args)
            rows = reference_cache.get(cache_key)
            if rows is None:
                read_in = reference_cache.generation()
                _, cursor = self._cursor(args)
                try:
                    rows = self._rows(reader, cursor.fetchall())
                finally:
                    cursor.close()
                reference_cache.put(cache_key, rows, read_in)
            return [_copy(row) for row in rows]
        query, cursor = self._cursor(args)
        if reader is None:  # peewee reads the first result and sets up its reader; keep that
            wrapper = query._get_cursor_wrapper(cursor)
            rows = list(wrapper)
            if wrapper.initialized:
                state = {k: v for k, v in wrapper.__dict__.items() if k not in _PER_CURSOR}
                self._readers[self._key()] = (type(wrapper), state)
            return rows
        try:
            return self._rows(reader, cursor.fetchall())
        finally:
            cursor.close()

    @staticmethod
    def _rows(reader, raw: list) -> list:
        wrapper_class, state = reader
        wrapper = wrapper_class.__new__(wrapper_class)
        wrapper.__dict__.update(state)
        return [wrapper.process_row(row) for row in raw]

    def first(self, *args):
        """The first row or None."""
        rows = self.all(*args)
        return rows[0] if rows else None

    def insert(self, *args) -> int:
        """Run an INSERT; the new row's id (RETURNING on PostgreSQL, lastrowid on SQLite)."""
        _, cursor = self._cursor(args)
        row = cursor.fetchone() if cursor.description else None
        return row[0] if row else cursor.lastrowid

    def run(self, *args) -> int:
        """Run a write (UPDATE, INSERT without RETURNING); the number of rows it changed."""
        _, cursor = self._cursor(args)
        return cursor.rowcount
