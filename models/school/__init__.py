"""The school's structure: school, years and semesters, grades, subjects and their periods, departments,
classes and enrolments, teaching assignments, the calendar, class lists (rosters, Excel import),
upper-secondary subject groups (tổ hợp).

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["structure", "calendar", "rosters", "class_import", "subject_groups"]
