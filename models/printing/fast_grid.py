"""The large grids of the books drawn as one ReportLab table, through an xhtml2pdf tag of our own.

xhtml2pdf turns every table cell into a paragraph with its own CSS cascade, layout and drawing: a class book's
score and attendance pages (400–1,500 cells each) spent nine tenths of their render time there. A print template
wraps such a grid in `<pdf:grid>` when it renders for the PDF (the browser's print view gets the bare table):
the tag reads the table from the document (rows, spans, texts, classes) and hands ReportLab one Table whose
cells are plain strings, with the borders, paddings, fonts and shading the print stylesheet gives those classes
(GRIDS below, kept equal to static/css/print.css and print_a4.css by tests/test_fast_grid.py). A cell in more
than one face (a struck-through old value beside the new one in red, a name and its status in smaller type, a
weekday in bold above its date) is drawn by RunsFlowable; texts that wrap are broken at the column's width.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from xml.dom import Node

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

BLACK = colors.black
LINE_BREAK = "\u2028"  # a <br> inside a cell's runs (the HTML source's own line ends are white space)


@dataclass(frozen=True)
class CellLook:
    size: float = 9.0
    bold: bool = False
    italic: bool = False
    color: str = "#000000"
    background: str | None = None
    align: str = "CENTER"
    pad_top: float = 1.5
    pad_right: float = 1.0
    pad_bottom: float = 1.2
    pad_left: float = 1.0
    wrap: bool = False  # a text broken into lines at the column's width (a ReportLab string cell never breaks)


@dataclass(frozen=True)
class GridLook:
    """What print.css says of one kind of grid: the cells' default look and what each class changes."""

    base: CellLook
    head: dict = field(default_factory=lambda: {"bold": True})  # th: changes (every print table's th is bold)
    by_class: dict = field(default_factory=dict)  # td class -> changes
    head_by_class: dict = field(default_factory=dict)  # th class -> changes
    by_row_class: dict = field(default_factory=dict)  # tr class -> changes to its td cells
    widths: dict = field(default_factory=dict)  # th class -> width in mm
    inner_border: float = 0.5
    outer_border: float = 0.6
    line_height: float = 1.0
    span_styles: dict = field(default_factory=dict)  # inline span class -> (size or None, colour or None, bold)


# print_a4.css table.book cells: 9,5pt, padding 2.2pt 1pt 1.6pt 1pt (line-height 1.05 on the GridLook); texts wrap
A4_BOOK = CellLook(size=9.5, pad_top=2.2, pad_bottom=1.6, wrap=True)

GRIDS: dict[str, GridLook] = {
    # the học bạ's results table (A4, print_a4.css table.book): as the class log's, with the subject teacher's
    # comment in 8pt and the headings of the mark columns in 8,5pt
    "hoc-ba-results": GridLook(
        base=A4_BOOK,
        by_class={"name": {"align": "LEFT", "pad_left": 1.5 * mm},
                  "subject-comment": {"align": "LEFT", "size": 8.0, "pad_left": 1.0},
                  "fixed": {"color": "#c00000", "bold": True}},
        head_by_class={"small-head": {"size": 8.5}},
        by_row_class={"left": {"color": "#555555", "italic": True}},
        span_styles={"fixed": (None, "#c00000", True)},
        line_height=1.05,
    ),
    # the sổ ghi đầu bài (A4, print_a4.css table.book): 9.5pt, line-height 1.05, padding 2.2pt 1pt 1.6pt 1pt; its
    # texts (lesson titles, remarks, absent pupils) wrap; column widths in % on its headings. Checked first: the
    # table is also of class "book".
    "class-log-print": GridLook(
        base=A4_BOOK,
        by_class={"name": {"align": "LEFT", "pad_left": 1.5 * mm}},
        line_height=1.05,
    ),
    # table.book (class book pages): 9pt, padding 1.5pt 1pt 1.2pt 1pt, centred, line-height 1.0
    "book": GridLook(
        base=CellLook(),
        by_class={"name": {"align": "LEFT", "pad_left": 1.5 * mm}, "void": {"background": "#efefef"},
                  "red": {"color": "#c00000", "bold": True}, "fix": {"size": 8.5}, "avg": {"bold": True},
                  "note": {"align": "LEFT", "size": 9.0, "pad_left": 1.0, "wrap": True}},
        head_by_class={"void": {"background": "#efefef"}},
        by_row_class={"left": {"color": "#666666", "italic": True}},
        widths={"stt": 12, "name": 80, "note": 70},
        span_styles={"status": (8.5, None, False), "red": (None, "#c00000", True)},
    ),
    # table.att (monthly attendance): 8.5pt, padding 1.4pt 0 0.2pt 0, centred, fixed layout
    "att": GridLook(
        base=CellLook(size=8.5, pad_top=1.4, pad_right=0, pad_bottom=0.2, pad_left=0),
        by_class={"name": {"align": "LEFT", "pad_left": 1.5 * mm}, "off": {"background": "#d9d9d9"},
                  "void": {"background": "#efefef"}, "k": {"bold": True}},
        head_by_class={"off": {"background": "#d9d9d9"}, "void": {"background": "#efefef"}},
        by_row_class={"left": {"color": "#666666", "italic": True}, "totals": {"bold": True}},
        widths={"stt": 9, "name": 66, "day": 8.8, "sum": 10},
        span_styles={"status": (7.5, None, False)},
    ),
}
DESCENT = 0.24  # of the font size: Liberation Serif's descent (0.216) and xhtml2pdf's rounding of it
BORDER_SHARE = 0.4  # of the border's width, above and below a cell's text: xhtml2pdf's rows measured 0,4–0,47pt
# taller than font and paddings with 0,5pt rules; the lower figure keeps every page within its sheet
DENSE = {"size": 8.5, "pad_top": 1.0, "pad_bottom": 0.8}  # table.dense td


def _classes(element) -> list[str]:
    return element.getAttribute("class").split() if element.hasAttribute("class") else []


def _elements(node, *names):
    return [n for n in node.childNodes if n.nodeType == Node.ELEMENT_NODE and n.tagName.lower() in names]


def _rows(table):
    rows = []
    for part in table.childNodes:
        if part.nodeType != Node.ELEMENT_NODE:
            continue
        name = part.tagName.lower()
        if name in ("thead", "tbody", "tfoot"):
            rows += _elements(part, "tr")
        elif name == "tr":
            rows.append(part)
    return rows


@dataclass(frozen=True)
class Run:
    """A piece of a cell's text in one face: most cells are one run, a corrected mark three (old, space, new)."""

    text: str
    bold: bool
    italic: bool
    size: float
    color: str
    strike: bool = False


def _runs(node, look: GridLook, cell: CellLook, strike: bool = False) -> list[Run]:
    """The cell's text as runs, each with the face its elements give it (<strike>, <b>, a span's class)."""
    out: list[Run] = []
    for child in node.childNodes:
        if child.nodeType == Node.TEXT_NODE:
            out.append(Run(child.data, cell.bold, cell.italic, cell.size, cell.color, strike))
        elif child.nodeType == Node.ELEMENT_NODE:
            name = child.tagName.lower()
            if name == "br":
                out.append(Run(LINE_BREAK, cell.bold, cell.italic, cell.size, cell.color, strike))
                continue
            inner = cell
            if name in ("b", "strong"):
                inner = replace(inner, bold=True)
            elif name in ("i", "em"):
                inner = replace(inner, italic=True)
            for cls in _classes(child):
                size, color, bold = look.span_styles.get(cls, (None, None, False))
                inner = replace(inner, size=size or inner.size, color=color or inner.color, bold=inner.bold or bold)
            out += _runs(child, look, inner, strike or name in ("strike", "s", "del"))
    return out


def _clean(text: str) -> str:
    """White space as a browser shows it: runs of spaces and line ends as one space, none at the ends, a
    no-break space kept; a <br> a new line."""
    return "\n".join(re.sub(r"[ \t\r\n]+", " ", part).strip(" ") for part in text.split(LINE_BREAK))


def _style(run: Run) -> tuple:
    return run.bold, run.italic, run.size, run.color, run.strike


def _collapse(runs: list[Run]) -> list[Run]:
    """White space across runs as a browser shows one line: collapsed, none at the ends; runs of one face joined."""
    out: list[Run] = []
    space_before = True
    for run in runs:
        text = re.sub(r"[ \t\r\n]+", " ", run.text)
        if space_before:
            text = text.lstrip(" ")
        if not text:
            continue
        space_before = text.endswith(" ") or text.endswith(LINE_BREAK)
        if out and _style(out[-1]) == _style(run):
            out[-1] = replace(out[-1], text=out[-1].text + text)
        else:
            out.append(replace(run, text=text))
    if out:
        out[-1] = replace(out[-1], text=out[-1].text.rstrip(" "))
    return [r for r in out if r.text]


class RunsFlowable(Flowable):
    """Differently styled runs (a struck old mark and the new one in red; a name and its status; a weekday in
    bold above its date), broken into lines at the cell's width when the grid's text wraps."""

    def __init__(self, runs: list[Run], fonts: dict[tuple[bool, bool], str], align: str = "CENTER",
                 line_height: float = 1.0, breaks: bool = False):
        super().__init__()
        self.runs, self.fonts, self.align, self.breaks = runs, fonts, align, breaks
        self.size = max((r.size for r in runs), default=0)
        self.leading = self.size * line_height
        self.lines: list[list[tuple[Run, str, float]]] = []

    def _width(self, run: Run, text: str) -> float:
        return stringWidth(text, self.fonts[(run.bold, run.italic)], run.size)

    def wrap(self, availWidth, availHeight):
        lines: list[list[tuple[Run, str, float]]] = [[]]
        used = 0.0
        for run in self.runs:
            for token in re.findall(f"{LINE_BREAK}|[^ {LINE_BREAK}]+ *| +", run.text):
                if token == LINE_BREAK:
                    lines.append([])
                    used = 0.0
                    continue
                width = self._width(run, token)
                if self.breaks and lines[-1] and used + self._width(run, token.rstrip(" ")) > availWidth:
                    lines.append([])
                    used = 0.0
                    if not token.strip(" "):
                        continue
                lines[-1].append((run, token, width))
                used += width
        self.lines = [self._trimmed(line) for line in lines]
        self.width = max((sum(w for _, _, w in line) for line in self.lines), default=0.0)
        self.height = self.leading * len(self.lines)
        return self.width, self.height

    def _trimmed(self, line):
        if line and line[-1][1].endswith(" "):
            run, text, _ = line[-1]
            line = line[:-1] + [(run, text.rstrip(" "), self._width(run, text.rstrip(" ")))]
        return line

    def draw(self):
        canvas = self.canv
        for number, line in enumerate(self.lines):
            y = (len(self.lines) - 1 - number) * self.leading
            line_width = sum(w for _, _, w in line)
            x = (self.width - line_width) / 2 if self.align == "CENTER" else 0.0
            for run, text, width in line:
                color = colors.HexColor(run.color)
                canvas.setFillColor(color)
                canvas.setFont(self.fonts[(run.bold, run.italic)], run.size)
                canvas.drawString(x, y, text)
                if run.strike:
                    canvas.setStrokeColor(color)
                    canvas.setLineWidth(0.05 * run.size)
                    canvas.line(x, y + 0.3 * run.size, x + width, y + 0.3 * run.size)
                x += width


@dataclass
class _Cell:
    row: int
    col: int
    colspan: int
    rowspan: int
    look: CellLook
    value: object  # str or RunsFlowable
    width: tuple[float, str] | None = None  # a th's width: (number, "mm" or "%")


def _width_of(cell, look: GridLook) -> tuple[float, str] | None:
    """A heading cell's width: its class's in print.css, or its width attribute (mm or %)."""
    for name in _classes(cell):
        if name in look.widths:
            return look.widths[name], "mm"
    match = re.fullmatch(r"\s*([\d.]+)\s*(mm|%)\s*", cell.getAttribute("width") or "")
    return (float(match.group(1)), match.group(2)) if match else None


class FastGrid(Table):
    """A ReportLab table whose columns without a width of their own share what the frame leaves, and whose
    wrapping texts are broken into lines once the widths are known."""

    def __init__(self, *args, col_widths=(), wrapped=(), **kwargs):
        self._given_widths = list(col_widths)
        self._wrapped = list(wrapped)  # (row, col, colspan, text, font, size, horizontal padding)
        super().__init__(*args, **kwargs)

    def wrap(self, availWidth, availHeight):
        if not self._given_widths:  # a part of a split table: ReportLab gave it the whole table's widths
            return super().wrap(availWidth, availHeight)
        widths = [None if w is None else w[0] * (mm if w[1] == "mm" else availWidth / 100)
                  for w in self._given_widths]
        free = [i for i, w in enumerate(widths) if w is None]
        share = max(availWidth - sum(w for w in widths if w is not None), 0) / len(free) if free else 0
        self._argW = [share if w is None else w for w in widths]
        self._colWidths = self._argW
        for row, col, colspan, text, font, size, padding in self._wrapped:
            width = sum(self._argW[col:col + colspan]) - padding
            self._cellvalues[row][col] = "\n".join(
                line for part in text.split("\n") for line in (simpleSplit(part, font, size, width) or [""]))
        return super().wrap(availWidth, availHeight)


def build(table, fonts: dict[tuple[bool, bool], str]) -> FastGrid:
    """The ReportLab table for a <table> element of the document (xml.dom), drawn as print.css draws it."""
    classes = _classes(table)
    kind = next((k for k in GRIDS if k in classes), None)
    if kind is None:
        raise ValueError("pdf:grid: bảng không thuộc loại đã biết (" + ", ".join(GRIDS) + ")")
    look = GRIDS[kind]
    dense = "dense" in classes
    cells: list[_Cell] = []
    taken: set[tuple[int, int]] = set()
    rows = _rows(table)
    ncols = 0
    for r, tr in enumerate(rows):
        row_classes = _classes(tr)
        c = 0
        for cell in _elements(tr, "td", "th"):
            while (r, c) in taken:
                c += 1
            colspan = int(cell.getAttribute("colspan") or 1)
            rowspan = int(cell.getAttribute("rowspan") or 1)
            head = cell.tagName.lower() == "th"
            changes: dict = {}
            if head:
                changes.update(look.head)
            else:
                if dense:
                    changes.update(DENSE)
                for rc in row_classes:
                    changes.update(look.by_row_class.get(rc, {}))
            for cc in _classes(cell):
                changes.update((look.head_by_class if head else look.by_class).get(cc, {}))
            cell_look = replace(look.base, **changes)
            runs = _runs(cell, look, cell_look)
            value: object
            if len({_style(r) for r in runs if r.text.strip()}) <= 1 and not any(r.strike for r in runs):
                # one face (the cell's, or its <b> all through): a ReportLab string cell
                face = next((r for r in runs if r.text.strip()), None)
                if face is not None:
                    cell_look = replace(cell_look, bold=face.bold, italic=face.italic, size=face.size, color=face.color)
                value = _clean("".join(r.text for r in runs))
            else:
                value = RunsFlowable(_collapse(runs), fonts, cell_look.align, look.line_height, cell_look.wrap)
            cells.append(_Cell(r, c, colspan, rowspan, cell_look, value,
                               _width_of(cell, look) if head and colspan == 1 else None))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            c += colspan
        ncols = max(ncols, c, max((cc for rr, cc in taken if rr == r), default=-1) + 1)
    data = [["" for _ in range(ncols)] for _ in rows]
    widths: list[tuple[float, str] | None] = [None] * ncols
    wrapped = [(cell.row, cell.col, cell.colspan, cell.value, fonts[(cell.look.bold, cell.look.italic)],
                cell.look.size, cell.look.pad_left + cell.look.pad_right) for cell in cells
               if cell.look.wrap and isinstance(cell.value, str) and cell.value]
    commands: list[tuple] = [
        ("INNERGRID", (0, 0), (-1, -1), look.inner_border, BLACK),
        ("BOX", (0, 0), (-1, -1), look.outer_border, BLACK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for cell in cells:
        data[cell.row][cell.col] = cell.value
        end = (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)
        start = (cell.col, cell.row)
        if cell.colspan > 1 or cell.rowspan > 1:
            commands.append(("SPAN", start, end))
        if cell.width:
            widths[cell.col] = cell.width
        lk = cell.look
        commands += [
            # an empty cell gives its row no height of its own, as in xhtml2pdf (an empty 9pt note cell
            # beside 8,5pt marks would make every row of a 55-student page taller; 0 is "the default" to ReportLab)
            ("FONT", start, end, fonts[(lk.bold, lk.italic)], lk.size, lk.size * look.line_height if cell.value != "" else 0.01),
            ("TEXTCOLOR", start, end, colors.HexColor(lk.color)),
            ("ALIGN", start, end, lk.align),
            # xhtml2pdf counts some of each border line into the cell's height, as here; and ReportLab puts a
            # one-line cell's baseline on its bottom padding, where xhtml2pdf leaves the font's descent below
            # it (the dấu nặng and descenders clear the row rule): the text is raised by that much
            ("TOPPADDING", start, end, lk.pad_top + BORDER_SHARE * look.inner_border - DESCENT * lk.size),
            ("BOTTOMPADDING", start, end, lk.pad_bottom + BORDER_SHARE * look.inner_border + DESCENT * lk.size),
            ("LEFTPADDING", start, end, lk.pad_left),
            ("RIGHTPADDING", start, end, lk.pad_right),
        ]
        if lk.background:
            commands.append(("BACKGROUND", start, end, colors.HexColor(lk.background)))
    repeat = int(table.getAttribute("repeat") or 0) if table.hasAttribute("repeat") else 0
    if not repeat and _elements(table, "thead"):
        repeat = len(_elements(_elements(table, "thead")[0], "tr"))
    return FastGrid(data, col_widths=widths, wrapped=wrapped, repeatRows=repeat, style=TableStyle(commands),
                    hAlign="LEFT")


def install() -> None:
    """Teach xhtml2pdf the <pdf:grid> tag (idempotent)."""
    from reportlab.lib.fonts import tt2ps
    from xhtml2pdf import default, parser
    from xhtml2pdf.tags import pisaTag

    if hasattr(parser, "pisaTagPDFGRID"):
        return

    class pisaTagPDFGRID(pisaTag):  # noqa: N801 - the name xhtml2pdf looks up for <pdf:grid>
        def start(self, c) -> None:
            tables = [n for n in self.node.getElementsByTagName("table")]
            if not tables:
                return
            # the family the stylesheet gives the page (SheetSerif on A3 sheets, BookSerif in the A4 books)
            family = c.frag.fontName
            fonts = {(b, i): tt2ps(family, int(b), int(i)) for b in (False, True) for i in (False, True)}
            grid = build(tables[0], fonts)
            for child in list(self.node.childNodes):
                self.node.removeChild(child)
            c.addPara()
            c.addStory(grid)

    parser.pisaTagPDFGRID = pisaTagPDFGRID
    default.TAGS["pdfgrid"] = (1, {})
