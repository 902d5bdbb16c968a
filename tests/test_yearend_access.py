"""Who reaches the year-end pages of an earlier year: the homeroom teacher of last year's class, who is homeroom of
no class this year, reaches that class's year-end pages (and only those) while its year end is open, and no
longer once every class of that year is approved and its summer is over."""
from datetime import date

import pytest

from models.core import write_transaction
from models.school.structure import SchoolClass, SchoolYear
from models.yearend import approval, records


@pytest.fixture
def last_year(school):
    """The small school's 2024-2025 becomes last year: 2025-2026 is current and chunhiem heads no class of it."""
    with write_transaction():
        SchoolYear.update(is_current=False).execute()
        SchoolYear.create(name="2025-2026", start_year=2025, is_current=True)
    return school


def test_last_years_homeroom_teacher_reaches_that_classs_year_end_pages_only(client, login_as, last_year):
    c, other = last_year["classes"]["6A1"], last_year["classes"]["6A2"]
    student = last_year["students"]["Nguyễn Thị An"]
    auth = login_as("chunhiem")
    home = client.get("/homeroom/year-end")
    assert home.status_code == 200 and "6A1" in home.get_data(as_text=True)
    assert client.get(f"/homeroom/class/{c.id}/year-end").status_code == 200
    assert client.get(f"/homeroom/class/{c.id}/conduct/1").status_code == 200
    saved = auth.htmx_post(f"/homeroom/class/{c.id}/conduct/1/row",
                           {"student_id": student.id, "version": 0, "row": 0, "level": "T"})
    assert saved.status_code == 200
    assert records.conduct_levels(c)[(student.id, 1)].level == "Tốt"
    # not the other pages of the homeroom blueprint, not another class
    assert client.get("/homeroom/").status_code == 403
    assert client.get(f"/homeroom/class/{c.id}").status_code == 403
    assert client.get(f"/homeroom/class/{other.id}/year-end").status_code == 403
    # the menu offers the way in
    assert "/homeroom/year-end" in client.get("/teacher/").get_data(as_text=True)


def test_a_closed_year_is_no_longer_reached(client, login_as, last_year):
    c = last_year["classes"]["6A1"]
    year = last_year["year"]
    assert approval.year_end_open(year, today=date(2030, 1, 1))
    with write_transaction():
        for school_class in SchoolClass.select().where(SchoolClass.year == year):
            records.ClassYearEnd.create(school_class=school_class, state=records.APPROVED)
    assert approval.year_end_open(year, today=date(2025, 8, 31))  # summer not over yet
    assert not approval.year_end_open(year, today=date(2025, 9, 1))
    login_as("chunhiem")
    assert client.get("/homeroom/year-end").status_code == 403
    assert client.get(f"/homeroom/class/{c.id}/conduct/1").status_code == 403


def test_a_teacher_who_never_was_homeroom_is_still_refused(client, login_as, last_year):
    login_as("giaovien")
    assert client.get("/homeroom/year-end").status_code == 403
