"""Monthly attendance (P/K per session), its month locks, confirmations and delegates.

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["register"]
