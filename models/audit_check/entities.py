"""What an audit entry is about, in words: "Bảng điểm danh lớp 6A1 tháng 12/2024", not "1:2024-12".

Each entity code stores its id in its own shape (see the record() calls); describe() reads that shape back
and looks up the names it points to. A thing since deleted or an id of an unknown shape reads by its label
and number only, never as the raw key.
"""
from dataclasses import dataclass
from datetime import date, datetime

from models.audit.log import AuditEntry
from models.audit.vocabulary import entity_label, field_label

_SESSIONS = {"1": "buổi sáng", "2": "buổi chiều"}


def _month(text: str) -> str:
    """yyyy-mm → mm/yyyy."""
    return f"{text[5:7]}/{text[:4]}" if len(text) == 7 and text[4] == "-" else text


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).strftime("%d/%m/%Y")
    except ValueError:
        return text


def _semester(number: str) -> str:
    return {"1": "học kì I", "HK1": "học kì I", "2": "học kì II", "HK2": "học kì II"}.get(number, number)


def _student(code: str) -> str:
    from models.people.records import Student

    person = Student.get_or_none(Student.code == code)
    return f"{person.full_name} ({code})" if person else code


def _subject(code: str) -> str:
    from models.school.structure import Subject

    subject = Subject.get_or_none(Subject.code == code)
    return subject.name if subject else code


def _class_by_id(class_id: str) -> str | None:
    from models.school.structure import SchoolClass

    school_class = SchoolClass.get_or_none(SchoolClass.id == int(class_id)) if class_id.isdigit() else None
    return f"lớp {school_class.name} năm học {school_class.year.name}" if school_class else None


def _mark_column(column: str) -> str:
    from models.gradebook.marks import KIND_HEADERS

    kind, idx = column[:2], column[2:]
    header = KIND_HEADERS.get(kind, kind)
    return f"{header} {idx}" if kind == "tx" else header


def _describe(entity: str, key: str) -> str | None:
    parts = key.split("/")
    if entity == "account" and key.isdigit():
        from models.people.accounts import User

        user = User.get_or_none(User.id == int(key))
        return f"{user.full_name} ({user.username})" if user else None
    if entity == "student":
        if key.isdigit():  # a refused access names the student by row id
            from models.people.records import Student

            person = Student.get_or_none(Student.id == int(key))
            return f"{person.full_name} ({person.code})" if person else None
        return _student(key)
    if entity == "staff":
        from models.people.records import Staff

        person = Staff.get_or_none(Staff.code == key)
        return f"{person.full_name} ({key})" if person else key
    if entity == "school" and key.isdigit():
        from models.school.structure import School

        school = School.get_or_none(School.id == int(key))
        return school.name if school else None
    if entity in ("school", "school_year"):
        return key
    if entity in ("calendar", "attendance") and len(parts) == 1:
        return f"năm học {key}"
    if entity == "semester" and len(parts) == 2:
        return f"{_semester(parts[1])[7:]} năm học {parts[0]}"
    if entity == "grade":
        return ", ".join(key.split(","))
    if entity == "subject":
        return _subject(key)
    if entity == "grade_subject" and len(parts) == 2:
        return f"môn {_subject(parts[1])} khối {parts[0]}"
    if entity == "department":
        from models.school.structure import Department

        department = Department.get_or_none(Department.code == key)
        return department.name if department else key
    if entity == "school_class" and len(parts) == 2:
        return f"{parts[1]} năm học {parts[0]}"
    if entity == "attendance_delegate" and len(parts) == 2:
        return f"lớp {parts[1]} năm học {parts[0]}"
    if entity == "school_class":
        where = _class_by_id(key)
        return where[4:] if where else None
    if entity == "teaching_assignment" and len(parts) == 3:
        return f"môn {_subject(parts[2])} lớp {parts[1]} năm học {parts[0]}"
    if entity == "assignment" and key.isdigit():
        from models.school.structure import TeachingAssignment

        a = TeachingAssignment.get_or_none(TeachingAssignment.id == int(key))
        return f"môn {a.subject.name} lớp {a.school_class.name} ({a.teacher.full_name})" if a else None
    if entity == "mark" and len(parts) == 6:
        year, class_name, subject, semester, student, column = parts
        return (f"{_mark_column(column)} của {_student(student)}, lớp {class_name}, môn {_subject(subject)}, "
                f"{_semester(semester)} năm học {year}")
    if entity == "mark" and len(parts) == 2:
        return f"{_semester(parts[1])} năm học {parts[0]}"
    if entity == "primary_cell" and len(parts) == 6:
        from models.rules.tt27 import MOMENTS
        year, class_name, subject, moment, student, name = parts
        what = {"level": "mức đạt được", "score": "điểm kiểm tra định kì", "comment": "nhận xét"}.get(name, name)
        return (f"{what} của {_student(student)}, lớp {class_name}, môn {_subject(subject)}, "
                f"{MOMENTS.get(moment, moment).lower()} năm học {year}")
    if entity == "primary_trait" and len(parts) == 5:
        from models.rules.tt27 import COMPETENCES, MOMENTS, QUALITIES
        year, class_name, moment, student, trait = parts
        label = {**QUALITIES, **COMPETENCES}.get(trait, trait)
        return (f"{label} của {_student(student)}, lớp {class_name}, "
                f"{MOMENTS.get(moment, moment).lower()} năm học {year}")
    if entity == "primary_award" and len(parts) == 3:
        return f"{_student(parts[2])}, lớp {parts[1]} năm học {parts[0]}"
    if entity in ("primary_cell", "primary_trait") and len(parts) == 2:
        from models.rules.tt27 import MOMENTS
        return f"{MOMENTS.get(parts[1], parts[1]).lower()} năm học {parts[0]}"
    if entity == "attendance" and len(parts) == 4:
        class_name, student, day, session = parts
        return f"{_student(student)}, lớp {class_name}, {_SESSIONS.get(session, session)} ngày {_day(day)}"
    if entity in ("attendance_lock", "attendance_month") and len(parts) == 2:
        target = parts[1] if parts[1] == "toàn trường" else f"lớp {parts[1]}"
        return f"tháng {_month(parts[0])}, {target}"
    if entity == "attendance_sheet" and ":" in key:
        class_id, month = key.split(":", 1)
        where = _class_by_id(class_id)
        return f"{where or 'lớp đã xoá'} tháng {_month(month)}"
    if entity == "class_book_comment" and len(parts) == 3:
        return f"lớp {parts[1]} năm học {parts[0]}, tháng {_month(parts[2])}"
    if entity in ("lock", "entry_window", "print_job", "correction") and key.isdigit():
        return f"số {key}"
    if entity == "conduct_record" and key.isdigit():
        from models.discipline.conduct import ConductRecord

        row = ConductRecord.get_or_none(ConductRecord.id == int(key))
        if row is None:
            return None
        who = row.student.full_name if row.student_id else "cả lớp"
        return f"“{row.item.name}” của {who}, lớp {row.school_class.name}, ngày {row.day:%d/%m/%Y}"
    if entity == "conduct_item" and key.isdigit():
        from models.discipline.conduct import ConductItem

        item = ConductItem.get_or_none(ConductItem.id == int(key))
        return f"“{item.name}”" if item else None
    if entity == "homeroom_book":
        from models.homeroom_book.book import SECTIONS

        where = _class_by_id(parts[0])
        if where and len(parts) == 3:
            what = SECTIONS.get(parts[1], parts[1]).lower()
            return f"{where}, {what}" + (f" {_month(parts[2])}" if parts[2] else "")
        return where
    if entity == "homeroom_note" and key.isdigit():
        from models.homeroom_book.book import HomeroomNote

        note = HomeroomNote.get_or_none(HomeroomNote.id == int(key))
        return f"“{note.kind_label}”, lớp {note.school_class.name}, ngày {note.day:%d/%m/%Y}" if note else None
    if entity == "family_notice" and key.isdigit():
        from models.families.notices import FamilyNotice

        notice = FamilyNotice.get_or_none(FamilyNotice.id == int(key))
        return (f"số {key}: {notice.kind_label.lower()}, gia đình em {notice.student.full_name} lớp "
                f"{notice.school_class.name}, ngày {_day(notice.day.isoformat())}") if notice else None
    if entity == "notice_template":
        from models.families.settings import KINDS

        return f"“{KINDS[key]}”" if key in KINDS else None
    if entity == "family_preference":
        return f"em {_student(key)}"
    if entity == "family_settings":
        return "của trường"
    if entity == "backup":
        return key  # the archive's file name
    if entity == "student_import":
        return f"lần nhập {key[:8]}"
    if entity in ("lesson_plan", "teacher_year_plan", "department_plan", "department_meeting") and key.isdigit():
        return _teaching_plans(entity, int(key))
    if entity in ("timetable", "ppct", "teaching_week", "class_log", "class_log_week"):
        return _teaching(entity, parts)
    if entity == "class_log_request" and key.isdigit():
        from models.rules.timetable import period_label
        from models.teaching.class_log_book import ClassLogRequest

        req = ClassLogRequest.get_or_none(ClassLogRequest.id == int(key))
        return (f"số {key}: lớp {req.school_class.name}, {period_label(req.period)} ngày {req.day:%d/%m/%Y}"
                if req else None)
    return None


def _teaching(entity: str, parts: list[str]) -> str | None:
    """Teaching records (issue #16): a timetable version or a class's grid, a teacher's week or one of its
    lessons, a class-log period or week; a seed or an import names the year only."""
    from models.rules.timetable import period_label

    if len(parts) == 1:
        return f"năm học {parts[0]}"
    if entity == "timetable":
        where = f", lớp {parts[2]}" if len(parts) == 3 else ""
        return f"năm học {parts[0]}, áp dụng từ {_day(parts[1])}{where}"
    if entity == "teaching_week":
        from models.people.records import Staff

        person = Staff.get_or_none(Staff.code == parts[0])
        who = person.full_name if person else parts[0]
        lesson = f", {period_label(int(parts[3]))} ngày {_day(parts[2])}" if len(parts) == 4 else ""
        return f"của {who}, tuần từ {_day(parts[1])}{lesson}"
    if entity == "class_log" and len(parts) == 4:
        return f"lớp {parts[1]} năm học {parts[0]}, {period_label(int(parts[3]))} ngày {_day(parts[2])}"
    if entity == "class_log_week" and len(parts) == 3:
        return f"lớp {parts[1]} năm học {parts[0]}, tuần từ {_day(parts[2])}"
    return None


def _teaching_plans(entity: str, key: int) -> str | None:
    """Lesson plans, year plans and meetings (issue #16 part B) by what they are about."""
    from models.teaching import lesson_plans, minutes, plans

    if entity == "lesson_plan":
        p = lesson_plans.get_plan(key)
        return (f"tiết {p.lesson_number} “{p.title}” môn {p.assignment.subject.name} lớp {p.assignment.school_class.name} "
                f"ngày {p.lesson_date:%d/%m/%Y} ({p.assignment.teacher.full_name})") if p else None
    if entity == "teacher_year_plan":
        p = plans.TeacherYearPlan.get_or_none(plans.TeacherYearPlan.id == key)
        return f"của {p.staff.full_name} năm học {p.year.name}" if p else None
    if entity == "department_plan":
        p = plans.DepartmentPlan.get_or_none(plans.DepartmentPlan.id == key)
        return f"môn {p.subject.name}, {p.department.name}, năm học {p.year.name}" if p else None
    m = minutes.DepartmentMeeting.get_or_none(minutes.DepartmentMeeting.id == key)
    return f"{m.department.name} ngày {m.meeting_date:%d/%m/%Y}" if m else None


def describe(entity: str, entity_id: str) -> str:
    """The entity's label and what it is, e.g. "Bảng điểm danh lớp 6A1 năm học 2024-2025 tháng 12/2024"."""
    try:
        what = _describe(entity, str(entity_id))
    except (ValueError, LookupError):
        what = None
    label = entity_label(entity)
    if what is None and str(entity_id).isdigit():  # the thing is gone: its number still tells them apart
        what = f"số {entity_id}"
    return f"{label} {what}" if what else label


# --- an entry's before → after values as a person reads them ---------------------------------------

def _value_labels(key: str) -> dict:
    """The labels of the coded values a field holds (state, step, scope …), read from the module owning them."""
    if key == "roles":
        from models.people.accounts import ROLES
        return ROLES
    if key == "status":
        from models.people.records import STAFF_STATUSES, STUDENT_STATUSES
        return {**STUDENT_STATUSES, **STAFF_STATUSES}
    if key == "state":
        from models.gradebook.corrections import STATES
        from models.rules.teaching_plans import STATES as PLAN_STATES
        from models.teaching.class_log_book import REQUEST_STATES
        from models.teaching.minutes import STATES as MEETING_STATES
        return {**REQUEST_STATES, **MEETING_STATES, **PLAN_STATES, **STATES}
    if key == "target":
        from models.gradebook.corrections import TARGETS
        return TARGETS
    if key == "step":
        from models.printing.attendance_sheet import STEP_LABELS
        return STEP_LABELS
    if key == "scope":
        from models.gradebook.locks import SCOPE_LABELS
        return SCOPE_LABELS
    if key == "kind":
        from models.families.settings import KINDS as NOTICE_KINDS
        from models.gradebook.locks import KIND_LABELS
        from models.printing.jobs import KINDS
        from models.school.structure import ASSESSMENT_KINDS
        return {**NOTICE_KINDS, **KIND_LABELS, **ASSESSMENT_KINDS, **KINDS}
    if key == "level":
        from models.school.structure import LEVELS
        return LEVELS
    if key == "award":  # a primary award's code (the TT22 snapshot keeps the award's own words)
        from models.yearend.primary_year import AWARDS
        return {code: label for code, label in AWARDS.items() if code}
    if key == "applies_to":
        from models.discipline.conduct import SCOPES
        return SCOPES
    if key == "kind_note":
        from models.homeroom_book.book import NOTES
        return NOTES
    return {}


def _display(key: str, value) -> str:
    """A stored before/after value as a person reads it: dd/mm/yyyy dates, Có/Không, Vietnamese labels."""

    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, list):
        if key == "roles":  # in the order of ROLES, as the account pages show them
            order = list(_value_labels("roles"))
            value = sorted(value, key=lambda r: order.index(r) if r in order else len(order))
        return ", ".join(_display(key, v) for v in value)
    if isinstance(value, dict) and key == "digests":  # one checksum per group of seeded values: only how many
        return f"{len(value)} nhóm"
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {_display(k, v)}" for k, v in value.items())
    if not isinstance(value, str):
        return str(value)
    labels = _value_labels(key)
    if value in labels:
        return labels[value]
    if len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if len(value) == 7 and value[4:5] == "-" and value[:4].isdigit() and value[5:].isdigit():
        return f"{value[5:]}/{value[:4]}"  # a month, yyyy-mm
    if len(value) >= 19 and value[10:11] == "T":
        try:
            return datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return value
    if key in ("value", "old", "new") and value.replace(".", "", 1).isdigit():
        return value.replace(".", ",")  # a mark: decimal comma
    return value


@dataclass
class FieldChange:
    key: str
    label: str
    old: str | None  # None: the field was not in `before`
    new: str | None  # None: the field was not in `after`


def field_changes(entry: AuditEntry) -> list[FieldChange]:
    """The entry's before → after values, one line per field, in the order they were written."""
    try:
        before, after = entry.before_data or {}, entry.after_data or {}
    except ValueError:  # not JSON: a row changed by hand; show it raw rather than fail the page
        return [FieldChange("", "Dữ liệu", entry.before or None, entry.after or None)]
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [FieldChange("", "Giá trị", _display("", before) if entry.before else None,
                            _display("", after) if entry.after else None)]
    return [FieldChange(k, field_label(k),
                        _display(k, before[k]) if k in before else None,
                        _display(k, after[k]) if k in after else None)
            for k in dict.fromkeys([*before, *after])]
