"""Score distribution: bins of one point (ten in the last), bands, means and the SVG drawing."""
import re
from decimal import Decimal as D

import pytest

from models.rules import histogram


@pytest.mark.parametrize("mark, index", [("0", 0), ("0.9", 0), ("1", 1), ("3.5", 3), ("3.9", 3), ("4", 4),
                                         ("8.9", 8), ("9", 9), ("9.9", 9), ("10", 9), ("10.0", 9)])
def test_bin_index(mark, index):
    assert histogram.bin_index(D(mark)) == index


@pytest.mark.parametrize("mark", ["-0.1", "10.1"])
def test_bin_index_refuses_marks_outside_0_10(mark):
    with pytest.raises(ValueError):
        histogram.bin_index(D(mark))


def test_bin_counts_and_labels():
    counts = histogram.bin_counts([D("10"), D("3.5"), D("0"), D("9.9"), D("9")])
    assert counts == [1, 0, 0, 1, 0, 0, 0, 0, 0, 3]
    assert histogram.bin_label(3) == "[3; 4)" and histogram.bin_label(9) == "[9; 10]"


@pytest.mark.parametrize("mark, band", [("3.4", 0), ("3.5", 1), ("4.9", 1), ("5", 2), ("6.4", 2), ("6.5", 3),
                                        ("7.9", 3), ("8", 4), ("10", 4), ("0", 0)])
def test_bands_put_a_threshold_mark_in_the_upper_band(mark, band):
    assert histogram.band_index(D(mark)) == band


def test_band_counts():
    marks = [D(x) for x in ("3.4", "3.5", "5.0", "6.5", "8.0", "9.5")]
    assert histogram.band_counts(marks) == [1, 1, 1, 1, 2]


def test_mean_is_rounded_half_up_to_two_decimals():
    assert histogram.mean_of([D("6"), D("7"), D("7")]) == D("6.67")
    assert histogram.mean_of([D("6.125")]) == D("6.13")
    assert histogram.mean_of([]) is None
    assert histogram.format_mean(D("6.5")) == "6,50" and histogram.format_mean(None) == ""


def test_svg_has_the_counts_the_axis_and_both_means():
    counts = histogram.bin_counts([D("10")] * 12 + [D("3.5")] * 7 + [D("6")])
    svg = histogram.render_svg(counts, "Lớp 6A1", D("6.43"), D("5.1"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    texts = re.findall(r">([^<>]+)</text>", svg)
    assert "12" in texts and "7" in texts and "1" in texts  # counts on the bars
    assert all(str(n) in texts for n in range(11))  # the axis 0..10
    assert "Điểm" in texts and "TB lớp: 6,43" in texts and "TB khối: 5,10" in texts
    assert "stroke-dasharray" in svg  # the grade's mean is dashed: it reads in black and white
    assert "style=" not in svg and "<script" not in svg
    assert svg.count("<rect") == 1 + 3  # the background and three bars


def test_svg_escapes_its_title_and_draws_an_empty_group():
    svg = histogram.render_svg([0] * 10, "<Lớp & 6A1>")
    assert "&lt;Lớp &amp; 6A1&gt;" in svg and "<Lớp" not in svg
    assert "0 điểm" in svg and "TB lớp" not in svg


def test_svg_needs_ten_bins():
    with pytest.raises(ValueError):
        histogram.render_svg([1, 2, 3])


@pytest.mark.parametrize("peak, step", [(0, 1), (4, 1), (5, 2), (9, 5), (40, 10), (114, 50), (1000, 250)])
def test_the_count_axis_uses_round_steps(peak, step):
    assert histogram.nice_step(peak) == step
