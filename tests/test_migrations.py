"""The migrations build exactly the schema the models describe, so a school's database upgrades in place."""
from models import db
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
    from models.database import migrate

    assert migrate() == []
