"""Year-end results (TT22 Điều 8–15): conduct levels and comments, the class result sheets computed from the
grade book and attendance, the class's submission and approval (freeze), summer re-assessment, lists and
statistics.

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["records", "results", "approval", "summer", "reports", "primary_year", "primary_reports", "conduct_changes",
           "school_counts", "placement"]
