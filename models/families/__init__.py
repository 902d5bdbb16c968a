"""Notices to families (sổ liên lạc): the school's channel settings and message templates, each notice with
its family contact, text, maker and delivery state, the Excel export and the SMS sender that goes through
the school's own Android phone (SMS Gateway for Android, local server).

A notice is never deleted; every change of its state is in the audit log. The modules other areas may
import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["settings", "notices", "exports", "gateway", "sender", "history"]
