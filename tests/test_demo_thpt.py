"""The THPT demo's shape (`seed-demo --level thpt`): its pure parts, and the school and its marks built in bulk
(seconds; bench/demo_thpt_seed.py times the whole seed) with the audit log still checking the books."""
from datetime import date

import pytest

from models.demo import data, thpt


def test_grades_10_to_12_with_nine_classes_each_and_four_groups_in_turn():
    names = thpt.class_names()
    assert len(names) == 27 and names[0] == "10A1" and names[-1] == "12A9"
    assert len(thpt.GROUPS) == 4
    assert thpt.group_code_of("10A1") != thpt.group_code_of("10A2")
    # 10A2 studies Công nghệ, not Tin học: its guests take Tin học with 10A1
    assert "TIN" in thpt._studies("10A1") and "TIN" not in thpt._studies("10A2") and "CN" in thpt._studies("10A2")


def test_every_class_studies_the_compulsory_subjects_and_four_electives():
    compulsory = {"VAN", "TOAN", "NN1", "SU", "GDTC", "QPAN", "HDTN", "GDDP"}
    for name in thpt.class_names():
        studied = thpt._studies(name)
        assert compulsory <= studied and len(studied - compulsory) == 4


def test_thpt_class_lists_are_the_lower_secondary_ones_four_years_older():
    older = thpt.demo_students("10A3", 2024, 2025)
    source = data.students("6A3", 2024, 2025)
    assert [s.full_name for s in older] == [s.full_name for s in source] and len(older) >= 40
    assert older[0].date_of_birth.year == source[0].date_of_birth.year - 4
    assert {s.class_name for s in older} == {"10A3"}


def test_the_lower_secondary_demo_lists_are_unchanged():
    assert thpt.demo_students("6A1", 2024, 2025) == data.students("6A1", 2024, 2025)


@pytest.fixture
def thpt_demo(app):
    from models.demo.marks import seed_demo_marks

    today = date(2024, 12, 2)
    summary = thpt.seed_thpt_school(today=today)
    return summary, seed_demo_marks(today=today)


def test_the_bulk_seed_writes_students_enrolments_and_statuses_and_the_log_still_checks(thpt_demo):
    from models.audit.log import AuditEntry, verify_chain
    from models.audit_check.replay import replay
    from models.people.records import Student, StudentStatus
    from models.school.structure import Enrolment

    summary, _ = thpt_demo
    students = Student.select().count()
    assert f"{students} học sinh" in summary and students == Enrolment.select().count() > 1000
    # every student has the "Tạo hồ sơ" status row; those who left have their dated change and a closed enrolment
    assert StudentStatus.select().where(StudentStatus.reason == "Tạo hồ sơ").count() == students
    left = list(Student.select().where(Student.status.in_(["chuyen_di", "nghi_hoc", "thoi_hoc"])))
    assert left and all(Enrolment.get(Enrolment.student == s).left_on is not None for s in left)
    assert all(StudentStatus.select().where(StudentStatus.student == s).count() >= 2 for s in left)
    entry = AuditEntry.get((AuditEntry.action == "seed_demo") & (AuditEntry.entity == "student"))
    assert f'"students":{students}' in entry.after and '"digest"' in entry.after
    assert verify_chain().ok and replay().ok


def test_the_guests_of_10a1_have_tin_hoc_marks_in_their_own_class_book(thpt_demo):
    from models.gradebook.marks import MarkCell
    from models.gradebook.monitoring import progress_rows
    from models.school import subject_groups
    from models.school.structure import SchoolClass, Semester, Subject

    c1, c2 = (SchoolClass.get(SchoolClass.name == n) for n in ("10A1", "10A2"))
    tin, cn = Subject.get(Subject.code == "TIN"), Subject.get(Subject.code == "CN")
    guests = [s.id for s, home in subject_groups.guests_of(c1, tin)]
    assert len(guests) == 2
    assert {s for (s,) in MarkCell.select(MarkCell.student).where((MarkCell.school_class == c2)
                                                                    & (MarkCell.subject == tin)).tuples()} == set(guests)
    assert not MarkCell.select().where((MarkCell.student.in_(guests)) & (MarkCell.subject == cn)).exists()
    hk1 = Semester.get(Semester.number == 1)
    row = next(r for r in progress_rows(hk1, today=date(2024, 12, 2))
               if r.assignment.school_class_id == c1.id and r.assignment.subject_id == tin.id)
    from models.people.records import STUDENT_LEFT, Student
    from models.school.structure import Enrolment

    own = (Enrolment.select().join(Student).where((Enrolment.school_class == c1) & Enrolment.left_on.is_null()
                                                  & Student.status.not_in(STUDENT_LEFT)).count())
    assert row.students == own + 2  # 10A1's own students and the two guests of 10A2
