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


def test_the_primary_demo_holds_the_moments_entered_before_its_day_and_audit_verify_checks_them(app):
    from models.audit_check.replay import replay
    from models.core import write_transaction
    from models.demo.primary import seed_primary_school
    from models.demo.primary_assessments import seed_primary_assessments
    from models.primary import assessments as pa

    seed_primary_school(today=date(2024, 12, 2), classes_per_grade=1)
    summary = seed_primary_assessments(today=date(2024, 12, 2))
    assert "(GHK1)" in summary
    # only mid-semester I is past on 02/12/2024: levels and comments everywhere, scores in grades 4–5 only
    assert {m for (m,) in pa.PrimaryCell.select(pa.PrimaryCell.moment).distinct().tuples()} == {"GHK1"}
    c4 = SchoolClass.get(SchoolClass.name == "4A1")
    c2 = SchoolClass.get(SchoolClass.name == "2A1")
    scored = {c.subject.name for c in pa.PrimaryCell.select().where((pa.PrimaryCell.field == "score")
                                                                   & (pa.PrimaryCell.school_class == c4))}
    assert scored == {tt27.TIENG_VIET, tt27.TOAN}
    assert not pa.PrimaryCell.select().where((pa.PrimaryCell.field == "score")
                                             & (pa.PrimaryCell.school_class == c2)).exists()
    grid = pa.trait_grid(c4, "GHK1")
    assert all(cell.value in ("T", "Đ", "C") for row in grid.rows for cell in row.cells)
    assert pa.monthly_comments(c4, "2024-11")[0].cells[0].value and not pa.monthly_comments(c4, "2024-12")[0].cells[0].value
    report = replay()
    assert report.ok and report.primary == pa.PrimaryCell.select().count() + pa.PrimaryTrait.select().count()

    # a seeded value changed behind the software's back is found
    with write_transaction():
        cell = pa.PrimaryCell.select().where(pa.PrimaryCell.field == "level").first()
        pa.PrimaryCell.update(value="C" if cell.value != "C" else "T").where(pa.PrimaryCell.id == cell.id).execute()
    report = replay()
    assert not report.ok and "Đánh giá mẫu lớp" in report.problem


def test_a_june_day_gives_every_moment_and_the_year_end_results(app):
    from models.demo.primary import seed_primary_school
    from models.demo.primary_assessments import seed_primary_assessments
    from models.primary import assessments as pa

    seed_primary_school(today=date(2025, 6, 10), classes_per_grade=1)
    seed_primary_assessments(today=date(2025, 6, 10))
    c5 = SchoolClass.get(SchoolClass.name == "5A1")
    results = pa.year_results(c5)
    assert all(r.endswith(tt27.PRIMARY_COMPLETED) or r.startswith(tt27.NOT_COMPLETED) for r in results.values())
    assert any(r.startswith(tt27.EXCELLENT) for r in results.values())
    assert {m for (m,) in pa.PrimaryCell.select(pa.PrimaryCell.moment).distinct().tuples()} == set(tt27.MOMENTS)


def test_the_primary_demo_records_nề_nếp_like_the_lower_secondary_one(app, client):
    from models.demo.discipline import PRIMARY_ITEMS, WEEKS
    from models.demo.primary import seed_primary_demo
    from models.discipline import conduct
    from models.discipline.ranking import week_ranking
    from models.school.structure import SchoolYear

    today = date(2024, 12, 3)
    summary = seed_primary_demo(today=today, classes_per_grade=1)
    assert "Nề nếp mẫu" in summary and "6A1" not in summary
    names = {i.name for i in conduct.items()}
    assert names == {name for name, _, _ in PRIMARY_ITEMS} and "Dùng điện thoại trong giờ học" not in names
    records = list(conduct.ConductRecord.select())
    classes = {c.id for c in SchoolClass.select()}
    assert {r.school_class_id for r in records} == classes  # every class of grades 1–5
    days = {r.day for r in records}
    assert min(days) >= date(2024, 11, 4) and max(days) < today and WEEKS == 4
    officer = User.get(User.username == "giamthi")
    assert {r.entered_by for r in records} == {officer.id}
    ranking = week_ranking(SchoolYear.current(), date(2024, 11, 25))
    totals = [row.ranked.points for row in ranking.rows]
    assert len(totals) == len(classes) and len(set(totals)) > 1  # the week's ranking spreads the classes

    from models.demo.school import DEMO_PASSWORD
    from tests.conftest import Auth

    auth = Auth(client)
    assert auth.login("giamthi", DEMO_PASSWORD).status_code == 302
    home = auth.client.get("/discipline/?day=2024-11-29").get_data(as_text=True)
    assert "4A1" in home
    week = auth.client.get("/print/emulation?day=2024-11-25").get_data(as_text=True)
    assert "1A1" in week and "5A1" in week


def test_on_the_primary_demo_the_boards_year_end_is_tt27_only(app, client):
    from models.demo.primary import seed_primary_demo
    from models.demo.school import DEMO_PASSWORD
    from models.school.structure import SchoolYear
    from models.yearend import primary_year
    from tests.conftest import Auth

    seed_primary_demo(today=date(2025, 6, 10), classes_per_grade=1)
    year = SchoolYear.current()
    auth = Auth(client)
    assert auth.login("hieutruong", DEMO_PASSWORD).status_code == 302
    page = auth.client.get(f"/vice-principal/year-end?year={year.id}").get_data(as_text=True)
    assert "chưa hoàn thành chương trình lớp học" in page and "hoàn thành chương trình tiểu học" in page
    for tt22_word in ("được lên lớp", "rèn luyện hè", "kiểm tra lại", "Học sinh Giỏi", "Thông tư 22"):
        assert tt22_word not in page
    # the TT22 summary's address leads to the TT27 one
    moved = auth.client.get(f"/vice-principal/year-end/summary?year={year.id}")
    assert moved.status_code == 302 and "/year-end/primary-summary" in moved.headers["Location"]
    summary = auth.client.get(moved.headers["Location"]).get_data(as_text=True)
    assert "Hoàn thành xuất sắc" in summary and "Chưa hoàn thành" in summary and "Rèn luyện" not in summary
    c5 = SchoolClass.get(SchoolClass.name == "5A1")
    rows = [r for r in primary_year.award_rows(c5) if not r.has_left]
    completed = auth.client.get(f"/vice-principal/year-end/primary-lists/completed?year={year.id}"
                                ).get_data(as_text=True)
    done = [r for r in rows if r.year.result and tt27.completes_grade(r.year.result)]
    assert done and f"Tổng số: {len(done)} học sinh." in completed and "4A1" not in completed
    assert all(r.student.full_name in completed for r in done)
