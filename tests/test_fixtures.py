"""The test fixtures themselves: every test's database is its own copy of the worker's templates."""
import sqlite3

from models.core import write_transaction
from models.people.records import Student
from tests.conftest import sqlite_only
from tests.factories import PASSWORD, STUDENTS_6A1


def _names(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        names = {row[0] for row in conn.execute("SELECT full_name FROM student")}
    conn.close()
    return names


@sqlite_only
def test_a_test_changes_its_own_copy_never_the_template(app, school, sqlite_templates):
    student = school["students"][STUDENTS_6A1[0]]
    with write_transaction():
        Student.update(full_name="Tên Đã Đổi").where(Student.id == student.id).execute()
    assert app.config["DATABASE_URL"].endswith("/test.db")
    assert "Tên Đã Đổi" in _names(app.config["DATABASE_URL"].split(":///", 1)[1])
    assert "Tên Đã Đổi" not in _names(sqlite_templates["school"])
    assert STUDENTS_6A1[0] in _names(sqlite_templates["school"])


def test_the_school_fixture_holds_the_small_school(school):
    assert {s.full_name for s in Student.select()} == set(school["students"])
    assert school["classes"]["6A1"].homeroom_teacher.id == school["staff"]["chunhiem"].id
    assert school["users"]["giaovien"].check_password(PASSWORD)


def test_a_test_without_the_school_starts_on_an_empty_migrated_database(app):
    assert Student.select().count() == 0
