"""Primary schools (tiểu học, TT27): each subject's level, short comment and periodic test score at the four
moments, the pupils' qualities and competences, monthly comments, and the year-end result they give.

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["assessments", "corrections"]
