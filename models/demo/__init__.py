"""The deterministic demo school: structure, people, accounts, marks, attendance and
the finance books.

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["school", "marks", "attendance", "data", "finance"]
