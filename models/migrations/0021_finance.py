# Finance (issue #19): fee items, exemptions, charges, payments with one gap-free receipt sequence per year,
# the public financial disclosure lines.
from datetime import datetime

from peewee import *


def up(migrator, db):
    # minimal frozen stubs of the tables the new ones point to
    class Stub(Model):
        class Meta:
            database = db

    class Student(Stub):
        class Meta:
            table_name = 'student'

    class SchoolYear(Stub):
        class Meta:
            table_name = 'school_year'

    class SchoolClass(Stub):
        class Meta:
            table_name = 'school_class'

    class FeeItem(Stub):
        year = ForeignKeyField(SchoolYear)
        name = CharField()
        amount = IntegerField()
        period = CharField(default="month")
        grades = CharField(default="")
        mandatory = BooleanField(default=True)

        class Meta:
            table_name = 'fee_item'
            indexes = ((("year", "name"), True),)

    class Exemption(Stub):
        student = ForeignKeyField(Student)
        year = ForeignKeyField(SchoolYear)
        fee_item = ForeignKeyField(FeeItem, null=True)
        category = CharField()
        percent = DecimalField(max_digits=5, decimal_places=2, auto_round=True)
        document = CharField()
        valid_from = DateField()
        valid_to = DateField(null=True)
        created_at = DateTimeField(default=datetime.now)

        class Meta:
            table_name = 'exemption'

    class Charge(Stub):
        student = ForeignKeyField(Student)
        school_class = ForeignKeyField(SchoolClass)
        fee_item = ForeignKeyField(FeeItem)
        period = CharField()
        amount = IntegerField()
        reduction = IntegerField(default=0)
        due = IntegerField()
        exemption = ForeignKeyField(Exemption, null=True)
        created_at = DateTimeField(default=datetime.now)

        class Meta:
            table_name = 'charge'
            indexes = ((("student", "fee_item", "period"), True),)

    class ReceiptCounter(Stub):
        year = ForeignKeyField(SchoolYear, unique=True)
        last = IntegerField(default=0)

        class Meta:
            table_name = 'receipt_counter'

    class Payment(Stub):
        year = ForeignKeyField(SchoolYear)
        receipt_no = IntegerField(null=True)
        student = ForeignKeyField(Student)
        amount = IntegerField()
        paid_on = DateField()
        method = CharField(default="cash")
        payer = CharField(default="")
        reverses = ForeignKeyField("self", null=True, unique=True)
        reason = TextField(default="")
        created_at = DateTimeField(default=datetime.now)
        created_by = CharField(default="")

        class Meta:
            table_name = 'payment'
            indexes = ((("year", "receipt_no"), True),)

    class PaymentLine(Stub):
        payment = ForeignKeyField(Payment)
        charge = ForeignKeyField(Charge)
        amount = IntegerField()

        class Meta:
            table_name = 'payment_line'

    class DisclosureLine(Stub):
        year = ForeignKeyField(SchoolYear)
        period = CharField()
        kind = CharField()
        category = CharField()
        estimate = BigIntegerField(default=0)
        actual = BigIntegerField(default=0)

        class Meta:
            table_name = 'disclosure_line'
            indexes = ((("year", "period", "kind", "category"), True),)

    db.create_tables([FeeItem, Exemption, Charge, ReceiptCounter, Payment, PaymentLine, DisclosureLine])


def down(migrator, db):
    for table in ('disclosure_line', 'payment_line', 'payment', 'receipt_counter', 'charge', 'exemption', 'fee_item'):
        migrator.migrate(migrator.drop_table(table))
