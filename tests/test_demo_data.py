"""The demo school: deterministic, complete, balanced, and clean text."""
import dataclasses
import re
import unicodedata
from collections import Counter, defaultdict
from datetime import date

import pytest

from models.demo import data as d

ALL_CLASSES = [f"{g}A{n}" for g in (6, 7, 8, 9) for n in range(1, 11)]


@pytest.fixture(scope="module")
def everyone():
    return d.all_students()


@pytest.fixture(scope="module")
def staff():
    return {t.username: t for t in d.teachers()}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _strings(item)


def test_same_seed_same_school():
    fresh = d._staffing.__wrapped__(d.DEFAULT_SEED)
    assert fresh.teachers == tuple(d.teachers())
    assert fresh.classes == tuple(d.classes())
    assert fresh.assignments == tuple(d.assignments())
    assert d.students("8A4") == d.students("8A4")


def test_students_do_not_depend_on_call_order():
    first = d.students("9A3")
    for name in ALL_CLASSES:
        d.students(name)
    assert d.students("9A3") == first


def test_another_seed_gives_another_school():
    assert [t.full_name for t in d.teachers(7)] != [t.full_name for t in d.teachers()]
    assert d.students("6A2", seed=7) != d.students("6A2")


def test_forty_classes_of_forty_to_forty_five(everyone):
    klasses = d.classes()
    assert [c.name for c in klasses] == ALL_CLASSES == d.class_names()
    for c in klasses:
        assert c.grade == int(c.name[0])
        assert 40 <= c.size <= 45
        assert c.size == len(everyone[c.name])


def test_unknown_class_is_refused():
    for bad in ("5A1", "6A11", "6B1", "06A1"):
        with pytest.raises(ValueError):
            d.students(bad)


def test_about_seventy_staff(staff):
    assert 65 <= len(staff) <= 75
    teaching = [t for t in staff.values() if t.is_teacher]
    assert 65 <= len(teaching) <= 75
    assert {t.role for t in staff.values() if not t.is_teacher} == {"nurse", "accountant", "clerk", "discipline"}


def test_every_class_subject_has_one_coordinator_who_teaches_it(staff):
    pairs = defaultdict(list)
    for a in d.assignments():
        pairs[(a.class_name, a.subject_code)].append(a)
        assert a.subject_code in staff[a.teacher_username].subject_codes
    assert set(pairs) == {(c, s.code) for c in ALL_CLASSES for s in d.SUBJECTS}
    shared = 0
    for (c, code), rows in pairs.items():
        assert sum(a.is_coordinator for a in rows) == 1
        assert len({a.teacher_username for a in rows}) == len(rows)
        assert sum(a.periods_per_year for a in rows) == d.subject_periods(code, int(c[0]))
        shared += len(rows) > 1
    assert 1 <= shared <= 2


def test_loads_are_balanced_and_capped(staff):
    load = d.weekly_periods()
    assert max(load.values()) <= d.MAX_WEEKLY_PERIODS
    regular = [load[u] for u, t in staff.items() if t.role == "teacher"]
    assert min(regular) >= 12
    assert sum(14 <= x <= 19.5 for x in regular) >= 0.8 * len(regular)
    for u, t in staff.items():
        if t.role == "principal":
            assert load[u] <= 4
        if not t.is_teacher:
            assert load[u] == 0


def test_homeroom_teachers_teach_their_class(staff):
    klasses = d.classes()
    assert len({c.homeroom_teacher for c in klasses}) == len(klasses)
    taught = defaultdict(set)
    for a in d.assignments():
        taught[(a.teacher_username, a.class_name)].add(a.subject_code)
    for c in klasses:
        subjects = taught[(c.homeroom_teacher, c.name)]
        assert "HDTN" in subjects and len(subjects) >= 2
        assert staff[c.homeroom_teacher].role == "teacher"


def test_usernames_unique_and_ascii(staff):
    names = [t.username for t in d.teachers()]
    assert len(names) == len(set(names))
    for u in names:
        assert re.fullmatch(r"[a-z]+[0-9]*", u), u
        assert u not in d.DEMO_ACCOUNTS
    assert d.username_for("Nguyễn Thị Lan", set()) == "nguyenthilan"
    assert d.username_for("Nguyễn Thị Lan", {"nguyenthilan"}) == "nguyenthilan2"
    assert d.username_for("Đặng Văn Ưng", {"dangvanung", "dangvanung2"}) == "dangvanung3"


def test_demo_accounts_each_present_once(staff):
    counts = Counter(t.demo_account for t in staff.values() if t.demo_account)
    assert counts == Counter(d.DEMO_ACCOUNTS)
    who = d.demo_account_holders()
    homeroom = {c.homeroom_teacher: c.name for c in d.classes()}
    rows = defaultdict(list)
    for a in d.assignments():
        rows[a.teacher_username].append(a)

    principal = who["hieutruong"]
    assert principal.role == "principal" and principal.username not in homeroom
    assert who["phohieutruong"].role == "vice_principal"

    head = who["totruong"]
    assert head.is_head_of_department and head.department_code == "TOAN_TIN"
    assert "TOAN" in {a.subject_code for a in rows[head.username]}

    teacher = who["giaovien"]
    assert teacher.username not in homeroom
    assert {a.subject_code for a in rows[teacher.username]} <= {"TOAN", "VAN"}
    assert 3 <= len({a.class_name for a in rows[teacher.username]}) <= 5

    form = who["chunhiem"]
    assert homeroom[form.username] == "6A1"
    scored = {a.class_name for a in rows[form.username] if d.SUBJECTS_BY_CODE[a.subject_code].kind == "scored"}
    assert len(scored) >= 3

    for account in ("yte", "ketoan", "admin"):
        t = who[account]
        assert t.subject_codes == () and not rows[t.username] and t.username not in homeroom


def test_one_head_per_department(staff):
    heads = Counter(t.department_code for t in staff.values() if t.is_head_of_department)
    assert heads == Counter({dep.code: 1 for dep in d.DEPARTMENTS})
    codes = {dep.code for dep in d.DEPARTMENTS}
    assert {t.department_code for t in staff.values()} <= codes
    assert {s.department_code for s in d.SUBJECTS} <= codes
    assert 5 <= sum(dep.kind == "professional" for dep in d.DEPARTMENTS) <= 6


def test_all_text_is_nfc(everyone):
    things = [d.SCHOOL, *d.DEPARTMENTS, *d.SUBJECTS, *d.teachers(), *d.classes(), *d.assignments()]
    things += [s for roster in everyone.values() for s in roster]
    count = 0
    for thing in things:
        for s in _strings(thing):
            assert unicodedata.is_normalized("NFC", s), s
            assert s == s.strip() and "  " not in s, s
            count += 1
    assert count > 30_000


def test_personal_ids(everyone, staff):
    people = [s for roster in everyone.values() for s in roster] + list(staff.values())
    ids = [p.personal_id for p in people]
    assert len(set(ids)) == len(ids)
    for p in people:
        pid = p.personal_id
        assert re.fullmatch(r"[0-9]{12}", pid), pid
        century = 0 if p.date_of_birth.year < 2000 else 2
        assert int(pid[3]) == century + (p.gender == "Nữ")
        assert pid[4:6] == f"{p.date_of_birth.year % 100:02d}"
    for roster in everyone.values():
        for s in roster:
            assert s.personal_id[:3] == d._PROVINCE_CODE[s.birthplace]
    assert any(s.personal_id.startswith("079") for s in everyone["6A1"])


def test_subject_kinds_and_periods():
    comment = {"GDTC", "NT_AN", "NT_MT", "HDTN", "GDDP"}
    assert d.COMMENT_ONLY_CODES == comment
    assert {s.code for s in d.SUBJECTS if s.kind == "scored"} == {
        "VAN", "TOAN", "NN1", "GDCD", "LSDL", "KHTN", "CN", "TIN"}
    table = {"VAN": 140, "TOAN": 140, "NN1": 105, "GDCD": 35, "LSDL": 105, "KHTN": 140, "CN": 35,
             "TIN": 35, "GDTC": 70, "NT_AN": 35, "NT_MT": 35, "HDTN": 105, "GDDP": 35}
    for code, periods in table.items():
        for grade in (6, 7, 8):
            assert d.subject_periods(code, grade) == periods
        assert d.subject_periods(code, 9) == (52 if code == "CN" else periods)
    assert [s.display_order for s in d.SUBJECTS] == list(range(1, 14))
    with pytest.raises(KeyError):
        d.subject_periods("HOA", 8)
    with pytest.raises(ValueError):
        d.subject_periods("TOAN", 10)


def test_staff_profiles(staff):
    phones = [t.phone for t in staff.values()]
    assert len(set(phones)) == len(phones)
    for t in staff.values():
        age = d._age_on(t.date_of_birth, d.YEAR_STARTS_ON)
        assert 24 <= age <= 58
        assert re.fullmatch(r"0[398][0-9]{8}", t.phone)
        middle = t.full_name.split()[1]
        if middle == "Thị":
            assert t.gender == "Nữ"
        if middle == "Văn":
            assert t.gender == "Nam"
        assert t.position and t.qualification


def test_students_profiles(everyone):
    for name, roster in everyone.items():
        grade = int(name[0])
        profiles = Counter(s.profile for s in roster)
        assert 2 <= profiles["weak"] <= 4
        assert 2 <= profiles["excellent"] <= 5
        assert 1 <= profiles["often_absent"] <= 3
        assert len({s.full_name for s in roster}) == len(roster)
        for s in roster:
            assert s.class_name == name and s.gender in ("Nam", "Nữ")
            assert s.date_of_birth.year in (2019 - grade, 2018 - grade)
            family = s.full_name.split()[0]
            if s.father_name:
                assert s.father_name.split()[0] == family
                assert re.fullmatch(r"0[398][0-9]{8}", s.father_phone)
            if s.mother_name:
                assert s.mother_name.split()[1] != "Văn"
            assert bool(s.guardian_name) == (not s.father_name and not s.mother_name)
            assert s.guardian_name or s.mother_name or s.father_name
            if "Thị" in s.full_name.split()[1:-1]:
                assert s.gender == "Nữ"
    students = [s for roster in everyone.values() for s in roster]
    older = sum(s.date_of_birth.year == 2018 - int(s.class_name[0]) for s in students)
    assert 0 < older < 0.06 * len(students)
    assert 0.01 < sum(s.policy_family for s in students) / len(students) < 0.06
    ethnicities = Counter(s.ethnicity for s in students)
    assert ethnicities["Kinh"] > 0.85 * len(students) and len(ethnicities) >= 4


def test_status_events(everyone):
    moved = [s for roster in everyone.values() for s in roster if s.status_events]
    assert 1 <= len(moved) <= 2
    for s in moved:
        assert s.profile == "normal"
        for event in s.status_events:
            assert event.status in ("chuyen_den", "chuyen_di", "nghi_hoc", "thoi_hoc")
            assert date(2024, 9, 5) < event.date < date(2025, 5, 31)
            assert event.reason and event.other_school.startswith("Trường")


def test_tricky_names_for_sorting(everyone):
    names = {s.full_name for s in everyone["6A1"]}
    assert {n for n, _ in d.TRICKY_STUDENTS} <= names
    given_an = {n.split()[0] for n in names if n.split()[-1] == "An"}
    assert len(given_an) >= 2
    letters = "".join(names).lower()
    for ch in "đươỳ":
        assert ch in letters, ch
    assert any(n.startswith("Đ") for n in names) and any(n.startswith("Ư") for n in names)


def test_the_whole_school_is_generated_at_its_size():
    # how long it takes is a figure for bench/, not a test (a busy machine is not a failure)
    d._staffing.cache_clear()
    d._events.cache_clear()
    d.teachers(), d.classes(), d.assignments()
    total = sum(len(roster) for roster in d.all_students().values())
    assert 1600 <= total <= 1800


def test_another_year_is_the_same_school_moved_in_time():
    later = d.students("6A1", start_year=2026)
    base = d.students("6A1")
    assert [s.full_name for s in later] == [s.full_name for s in base]
    for old, new in zip(base, later, strict=True):
        assert d._age_on(new.date_of_birth, date(2026, 9, 5)) == d._age_on(old.date_of_birth, d.YEAR_STARTS_ON)
        assert new.personal_id[4:6] == f"{new.date_of_birth.year % 100:02d}"
        assert new.personal_id[:4] + new.personal_id[6:] == old.personal_id[:4] + old.personal_id[6:]
    moved = [s for roster in d.all_students(start_year=2026).values() for s in roster if s.status_events]
    assert moved and all(date(2026, 9, 5) < e.date < date(2027, 5, 31) for s in moved for e in s.status_events)
    staff = d.teachers(start_year=2026)
    assert [t.username for t in staff] == [t.username for t in d.teachers()]
    assert all(t.date_of_birth.year == o.date_of_birth.year + 2 for t, o in zip(staff, d.teachers(), strict=True)
               if (o.date_of_birth.month, o.date_of_birth.day) != (2, 29))
