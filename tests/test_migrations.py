"""The migrations build exactly the schema the models describe, so a school's database upgrades in place."""
from models.core import db
from models.registry import ALL_MODELS


def test_every_model_has_its_table_and_columns_after_migrating(app):
    database = db.obj
    for model in ALL_MODELS:
        table = model._meta.table_name
        assert database.table_exists(table), f"no migration creates {table}"
        stored = {c.name for c in database.get_columns(table)}
        expected = {f.column_name for f in model._meta.sorted_fields}
        assert expected == stored, f"{table}: model {sorted(expected - stored)} vs database {sorted(stored - expected)}"


def test_every_table_belongs_to_a_model(app):
    known = {m._meta.table_name for m in ALL_MODELS} | {"schema_migration"}
    assert set(db.obj.get_tables()) <= known | {t for t in db.obj.get_tables() if t.startswith("sqlite_")}


def test_migrating_twice_changes_nothing(app):
    from models.core.database import migrate

    assert migrate() == []


def _declared_indexes(model) -> set:
    found = set()
    for index in model._meta.fields_to_index():
        found.add((tuple(f.column_name for f in index._expressions), bool(index._unique)))
    return found


def _stored_indexes(table: str) -> set:
    return {(tuple(i.columns), bool(i.unique)) for i in db.obj.get_indexes(table)
            if not i.name.startswith("sqlite_autoindex") and not i.name.endswith("_pkey")}


def test_every_model_has_exactly_its_indexes_after_migrating(app):
    for model in ALL_MODELS:
        table = model._meta.table_name
        assert _stored_indexes(table) == _declared_indexes(model), table


def test_the_busy_tables_carry_only_the_indexes_they_need(app):
    from models.audit.log import AuditEntry
    from models.gradebook.marks import MarkCell

    assert _stored_indexes("audit_entry") == {(("at",), False), (("user_id",), False), (("action",), False),
                                              (("entity", "entity_id"), False)}
    assert (("updated_by_id",), False) not in _stored_indexes("mark_cell")
    assert _declared_indexes(AuditEntry) == _stored_indexes("audit_entry")
    assert _declared_indexes(MarkCell) == _stored_indexes("mark_cell")
