# Fewer indexes on the two tables every grade save writes: each index is one more B-tree page written
# to the WAL and synced per save. The audit log keeps `at`, `user_id` and `action`; its lookups by
# entity and entity id (a person's, a class list's history) share one composite index instead of two;
# the hash needs no index (the chain is checked by walking it). Nothing ever looked mark cells up by
# who saved them last.
from peewee import *


def _drop(migrator, db, table, columns):
    for index in db.get_indexes(table):
        if list(index.columns) == columns:
            migrator.migrate(migrator.drop_index(table, index.name))


def up(migrator, db):
    for columns in (['entity'], ['entity_id'], ['hash']):
        _drop(migrator, db, 'audit_entry', columns)
    migrator.migrate(migrator.add_index('audit_entry', ['entity', 'entity_id'], False))
    _drop(migrator, db, 'mark_cell', ['updated_by_id'])


def down(migrator, db):
    _drop(migrator, db, 'audit_entry', ['entity', 'entity_id'])
    migrator.migrate(
        migrator.add_index('audit_entry', ['entity'], False),
        migrator.add_index('audit_entry', ['entity_id'], False),
        migrator.add_index('audit_entry', ['hash'], True),
        migrator.add_index('mark_cell', ['updated_by_id'], False),
    )
