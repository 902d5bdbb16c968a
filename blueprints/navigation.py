"""What the navigation shows each person: one group per role they hold."""
from blueprints.guards import attendance_classes, homeroom_classes, year_end_only_classes


def _count(name: str):
    """A count function of models.gradebook.corrections, imported when the menu is drawn."""
    def count(user) -> int:
        from models.gradebook import corrections

        return getattr(corrections, name)(user)
    return count


def _waiting_lesson_plans(user) -> int:
    from models.teaching.lesson_plans import count_waiting_review

    return count_waiting_review(user)


# (group title, role test, [(label, endpoint) or (label, endpoint, count(user) -> int)])
_GROUPS = [
    ("Quản trị", ("admin",), [
        ("Tổng quan", "admin.home"),
        ("Thông tin trường", "admin.school_settings"),
        ("Năm học, học kì", "admin.years"),
        ("Khối, môn học", "admin.subjects"),
        ("Tổ hợp môn học (THPT)", "admin.subject_groups"),
        ("Tổ chuyên môn", "admin.departments"),
        ("Lớp học", "admin.classes"),
        ("Phân công giảng dạy", "admin.assignments"),
        ("Khoá, mở sổ điểm", "admin.locks"),
        ("Áp dụng sửa điểm", "corrections.apply_queue", _count("count_waiting_apply")),
        ("Lịch học", "admin.calendar"),
        ("Thời khoá biểu", "admin.timetable_home"),
        ("Phân phối chương trình", "admin.ppct_home"),
        ("Khoá điểm danh", "admin.attendance_locks"),
        ("Người nhập điểm danh thay", "admin.attendance_delegates"),
        ("Bảng điểm danh đã ký", "print.sheets_overview"),
        ("Học sinh", "admin.students"),
        ("Sổ đăng bộ, sổ biến động", "admin.registers_page"),
        ("Cán bộ, giáo viên", "admin.staff_list"),
        ("Tài khoản", "admin.accounts"),
        ("Nhật ký thay đổi", "admin.audit_log"),
        ("Sao lưu dữ liệu", "admin.backups"),
        ("Lưu trữ cuối năm", "print.archive_page"),
        ("Kiểm tra lại sau hè", "admin.retests"),
        ("Thông báo gia đình", "admin.family_settings"),
    ]),
    ("Ban giám hiệu", ("principal", "vice_principal"), [
        ("Tổng quan", "vice_principal.home"),
        ("Lớp học", "vice_principal.classes"),
        ("Giáo viên", "vice_principal.teachers"),
        ("Tiến độ nhập điểm", "vice_principal.progress"),
        ("Phổ điểm", "vice_principal.distribution"),
        ("Điểm bất thường", "vice_principal.anomalies"),
        ("Nhận xét sổ điểm", "vice_principal.comments"),
        ("Bảng điểm danh đã ký", "print.sheets_overview"),
        ("Duyệt sửa điểm", "corrections.approval_queue", _count("count_waiting_decision")),
        ("Kết quả cuối năm", "vice_principal.year_end"),
        ("Thông báo gia đình", "vice_principal.family_notices"),
        ("Sổ ghi đầu bài", "vice_principal.class_log_overview"),
        ("Xếp hạng thi đua tuần", "vice_principal.class_log_ranking"),
        ("Lịch báo giảng của giáo viên", "vice_principal.teaching_schedules"),
        ("Kế hoạch bài dạy", "vice_principal.lesson_plans"),
        ("Kế hoạch giáo dục của tổ", "vice_principal.department_plans"),
    ]),
    ("Chủ nhiệm", "homeroom", [
        ("Lớp chủ nhiệm", "homeroom.home"),
        ("Điểm danh", "homeroom.attendance_classes_list"),
        ("Nề nếp", "homeroom.conduct_home"),
        ("Sổ chủ nhiệm", "homeroom.book_home"),
        ("Sổ ghi đầu bài của lớp", "homeroom.class_log_home"),
        ("Kết quả cuối năm", "homeroom.year_end_home"),
        ("Các khoản thu của lớp", "homeroom.fees_home"),
        ("Thông báo gia đình", "homeroom.family_notices_home"),
    ]),
    ("Điểm danh", "attendance_delegate", [
        ("Điểm danh", "homeroom.attendance_classes_list"),
    ]),
    ("Chủ nhiệm năm trước", "year_end_homeroom", [  # homeroom of last year's class only, its year end open
        ("Kết quả cuối năm", "homeroom.year_end_home"),
    ]),
    ("Giảng dạy", ("teacher", "head_of_department"), [
        ("Lớp tôi dạy", "teacher.home"),
        ("Sổ điểm", "teacher.gradebook"),
        ("Lịch báo giảng", "teacher.teaching_schedule"),
        ("Sổ ghi đầu bài", "teacher.class_log_day"),
        ("Xếp hạng thi đua tuần", "teacher.class_log_ranking"),
        ("Kế hoạch bài dạy", "teacher.lesson_plans"),
        ("Kế hoạch giáo dục của tôi", "teacher.year_plan"),
        ("Sinh hoạt chuyên môn", "teacher.meetings"),
        ("Đề nghị sửa điểm", "corrections.mine", _count("count_open_of")),
        ("Thông báo gia đình đã lập", "teacher.my_notices"),
    ]),
    ("Tổ chuyên môn", ("head_of_department",), [
        ("Tổ của tôi", "teacher.department"),
        ("Tiến độ nhập điểm của tổ", "teacher.department_progress"),
        ("Duyệt kế hoạch bài dạy", "teacher.department_lesson_plans", _waiting_lesson_plans),
        ("Kế hoạch giáo dục của tổ", "teacher.department_year_plans"),
        ("Sổ sinh hoạt chuyên môn", "teacher.department_minutes"),
        ("Xác nhận sửa điểm", "corrections.head_queue", _count("count_waiting_head")),
        ("Thông báo gia đình của tổ", "teacher.department_notices"),
    ]),
    ("Y tế", ("nurse",), [
        ("Học sinh", "nurse.home"),
        ("Khám định kỳ", "nurse.checks_home"),
        ("Sổ theo dõi y tế", "nurse.clinic_log"),
        ("Sức khỏe hằng ngày", "nurse.daily"),
        ("Thuốc và vật tư", "nurse.stock"),
    ]),
    ("Y tế", ("principal", "vice_principal"), [  # the heads read health data (issue 18)
        ("Y tế học đường", "nurse.home"),
        ("Báo cáo y tế", "nurse.report"),
    ]),
    ("Nề nếp, thi đua", ("discipline",), [
        ("Ghi nề nếp", "discipline.home"),
        ("Danh mục nề nếp", "discipline.items"),
    ]),
    ("Nề nếp, thi đua", ("admin",), [  # the admin keeps the list of items with the giám thị
        ("Nề nếp các lớp", "discipline.home"),
        ("Danh mục nề nếp", "discipline.items"),
    ]),
    ("Nề nếp, thi đua", ("principal", "vice_principal"), [
        ("Nề nếp các lớp", "discipline.home"),
    ]),
    ("Kế toán", ("accountant",), [
        ("Thu theo lớp", "accountant.home"),
        ("Khoản thu", "accountant.fee_items"),
        ("Miễn, giảm", "accountant.exemptions"),
        ("Lập khoản phải thu", "accountant.charges"),
        ("Sổ phiếu thu", "accountant.ledger"),
        ("Báo cáo thu", "accountant.reports_page"),
        ("Công khai tài chính", "accountant.disclosure"),
    ]),
]

# where each person lands after signing in: the first of these they may open
_HOME_ORDER = [
    (("admin",), "admin.home"),
    (("principal", "vice_principal"), "vice_principal.home"),
    ("homeroom", "homeroom.home"),
    ("attendance_delegate", "homeroom.attendance_classes_list"),
    (("teacher", "head_of_department"), "teacher.home"),
    (("nurse",), "nurse.home"),
    (("accountant",), "accountant.home"),
    (("discipline",), "discipline.home"),
]


def _allowed(user, test) -> bool:
    if test == "homeroom":
        return bool(homeroom_classes(user))
    if test == "attendance_delegate":  # a supervisor (giám thị) entering a class's attendance
        return not homeroom_classes(user) and bool(attendance_classes(user))
    if test == "year_end_homeroom":
        return not attendance_classes(user) and bool(year_end_only_classes(user))
    return user.has_role(*test)


def _item(user, label: str, endpoint: str, count=None) -> dict:
    return {"label": label, "endpoint": endpoint, "count": count(user) if count else 0}


def navigation_for(user) -> list[dict]:
    return [{"title": title, "items": [_item(user, *item) for item in items]}
            for title, test, items in _GROUPS if _allowed(user, test)]


def home_endpoint(user) -> str | None:
    for test, endpoint in _HOME_ORDER:
        if _allowed(user, test):
            return endpoint
    return None
