"""The deterministic demo school: structure, people, accounts, marks and attendance.

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["school", "marks", "attendance", "data", "health"]
