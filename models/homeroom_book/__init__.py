"""The homeroom book (sổ chủ nhiệm), issue 17: its sections (class committee, the year's and each month's plans and
reviews), its dated notes (class meetings, parents' meetings, contacts with families, students' progress) and the
class profile computed from data.

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["book"]
