"""The audit log read against the books: what an entry is about and its values in words (entities), and
the replay that checks every mark and attendance mark against the last value the log recorded (replay).
Above every area whose rows it reads.

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["entities", "replay"]
