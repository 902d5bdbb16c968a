__all__ = ["school", "marks", "attendance", "data", "previous_year", "thpt", "primary", "health", "finance", "teaching"]
