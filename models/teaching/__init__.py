"""Teaching records (issue #16): the timetable (thời khoá biểu), the programme plan (phân phối chương
trình, PPCT), the teacher's weekly teaching schedule (lịch báo giảng), the class log (sổ ghi đầu bài); lesson plans
(kế hoạch bài dạy) with their versions and the head of department's review, the teacher's and the department's
year plans, the department's minutes book (sổ ghi chép sinh hoạt chuyên môn).

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["timetable", "ppct", "schedule", "class_log", "class_log_book", "lesson_plans", "plans", "minutes"]
