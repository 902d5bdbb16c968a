"""Score distribution (phổ điểm): bins, bands, means and an inline SVG histogram. Pure: no database, no Flask.

Ten bins of one point: [0,1), [1,2) … [8,9), and [9,10] which holds the tens. The SVG uses only
presentation attributes (no style=, no script: the Content-Security-Policy allows it inline) and
black, white and grey with a solid and a dashed line, so it reads the same printed in black and white.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from models.rules.tt22 import SCORE_BAND_EDGES, format_band_edge

BIN_COUNT = 10
# the bands the school reports by, defined once in tt22: <3,5 / 3,5–<5 / 5–<6,5 / 6,5–<8 / ≥8
BAND_EDGES = SCORE_BAND_EDGES
_EDGE_TEXT = [format_band_edge(e) for e in BAND_EDGES]
BAND_LABELS = (f"Dưới {_EDGE_TEXT[0]}",
               *(f"{lo} đến dưới {hi}" for lo, hi in zip(_EDGE_TEXT, _EDGE_TEXT[1:], strict=False)),
               f"Từ {_EDGE_TEXT[-1]} trở lên")
TWO_DECIMALS = Decimal("0.01")


def bin_index(mark: Decimal) -> int:
    """0 for [0,1), …, 9 for [9,10] (ten falls in the last bin)."""
    if not Decimal(0) <= mark <= Decimal(10):
        raise ValueError("Điểm phải từ 0 đến 10.")
    return min(int(mark), BIN_COUNT - 1)


def bin_label(index: int) -> str:
    """"[3; 4)" style labels; the last bin is closed: "[9; 10]"."""
    return f"[{index}; {index + 1}]" if index == BIN_COUNT - 1 else f"[{index}; {index + 1})"


def bin_counts(marks: Sequence[Decimal]) -> list[int]:
    """How many marks fall in each of the ten bins."""
    counts = [0] * BIN_COUNT
    for mark in marks:
        counts[bin_index(mark)] += 1
    return counts


def band_index(mark: Decimal) -> int:
    """0: < 3,5; 1: 3,5–< 5; 2: 5–< 6,5; 3: 6,5–< 8; 4: ≥ 8."""
    return sum(1 for edge in BAND_EDGES if mark >= edge)


def band_counts(marks: Sequence[Decimal]) -> list[int]:
    """How many marks fall in each band of BAND_LABELS."""
    counts = [0] * len(BAND_LABELS)
    for mark in marks:
        counts[band_index(mark)] += 1
    return counts


def mean_of(marks: Sequence[Decimal]) -> Decimal | None:
    """The arithmetic mean to two decimals, half up; None for no marks."""
    if not marks:
        return None
    return (sum(marks, Decimal(0)) / len(marks)).quantize(TWO_DECIMALS, rounding=ROUND_HALF_UP)


def format_mean(value: Decimal | None) -> str:
    """"6,43"; "" for None."""
    return "" if value is None else format(value.quantize(TWO_DECIMALS), "f").replace(".", ",")


def nice_step(peak: int, lines: int = 4) -> int:
    """A round step (1, 2, 5, 10, 20, 25, 50, …) giving at most about `lines` guide lines up to `peak`."""
    target = max(1, -(-peak // lines))
    magnitude = 1
    while True:
        for factor in (1, 2, 2.5, 5):
            step = int(factor * magnitude)
            if step == factor * magnitude and step >= target:
                return step
        magnitude *= 10


# --- the drawing ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    width: int = 380
    height: int = 250
    left: int = 40
    right: int = 12
    top: int = 34
    bottom: int = 58

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom

    def x(self, mark: Decimal | float) -> float:
        return self.left + float(mark) / 10 * self.plot_width


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, content: str, anchor: str = "middle", size: int = 11, weight: str = "",
          rotate: bool = False) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    if rotate:
        extra += f' transform="rotate(-90 {_num(x)} {_num(y)})"'
    return (f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" font-size="{size}"{extra} '
            f'fill="#000">{escape(content)}</text>')


def render_svg(counts: Sequence[int], title: str = "", mean: Decimal | None = None,
               reference_mean: Decimal | None = None, mean_label: str = "TB lớp",
               reference_label: str = "TB khối", layout: Layout = Layout()) -> str:
    """An SVG histogram: grey bars with their counts, axis 0–10, the mean as a solid line and the
    reference mean (the grade's) as a dashed one, with a legend; readable in black and white."""
    if len(counts) != BIN_COUNT:
        raise ValueError("Phổ điểm cần đúng 10 khoảng điểm.")
    lay = layout
    total = sum(counts)
    step = nice_step(max(counts))
    top_count = step * max(1, -(-max(counts) // step))  # the count axis ends on a round number
    base_y = lay.top + lay.plot_height
    bin_w = lay.plot_width / BIN_COUNT
    label = f"{title}: {total} điểm" if title else f"{total} điểm"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="histogram" viewBox="0 0 {lay.width} {lay.height}" '
             f'width="{lay.width}" height="{lay.height}" role="img" aria-label="{escape(label)}" '
             f'font-family="sans-serif">',
             f"<title>{escape(label)}</title>",
             f'<rect x="0" y="0" width="{lay.width}" height="{lay.height}" fill="#fff"/>']
    if title:
        parts.append(_text(lay.left, 16, title, anchor="start", size=13, weight="bold"))
    parts.append(_text(lay.width - lay.right, 16, f"{total} điểm", anchor="end", size=11))
    # horizontal guide lines at round counts, with the count axis labelled
    for level in range(0, top_count + 1, step):
        y = base_y - level / top_count * lay.plot_height
        parts.append(f'<line x1="{lay.left}" y1="{_num(y)}" x2="{_num(lay.left + lay.plot_width)}" '
                     f'y2="{_num(y)}" stroke="#ccc" stroke-width="0.5"/>')
        parts.append(_text(lay.left - 4, y + 4, str(level), anchor="end", size=10))
    parts.append(_text(12, lay.top + lay.plot_height / 2, "Số điểm", size=10, rotate=True))
    labels = []
    for i, count in enumerate(counts):
        if not count:
            continue
        h = count / top_count * lay.plot_height
        x = lay.left + i * bin_w
        parts.append(f'<rect x="{_num(x + 2)}" y="{_num(base_y - h)}" width="{_num(bin_w - 4)}" '
                     f'height="{_num(h)}" fill="#c8c8c8" stroke="#000" stroke-width="1"/>')
        # a white halo keeps the count legible where a mean line passes behind it
        labels.append(_text(x + bin_w / 2, base_y - h - 3, str(count), size=11, weight="bold")
                      .replace("<text ", '<text stroke="#fff" stroke-width="3" paint-order="stroke" ', 1))
    # the axes and the marks 0..10 under the bin edges
    parts.append(f'<line x1="{lay.left}" y1="{_num(base_y)}" x2="{_num(lay.left + lay.plot_width)}" '
                 f'y2="{_num(base_y)}" stroke="#000" stroke-width="1"/>')
    parts.append(f'<line x1="{lay.left}" y1="{lay.top}" x2="{lay.left}" y2="{_num(base_y)}" '
                 f'stroke="#000" stroke-width="1"/>')
    for mark in range(0, 11):
        x = lay.x(mark)
        parts.append(f'<line x1="{_num(x)}" y1="{_num(base_y)}" x2="{_num(x)}" y2="{_num(base_y + 4)}" '
                     f'stroke="#000" stroke-width="1"/>')
        parts.append(_text(x, base_y + 15, str(mark), size=10))
    parts.append(_text(lay.left + lay.plot_width / 2, base_y + 29, "Điểm", size=10))
    # the means: solid for this group, dashed for the reference, each named in the legend
    legend_y = lay.height - 8
    legend_x = lay.left
    for value, name, dash in ((mean, mean_label, ""), (reference_mean, reference_label, ' stroke-dasharray="5 3"')):
        if value is None:
            continue
        x = lay.x(value)
        parts.append(f'<line x1="{_num(x)}" y1="{lay.top - 6}" x2="{_num(x)}" y2="{_num(base_y)}" '
                     f'stroke="#000" stroke-width="2"{dash}/>')
        parts.append(f'<line x1="{_num(legend_x)}" y1="{_num(legend_y - 4)}" x2="{_num(legend_x + 22)}" '
                     f'y2="{_num(legend_y - 4)}" stroke="#000" stroke-width="2"{dash}/>')
        parts.append(_text(legend_x + 26, legend_y, f"{name}: {format_mean(value)}", anchor="start", size=11))
        legend_x += 150
    parts.extend(labels)
    parts.append("</svg>")
    return "".join(parts)
