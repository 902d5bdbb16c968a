"""xhtml2pdf's CSS cache keyed by structure (models/printing/css_cache_keys.py): faster, and the same pages."""
import io
from datetime import datetime

import pytest
from pypdf import PdfReader

from models.printing import css_cache_keys
from models.printing.renderer import html_to_pdf

NOW = datetime(2025, 3, 20, 9, 0)


def _contents(data: bytes) -> list[bytes]:
    return [page.get_contents().get_data() for page in PdfReader(io.BytesIO(data)).pages]


def _both_ways(render) -> tuple[list[bytes], list[bytes]]:
    """The pages rendered with structural keys, then with xhtml2pdf's own (the renderer installs the patch on
    every render: it is kept from doing so for the second)."""
    install = css_cache_keys.install
    install()
    try:
        patched = _contents(render())
        css_cache_keys.uninstall()
        css_cache_keys.install = lambda: None
        plain = _contents(render())
    finally:
        css_cache_keys.install = install
        install()
    return patched, plain


def _page(style: str, body: str) -> str:
    return (f'<html><head><meta charset="utf-8"><link rel="stylesheet" href="css/print.css"><style>{style}</style>'
            f"</head><body>{body}</body></html>")


ROWS = "".join(f"<tr><td>{i}</td><td><p>Hàng {i}</p></td></tr>" for i in range(6))


@pytest.mark.parametrize("style, body", [
    # an ancestor chosen by position: every other row's cells differ although their parents look alike
    ("tr:nth-child(odd) td { color: #c00000; font-weight: bold; }", f"<table>{ROWS}</table>"),
    ("tr:last-child td p { font-size: 16pt; }", f"<table>{ROWS}</table><table>{ROWS}</table>"),
    # an ancestor reached through a sibling combinator
    ("h2 + div p { color: #c00000; }", "<h2>Một</h2><div><p>đỏ</p></div><h3>Hai</h3><div><p>đen</p></div>"),
    # an ancestor chosen by an attribute
    ("table[data-x='1'] td { font-style: italic; }", f'<table data-x="1">{ROWS}</table><table data-x="2">{ROWS}</table>'),
    # ids and inline styles on ancestors
    ("#a td { color: #c00000; }", f'<table id="a">{ROWS}</table><table id="b">{ROWS}</table>'
                                  f'<div style="font-size: 14pt"><table>{ROWS}</table></div>'),
])
def test_structural_keys_draw_what_xhtml2pdf_draws(app, style, body):
    with app.app_context():
        patched, plain = _both_ways(lambda: html_to_pdf(_page(style, body)))
    assert patched == plain


def test_the_books_print_the_same_pages_either_way(app, school):
    from models.printing import hoc_ba
    from models.printing.attendance_sheet import sheet_for, sheet_pdf
    from models.printing.class_book import build_book, render_page
    from models.printing.renderer import merge_pdfs

    school_class = school["classes"]["6A1"]
    with app.app_context():
        book = build_book(school_class)
        patched, plain = _both_ways(lambda: merge_pdfs([render_page(book, page, i + 1, "ABCDE-12345", NOW)
                                                        for i, page in enumerate(book.pages)]))
        assert patched == plain and len(patched) > 10
        pages = hoc_ba.class_pages(school_class)
        patched, plain = _both_ways(lambda: hoc_ba.pdf(pages, now=NOW))
        assert patched == plain
        patched, plain = _both_ways(lambda: sheet_pdf(sheet_for(school_class, "2024-10")))
        assert patched == plain
