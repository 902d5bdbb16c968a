"""The one PDF renderer: what keeps it fast."""


def test_print_css_qualifies_structural_selectors_with_a_tag():
    """xhtml2pdf keys its computed-style cache by each element's position as soon as one structural selector
    (:first-child, :last-child, :nth-child…) has no tag: then no table cell shares its style with its
    siblings and a class book renders a third slower. `div.x:last-child` keeps the cache for the cells."""
    import re
    from pathlib import Path

    css_folder = Path(__file__).resolve().parent.parent / "static" / "css"
    untagged = []
    for sheet in css_folder.glob("print*.css"):
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        for selector in re.findall(r"([^{}]+)\{", text):
            for part in selector.split(","):
                for simple in part.split():
                    if re.search(r":(first|last|nth|only)-", simple) and not re.match(r"[a-z]", simple):
                        untagged.append(f"{sheet.name}: {simple}")
    assert not untagged, untagged
