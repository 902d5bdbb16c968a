# Primary corrections (issue #14): a correction request may name a primary cell (its moment and field: level or
# test score); a primary cell written by an applied correction is marked, so the prints show it in red.
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('correction_request', 'moment', CharField(max_length=4, null=True)),
        migrator.add_column('correction_request', 'cell_field', CharField(max_length=7, null=True)),
        migrator.add_column('primary_cell', 'corrected', BooleanField(default=False)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('primary_cell', 'corrected'),
        migrator.drop_column('correction_request', 'cell_field'),
        migrator.drop_column('correction_request', 'moment'),
    )
