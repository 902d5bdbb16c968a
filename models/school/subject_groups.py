"""Upper-secondary subject groups (tổ hợp môn học lựa chọn, grades 10–12): which electives and chuyên đề
học tập a class studies, the students who take one elective with another class's teacher, and how many
ĐĐGtx a chuyên đề adds to its subject.

A class without a group studies every subject of its grade (a lower-secondary school never sees any of
this). A class with a group studies the grade's subjects that are no group's elective, plus its group's
electives. A student's elective taken elsewhere keeps its marks in the student's own class book (the
mark cells carry the home class), entered by the teaching class's teacher.
"""
from peewee import CharField, ForeignKeyField, IntegerField

from models.core import BaseModel
from models.people.records import Student
from models.school.structure import Enrolment, GradeSubject, SchoolClass, Subject

ITEM_KINDS = {"elective": "Môn lựa chọn", "topic": "Chuyên đề học tập"}
# domain.md §1.4: a chuyên đề counts as one ĐĐGtx [M]; a school may change it per subject
DEFAULT_TOPIC_TX = 1
MAX_TOPIC_TX = 4


class SubjectGroup(BaseModel):
    """Tổ hợp: a named set of electives and chuyên đề."""

    code = CharField(unique=True)
    name = CharField()

    class Meta:
        table_name = "subject_group"


class SubjectGroupItem(BaseModel):
    group = ForeignKeyField(SubjectGroup, backref="items", on_delete="CASCADE")
    subject = ForeignKeyField(Subject, backref="+")
    kind = CharField(max_length=8)  # ITEM_KINDS

    class Meta:
        table_name = "subject_group_item"
        indexes = ((("group", "subject", "kind"), True),)


class ClassGroup(BaseModel):
    """The group a class studies."""

    school_class = ForeignKeyField(SchoolClass, backref="+", unique=True)
    group = ForeignKeyField(SubjectGroup, backref="classes")

    class Meta:
        table_name = "class_group"


class StudentElective(BaseModel):
    """A student studying `subject` with `teaching_class`'s teacher instead of their class's `replaces`."""

    student = ForeignKeyField(Student, backref="+")
    teaching_class = ForeignKeyField(SchoolClass, backref="+")
    subject = ForeignKeyField(Subject, backref="+")
    replaces = ForeignKeyField(Subject, backref="+", null=True)

    class Meta:
        table_name = "student_elective"
        indexes = ((("student", "teaching_class", "subject"), True),)


class TopicTxSetting(BaseModel):
    """How many ĐĐGtx one chuyên đề of the subject adds per semester (absent: DEFAULT_TOPIC_TX)."""

    subject = ForeignKeyField(Subject, backref="+", unique=True)
    tx_count = IntegerField(default=DEFAULT_TOPIC_TX)

    class Meta:
        table_name = "topic_tx_setting"


# --- reading ----------------------------------------------------------------------------------------

def group_of(school_class) -> SubjectGroup | None:
    row = (ClassGroup.select(ClassGroup, SubjectGroup).join(SubjectGroup)
           .where(ClassGroup.school_class == school_class).first())
    return row.group if row else None


def _items(group) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {"elective": set(), "topic": set()}
    for subject_id, kind in (SubjectGroupItem.select(SubjectGroupItem.subject, SubjectGroupItem.kind)
                             .where(SubjectGroupItem.group == group).tuples()):
        found.setdefault(kind, set()).add(subject_id)
    return found


def all_electives() -> set[int]:
    """Subject ids that some group makes elective."""
    return {s for (s,) in SubjectGroupItem.select(SubjectGroupItem.subject)
            .where(SubjectGroupItem.kind == "elective").tuples()}


def class_subject_ids(school_class) -> set[int] | None:
    """The subjects (ids) the class studies by its group; None: no group, every subject of its grade."""
    group = group_of(school_class)
    if group is None:
        return None
    grade_subjects = {s for (s,) in GradeSubject.select(GradeSubject.subject)
                      .where(GradeSubject.grade == school_class.grade_id).tuples()}
    electives = all_electives()
    return {s for s in grade_subjects if s not in electives} | (_items(group)["elective"] & grade_subjects)


def class_studies(school_class, subject) -> bool:
    ids = class_subject_ids(school_class)
    return ids is None or (subject.id if hasattr(subject, "id") else subject) in ids


def topic_tx(subject) -> int:
    row = TopicTxSetting.get_or_none(TopicTxSetting.subject == subject)
    return row.tx_count if row else DEFAULT_TOPIC_TX


def topic_tx_by_subject() -> dict[int, int]:
    return {s: n for s, n in TopicTxSetting.select(TopicTxSetting.subject, TopicTxSetting.tx_count).tuples()}


def extra_tx(school_class, subject) -> int:
    """ĐĐGtx a class's chuyên đề of the subject adds per semester (0 when its group has none)."""
    group = group_of(school_class)
    if group is None or subject.id not in _items(group)["topic"]:
        return 0
    return topic_tx(subject)


def guests_of(teaching_class, subject) -> list[tuple[Student, SchoolClass]]:
    """Students of other classes studying the subject with this class's teacher, with their own class."""
    rows = (StudentElective.select(StudentElective, Student).join(Student)
            .where((StudentElective.teaching_class == teaching_class) & (StudentElective.subject == subject)))
    result = []
    for row in rows:
        home = (SchoolClass.select().join(Enrolment)
                .where((Enrolment.student == row.student_id) & (SchoolClass.year == teaching_class.year_id)
                       & (SchoolClass.id != teaching_class.id))
                .order_by(Enrolment.left_on.is_null(False), Enrolment.id.desc()).first())
        if home is not None:
            result.append((row.student, home))
    return result


def away_from(school_class, subject) -> set[int]:
    """Students of the class who take the subject's place with another class (they drop `subject` here)."""
    return {s for (s,) in StudentElective.select(StudentElective.student)
            .join(Enrolment, on=(Enrolment.student == StudentElective.student))
            .where((Enrolment.school_class == school_class) & (StudentElective.replaces == subject)).tuples()}


def taking_elsewhere(school_class, subject) -> set[int]:
    """Students of the class who study the subject with another class (their marks stay in this class's book)."""
    return {s for (s,) in StudentElective.select(StudentElective.student)
            .join(Enrolment, on=(Enrolment.student == StudentElective.student))
            .where((Enrolment.school_class == school_class) & (StudentElective.subject == subject)
                   & (StudentElective.teaching_class != school_class)).tuples()}


def book_subject_ids(school_class) -> set[int] | None:
    """The subjects of the class's book: its own and those its students take with another class; None: all."""
    own = class_subject_ids(school_class)
    if own is None:
        return None
    return own | {s for (s,) in StudentElective.select(StudentElective.subject)
                  .join(Enrolment, on=(Enrolment.student == StudentElective.student))
                  .where(Enrolment.school_class == school_class).tuples()}


def student_subject_ids(student, school_class) -> set[int] | None:
    """The subjects a student of the class studies: the class's, less those replaced, plus those taken with
    another class; None: no group, every subject of the grade."""
    own = class_subject_ids(school_class)
    if own is None:
        return None
    mine = [e for e in taken_elsewhere(student) if e.teaching_class.year_id == school_class.year_id]
    return (own - {e.replaces_id for e in mine}) | {e.subject_id for e in mine}


def student_tx_extra(student, school_class, subject) -> int:
    """The chuyên đề ĐĐGtx of the student's subject: from the class they study it with."""
    for e in taken_elsewhere(student):
        if e.subject_id == subject.id and e.teaching_class.year_id == school_class.year_id:
            return extra_tx(e.teaching_class, subject)
    return extra_tx(school_class, subject)


def teachers_elsewhere(school_class, subject) -> list[str]:
    """Names of the teachers who teach the subject to this class's students in other classes."""
    from models.people.records import Staff
    from models.school.structure import TeachingAssignment

    teaching = {c for (c,) in StudentElective.select(StudentElective.teaching_class)
                .join(Enrolment, on=(Enrolment.student == StudentElective.student))
                .where((Enrolment.school_class == school_class) & (StudentElective.subject == subject)).tuples()}
    if not teaching:
        return []
    rows = (TeachingAssignment.select(TeachingAssignment, Staff).join(Staff)
            .where(TeachingAssignment.school_class.in_(teaching) & (TeachingAssignment.subject == subject))
            .order_by(TeachingAssignment.is_coordinator.desc(), TeachingAssignment.id))
    return list(dict.fromkeys(a.teacher.full_name for a in rows))


def teaching_class_ids(cells) -> dict[tuple[int, int, int], int]:
    """For mark cells given as (own class id, subject id, student id): the class whose teacher the student
    studies the subject with, for those who take it with another class (their cells live in their own class's
    book); the others are left out. Two queries however many cells."""
    keys = set(cells)
    if not keys:
        return {}
    year_of = dict(SchoolClass.select(SchoolClass.id, SchoolClass.year)
                   .where(SchoolClass.id.in_(list({k[0] for k in keys}))).tuples())
    taken: dict[tuple[int, int, int], int] = {}  # (student, subject, year) → teaching class
    for student_id, subject_id, teaching_id, year_id in (
            StudentElective.select(StudentElective.student, StudentElective.subject, StudentElective.teaching_class,
                                   SchoolClass.year)
            .join(SchoolClass, on=(StudentElective.teaching_class == SchoolClass.id))
            .where(StudentElective.student.in_(list({k[2] for k in keys}))
                   & StudentElective.subject.in_(list({k[1] for k in keys}))).tuples()):
        taken[(student_id, subject_id, year_id)] = teaching_id
    result = {}
    for home_id, subject_id, student_id in keys:
        teaching_id = taken.get((student_id, subject_id, year_of.get(home_id)))
        if teaching_id is not None and teaching_id != home_id:
            result[(home_id, subject_id, student_id)] = teaching_id
    return result


def taken_elsewhere(student) -> list[StudentElective]:
    return list(StudentElective.select().where(StudentElective.student == student))


def groups_overview() -> list[tuple[SubjectGroup, list[Subject], list[Subject], list[SchoolClass]]]:
    """Every group with its electives, its chuyên đề and its classes (any year)."""
    from models.school.structure import class_sort_key

    result = []
    for group in SubjectGroup.select().order_by(SubjectGroup.code):
        items = list(SubjectGroupItem.select(SubjectGroupItem, Subject).join(Subject)
                     .where(SubjectGroupItem.group == group).order_by(Subject.position, Subject.name))
        classes = sorted((c.school_class for c in ClassGroup.select(ClassGroup, SchoolClass).join(SchoolClass)
                          .where(ClassGroup.group == group)), key=lambda c: class_sort_key(c.name))
        result.append((group, [i.subject for i in items if i.kind == "elective"],
                       [i.subject for i in items if i.kind == "topic"], classes))
    return result


# --- reading many classes at once (monitoring, the teacher's book, result sheets) -------------------

def subjects_by_class(classes) -> dict[int, set[int] | None]:
    """Each class's studied subject ids by its group (None: no group, every subject of its grade); a few
    queries whatever the number of classes."""
    classes = list(classes)
    ids = [c.id for c in classes]
    result: dict[int, set[int] | None] = {c.id: None for c in classes}
    if not ids:
        return result
    group_of_class = dict(ClassGroup.select(ClassGroup.school_class, ClassGroup.group)
                          .where(ClassGroup.school_class.in_(ids)).tuples())
    if not group_of_class:
        return result
    electives_of: dict[int, set[int]] = {}
    every_elective: set[int] = set()
    for group_id, subject_id in (SubjectGroupItem.select(SubjectGroupItem.group, SubjectGroupItem.subject)
                                 .where(SubjectGroupItem.kind == "elective").tuples()):
        electives_of.setdefault(group_id, set()).add(subject_id)
        every_elective.add(subject_id)
    grades = {c.grade_id for c in classes if c.id in group_of_class}
    grade_subjects: dict[int, set[int]] = {}
    for grade_id, subject_id in (GradeSubject.select(GradeSubject.grade, GradeSubject.subject)
                                 .where(GradeSubject.grade.in_(list(grades))).tuples()):
        grade_subjects.setdefault(grade_id, set()).add(subject_id)
    for c in classes:
        group_id = group_of_class.get(c.id)
        if group_id is not None:
            own = grade_subjects.get(c.grade_id, set())
            result[c.id] = {s for s in own if s not in every_elective} | (electives_of.get(group_id, set()) & own)
    return result


def topic_tx_by_class(classes) -> dict[tuple[int, int], int]:
    """(class id, subject id) → the ĐĐGtx the class's chuyên đề of the subject add (absent: 0)."""
    ids = [c.id for c in classes]
    if not ids:
        return {}
    settings = topic_tx_by_subject()
    return {(class_id, subject_id): settings.get(subject_id, DEFAULT_TOPIC_TX)
            for class_id, subject_id in (ClassGroup.select(ClassGroup.school_class, SubjectGroupItem.subject)
                                         .join(SubjectGroupItem, on=(SubjectGroupItem.group == ClassGroup.group))
                                         .where(ClassGroup.school_class.in_(ids) & (SubjectGroupItem.kind == "topic"))
                                         .tuples())}


def _active_by_class(class_ids) -> dict[int, set[int]]:
    """Students still in each class: enrolment open and not left the school."""
    from models.people.records import STUDENT_LEFT

    active: dict[int, set[int]] = {}
    if not class_ids:
        return active
    for class_id, student_id in (Enrolment.select(Enrolment.school_class, Enrolment.student).join(Student)
                                 .where(Enrolment.school_class.in_(list(class_ids)) & Enrolment.left_on.is_null()
                                        & Student.status.not_in(STUDENT_LEFT)).tuples()):
        active.setdefault(class_id, set()).add(student_id)
    return active


def seats(classes, subject_ids) -> dict[tuple[int, int], dict[int, int]]:
    """Who studies each subject with each class's teacher, for every (class, subject) asked: (teaching class id,
    subject id) → {student id: the class whose book holds their marks}.

    The class's own students still in it when the class studies the subject (less those who replaced it with
    an elective elsewhere), and the guests of other classes taking it here. A class without a group studies
    every subject asked (the grade's periods decide the rest).
    """
    classes = list(classes)
    subject_ids = set(subject_ids)
    if not classes or not subject_ids:
        return {}
    studied = subjects_by_class(classes)
    active = _active_by_class({c.id for c in classes})
    year_ids = {c.year_id for c in classes}
    class_ids = [c.id for c in classes]
    away: dict[int, set[int]] = {}  # subject id → students of these classes who dropped it for an elective
    for student_id, replaces_id in (StudentElective.select(StudentElective.student, StudentElective.replaces)
                                    .join(SchoolClass, on=(StudentElective.teaching_class == SchoolClass.id))
                                    .where(StudentElective.replaces.in_(list(subject_ids))
                                           & SchoolClass.year.in_(list(year_ids))).tuples()):
        away.setdefault(replaces_id, set()).add(student_id)
    result: dict[tuple[int, int], dict[int, int]] = {}
    for c in classes:
        own = studied[c.id]
        students = active.get(c.id, set())
        for subject_id in subject_ids:
            if own is not None and subject_id not in own:
                continue
            gone = away.get(subject_id, set())
            result[(c.id, subject_id)] = {s: c.id for s in students if s not in gone}
    guests = list(StudentElective.select(StudentElective.student, StudentElective.teaching_class,
                                         StudentElective.subject)
                  .where(StudentElective.teaching_class.in_(class_ids)
                         & StudentElective.subject.in_(list(subject_ids))).tuples())
    if guests:
        from models.people.records import STUDENT_LEFT

        homes = {(student_id, year_id): class_id for student_id, class_id, year_id in (
            Enrolment.select(Enrolment.student, Enrolment.school_class, SchoolClass.year)
            .join(SchoolClass).switch(Enrolment).join(Student)
            .where(Enrolment.student.in_(list({g[0] for g in guests})) & Enrolment.left_on.is_null()
                   & Student.status.not_in(STUDENT_LEFT)).tuples())}
        year_of = {c.id: c.year_id for c in classes}
        for student_id, teaching_id, subject_id in guests:
            home = homes.get((student_id, year_of[teaching_id]))
            if home is not None and home != teaching_id:
                result.setdefault((teaching_id, subject_id), {})[student_id] = home
    return result


# --- editing: the version an edit form carries ----------------------------------------------------------

class ChangedMeanwhile(ValueError):
    """Someone else saved the same group or class first (answered with 409)."""


def group_state(group) -> str:
    """A short digest of the group's name, electives and chuyên đề: the version an edit form carries."""
    import hashlib

    items = sorted(f"{kind}:{subject_id}" for subject_id, kind in
                   SubjectGroupItem.select(SubjectGroupItem.subject, SubjectGroupItem.kind)
                   .where(SubjectGroupItem.group == group).tuples())
    return hashlib.sha256("|".join([group.name, *items]).encode()).hexdigest()[:16]


# --- writing (every write audited) ------------------------------------------------------------------

def create_group(code: str, name: str, electives: list[Subject], topics: list[Subject], check=None) -> SubjectGroup:
    """A new tổ hợp; refused (ValueError, Vietnamese) without a code, a name or an elective. `check()` as in
    set_class_group (a subject made elective here leaves the classes of the other groups)."""
    from models.audit.log import record

    code, name = (code or "").strip().upper(), " ".join((name or "").split())
    if not code or not name:
        raise ValueError("Vui lòng nhập mã và tên tổ hợp.")
    if len(code) > 20 or len(name) > 120:
        raise ValueError("Mã tổ hợp tối đa 20 ký tự, tên tối đa 120 ký tự.")
    if SubjectGroup.select().where(SubjectGroup.code == code).exists():
        raise ValueError(f"Mã tổ hợp {code} đã có.")
    if not electives:
        raise ValueError("Tổ hợp phải có ít nhất một môn lựa chọn.")
    group = SubjectGroup.create(code=code, name=name)
    for kind, subjects in (("elective", electives), ("topic", topics)):
        for subject in {s.id: s for s in subjects}.values():
            SubjectGroupItem.create(group=group, subject=subject, kind=kind)
    if check is not None:
        check()
    record("create", "subject_group", code, after={"name": name, "electives": sorted(s.code for s in electives),
                                                    "topics": sorted(s.code for s in topics)})
    return group


ANY_GROUP = object()  # set_class_group without a version to compare


def set_class_group(school_class, group: SubjectGroup | None, expected=ANY_GROUP, check=None) -> None:
    """Give the class its group (None: no group). `expected`: the group id (or None) the form showed; another
    one stored meanwhile is refused with ChangedMeanwhile. `check()`: run after the change and before it is
    recorded; its ValueError refuses the change (the caller's transaction rolls it back)."""
    from models.audit.log import record

    if group is not None and school_class.grade.level != "thpt":
        raise ValueError("Chỉ lớp trung học phổ thông (khối 10–12) mới có tổ hợp môn học.")
    row = ClassGroup.get_or_none(ClassGroup.school_class == school_class)
    if expected is not ANY_GROUP and (row.group_id if row else None) != expected:
        raise ChangedMeanwhile(f"Tổ hợp của lớp {school_class.name} vừa được người khác đổi; vui lòng tải lại "
                               "trang rồi chọn lại.")
    before = row.group.code if row else None
    after = group.code if group else None
    if before == after:
        return
    if group is None:
        row.delete_instance()
    elif row is None:
        ClassGroup.create(school_class=school_class, group=group)
    else:
        row.group = group
        row.save()
    if check is not None:
        check()
    record("update", "class_group", f"{school_class.year.name}/{school_class.name}",
           before={"group": before}, after={"group": after})


def update_group(group: SubjectGroup, name: str, electives: list[Subject], topics: list[Subject],
                 expected_state: str | None = None, check=None) -> SubjectGroup:
    """Change a group's name, electives and chuyên đề. `expected_state`: group_state() as the form showed it
    (ChangedMeanwhile when someone saved first); `check()` as in set_class_group."""
    from models.audit.log import record

    name = " ".join((name or "").split())
    if not name:
        raise ValueError("Vui lòng nhập tên tổ hợp.")
    if len(name) > 120:
        raise ValueError("Mã tổ hợp tối đa 20 ký tự, tên tối đa 120 ký tự.")
    if not electives:
        raise ValueError("Tổ hợp phải có ít nhất một môn lựa chọn.")
    if expected_state is not None and expected_state != group_state(group):
        raise ChangedMeanwhile(f"Tổ hợp {group.code} vừa được người khác sửa; vui lòng tải lại trang rồi sửa lại.")
    items = _items(group)
    codes = {s.id: s.code for s in Subject.select(Subject.id, Subject.code)}
    before = {"name": group.name, "electives": sorted(codes[i] for i in items["elective"]),
              "topics": sorted(codes[i] for i in items["topic"])}
    after = {"name": name, "electives": sorted({s.code for s in electives}), "topics": sorted({s.code for s in topics})}
    if before == after:
        return group
    group.name = name
    group.save()
    SubjectGroupItem.delete().where(SubjectGroupItem.group == group).execute()
    for kind, subjects in (("elective", electives), ("topic", topics)):
        for subject in {s.id: s for s in subjects}.values():
            SubjectGroupItem.create(group=group, subject=subject, kind=kind)
    if check is not None:
        check()
    record("update", "subject_group", group.code, before=before, after=after)
    return group


def remove_student_elective(elective: StudentElective, check=None) -> None:
    """The student no longer studies the subject with the other class (back to their class's subjects)."""
    from models.audit.log import record

    key = f"{elective.teaching_class.year.name}/{elective.student.code}/{elective.subject.code}"
    before = {"class": elective.teaching_class.name, "subject": elective.subject.code,
              "replaces": elective.replaces.code if elective.replaces_id else None}
    elective.delete_instance()
    if check is not None:
        check()
    record("delete", "student_elective", key, before=before)


def add_student_elective(student, teaching_class, subject, replaces=None, check=None) -> StudentElective:
    """The student studies `subject` with `teaching_class`'s teacher (instead of their class's `replaces`)."""
    from models.audit.log import record
    from models.school.structure import open_class_of

    home = open_class_of(student, teaching_class.year)
    if home is None:
        raise ValueError(f"Học sinh {student.full_name} không học lớp nào trong năm học {teaching_class.year.name}.")
    if home.id == teaching_class.id:
        raise ValueError(f"Học sinh {student.full_name} đã học lớp {teaching_class.name}.")
    if home.grade_id != teaching_class.grade_id:
        raise ValueError("Chỉ học ghép với lớp cùng khối.")
    if not class_studies(teaching_class, subject):
        raise ValueError(f"Lớp {teaching_class.name} không học môn {subject.name}.")
    if class_studies(home, subject):
        raise ValueError(f"Lớp {home.name} đã học môn {subject.name}.")
    if replaces is not None and not class_studies(home, replaces):
        raise ValueError(f"Lớp {home.name} không học môn {replaces.name}.")
    taken = {(e.subject_id, e.teaching_class.year_id) for e in taken_elsewhere(student)}
    if (subject.id, teaching_class.year_id) in taken:
        raise ValueError(f"Học sinh {student.full_name} đã học môn {subject.name} với lớp khác.")
    row = StudentElective.create(student=student, teaching_class=teaching_class, subject=subject, replaces=replaces)
    if check is not None:
        check()
    record("create", "student_elective", f"{teaching_class.year.name}/{student.code}/{subject.code}",
           after={"class": teaching_class.name, "subject": subject.code,
                  "replaces": replaces.code if replaces else None})
    return row


def set_topic_tx(subject, count: int, check=None) -> None:
    """ĐĐGtx per chuyên đề of the subject (0 to MAX_TOPIC_TX); `check()` as in set_class_group."""
    from models.audit.log import record

    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_TOPIC_TX:
        raise ValueError(f"Số ĐĐGtx của chuyên đề phải là số nguyên từ 0 đến {MAX_TOPIC_TX}.")
    before = topic_tx(subject)
    if before == count:
        return
    row = TopicTxSetting.get_or_none(TopicTxSetting.subject == subject)
    if row is None:
        TopicTxSetting.create(subject=subject, tx_count=count)
    else:
        row.tx_count = count
        row.save()
    if check is not None:
        check()
    record("update", "subject", subject.code, before={"topic_tx": before}, after={"topic_tx": count})
