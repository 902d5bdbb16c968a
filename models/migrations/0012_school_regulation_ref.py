# The school's own document that sets its mark-entry schedule ("Quy định số …/QĐ-… ngày …"), quoted on
# the lock page instead of a fixed reference.
from peewee import CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column('school', 'regulation_ref', CharField(default='')))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('school', 'regulation_ref'))
