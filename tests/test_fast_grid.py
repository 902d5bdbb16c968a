"""The books' large grids drawn as one ReportLab table (models/printing/fast_grid.py, issue #12's speed)."""
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from models.printing import fast_grid
from models.printing.renderer import PrintError, html_to_pdf

CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "print.css"


def _rules(css: Path = CSS) -> dict[str, dict[str, str]]:
    """A print stylesheet outside @media blocks: each selector → its declarations (later rules win, as in CSS)."""
    text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", text)
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        decls = dict((k.strip(), v.strip()) for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d))
        for selector in selectors.split(","):
            rules.setdefault(" ".join(selector.split()), {}).update(decls)
    return rules


def _pt(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(pt|mm)?", value).groups()
    return float(number) * (72 / 25.4 if unit == "mm" else 1)


def _padding(value: str) -> tuple[float, float, float, float]:
    parts = [_pt(p) for p in value.split()]
    top, right, bottom, left = (parts * 4)[:4] if len(parts) == 1 else (parts + parts[:2])[:4]
    return top, right, bottom, left


@pytest.mark.parametrize("kind", ["book", "att"])
def test_the_grids_look_is_what_print_css_says(kind):
    """The Python side keeps print.css's numbers: a change in one without the other fails here."""
    rules = _rules()
    look = fast_grid.GRIDS[kind]
    cell = rules[f"table.{kind} th"] | rules[f"table.{kind} td"]
    assert look.base.size == _pt(cell["font-size"])
    top, right, bottom, left = _padding(cell["padding"])
    assert (look.base.pad_top, look.base.pad_right, look.base.pad_bottom, look.base.pad_left) == pytest.approx(
        (top, right, bottom, left))
    assert look.inner_border == _pt(cell["border"].split()[0])
    assert look.outer_border == _pt(rules[f"table.{kind}"]["border"].split()[0])
    assert rules[f"table.{kind} th"]["font-weight"] == "bold" and look.head == {"bold": True}
    widths = "marks" if kind == "book" else kind
    for name, mm in look.widths.items():
        assert _pt(rules[f"table.{widths} th.{name}"]["width"]) == pytest.approx(mm * 72 / 25.4), name
    for name, changes in look.by_class.items():
        css = rules.get(f"table.{kind} td.{name}") or rules.get(f"table.{kind} .{name}") \
            or rules.get(f"table.marks td.{name}")
        assert css, name
        if "background" in changes:
            assert css["background-color"] == changes["background"]
        if "color" in changes:
            assert css["color"] == changes["color"]
        if changes.get("bold"):
            assert css["font-weight"] == "bold"
        if "align" in changes:
            assert css["text-align"] == changes["align"].lower()
        if "size" in changes:
            assert _pt(css["font-size"]) == changes["size"]
    left_rows = rules[f"table.{kind} tr.left td"]
    assert look.by_row_class["left"]["italic"] and left_rows["font-style"] == "italic"
    assert re.sub("#666$", "#666666", left_rows["color"]) == look.by_row_class["left"]["color"]
    dense = rules["table.dense td"]
    assert (fast_grid.DENSE["size"], fast_grid.DENSE["pad_top"], fast_grid.DENSE["pad_bottom"]) == (
        _pt(dense["font-size"]), _pt(dense["padding-top"]), _pt(dense["padding-bottom"]))


@pytest.mark.parametrize("kind", ["class-log-print", "hoc-ba-results"])
def test_the_a4_books_look_is_what_the_a4_stylesheet_says(kind):
    rules = _rules(CSS.with_name("print_a4.css"))
    look = fast_grid.GRIDS[kind]
    cell = rules["table.book th"] | rules["table.book td"]
    assert look.base.size == _pt(cell["font-size"]) and look.line_height == float(cell["line-height"])
    assert (look.base.pad_top, look.base.pad_right, look.base.pad_bottom, look.base.pad_left) == pytest.approx(
        _padding(cell["padding"]))
    assert look.inner_border == _pt(cell["border"].split()[0])
    assert look.outer_border == _pt(rules["table.book"]["border"].split()[0])
    name = rules["table.book td.name"]
    assert look.by_class["name"]["align"].lower() == name["text-align"]
    assert look.by_class["name"]["pad_left"] == pytest.approx(_pt(name["padding-left"]))
    assert look.base.wrap  # lesson titles, remarks and names break into lines as in the browser
    if kind == "hoc-ba-results":
        comment = rules["table.book td.subject-comment"]
        assert look.by_class["subject-comment"]["size"] == _pt(comment["font-size"])
        assert look.by_class["subject-comment"]["align"].lower() == comment["text-align"]
        assert look.head_by_class["small-head"]["size"] == _pt(rules["table.book th.small-head"]["font-size"])
        assert look.by_class["fixed"]["color"] == rules["table.book .fixed"]["color"]
        left = rules["table.book tr.left td"]
        assert look.by_row_class["left"]["color"] == left["color"].replace("#555", "#555555")


def _page(body: str) -> str:
    return ('<html><head><meta charset="utf-8"><link rel="stylesheet" href="css/print.css">'
            '<style>@page { size: a3 landscape; margin: 10mm; }</style></head><body>' + body + "</body></html>")


GRID = """<pdf:grid><table class="book marks" repeat="2"><thead>
<tr><th class="stt" rowspan="2">STT</th><th class="name" rowspan="2">Họ và tên</th><th colspan="2">ĐĐGtx</th>
<th rowspan="2">ĐTBmhk</th><th class="note" rowspan="2">Ghi chú</th></tr><tr><th>1</th><th>2</th></tr></thead>
<tbody>{rows}</tbody></table></pdf:grid>"""


def _rows(n: int, note: str = "") -> str:
    return "".join(f'<tr><td>{i}</td><td class="name">Nguyễn Văn Học sinh {i:02d}</td><td>7,5</td>'
                   f'<td class="fix"><strike>6,0</strike>&nbsp;<span class="red">8,0</span></td>'
                   f'<td class="avg">7,8</td><td class="note">{note}</td></tr>' for i in range(1, n + 1))


def test_a_grid_prints_every_cell_in_order_with_the_corrections_markup(app):
    long_note = "Sửa: ĐĐGtx 2 (duyệt: Nguyễn Thị Hiệu Trưởng, 12/03/2025; ký: ……………) " * 3
    with app.app_context():
        data = html_to_pdf(_page(GRID.format(rows=_rows(45, long_note))))
    pages = PdfReader(io.BytesIO(data)).pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "STT Họ và tên ĐĐGtx ĐTBmhk Ghi chú 1 2" in text
    for i in (1, 23, 45):
        assert re.search(rf"\b{i} Nguyễn Văn Học sinh {i:02d} 7,5 6,0 ?8,0 7,8", text), i
    assert text.count("Nguyễn Thị Hiệu Trưởng") == 45 * 3  # the long notes wrap inside their cell, none lost
    # the struck-through value is drawn in black, the new value in the paper rule's red
    content = b"".join(p.get_contents().get_data() for p in pages)
    assert b".752941 0 0 rg" in content or b"0.752941 0 0 rg" in content  # #c00000


def test_a_grid_longer_than_a_page_repeats_its_header_on_the_next(app):
    with app.app_context():
        data = html_to_pdf(_page(GRID.format(rows=_rows(120))))
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 2
    for page in pages:
        assert "Họ và tên" in page.extract_text()
    assert "Nguyễn Văn Học sinh 120" in pages[-1].extract_text()


def test_an_unknown_table_inside_a_grid_fails_the_render_rather_than_print_something_else(app):
    with app.app_context(), pytest.raises((PrintError, ValueError)):
        html_to_pdf(_page('<pdf:grid><table class="other"><tr><td>1</td></tr></table></pdf:grid>'))


def test_the_browser_print_view_has_the_table_and_no_pdf_tag(app):
    """The PDF and the browser's print come from one template: only the PDF gets the <pdf:grid> wrapper."""
    from flask import render_template

    with app.test_request_context():
        html = render_template("print/_attendance_page.html", pdf=False, sheet=_FakeSheet(), code="", book=None)
        pdf_html = render_template("print/_attendance_page.html", pdf=True, sheet=_FakeSheet(), code="", book=None)
    assert '<table class="att"' in html and "pdf:grid" not in html
    assert "<pdf:grid>" in pdf_html and "</pdf:grid>" in pdf_html


class _FakeSheet:
    header_line_1 = header_line_2 = school_name = "Trường"
    month, year, year_name, class_name, class_size, homeroom_name = 10, 2024, "2024-2025", "6A1", 1, "GVCN"
    days_in_month = 31
    school_days = [True] * 31
    weekdays = ["T2"] * 31
    rows = []
    day_totals = [0] * 31
    total = p = k = 0
    place_name = principal_name = ""
