"""What the navigation shows each person: one group per role they hold."""
from blueprints.guards import homeroom_classes

# (group title, role test, [(label, endpoint)])
_GROUPS = [
    ("Quản trị", ("admin",), [
        ("Tổng quan", "admin.home"),
        ("Thông tin trường", "admin.school_settings"),
        ("Năm học, học kì", "admin.years"),
        ("Khối, môn học", "admin.subjects"),
        ("Tổ chuyên môn", "admin.departments"),
        ("Lớp học", "admin.classes"),
        ("Phân công giảng dạy", "admin.assignments"),
        ("Khoá, mở sổ điểm", "admin.locks"),
        ("Học sinh", "admin.students"),
        ("Cán bộ, giáo viên", "admin.staff_list"),
        ("Tài khoản", "admin.accounts"),
        ("Nhật ký thay đổi", "admin.audit_log"),
    ]),
    ("Ban giám hiệu", ("principal", "vice_principal"), [
        ("Tổng quan", "vice_principal.home"),
        ("Lớp học", "vice_principal.classes"),
        ("Giáo viên", "vice_principal.teachers"),
    ]),
    ("Chủ nhiệm", "homeroom", [
        ("Lớp chủ nhiệm", "homeroom.home"),
    ]),
    ("Giảng dạy", ("teacher", "head_of_department"), [
        ("Lớp tôi dạy", "teacher.home"),
        ("Sổ điểm", "teacher.gradebook"),
    ]),
    ("Tổ chuyên môn", ("head_of_department",), [
        ("Tổ của tôi", "teacher.department"),
    ]),
    ("Y tế", ("nurse",), [
        ("Học sinh", "nurse.home"),
    ]),
    ("Kế toán", ("accountant",), [
        ("Sĩ số các lớp", "accountant.home"),
    ]),
]

# where each person lands after signing in: the first of these they may open
_HOME_ORDER = [
    (("admin",), "admin.home"),
    (("principal", "vice_principal"), "vice_principal.home"),
    ("homeroom", "homeroom.home"),
    (("teacher", "head_of_department"), "teacher.home"),
    (("nurse",), "nurse.home"),
    (("accountant",), "accountant.home"),
]


def _allowed(user, test) -> bool:
    if test == "homeroom":
        return bool(homeroom_classes(user))
    return user.has_role(*test)


def navigation_for(user) -> list[dict]:
    return [{"title": title, "items": [{"label": label, "endpoint": endpoint} for label, endpoint in items]}
            for title, test, items in _GROUPS if _allowed(user, test)]


def home_endpoint(user) -> str | None:
    for test, endpoint in _HOME_ORDER:
        if _allowed(user, test):
            return endpoint
    return None
