"""The class log's pure rules (sổ ghi đầu bài): the lesson ratings and the weekly class ranking.

Seed 004 B.III lists the sổ ghi đầu bài among the school's books; each period is rated by the teacher who
taught it. The scale is the school's (Tốt/Khá/Trung bình/Chưa đạt by default); it lives here once.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

# rating code → label, best first
RATINGS: dict[str, str] = {"tot": "Tốt", "kha": "Khá", "tb": "Trung bình", "chua_dat": "Chưa đạt"}
# points of each rating for the weekly ranking (the school's emulation table: Tốt 10 … Chưa đạt 2)
RATING_POINTS: dict[str, int] = {"tot": 10, "kha": 8, "tb": 5, "chua_dat": 2}

MAX_REMARKS = 500
MAX_REASON = 200


def check_rating(code: str | None) -> str:
    code = (code or "").strip()
    if code not in RATINGS:
        raise ValueError("Hãy chọn xếp loại tiết học: Tốt, Khá, Trung bình hoặc Chưa đạt.")
    return code


class ClassScore(NamedTuple):
    class_name: str
    periods: int
    points: Decimal  # average points per rated period, one decimal
    counts: dict
    rank: int


def ranking(ratings: dict[str, Iterable[str]]) -> list[ClassScore]:
    """Classes ordered by their average lesson points (one decimal, half up); equal averages share a rank;
    a class with no rated period comes last without a rank (0)."""
    scored = []
    for name, codes in ratings.items():
        codes = [c for c in codes if c in RATING_POINTS]
        counts = {code: codes.count(code) for code in RATINGS}
        if codes:
            avg = (Decimal(sum(RATING_POINTS[c] for c in codes)) / len(codes)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        else:
            avg = Decimal("0")
        scored.append((name, len(codes), avg, counts))
    scored.sort(key=lambda s: (-s[2], s[0]))
    out, rank, last = [], 0, None
    for i, (name, n, avg, counts) in enumerate(scored):
        if n == 0:
            out.append(ClassScore(name, 0, avg, counts, 0))
            continue
        if avg != last:
            rank, last = i + 1, avg
        out.append(ClassScore(name, n, avg, counts, rank))
    return out
