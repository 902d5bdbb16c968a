"""The one PDF renderer: a Jinja print template → HTML for the browser, or → PDF through xhtml2pdf.

The same template serves both (print CSS in static/css/print.css with the vendored Liberation Serif).
xhtml2pdf renders one document at a time per process and holds the GIL, so anything larger than one
sheet is built by the worker process (models/printing/worker.py), never inside the web process.
"""
import functools
import hashlib
import io
import logging
import os
import re
import unicodedata
from pathlib import Path

from flask import current_app, render_template

from models.printing import css_cache_keys, fast_grid

FONT_FAMILY = "LiberationSerif"
BASE_FONT = "LiberationSerif-Base"
CACHE_ENV = "SOTRUONG_PRINT_CACHE_DIR"  # how the worker process learns the web app's cache folder
# base-14 fonts have no Vietnamese letters: a PDF that uses one has silently lost its font
BASE14 = ("Helvetica", "Times-Roman", "Times-Bold", "Times-Italic", "Courier", "Symbol", "ZapfDingbats")
# xhtml2pdf only logs these; a sheet with a missing glyph or a blocked font must not be printed
_FATAL = ("No font this document has can draw", "Blocked by the resource policy", "Cannot embed the font",
          "Error while parsing CSS file")


class PrintError(RuntimeError):
    """The document could not be rendered faithfully (missing glyph, blocked font, renderer error)."""


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, rec: logging.LogRecord) -> None:
        try:
            self.messages.append(rec.getMessage())
        except Exception:  # a badly formatted library message must not hide the render's outcome
            self.messages.append(str(rec.msg))


def static_folder() -> Path:
    return Path(current_app.static_folder)


def render_print_html(template_name: str, **context) -> str:
    """The print template as the browser gets it (links to /static/…), NFC."""
    return unicodedata.normalize("NFC", render_template(template_name, pdf=False, **context))


def render_pdf(template_name: str, **context) -> bytes:
    """Render a print template to PDF bytes; raises PrintError rather than fall back to a base-14 font."""
    # straight from the jinja env: no request context needed (CLI, worker process)
    html = current_app.jinja_env.get_template(template_name).render(pdf=True, **context)
    return html_to_pdf(unicodedata.normalize("NFC", html))


def _shared_charset() -> str:
    """ASCII, every Vietnamese letter in every tone (NFC) and the punctuation the forms print."""
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    vowels = "aăâeêioôơuưy"
    letters = [unicodedata.normalize("NFC", v + t) for v in vowels + vowels.upper() for t in tones]
    return "".join(chr(c) for c in range(32, 127)) + "đĐ" + "".join(letters) + "–—·…“”‘’→←•×°²"


# ReportLab numbers a TTF's glyphs in order of first use, so two pages of one book embed different
# subsets and a merge of 44 pages kept 132 font files. Every document starts its subsets with this
# fixed list: the subsets of any two pages are then byte-identical and merge_pdfs keeps one copy.
SHARED_CHARSET = _shared_charset()


def _install_shared_subsets() -> None:
    """Make every ReportLab TTF subset start with SHARED_CHARSET (idempotent, once per process)."""
    from reportlab.pdfbase.ttfonts import TTFont

    if getattr(TTFont.splitString, "_shared_charset", False):
        return
    original = TTFont.splitString

    def split_string(self, text, doc, encoding="utf-8"):
        if doc not in self.state:
            original(self, SHARED_CHARSET, doc)
        return original(self, text, doc, encoding)

    split_string._shared_charset = True
    TTFont.splitString = split_string


def _embedded_base_font(folder: Path) -> None:
    """Make ReportLab's default fonts our TTF.

    ReportLab selects Helvetica at every page start and before every table (drawing no text with it);
    pointing both defaults at the embedded Liberation Serif keeps base-14 fonts out of the PDF, so a
    real fallback to Helvetica is what the font check catches.
    """
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import tables

    if BASE_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(BASE_FONT, str(folder / "fonts" / "LiberationSerif-Regular.ttf")))
    rl_config.canvas_basefontname = BASE_FONT
    rl_config.useA85 = 0  # binary streams: ASCII85 made every page's content a quarter larger
    tables.CellStyle.fontname = BASE_FONT


def html_to_pdf(html: str) -> bytes:
    from xhtml2pdf import pisa
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    folder = static_folder()
    _embedded_base_font(folder)
    _install_shared_subsets()
    fast_grid.install()
    css_cache_keys.install()
    policy = ResourceAccessPolicy(base_dir=folder, allow_remote=False)
    handler = _Collect()
    logger = logging.getLogger("xhtml2pdf")
    logger.addHandler(handler)
    buf = io.BytesIO()
    try:
        # relative URLs in the document (css/print.css, fonts/…) resolve against the static folder
        status = pisa.CreatePDF(html, dest=buf, encoding="utf-8", path=str(folder / "print.html"),
                                resource_policy=policy)
    finally:
        logger.removeHandler(handler)
    fatal = [m for m in handler.messages if any(key in m for key in _FATAL)]
    if status.err or fatal:
        raise PrintError("; ".join(fatal) or f"xhtml2pdf: {status.err} lỗi")
    data = buf.getvalue()
    bad = base14_fonts(data)
    if bad:
        raise PrintError("PDF dùng phông chữ thay thế không có tiếng Việt: " + ", ".join(sorted(bad)))
    return data


def pdf_fonts(data: bytes) -> list[set[str]]:
    """The BaseFont names each page of a PDF uses."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = set()
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            fonts.add(str(ref.get_object().get("/BaseFont", "")).lstrip("/"))
        pages.append(fonts)
    return pages


def base14_fonts(data: bytes) -> set[str]:
    return {name for fonts in pdf_fonts(data) for name in fonts
            if name.split("+")[-1].split("-")[0] in {b.split("-")[0] for b in BASE14}}


def merge_pdfs(parts: list[bytes]) -> bytes:
    """One PDF from several, in order (each class's sheet rendered on its own).

    Identical objects are kept once: the parts' font subsets are byte-identical (SHARED_CHARSET), so a
    merged book carries each font once instead of once per page. The page contents, ReportLab's drawing
    of every table rule and cell, are deflated again at zlib's highest level: a sixth smaller (a class
    book 1.01 → 0.93 MB) for about 10 ms a page.
    """
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    for page in writer.pages:
        page.compress_content_streams(level=9)
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- finished PDFs, kept while their data has not changed -----------------------------------------

def cache_dir() -> Path:
    path = Path(current_app.config.get("PRINT_CACHE_DIR") or os.environ.get(CACHE_ENV)
                or Path(current_app.instance_path) / "print_cache")
    path.mkdir(parents=True, exist_ok=True)
    return path


@functools.cache
def layout_version() -> str:
    """A hash of the print templates, print CSS and fonts: a new layout must not reuse old PDFs."""
    root = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256()
    for folder, pattern in (("templates/print", "*.html"), ("static/css", "print*.css"), ("static/fonts", "*.ttf")):
        for path in sorted((root / folder).glob(pattern)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_path(kind: str, data_version: str) -> Path:
    """Where the finished PDF of this kind of document, data version and layout is kept (the one key formula)."""
    key = hashlib.sha256(f"{kind}\x1f{data_version}\x1f{layout_version()}".encode()).hexdigest()
    return cache_dir() / f"{key}.pdf"


def cached_pdf(kind: str, data_version: str, build) -> bytes:
    """The PDF for this kind of document, data version and layout: from the cache, or built once and stored."""
    path = cache_path(kind, data_version)
    if path.exists():
        return path.read_bytes()
    data = build()
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)  # atomic: a reader never sees half a file
    return data


def ascii_name(text: str) -> str:
    """"Điểm danh 6A1" → "Diem-danh-6A1": the fallback download name for old browsers."""
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9._-]+", "-", folded).strip("-")
