"""Weekly emulation (thi đua tuần) of the classes: each class starts the week with BASE_POINTS, every conduct
item recorded in the week adds its points (a good deed +, a violation −), and the classes are ranked by their
total, equal totals sharing a place (seed 002 Điều 6.1: the ban thi đua follows the classes' nề nếp).

The week runs Monday to Sunday; it is named by its Monday.
"""
from dataclasses import dataclass
from datetime import date, timedelta

# every class starts each week with these points; the school's own regulation sets the figure
BASE_POINTS = 100


def week_start(day: date) -> date:
    """The Monday of the week holding the day."""
    return day - timedelta(days=day.weekday())


def week_days(monday: date) -> list[date]:
    """Monday … Sunday of the week starting on `monday`."""
    return [monday + timedelta(days=i) for i in range(7)]


def week_label(monday: date) -> str:
    """"Tuần 02/12/2024 – 08/12/2024"."""
    return f"Tuần {monday:%d/%m/%Y} – {monday + timedelta(days=6):%d/%m/%Y}"


def week_points(item_points: list[int], base: int = BASE_POINTS) -> int:
    """A class's points for a week: the base plus every item recorded in the week (withdrawn ones left out)."""
    return base + sum(item_points)


@dataclass(frozen=True)
class RankedClass:
    name: str
    points: int
    rank: int  # 1 is first; equal points share a rank and the next rank is skipped (1, 2, 2, 4)


def rank_classes(points: dict[str, int], order_key=None) -> list[RankedClass]:
    """The classes from most points to fewest; ties share a rank ("standard competition" 1, 2, 2, 4) and are listed
    by `order_key` of their name (default: the name itself)."""
    key = order_key or (lambda name: name)
    ordered = sorted(points.items(), key=lambda kv: (-kv[1], key(kv[0])))
    ranked: list[RankedClass] = []
    for i, (name, total) in enumerate(ordered):
        rank = ranked[-1].rank if ranked and ranked[-1].points == total else i + 1
        ranked.append(RankedClass(name, total, rank))
    return ranked


def parse_points(text: str) -> int:
    """An item's points as typed ("-2", "−2", "+1", "3"): a whole number from -100 to 100, not 0; ValueError in
    Vietnamese otherwise."""
    cleaned = (text or "").strip().replace("−", "-").replace(" ", "")
    try:
        value = int(cleaned)
    except ValueError:
        raise ValueError(f"Điểm “{text}” không hợp lệ: nhập số nguyên, ví dụ -2 (vi phạm) hoặc 1 (việc tốt).") \
            from None
    if value == 0 or not -100 <= value <= 100:
        raise ValueError("Điểm phải khác 0 và trong khoảng từ -100 đến 100.")
    return value
