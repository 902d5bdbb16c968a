# A primary teacher's comment (TT27, up to 300 characters) may be corrected after the lock through a correction
# request: the request's old and new value columns are widened from 4 characters to the comment's length.
# SQLite does not enforce a VARCHAR's length, and rebuilding correction_request there (what its ALTER would take)
# would have to drop a table correction_step points to: only PostgreSQL's columns are altered.
from peewee import CharField
from playhouse.migrate import PostgresqlMigrator

COMMENT_MAX = 300  # frozen: models/rules/tt27.COMMENT_MAX when this was written


def _alter(migrator, length: int) -> None:
    if isinstance(migrator, PostgresqlMigrator):
        migrator.migrate(
            migrator.alter_column_type('correction_request', 'old_value', CharField(max_length=length, null=True)),
            migrator.alter_column_type('correction_request', 'new_value', CharField(max_length=length, null=True)),
        )


def up(migrator, db):
    _alter(migrator, COMMENT_MAX)


def down(migrator, db):
    # a comment's request would not fit back in 4 characters: refuse rather than cut it
    if isinstance(migrator, PostgresqlMigrator):
        long = db.execute_sql("SELECT count(*) FROM correction_request WHERE length(old_value) > 4 "
                              "OR length(new_value) > 4").fetchone()[0]
        if long:
            raise RuntimeError(f"{long} correction requests hold a comment longer than 4 characters")
    _alter(migrator, 4)
