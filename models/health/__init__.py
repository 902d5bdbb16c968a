"""School health (y tế học đường, seed 000 Điều 22, seed 004 B.1.1): each student's health record, the
periodic checks (khám sức khỏe định kỳ) with the WHO 2007 growth status, the clinic log and the medicine stock.

Health data is personal: who may read what is decided in blueprints/guards.py; reads of a full record by
anyone but the nurse are audited (read_record()).

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["records", "checks", "clinic", "daily", "reports"]
