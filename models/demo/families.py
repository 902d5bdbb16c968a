"""The demo school's notices to families: the homeroom class of `chunhiem` on the last five days before
`today` with absences, in every state (printed, delivered by SMS, failed, still waiting; the last day's not yet made), and monthly
comments by two members of the Toán – Tin department (one skipped: that family opted out). The school's
channel stays "print" (no phone needed). Deterministic for a given day."""
from datetime import date, datetime, timedelta

from models.core import write_transaction
from models.families import notices, settings
from models.families.notices import FamilyNotice, set_state
from models.people.accounts import User
from models.school.structure import SchoolClass, SchoolYear, class_roster

MONTHLY_COMMENTS = [
    ("giaovien", "Em tiến bộ rõ ở môn Toán, cần luyện thêm bài tập hình học."),
    ("giaovien", "Em cần tập trung hơn trong giờ Toán và làm đủ bài về nhà."),
    ("totruong", "Em học tốt môn Toán, tích cực phát biểu xây dựng bài."),
]


def _absence_days(school_class: SchoolClass, today: date, count: int = 5) -> list[date]:
    """The last `count` days before `today` (within six weeks) with an absence in the class, oldest first."""
    days = []
    for back in range(1, 43):
        day = today - timedelta(days=back)
        if notices.day_absences(school_class, day):
            days.append(day)
            if len(days) == count:
                break
    return sorted(days)


def seed_demo_families(today: date | None = None) -> str:
    """A few notices in several states; returns a one-line summary."""
    today = today or date.today()
    year = SchoolYear.current()
    teacher = User.get_or_none(User.username == "chunhiem")
    if year is None or teacher is None or teacher.staff_id is None:
        return "không có lớp chủ nhiệm mẫu"
    school_class = (SchoolClass.select().where((SchoolClass.year == year)
                                               & (SchoolClass.homeroom_teacher == teacher.staff_id))
                    .order_by(SchoolClass.name).first())
    days = _absence_days(school_class, today) if school_class else []
    if not days:
        return "chưa có thông báo gia đình"
    made = []
    for day in days[:-1]:  # the last day's are left for the homeroom teacher to make
        made.append(notices.create_day_notices(school_class, day, teacher))
    with write_transaction():
        for i, batch in enumerate(made[:3]):
            at = datetime.combine(days[i], datetime.min.time()).replace(hour=16, minute=30)
            for n in batch:
                if n.state != "pending":
                    continue
                if i == 0:  # printed and handed to the student
                    set_state(n, "sent", "notice_sent", channel="print", sent_at=at)
                    continue
                n.queued_at = n.next_attempt_at = at
                set_state(n, "sending", "notice_sending", channel="sms")
                if i == 1:  # sent from the school's phone, delivery report received
                    set_state(n, "sent", "notice_sent", sent_at=at, gateway_state="Pending")
                    set_state(n, "delivered", "notice_delivered", delivered_at=at + timedelta(minutes=1),
                              gateway_state="Delivered")
                else:  # the phone reported the message failed (the family's phone was off for days)
                    set_state(n, "failed", "notice_failed", sent_at=at, gateway_state="Failed",
                              error="Điện thoại báo: Failed")
    day = days[-1]
    comments = 0
    absent = {n.student_id for batch in made for n in batch}
    students = [e.student for e in class_roster(school_class) if not e.has_left and e.student.id not in absent]
    if students:  # this family asked for no messages: the monthly comment to it is skipped, and shown so
        settings.set_opt_out(students[0], True, "Gia đình đề nghị liên lạc trực tiếp qua điện thoại", teacher)
    for i, (username, text) in enumerate(MONTHLY_COMMENTS):
        user = User.get_or_none(User.username == username)
        if user is not None and i < len(students):
            notices.create_notice("monthly_comment", school_class, [students[i]], day, text, user)
            comments += 1
    states = {}
    for n in FamilyNotice.select():
        states[n.state_label] = states.get(n.state_label, 0) + 1
    return (f"{sum(states.values())} thông báo gia đình lớp {school_class.name} đến ngày {day:%d/%m/%Y} ("
            + ", ".join(f"{label.lower()} {count}" for label, count in sorted(states.items())) + ")")
