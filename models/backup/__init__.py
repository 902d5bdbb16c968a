"""Backups (online, checked, compressed, nightly) and restore.

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["backups"]
