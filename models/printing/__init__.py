"""Printed books: the one PDF renderer, the class book, the teacher's book, the học bạ, the signed
attendance sheets, verification codes, print jobs run by a worker process, and the year-end archive.

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["render_pool", "family_slips", "renderer", "class_book", "teacher_book", "hoc_ba", "attendance_sheet",
           "verification", "jobs", "archive", "worker", "registers", "printed_corrections", "verify_qr", "primary_summary",
           "primary_hoc_ba", "homeroom_book", "class_log_book", "teaching_schedule", "minutes_book",
           "teaching_archive"]
