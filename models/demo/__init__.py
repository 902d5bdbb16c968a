"""The deterministic demo schools (lower-secondary; upper-secondary in thpt): structure, people, accounts, marks
and attendance.

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["school", "marks", "attendance", "data", "previous_year", "thpt", "primary", "health"]
