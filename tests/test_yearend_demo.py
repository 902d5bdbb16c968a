"""The demo's previous school year (issue 13): complete, not approved, chunhiem its 6A1 homeroom teacher, every
outcome in every class, and each class sheet equal to the rule functions applied through another path (the
teacher's grade-book grid for the averages, the attendance register for the absences)."""
from datetime import date

import pytest

from models.attendance.register import absence_totals
from models.gradebook.marks import grid_for
from models.people.accounts import User
from models.rules import tt22
from models.school.structure import SchoolClass, SchoolYear, Semester, TeachingAssignment
from models.yearend import records, results

DAY = date(2026, 12, 2)


@pytest.fixture
def demo(app):
    from models.demo.previous_year import seed_previous_year
    from models.demo.school import seed_demo_school

    seed_demo_school(today=DAY)
    seed_previous_year(today=DAY)
    return SchoolYear.get(SchoolYear.start_year == 2025)


def _expected(school_class: SchoolClass) -> dict[int, dict]:
    """student id → the year result by the rule functions, averages read from the teachers' grids."""
    second = Semester.get((Semester.year == school_class.year) & (Semester.number == 2))
    scored, commented = {}, {}
    for assignment in TeachingAssignment.select().where(TeachingAssignment.school_class == school_class):
        if not assignment.is_coordinator and any(
                a.subject_id == assignment.subject_id and a.is_coordinator for a in school_class.assignments):
            continue
        for row in grid_for(assignment, second).rows:
            if row.has_left:
                continue
            name = assignment.subject.name
            if assignment.subject.comment_only:
                commented.setdefault(row.student.id, {})[name] = row.averages.semester
            else:
                scored.setdefault(row.student.id, {})[name] = row.averages.year
    ratings = records.conduct_levels(school_class)
    found = {}
    for sid in scored:
        conduct = tt22.conduct_year(ratings[(sid, 1)].level, ratings[(sid, 2)].level)
        learning = tt22.learning_result(scored[sid], commented[sid])
        sessions = absence_totals(sid, school_class.year).sessions
        found[sid] = {"learning": learning, "conduct": conduct, "award": tt22.award(conduct, learning, scored[sid]),
                      "promotion": tt22.promotion(conduct, learning, sessions)}
    return found


def test_the_previous_year_is_complete_with_every_outcome_and_equals_the_rules(demo):
    assert not demo.is_current and SchoolYear.current().start_year == 2026
    chunhiem = User.get(User.username == "chunhiem")
    mine = SchoolClass.get((SchoolClass.year == demo) & (SchoolClass.homeroom_teacher == chunhiem.staff))
    assert mine.name == "6A1"
    for school_class in SchoolClass.select().where(SchoolClass.year == demo):
        assert records.year_end_of(school_class).state == records.DRAFT
        sheet = results.class_sheet(school_class)
        assert sheet.complete, school_class.name
        expected = _expected(school_class)
        assert len(expected) == len(sheet.active_rows)
        for row in sheet.active_rows:
            got = {"learning": row.learning, "conduct": row.conduct, "award": row.award, "promotion": row.promotion}
            assert got == expected[row.student.id], (school_class.name, row.student.full_name)
        outcomes = {r.promotion for r in sheet.active_rows} | {r.award for r in sheet.active_rows}
        assert outcomes >= {tt22.PROMOTED, tt22.RETEST, tt22.SUMMER_TRAINING, tt22.SUMMER_AND_RETEST,
                            tt22.NOT_PROMOTED, tt22.AWARD_EXCELLENT, tt22.AWARD_GOOD}, school_class.name
        assert all(records.comments(school_class).get(r.student.id) for r in sheet.active_rows)
