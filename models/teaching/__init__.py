"""Teaching records (issue #16): the timetable (thời khoá biểu), the programme plan (phân phối chương
trình, PPCT), the teacher's weekly teaching schedule (lịch báo giảng), the class log (sổ ghi đầu bài).

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["timetable", "ppct", "schedule", "class_log", "class_log_book"]
