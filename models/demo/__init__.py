__all__ = ["school", "marks", "attendance", "data", "previous_year", "thpt", "primary", "primary_assessments", "health", "finance", "discipline",
           "families", "teaching"]
