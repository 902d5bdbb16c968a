"""The primary demo school (seed-demo --level primary): grades 1–5, the 2018 programme, homeroom and specialist
teachers, the demo accounts in their places."""
from datetime import date

from models.people.accounts import User
from models.rules import tt27
from models.school.structure import GradeSubject, School, SchoolClass, Subject, TeachingAssignment


def test_the_primary_demo_school(app):
    from models.demo.primary import seed_primary_school

    summary = seed_primary_school(today=date(2024, 10, 15), classes_per_grade=2)
    assert "10 lớp" in summary
    assert School.get().levels == "tieu_hoc"
    assert sorted(c.name for c in SchoolClass.select()) == [f"{n}A{k}" for n in range(1, 6) for k in (1, 2)]
    for c in SchoolClass.select():
        assert 33 <= len(c.enrolments) <= 37
        taught = {a.subject.name for a in TeachingAssignment.select().where(TeachingAssignment.school_class == c)}
        assert taught == set(tt27.subjects_of(c.grade.number))
    grade1 = {gs.subject.name: gs.periods_per_year for gs in GradeSubject.select().join(Subject)
              if gs.grade.number == 1}
    assert grade1 == tt27.subjects_of(1) and tt27.NGOAI_NGU_1 not in grade1
    chunhiem = User.get(User.username == "chunhiem")
    c4a1 = SchoolClass.get(SchoolClass.name == "4A1")
    assert c4a1.homeroom_teacher_id == chunhiem.staff_id
    english = TeachingAssignment.get((TeachingAssignment.school_class == c4a1)
                                     & (TeachingAssignment.subject == Subject.get(Subject.code == "NN1")))
    assert english.teacher_id == User.get(User.username == "giaovien").staff_id
    assert {u.username for u in User.select()} >= {"admin", "hieutruong", "phohieutruong", "totruong", "giaovien",
                                                  "chunhiem", "yte", "ketoan"}
