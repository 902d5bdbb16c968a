"""The grade book (sổ theo dõi và đánh giá): mark cells and their averages, entry windows and locks,
correction requests (marks and attendance), the vice-principal's monitoring, and the THPT subject-group
changes that keep every mark on its page.

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["marks", "locks", "corrections", "monitoring", "group_changes"]
