"""Demo teaching plans (issue #16 part B) as they stand on the demo's day: lesson plans of `giaovien` and of the
rest of `totruong`'s department in every state (approved, submitted, returned and sent again, draft, late, overdue),
`giaovien`'s year plan waiting for the head's confirmation, the department's plan of Toán approved by the principal,
and two meetings of the department with their minutes closed, a third with its agenda sent.

Deterministic for a given day; written through the model functions, so each step is in the audit log like a
teacher's own. Called from models/demo/school.py build_year for the current year of the lower-secondary demo.
"""
from datetime import date, datetime, time, timedelta

from flask import current_app, has_app_context

from models.people.records import Staff
from models.rules import teaching_plans as rules
from models.school.structure import (
    Department,
    DepartmentMember,
    SchoolClass,
    SchoolYear,
    Subject,
    TeachingAssignment,
)
from models.teaching import lesson_plans, minutes, plans

TITLES = ["Tập hợp các số tự nhiên", "Phép cộng và phép trừ số tự nhiên", "Phép nhân và phép chia số tự nhiên",
          "Luỹ thừa với số mũ tự nhiên", "Thứ tự thực hiện các phép tính", "Quan hệ chia hết và tính chất",
          "Số nguyên tố", "Ước chung. Ước chung lớn nhất", "Bội chung. Bội chung nhỏ nhất", "Luyện tập chung",
          "Tập hợp các số nguyên", "Phép cộng và phép trừ số nguyên", "Quy tắc dấu ngoặc", "Phép nhân số nguyên"]
OBJECTIVES = "- Học sinh nắm được nội dung bài “{title}”.\n- Vận dụng giải các bài tập trong sách giáo khoa."
MATERIALS = "Sách giáo khoa Toán 6, máy chiếu, phiếu học tập."
ACTIVITIES = ("1. Khởi động (5 phút): trò chơi ôn lại kiến thức cũ.\n2. Hình thành kiến thức (15 phút).\n"
              "3. Luyện tập (15 phút): bài tập trên phiếu học tập.\n4. Vận dụng (10 phút) và giao bài về nhà.")
# a one-page PDF: the demo's uploaded plan (a real one is a teacher's file)
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>"
            b"endobj\n4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 60 760 Td (Ke hoach bai day - Toan 6) Tj ET\n"
            b"endstream\nendobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n"
            b"%%EOF\n")


def _at(day: date, hour: int = 16) -> datetime:
    return datetime.combine(day, time(hour, 0))


def _school_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _staff(username: str) -> Staff | None:
    from models.people.accounts import User

    user = User.get_or_none(User.username == username)
    return user.staff if user and user.staff_id else None


def _upload_dir() -> str | None:
    return current_app.config.get("UPLOAD_DIR") if has_app_context() else None


def _content(title: str, with_file: bool) -> lesson_plans.PlanContent:
    if with_file and _upload_dir():
        return lesson_plans.PlanContent(lesson_plans.PlanFile(DEMO_PDF, f"KHBD - {title}.pdf", *rules.PDF))
    return lesson_plans.PlanContent(None, OBJECTIVES.format(title=title), MATERIALS, ACTIVITIES)


def _plan(assignment, lesson_date: date, number: int, state: str, head: Staff, today: date, *,
          late: bool = False, with_file: bool = False) -> None:
    """One plan walked to `state` (returned-then-sent-again is "resubmitted") by the day it would have reached it."""
    title = TITLES[(number - 1) % len(TITLES)]
    due = rules.due_date(lesson_date)
    sent = min(today, due + timedelta(days=2) if late else due - timedelta(days=1))
    upload = _upload_dir() or ""
    submit = state != "draft"
    plan = lesson_plans.save(assignment, lesson_date, number, title, _content(title, with_file), upload,
                             submit=submit, now=_at(sent, 20))
    if state in ("returned", "resubmitted", "approved_after_return"):
        lesson_plans.review(plan, "return", "Bổ sung phần vận dụng và câu hỏi cho học sinh khá giỏi.", head,
                            None, now=_at(min(today, sent + timedelta(days=1)), 10))
    if state in ("resubmitted", "approved_after_return"):
        plan = lesson_plans.LessonPlan.get_by_id(plan.id)
        lesson_plans.save(assignment, lesson_date, number, title, _content(title, with_file), upload, plan=plan,
                          submit=True, now=_at(min(today, sent + timedelta(days=1)), 21))
    if state in ("approved", "approved_after_return"):
        lesson_plans.review(lesson_plans.LessonPlan.get_by_id(plan.id), "approve", "", head, None,
                            now=_at(min(today, sent + timedelta(days=2)), 9))


def seed_demo_teaching_plans(year: SchoolYear, today: date) -> dict:
    """The demo's plans and minutes for `year` as of `today`; call inside write_transaction()."""
    head, teacher = _staff("totruong"), _staff("giaovien")
    membership = DepartmentMember.get_or_none((DepartmentMember.staff == head) & DepartmentMember.is_head) \
        if head else None
    if membership is None or teacher is None:
        return {"lesson_plans": 0}
    department = membership.department
    # in summer the story stays in the last weeks of teaching: no lesson is planned for the holidays
    last_day = max((s.ends_on for s in year.semesters), default=today)
    today = min(today, last_day - timedelta(days=21))  # the story reaches two weeks ahead
    monday = rules.week_start(today)
    count = 0

    def assignments_of(staff: Staff) -> list[TeachingAssignment]:
        return list(TeachingAssignment.select().join(SchoolClass).switch(TeachingAssignment).join(Subject)
                    .where((TeachingAssignment.teacher == staff) & (SchoolClass.year == year)
                           & (Subject.department == department))
                    .order_by(SchoolClass.name, Subject.position))

    # giaovien: last week approved (one after a return, one uploaded as a file), this week approved and one late,
    # next week submitted, returned and sent again, returned; the week after drafts; one draft overdue
    mine = assignments_of(teacher)[:2]
    walk = [(-7, "approved", False, True), (-6, "approved_after_return", False, False), (0, "approved", False, False),
            (1, "approved", True, False), (7, "submitted", False, True), (8, "resubmitted", False, False),
            (9, "returned", False, False), (14, "draft", False, False)]
    for a_index, assignment in enumerate(mine):
        number = 20 + a_index * 3
        for offset, state, late, with_file in walk[a_index::2] if a_index else walk:
            lesson = _school_day(monday + timedelta(days=offset))
            _plan(assignment, lesson, number, state, head, today, late=late, with_file=with_file)
            number += 1
            count += 1
    # an overdue draft (its due day has passed, still not submitted)
    if mine:
        _plan(mine[0], _school_day(monday + timedelta(days=3)), 40, "draft", head, today)
        count += 1
    # the rest of the department: a couple of plans each, one of them late
    others = [m.staff for m in DepartmentMember.select().where(
        (DepartmentMember.department == department) & (DepartmentMember.staff != teacher))]
    for i, staff in enumerate(sorted(others, key=lambda s: s.id)[:6]):
        load = assignments_of(staff)
        if not load:
            continue
        _plan(load[0], _school_day(monday + timedelta(days=7 + i % 3)), 30 + i, "submitted", head, today,
              late=i % 3 == 2)
        _plan(load[0], _school_day(monday + timedelta(days=i % 3)), 29 + i, "approved", head, today)
        count += 2

    # the year plans: giaovien's waiting for the head; the department's plan of Toán approved by the principal
    if today > date(year.start_year, 9, 20):
        plans.save_teacher_plan(teacher, year, {
            "situation": "Dạy Toán hai lớp khối 6; nhiều học sinh còn yếu kĩ năng tính toán.",
            "targets": "95% học sinh đạt mức Đạt trở lên; 10 học sinh dự thi học sinh giỏi cấp trường.",
            "measures": "Phụ đạo học sinh yếu chiều thứ Năm.\nBồi dưỡng học sinh khá giỏi mỗi tuần một buổi.",
            "emulation_title": "Lao động tiên tiến"}, None, submit=True, now=_at(date(year.start_year, 9, 20)))
    principal = _staff("hieutruong")
    math = Subject.get_or_none((Subject.code == "TOAN") & (Subject.department == department))
    if math is not None and today > date(year.start_year, 9, 16):
        dept_plan = plans.save_department_plan(
            department, math, year, "Kế hoạch dạy học môn Toán các khối 6–9 theo chương trình 2018: phân phối "
            "chương trình, chuyên đề, kiểm tra đánh giá, bồi dưỡng học sinh giỏi.", head, None, submit=True,
            now=_at(date(year.start_year, 9, 12)))
        if principal is not None:
            plans.review_department_plan(dept_plan, "approve", "", principal, None,
                                         now=_at(date(year.start_year, 9, 16), 10))

    # the minutes book: two meetings held and closed, the next one's agenda sent
    members = minutes.members(department)
    held = [(date(year.start_year, 9, 16), "Thống nhất phân phối chương trình và kế hoạch giáo dục của tổ.",
             "Thảo luận phân phối chương trình các khối; phân công dạy chuyên đề.",
             "Thống nhất phân phối chương trình; nộp kế hoạch giáo dục cá nhân trước 30/9.",
             "Nộp kế hoạch bài dạy cho tổ trưởng trước 1 tuần theo thời khoá biểu."),
            (date(year.start_year, 10, 14), "Sinh hoạt chuyên môn theo nghiên cứu bài học: tiết dạy minh hoạ.",
             "Dự giờ tiết dạy minh hoạ bài “Số nguyên tố”; góp ý tiến trình và hoạt động nhóm.",
             "Tiết dạy đạt yêu cầu; cần tăng thời gian cho hoạt động vận dụng.",
             "Mỗi giáo viên dạy một tiết theo nghiên cứu bài học trong học kì I.")]
    for n, (day, agenda, discussion, conclusions, agreed) in enumerate(held):
        if day >= today:
            break
        meeting = minutes.create(department, year, day, {"agenda": agenda}, head, now=_at(day - timedelta(days=5)))
        minutes.send_agenda(meeting, None, now=_at(day - timedelta(days=4)))
        present = [m.id for i, m in enumerate(members) if (i + n) % 7 != 3]  # one or two absent
        meeting = minutes.save(meeting, day, {"agenda": agenda, "discussion": discussion, "conclusions": conclusions,
                                              "agreed": agreed}, present, None)
        minutes.close(meeting, None, now=_at(day, 17))
    coming = _school_day(today + timedelta(days=7))
    meeting = minutes.create(department, year, coming, {
        "agenda": "1. Rà soát kế hoạch bài dạy tuần tới.\n2. Chuẩn bị đề kiểm tra cuối học kì I."}, head,
        now=_at(today - timedelta(days=1)))
    minutes.send_agenda(meeting, None, now=_at(today - timedelta(days=1), 17))
    return {"lesson_plans": count, "department": Department.get_by_id(department.id).name}
