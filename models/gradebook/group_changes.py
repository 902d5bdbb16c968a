"""The admin's changes to THPT subject groups (models/school/subject_groups.py) that never leave a mark without
its page: a change is refused, with a Vietnamese message and nothing changed, when afterwards

- a student has marks in a subject they no longer study (the class's group lost it, or they now take
  something else instead), or in a ĐĐGtx column their subject no longer has (a chuyên đề taken away);
- a student takes an elective with a class that no longer studies it, or whose own class now studies it.

Problems that were there before the change are not the change's fault and do not refuse it.
"""
from peewee import fn

from models.gradebook.marks import MarkCell
from models.people.records import Student
from models.rules import tt22
from models.school import subject_groups as sg
from models.school.structure import Enrolment, GradeSubject, SchoolClass, Subject

SHOWN_PROBLEMS = 3  # the refusal names this many, then counts the rest


def _homes_of_electives() -> set[int]:
    """The classes (still open enrolments) of the students taking an elective with another class."""
    query = (Enrolment.select(Enrolment.school_class)
             .join(sg.StudentElective, on=(sg.StudentElective.student == Enrolment.student))
             .where(Enrolment.left_on.is_null()))
    return {c for (c,) in query.tuples()}


def _thpt_classes() -> set[int]:
    """Every class a group change can touch: those with a group and those whose students study elsewhere."""
    return {c for (c,) in sg.ClassGroup.select(sg.ClassGroup.school_class).tuples()} | _homes_of_electives()


def problems(class_ids) -> dict[tuple, str]:
    """What does not fit in the books of these classes, each with its Vietnamese sentence."""
    classes = list(SchoolClass.select().where(SchoolClass.id.in_(list(class_ids)))) if class_ids else []
    if not classes:
        return {}
    by_id = {c.id: c for c in classes}
    studied = sg.subjects_by_class(classes)
    topics = sg.topic_tx_by_class(classes)
    periods = {(g, s): p for g, s, p in GradeSubject.select(GradeSubject.grade, GradeSubject.subject,
                                                            GradeSubject.periods_per_year).tuples()}
    subjects = {s.id: s for s in Subject.select()}
    # each student's class in these classes' years, and their electives there
    enrolled = {(student_id, class_id) for student_id, class_id in (
        Enrolment.select(Enrolment.student, Enrolment.school_class)
        .where(Enrolment.school_class.in_(list(by_id))).tuples())}
    electives = list(sg.StudentElective.select(sg.StudentElective, SchoolClass)
                     .join(SchoolClass, on=(sg.StudentElective.teaching_class == SchoolClass.id))
                     .where(sg.StudentElective.student.in_([s for s, _ in enrolled]))) if enrolled else []
    teaching = list({e.teaching_class_id: e.teaching_class for e in electives}.values())
    teaching_studied = sg.subjects_by_class(teaching)
    teaching_topics = sg.topic_tx_by_class(teaching)
    names = {s.id: s.full_name for s in Student.select(Student.id, Student.full_name)
             .where(Student.id.in_([s for s, _ in enrolled]))} if enrolled else {}
    mine: dict[tuple[int, int], list] = {}  # (student, home class) → their electives of that class's year
    for student_id, class_id in enrolled:
        mine[(student_id, class_id)] = [e for e in electives if e.student_id == student_id
                                        and e.teaching_class.year_id == by_id[class_id].year_id]
    found: dict[tuple, str] = {}
    for (student_id, class_id), taken in mine.items():
        home = by_id[class_id]
        for e in taken:
            there = teaching_studied.get(e.teaching_class_id)
            subject = subjects[e.subject_id]
            if there is not None and e.subject_id not in there:
                found[("teaching", e.id)] = (f"học sinh {names[student_id]} học môn {subject.name} với lớp "
                                             f"{e.teaching_class.name}, lớp này sẽ không còn học môn đó")
            own = studied[class_id]
            if own is None or e.subject_id in own:
                found[("home", e.id)] = (f"học sinh {names[student_id]} học môn {subject.name} với lớp "
                                         f"{e.teaching_class.name}, trong khi lớp {home.name} của em sẽ học môn đó")
    # the marks: the highest column of each student × subject × kind in each class's book
    counts: dict[tuple, set[int]] = {}
    for class_id, student_id, subject_id, kind, top in (
            MarkCell.select(MarkCell.school_class, MarkCell.student, MarkCell.subject, MarkCell.kind,
                            fn.MAX(MarkCell.idx))
            .where(MarkCell.school_class.in_(list(by_id)) & MarkCell.value.is_null(False))
            .group_by(MarkCell.school_class, MarkCell.student, MarkCell.subject, MarkCell.kind).tuples()):
        own = studied[class_id]
        if own is None:
            continue  # a class without a group studies every subject of its grade
        taken = mine.get((student_id, class_id), [])
        theirs = (own - {e.replaces_id for e in taken}) | {e.subject_id for e in taken}
        if subject_id not in theirs:
            counts.setdefault(("subject", class_id, subject_id), set()).add(student_id)
            continue
        if kind != "tx":
            continue
        per_year = periods.get((by_id[class_id].grade_id, subject_id))
        if not per_year:
            continue
        elsewhere = next((e for e in taken if e.subject_id == subject_id), None)
        extra = (teaching_topics.get((elsewhere.teaching_class_id, subject_id), 0) if elsewhere
                 else topics.get((class_id, subject_id), 0))
        if top > tt22.tx_count(per_year, subjects[subject_id].comment_only) + extra:
            counts.setdefault(("tx", class_id, subject_id), set()).add(student_id)
    for (what, class_id, subject_id), students in counts.items():
        name, subject = by_id[class_id].name, subjects[subject_id].name
        if what == "subject":
            found[(what, class_id, subject_id)] = (f"lớp {name} đã có điểm môn {subject} của {len(students)} học "
                                                   "sinh sẽ không còn học môn này")
        else:
            found[(what, class_id, subject_id)] = (f"lớp {name} đã có điểm ĐĐGtx của chuyên đề môn {subject} "
                                                   f"({len(students)} học sinh), cột này sẽ không còn")
    return found


def _guard(class_ids):
    """A check for the subject_groups writes: refuses the problems the change brought."""
    before = problems(class_ids)

    def check() -> None:
        new = sorted((key for key in problems(class_ids).items() if key[0] not in before), key=lambda kv: str(kv[0]))
        if new:
            shown = "; ".join(text for _, text in new[:SHOWN_PROBLEMS])
            more = f" và {len(new) - SHOWN_PROBLEMS} vấn đề khác" if len(new) > SHOWN_PROBLEMS else ""
            hints = []
            if any(key[0] in ("subject", "tx") for key, _ in new):
                hints.append("Điểm đã nhập phải được chuyển hoặc xoá trước (qua đề nghị sửa điểm).")
            if any(key[0] in ("teaching", "home") for key, _ in new):
                hints.append("Hãy sửa việc học ghép của các em trước.")
            raise ValueError(f"Không thể lưu thay đổi: {shown}{more}. {' '.join(hints)}")
    return check


# --- the changes (call inside write_transaction(); every write audited by subject_groups) -----------

def create_group(code: str, name: str, electives: list, topics: list):
    return sg.create_group(code, name, electives, topics, check=_guard(_thpt_classes()))


def update_group(group, name: str, electives: list, topics: list, expected_state: str | None = None):
    return sg.update_group(group, name, electives, topics, expected_state, check=_guard(_thpt_classes()))


def set_class_group(school_class, group, expected=sg.ANY_GROUP):
    affected = {school_class.id} | _homes_of_electives()
    return sg.set_class_group(school_class, group, expected, check=_guard(affected))


def add_student_elective(student, teaching_class, subject, replaces=None):
    from models.school.structure import open_class_of

    home = open_class_of(student, teaching_class.year)
    return sg.add_student_elective(student, teaching_class, subject, replaces,
                                   check=_guard({home.id} if home else set()))


def remove_student_elective(elective):
    from models.school.structure import open_class_of

    home = open_class_of(elective.student, elective.teaching_class.year)
    return sg.remove_student_elective(elective, check=_guard({home.id} if home else set()))


def set_topic_tx(subject, count: int):
    return sg.set_topic_tx(subject, count, check=_guard(_thpt_classes()))
