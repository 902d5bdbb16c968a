"""Every audit action and entity code with its Vietnamese label: declared here once, checked by record().

An action word can mean another thing on another entity (an account's lock after wrong passwords is not
an attendance month's lock), so a pair that reads differently has its own label in PAIR_LABELS.
"""

# action code → label
ACTIONS: dict[str, str] = {
    "create": "Tạo mới",
    "update": "Sửa",
    "status": "Đổi trạng thái",
    "enrol": "Xếp lớp",
    "rejoin": "Trở lại lớp",
    "roles": "Đổi vai trò",
    "reset_password": "Đặt lại mật khẩu",
    "change_password": "Đổi mật khẩu",
    "enable": "Mở lại tài khoản",
    "disable": "Vô hiệu hoá tài khoản",
    "lock": "Khoá",
    "unlock": "Mở khoá",
    "registration_number": "Cấp số đăng bộ",
    "unlock_address": "Mở khoá máy tính đăng nhập sai nhiều lần",
    "lock_schedule": "Trả về theo lịch",
    "carry_forward": "Chuyển năm học",
    "set_current": "Đặt năm học hiện tại",
    "seed_demo": "Tạo dữ liệu mẫu",
    "seed_demo_marks": "Tạo điểm mẫu",
    "member": "Đổi thành viên tổ",
    "head": "Đổi tổ trưởng",
    "homeroom": "Phân công chủ nhiệm",
    "assign": "Phân công giảng dạy",
    "coordinator": "Đổi giáo viên phụ trách chính",
    "unassign": "Bỏ phân công giảng dạy",
    "import": "Nhập danh sách từ Excel",
    "mark": "Nhập điểm",
    "backup": "Sao lưu dữ liệu",
    "restore": "Khôi phục dữ liệu",
    "attendance": "Điểm danh",
    "confirm": "Xác nhận",
    "schedule": "Đặt lịch học trong tuần",
    "holiday": "Thêm ngày nghỉ",
    "remove_holiday": "Bỏ ngày nghỉ",
    "makeup": "Thêm ngày học bù",
    "remove_makeup": "Bỏ ngày học bù",
    "comment": "Ghi nhận xét",
    "delegate": "Giao nhập điểm danh thay",
    "undelegate": "Thôi giao nhập điểm danh thay",
    "print_job_start": "Bắt đầu lệnh in",
    "sheet_printed": "In bảng điểm danh",
    "sheet_shown": "Công bố bảng điểm danh trước lớp",
    "sheet_signed": "GVCN ký bảng điểm danh",
    "sheet_approved": "Hiệu trưởng duyệt bảng điểm danh",
    "sheet_filed": "Văn thư lưu bảng điểm danh",
    "file": "Lập đề nghị sửa",
    "resubmit": "Sửa và gửi lại đề nghị",
    "return": "Tổ trưởng trả lại đề nghị",
    "approve": "Phê duyệt đề nghị",
    "reject": "Từ chối đề nghị",
    "apply": "Áp dụng đề nghị vào sổ",
    "refused": "Từ chối truy cập",
    "charge": "Lập khoản phải thu",
    "pay": "Thu tiền (lập phiếu thu)",
    "reverse": "Huỷ phiếu thu bằng bút toán đảo",
}

# entity code → label
ENTITIES: dict[str, str] = {
    "account": "Tài khoản",
    "login_address": "Máy tính (địa chỉ đăng nhập)",
    "student": "Học sinh",
    "staff": "Cán bộ, giáo viên",
    "school": "Trường",
    "school_year": "Năm học",
    "semester": "Học kì",
    "grade": "Khối",
    "subject": "Môn học",
    "grade_subject": "Môn học của khối",
    "department": "Tổ chuyên môn",
    "school_class": "Lớp",
    "teaching_assignment": "Phân công giảng dạy",
    "assignment": "Phân công giảng dạy",
    "student_import": "Nhập danh sách học sinh",
    "lock": "Khoá/mở sổ điểm",
    "entry_window": "Thời gian nhập điểm",
    "mark": "Điểm",
    "backup": "Bản sao lưu",
    "attendance": "Điểm danh",
    "attendance_lock": "Khoá điểm danh",
    "calendar": "Lịch học",
    "attendance_month": "Tháng điểm danh",
    "attendance_delegate": "Người nhập điểm danh thay",
    "attendance_sheet": "Bảng điểm danh",
    "class_book_comment": "Nhận xét sổ theo dõi",
    "print_job": "Lệnh in",
    "correction": "Đề nghị sửa",
    "fee_item": "Khoản thu",
    "exemption": "Miễn, giảm",
    "payment": "Phiếu thu",
    "disclosure": "Công khai tài chính",
}

# (entity, action) → label, where the action's own label would read wrong on that entity
PAIR_LABELS: dict[tuple[str, str], str] = {
    ("account", "lock"): "Khoá do nhập sai mật khẩu",
    ("account", "unlock"): "Mở khoá tài khoản",
    ("lock", "lock"): "Khoá sổ điểm",
    ("lock", "unlock"): "Mở sổ điểm",
    ("lock", "lock_schedule"): "Trả về theo lịch nhập điểm",
    ("attendance_lock", "lock"): "Khoá tháng điểm danh",
    ("attendance_lock", "unlock"): "Mở khoá tháng điểm danh",
    ("attendance_month", "confirm"): "Xác nhận điểm danh tháng",
    ("correction", "confirm"): "Tổ trưởng xác nhận đề nghị",
    ("entry_window", "create"): "Tạo thời gian nhập điểm",
    ("entry_window", "update"): "Sửa thời gian nhập điểm",
    ("school", "seed_demo"): "Tạo trường mẫu",
    ("student", "create"): "Tạo hồ sơ",
    ("student", "update"): "Sửa hồ sơ",
    ("staff", "create"): "Tạo hồ sơ",
    ("staff", "update"): "Sửa hồ sơ",
    ("attendance", "seed_demo"): "Tạo điểm danh mẫu",
}

# before/after field name → label
FIELDS: dict[str, str] = {
    "username": "Tên đăng nhập", "roles": "Vai trò", "staff": "Cán bộ", "enabled": "Đang hoạt động",
    "locked_until": "Khoá đến", "full_name": "Họ và tên", "date_of_birth": "Ngày sinh", "gender": "Giới tính",
    "status": "Trạng thái", "effective_on": "Ngày hiệu lực", "other_school": "Trường chuyển đi/đến",
    "class": "Lớp", "year": "Năm học", "joined_on": "Ngày vào lớp", "left_on": "Ngày rời lớp",
    "name": "Tên", "code": "Mã", "position": "Chức vụ", "phone": "Điện thoại", "email": "Thư điện tử",
    "address": "Địa chỉ", "personal_id": "Số định danh cá nhân", "ethnicity": "Dân tộc", "religion": "Tôn giáo",
    "birthplace": "Nơi sinh", "permanent_address": "Địa chỉ thường trú", "current_address": "Chỗ ở hiện nay",
    "policy_family": "Con gia đình chính sách", "father_name": "Họ tên cha", "mother_name": "Họ tên mẹ",
    "guardian_name": "Người giám hộ", "sector_code": "Mã học sinh (CSDL ngành)", "qualification": "Trình độ",
    "periods_per_year": "Số tiết/năm", "teacher": "Giáo viên", "coordinator": "Phụ trách chính",
    "homeroom_teacher": "Giáo viên chủ nhiệm", "current": "Năm học hiện tại", "semesters": "Học kì",
    "starts_on": "Ngày bắt đầu", "ends_on": "Ngày kết thúc", "teaching_weeks": "Số tuần thực học",
    "kind": "Loại", "grade": "Khối", "grades": "Khối", "head": "Tổ trưởng", "members": "Thành viên",
    "father_job": "Nghề nghiệp của cha", "father_phone": "Điện thoại của cha",
    "mother_job": "Nghề nghiệp của mẹ", "mother_phone": "Điện thoại của mẹ",
    "guardian_job": "Nghề nghiệp người giám hộ", "guardian_phone": "Điện thoại người giám hộ",
    "classes": "Số lớp", "students": "Số học sinh",
    "file": "Tệp", "sha256": "Mã SHA-256", "size": "Dung lượng (byte)", "pruned": "Bản cũ đã xoá",
    "ok": "Thành công", "folder": "Thư mục", "created_at": "Lập lúc", "replaced": "Bản cũ giữ tại",
    "value": "Giá trị", "audit_head": "Mã băm cuối của nhật ký",
    "days_per_week": "Số ngày học mỗi tuần", "sessions_per_day": "Số buổi mỗi ngày",
    "auto_lock_day": "Ngày tự động khoá", "day": "Ngày", "sessions": "Số buổi", "text": "Nhận xét",
    "target": "Đối tượng", "student": "Học sinh", "cell": "Ô", "old": "Giá trị cũ", "new": "Giá trị mới",
    "state": "Trạng thái", "semester": "Học kì", "opens_at": "Mở từ", "closes_at": "Đóng lúc",
    "scope": "Phạm vi", "locked": "Khoá", "month": "Tháng", "step": "Bước", "data_version": "Phiên bản dữ liệu",
    "created": "Số học sinh thêm mới", "updated": "Số học sinh cập nhật", "unchanged": "Số học sinh giữ nguyên",
    "method": "Cách gửi", "path": "Đường dẫn", "cells": "Số ô điểm", "confirms": "Số tháng đã xác nhận",
    "marks": "Số buổi", "from": "Từ năm học", "moved": "Số học sinh lên lớp", "stayed": "Số học sinh ở lại lớp",
    "finished": "Số học sinh hoàn thành cấp", "is_coordinator": "Phụ trách chính", "year_id": "Năm học",
    "year_month": "Tháng", "class_id": "Lớp", "output_dir": "Thư mục", "workers": "Số tiến trình",
    "digests": "Tổng kiểm dữ liệu mẫu", "until": "Dữ liệu đến ngày", "failures": "Số lần đăng nhập sai", "registration_number": "Số đăng bộ",
    "admitted_on": "Ngày vào trường", "today": "Ngày dựng trường mẫu", "level": "Cấp học", "evidence": "Minh chứng", "reason": "Lí do",
    "department": "Tổ chuyên môn",
    "amount": "Số tiền", "period": "Kì thu", "mandatory": "Bắt buộc", "category": "Đối tượng chính sách",
    "percent": "Tỉ lệ miễn giảm (%)", "document": "Văn bản", "valid_from": "Hiệu lực từ", "valid_to": "Hiệu lực đến",
    "fee_item": "Khoản thu", "items": "Các khoản thu", "receipt_no": "Số phiếu thu", "paid_on": "Ngày nộp",
    "payer": "Người nộp", "lines": "Các khoản đã nộp", "reversal": "Bút toán đảo",
    "charges": "Số khoản phải thu lập mới", "pay_method": "Hình thức nộp",
    "estimate": "Dự toán", "actual": "Thực hiện",
}


def action_label(action: str, entity: str | None = None) -> str:
    return PAIR_LABELS.get((entity, action)) or ACTIONS.get(action, "Thao tác không rõ")


def entity_label(entity: str) -> str:
    return ENTITIES.get(entity, "Đối tượng không rõ")


def field_label(key: str) -> str:
    return FIELDS.get(key, "Dữ liệu khác")


def check(action: str, entity: str) -> None:
    """Refuse a code nobody declared: the log must never show a word no one can read."""
    if action not in ACTIONS:
        raise ValueError(f"audit action {action!r} is not declared in models/audit_vocabulary.py")
    if entity not in ENTITIES:
        raise ValueError(f"audit entity {entity!r} is not declared in models/audit_vocabulary.py")
