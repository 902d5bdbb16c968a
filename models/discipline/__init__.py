"""Daily conduct (nề nếp) and the weekly emulation of the classes (thi đua tuần), issue 17: the school's list of
conduct items, records per student or class and day, and the week's points and ranking (rule in
models/rules/emulation.py).

For the notices to families: conduct.day_violations(day, school_class=None) lists a day's violations per student.

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["conduct", "ranking"]
