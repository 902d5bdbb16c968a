"""The school's fixed vocabulary: roles of an account, statuses of a student or a staff member.

Codes are stored; the Vietnamese label is what every page and print shows.
"""

ROLES = {
    "admin": "Quản trị / văn thư",
    "principal": "Hiệu trưởng",
    "vice_principal": "Phó hiệu trưởng",
    "head_of_department": "Tổ trưởng chuyên môn",
    "teacher": "Giáo viên bộ môn",
    "nurse": "Nhân viên y tế",
    "accountant": "Kế toán",
    "discipline": "Giám thị / Ban thi đua",
}

STUDENT_STATUSES = {
    "dang_hoc": "Đang học",
    "chuyen_den": "Chuyển đến",
    "chuyen_di": "Chuyển đi",
    "nghi_hoc": "Nghỉ học",
    "thoi_hoc": "Thôi học",
    "hoan_thanh": "Đã hoàn thành chương trình",  # set when the year is carried forward (last grade of a level)
}
# statuses after which a student no longer studies here: kept, shown greyed, never edited. Completing the
# programme is not one of them: the student stays a full row of their last class's year results and books.
STUDENT_LEFT = {"chuyen_di", "nghi_hoc", "thoi_hoc"}
COMPLETED = "hoan_thanh"

STAFF_STATUSES = {
    "dang_cong_tac": "Đang công tác",
    "chuyen_cong_tac": "Chuyển công tác",
    "nghi_huu": "Nghỉ hưu",
    "thoi_viec": "Thôi việc",
}
STAFF_LEFT = {"chuyen_cong_tac", "nghi_huu", "thoi_viec"}

GENDERS = ("Nam", "Nữ")
