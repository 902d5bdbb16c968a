"""The append-only, hash-chained audit log: `record()` (its one writer), the actor of a request, the chain
check and the log browser's queries. Depends on the core only.

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["log", "vocabulary"]
