"""Numbers as Vietnamese users read them: a decimal comma and a dot between thousands ("1.703", "4,3 MB").

Everything here is pure: no database, no Flask.
"""

__all__ = ["format_count", "format_size"]


def format_count(number: int) -> str:
    """1703 -> "1.703"."""
    return f"{number:,}".replace(",", ".")


def format_size(size: int | float) -> str:
    """A file size: "512 byte", "12 KB", "4,3 MB", "1,2 GB" (KB rounded up so a small file is never 0 KB)."""
    size = float(size or 0)
    if size < 1024:
        return f"{int(size)} byte"
    if size < 1024 * 1024:
        return f"{-(-size // 1024):.0f} KB"
    unit, scale = ("MB", 1024 ** 2) if size < 1024 ** 3 else ("GB", 1024 ** 3)
    return f"{size / scale:.1f}".replace(".", ",") + f" {unit}"
