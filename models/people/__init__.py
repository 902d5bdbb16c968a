"""Students and staff (records with immutable codes and status histories) and the accounts that staff sign
in with (roles, passwords, login throttling).

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["records", "accounts", "lockouts"]
