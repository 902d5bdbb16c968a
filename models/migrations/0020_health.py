# School health (models/health/): health records, periodic checks, the clinic log and the medicine stock.
from peewee import *
import datetime


def up(migrator, db):
    # minimal frozen stubs of the tables the new ones point to
    class Student(Model):
        class Meta:
            database = db
            table_name = 'student'

    class SchoolClass(Model):
        class Meta:
            database = db
            table_name = 'school_class'

    class HealthRecord(Model):
        student = ForeignKeyField(Student, unique=True)
        insurance_number = CharField(max_length=20, default='')
        insurance_valid_until = DateField(null=True)
        blood_group = CharField(max_length=3, default='')
        allergies = TextField(default='')
        chronic_conditions = TextField(default='')
        disabilities = TextField(default='')
        teacher_notes = TextField(default='')
        updated_at = DateTimeField(default=datetime.datetime.now)
        updated_by = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'health_record'

    class HealthCheck(Model):
        student = ForeignKeyField(Student)
        school_class = ForeignKeyField(SchoolClass)
        checked_on = DateField()
        height_cm = DecimalField(max_digits=5, decimal_places=1, null=True)
        weight_kg = DecimalField(max_digits=5, decimal_places=1, null=True)
        bmi = FloatField(null=True)
        bmi_z = FloatField(null=True)
        nutrition = CharField(max_length=16, default='')
        height_z = FloatField(null=True)
        stunting = CharField(max_length=16, default='')
        eye_left = IntegerField(null=True)
        eye_right = IntegerField(null=True)
        refraction = CharField(max_length=3, default='')
        dental = CharField(max_length=500, default='')
        spine = BooleanField(default=False)
        other = TextField(default='')
        entered_at = DateTimeField(default=datetime.datetime.now)
        entered_by = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'health_check'
            indexes = ((('student', 'checked_on'), True), (('school_class', 'checked_on'), False))

    class MedicineItem(Model):
        name = CharField(max_length=120, unique=True)
        unit = CharField(max_length=20)
        low_stock = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'medicine_item'

    class MedicineBatch(Model):
        item = ForeignKeyField(MedicineItem)
        batch_code = CharField(max_length=40, default='')
        expires_on = DateField()
        received_on = DateField()
        quantity = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'medicine_batch'

    class ClinicVisit(Model):
        student = ForeignKeyField(Student)
        at = DateTimeField(index=True)
        complaint = TextField()
        treatment = TextField(default='')
        parent_informed = BooleanField(default=False)
        sent_home = BooleanField(default=False)
        entered_by = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'clinic_visit'

    class StockMove(Model):
        batch = ForeignKeyField(MedicineBatch)
        change = IntegerField()
        kind = CharField(max_length=10)
        reason = CharField(max_length=200, default='')
        visit = ForeignKeyField(ClinicVisit, null=True)
        at = DateTimeField(default=datetime.datetime.now)
        by = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'stock_move'

    class DailyHealth(Model):
        student = ForeignKeyField(Student)
        school_class = ForeignKeyField(SchoolClass)
        day = DateField()
        symptom = CharField(max_length=16)
        note = CharField(max_length=300, default='')
        entered_by = IntegerField(null=True)
        entered_at = DateTimeField(default=datetime.datetime.now)
        class Meta:
            database = db
            table_name = 'daily_health'
            indexes = ((('school_class', 'day'), False),)

    db.create_tables([HealthRecord, HealthCheck, MedicineItem, MedicineBatch, ClinicVisit, StockMove, DailyHealth])


def down(migrator, db):
    for table in ('daily_health', 'stock_move', 'clinic_visit', 'medicine_batch', 'medicine_item', 'health_check', 'health_record'):
        migrator.migrate(migrator.drop_table(table))
