"""The one permission check per blueprint, and the object-level checks views call."""
from flask import abort, current_app, g, request
from flask_login import current_user, login_required
from peewee import Select, fn

from models.audit.log import record
from models.core import db, write_transaction
from models.core.prepared import Prepared
from models.school.structure import SchoolClass, SchoolYear, TeachingAssignment

# the office: who prints any class's books and sheets and sees the whole school's signing steps
OFFICE = ("admin", "principal", "vice_principal")


# health data is personal: these read everything, only the nurse writes (issue 18, "Who sees what")
HEALTH_READERS = ("nurse", "principal", "vice_principal")


def require_health_access():
    """The nurse's blueprint: the nurse reads and writes; the principal and vice-principals only read."""

    @login_required
    def guard():
        if not current_user.has_role(*HEALTH_READERS):
            abort(403)
        if request.method not in ("GET", "HEAD") and not current_user.has_role("nurse"):
            abort(403)

    return guard


# daily conduct (nề nếp): the giám thị / ban thi đua records; the admin keeps the list of items with them; the
# heads read. The class's homeroom teacher records from the homeroom pages (own_homeroom_class).
DISCIPLINE_READERS = ("discipline", "admin", "principal", "vice_principal")


def require_discipline_access():
    """The giám thị's blueprint: the giám thị reads and writes, the admin too (the list of items), the principal
    and vice-principals only read."""

    @login_required
    def guard():
        need_role(*DISCIPLINE_READERS)
        if request.method not in ("GET", "HEAD"):
            need_role("discipline", "admin")

    return guard


def refuse(entity: str, entity_id, why: str):
    """Refuse with a Vietnamese 403 and keep a trace of the attempt in the audit log: every refusal of the
    app goes through here."""
    with write_transaction():
        record("refused", entity, entity_id, after={"method": request.method, "path": request.path}, reason=why)
    abort(403)


def allow(condition: bool, why: str) -> None:
    """A page only some people may use (inside a blueprint open to several roles): refuse unless `condition`."""
    if not condition:
        refuse("page", request.path, why)


def need_role(*roles: str) -> None:
    """The current user must hold one of the roles for this page; else an audited 403."""
    allow(current_user.has_role(*roles), "không có vai trò được dùng trang này")


def require_roles(*roles: str):
    """A before_request hook: sign-in required, then one of the roles, else an audited 403."""

    @login_required
    def guard():
        need_role(*roles)

    return guard


def homeroom_classes(user, year: SchoolYear | None = None) -> list[SchoolClass]:
    """The classes a user is homeroom teacher (GVCN) of in the year; homeroom is not a role flag."""
    year = year or SchoolYear.current()
    if user.staff_id is None or year is None:
        return []
    return list(SchoolClass.select()
                .where((SchoolClass.year == year) & (SchoolClass.homeroom_teacher == user.staff_id))
                .order_by(SchoolClass.name))


# the homeroom pages a teacher reaches for a class of an earlier, still open year (year_end_only_classes)
YEAR_END_VIEWS = "blueprints.homeroom.yearend_views"


def _year_end_page() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return view is not None and view.__module__ == YEAR_END_VIEWS


def require_homeroom():
    """Homeroom teachers pass; so do attendance delegates (giám thị), whose views check own_attendance_class.
    A teacher who is homeroom only of a class in an earlier year whose year end is still open (e.g. last year's
    class, to rate conduct and submit it) passes for the year-end pages only, and only for those classes."""

    @login_required
    def guard():
        if _ENTERS_ATTENDANCE.first(current_user.staff_id)[0]:
            return
        if _year_end_page() and year_end_only_classes(current_user):
            g.year_end_only = True
            return
        refuse("page", request.path, "không chủ nhiệm lớp nào và không được giao nhập điểm danh")

    return guard


def attendance_classes(user, year: SchoolYear | None = None) -> list[SchoolClass]:
    """The classes whose attendance the user may enter: their homeroom class and those delegated to them."""
    from models.attendance.register import delegated_classes

    own = homeroom_classes(user, year)
    return own + [c for c in delegated_classes(user, year) if c not in own]


def _current_year_id():
    """SchoolYear.current() as a subquery: the year marked current, else the latest one."""
    return fn.COALESCE(SchoolYear.select(SchoolYear.id).where(SchoolYear.is_current).limit(1),
                       SchoolYear.select(SchoolYear.id).order_by(SchoolYear.start_year.desc()).limit(1))


def _delegated(staff, school_class=None):
    from models.attendance.register import AttendanceDelegate

    where = ((AttendanceDelegate.staff == staff) & (AttendanceDelegate.year == _current_year_id())
             & AttendanceDelegate.ended_at.is_null())
    if school_class is not None:
        where &= AttendanceDelegate.school_class == school_class
    return fn.EXISTS(AttendanceDelegate.select(AttendanceDelegate.id).where(where))


def _homeroom(staff):
    return (SchoolClass.year == _current_year_id()) & (SchoolClass.homeroom_teacher == staff)


# one statement each: the same answers as homeroom_classes()/attendance_classes(), for the hot paths
_ENTERS_ATTENDANCE = Prepared(lambda staff: Select(columns=[
    fn.EXISTS(SchoolClass.select(SchoolClass.id).where(_homeroom(staff))) | _delegated(staff)]).bind(db).tuples(), 1,
    cached=True)
_ATTENDANCE_CLASS = Prepared(lambda class_id, staff: (
    SchoolClass.select(SchoolClass, SchoolYear, (_homeroom(staff) | _delegated(staff, SchoolClass.id)).alias("allowed"))
    .join(SchoolYear).where(SchoolClass.id == class_id).limit(1)), 2, cached=True)


def own_attendance_class(class_id: int) -> SchoolClass:
    """The class, if the current user is its homeroom teacher or an attendance delegate this year; else 403."""
    school_class = _ATTENDANCE_CLASS.first(class_id, current_user.staff_id)
    if school_class is None:
        abort(404)
    if not school_class.allowed:
        refuse("school_class", school_class.id, "không được giao nhập điểm danh lớp này")
    return school_class


def own_homeroom_class(class_id: int) -> SchoolClass:
    """The class, if the current user is its homeroom teacher this year; 403 otherwise."""
    school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
    if school_class is None:
        abort(404)
    if school_class not in homeroom_classes(current_user):
        refuse("school_class", school_class.id, "không phải lớp chủ nhiệm của người dùng")
    return school_class


def _assignment_query(assignment_id):
    from models.school.structure import Grade, Subject

    return (TeachingAssignment.select(TeachingAssignment, SchoolClass, Grade, SchoolYear, Subject)
            .join(SchoolClass).join(Grade).switch(SchoolClass).join(SchoolYear)
            .switch(TeachingAssignment).join(Subject)
            .where(TeachingAssignment.id == assignment_id).limit(1))


_ASSIGNMENT = Prepared(_assignment_query, 1, cached=True)


def own_assignment(assignment_id: int) -> TeachingAssignment:
    """The teaching assignment (with its class, grade, year and subject), if it is the current user's; 403 otherwise."""
    assignment = _ASSIGNMENT.first(assignment_id)
    if assignment is None:
        abort(404)
    if current_user.staff_id is None or assignment.teacher_id != current_user.staff_id:
        refuse("assignment", assignment.id, "không phải phân công giảng dạy của người dùng")
    return assignment


# --- printing: who may print which class's books and sheets, which student's học bạ -----------------------

def sheet_class(class_id: int) -> SchoolClass:
    """A class's attendance sheet: the office (any class), or who enters the class's attendance."""
    if current_user.has_role(*OFFICE):
        school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
        if school_class is None:
            abort(404)
        return school_class
    return own_attendance_class(class_id)


def book_class(class_id: int) -> SchoolClass:
    """A class's book: the office (any class) or the class's homeroom teacher."""
    school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
    if school_class is None:
        abort(404)
    if current_user.has_role(*OFFICE):
        return school_class
    if school_class.homeroom_teacher_id is None or school_class.homeroom_teacher_id != current_user.staff_id:
        refuse("school_class", school_class.id, "không được in sổ theo dõi của lớp này")
    return school_class


def printable_student(student) -> None:
    """A student's học bạ: the office, or the homeroom teacher of the student's class this year."""
    from models.printing.hoc_ba import homeroom_may_print

    if not current_user.has_role(*OFFICE) and not homeroom_may_print(current_user, student, SchoolYear.current()):
        refuse("student", student.id, "không phải học sinh lớp chủ nhiệm của người dùng")


def printable_assignment(assignment_id: int) -> TeachingAssignment:
    """A teacher's own book: its teacher, the admin, the principal or a vice-principal."""
    from models.printing.teacher_book import may_print

    assignment = TeachingAssignment.get_or_none(TeachingAssignment.id == assignment_id)
    if assignment is None:
        abort(404)
    if not may_print(current_user, assignment):
        refuse("assignment", assignment.id, "không được in sổ của giáo viên khác")
    return assignment
def year_end_classes(user) -> list[SchoolClass]:
    """The classes the user is or was homeroom teacher of, newest year first: year end reaches back a year."""
    if user.staff_id is None:
        return []
    return list(SchoolClass.select(SchoolClass, SchoolYear).join(SchoolYear)
                .where(SchoolClass.homeroom_teacher == user.staff_id)
                .order_by(SchoolYear.start_year.desc(), SchoolClass.name))


def year_end_only_classes(user) -> list[SchoolClass]:
    """The classes of earlier years whose year end is still open that the user was homeroom teacher of: what a
    teacher who is not homeroom this year reaches (approval.year_end_open)."""
    from models.yearend.approval import year_end_open

    current = SchoolYear.current()
    return [c for c in year_end_classes(user)
            if current is not None and c.year.start_year < current.start_year and year_end_open(c.year)]


def own_year_end_class(class_id: int) -> SchoolClass:
    """The class, if the current user is its homeroom teacher (in its own year, past years too); 403 otherwise.
    A teacher let in for year end only (not homeroom this year) reaches only classes of a still open year."""
    school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
    if school_class is None:
        abort(404)
    if current_user.staff_id is None or school_class.homeroom_teacher_id != current_user.staff_id:
        refuse("school_class", school_class.id, "không phải lớp chủ nhiệm của người dùng")
    if g.get("year_end_only") and school_class not in year_end_only_classes(current_user):
        refuse("school_class", school_class.id, "kết quả cuối năm của năm học này đã khép lại")
    return school_class


def require_principal(entity: str, entity_id) -> None:
    """Only the principal approves a class's year results (seed 000 Điều 15.4); others are refused and logged."""
    if not current_user.has_role("principal"):
        refuse(entity, entity_id, "chỉ hiệu trưởng được duyệt kết quả cuối năm")


# --- teaching plans (issue #16 part B) --------------------------------------------------------------------------

def headed_department_id(user) -> int | None:
    """The department the user heads (tổ trưởng), if they hold the role."""
    from models.gradebook.monitoring import headed_department

    if not user.has_role("head_of_department"):
        return None
    department = headed_department(user.staff_id)
    return department.id if department else None


def _lesson_plan(plan_id: int):
    from models.teaching.lesson_plans import get_plan

    plan = get_plan(plan_id)
    if plan is None:
        abort(404)
    return plan


def own_lesson_plan(plan_id: int):
    """A lesson plan the current user wrote (the teacher of its assignment); 403 otherwise."""
    plan = _lesson_plan(plan_id)
    if current_user.staff_id is None or plan.assignment.teacher_id != current_user.staff_id:
        refuse("lesson_plan", plan.id, "không phải kế hoạch bài dạy của người dùng")
    return plan


def reviewable_lesson_plan(plan_id: int):
    """A lesson plan of the department the current user heads; 403 otherwise."""
    from models.teaching.lesson_plans import department_of

    plan = _lesson_plan(plan_id)
    head_of = headed_department_id(current_user)
    if head_of is None or department_of(plan) != head_of:
        refuse("lesson_plan", plan.id, "không phải kế hoạch bài dạy của tổ do người dùng làm tổ trưởng")
    return plan


def readable_lesson_plan(plan_id: int):
    """Its teacher or the head of its department (the file download serves both)."""
    from models.teaching.lesson_plans import department_of

    plan = _lesson_plan(plan_id)
    own = current_user.staff_id is not None and plan.assignment.teacher_id == current_user.staff_id
    head_of = headed_department_id(current_user)
    if not own and (head_of is None or head_of != department_of(plan)):
        refuse("lesson_plan", plan.id, "không được xem kế hoạch bài dạy này")
    return plan


def headed_department_or_refuse():
    """The department the current user heads; an audited 403 for anyone else."""
    from models.school.structure import Department

    head_of = headed_department_id(current_user)
    if head_of is None:
        refuse("page", request.path, "không phải tổ trưởng chuyên môn")
    return Department.get_by_id(head_of)


def reviewable_year_plan(plan_id: int):
    """A teacher's year plan in the department the current user heads; 403 otherwise."""
    from models.school.structure import DepartmentMember
    from models.teaching.plans import TeacherYearPlan

    plan = TeacherYearPlan.get_or_none(TeacherYearPlan.id == plan_id)
    if plan is None:
        abort(404)
    member = DepartmentMember.get_or_none(DepartmentMember.staff == plan.staff_id)
    head_of = headed_department_id(current_user)
    if head_of is None or member is None or member.department_id != head_of:
        refuse("teacher_year_plan", plan.id, "không phải kế hoạch của giáo viên trong tổ do người dùng làm tổ trưởng")
    return plan


def headed_meeting(meeting_id: int):
    """A meeting of the department the current user heads; 403 otherwise."""
    from models.teaching.minutes import DepartmentMeeting

    meeting = DepartmentMeeting.get_or_none(DepartmentMeeting.id == meeting_id)
    if meeting is None:
        abort(404)
    if headed_department_id(current_user) != meeting.department_id:
        refuse("department_meeting", meeting.id, "không phải buổi sinh hoạt của tổ do người dùng làm tổ trưởng")
    return meeting


def principal_only(entity: str, entity_id, why: str) -> None:
    """Only the principal (hiệu trưởng) takes this decision; others are refused and logged."""
    if not current_user.has_role("principal"):
        refuse(entity, entity_id, why)
