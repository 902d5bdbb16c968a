# Verification codes: every printed PDF page's code with a snapshot of the data printed on it.
from peewee import *


def up(migrator, db):
    # minimal frozen stub of the table the new one points to
    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class PrintedPage(Model):
        code = CharField(max_length=16, unique=True)
        document = CharField(max_length=40, index=True)
        params = TextField(default='{}')
        data = TextField(default='null')
        generated_at = DateTimeField()
        generated_by = ForeignKeyField(User, null=True)
        generated_by_name = CharField(default='')
        class Meta:
            database = db
            table_name = 'printed_page'
    db.create_tables([PrintedPage])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('printed_page'))
