# The mid-term test date of each semester: ĐĐGgk marks are due 10 working days after it (TNT (docs/rules.md),
# mục 6.2.b), as ĐĐGck marks are after the final tests (final_tests_on, since 0001).
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('semester', 'midterm_tests_on', DateField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('semester', 'midterm_tests_on'))
