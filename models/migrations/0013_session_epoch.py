# Sessions end on sign-out, password change, reset and disable: each account row carries a session epoch,
# each session cookie the epoch it signed in under; raising the row's epoch ends every cookie of it.
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('account', 'session_epoch', IntegerField(default=0)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('account', 'session_epoch'))
