"""The THPT demo's shape (`seed-demo --level thpt`), checked on its pure parts: building it takes minutes."""
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
