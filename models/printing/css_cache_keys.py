"""xhtml2pdf's CSS cache keyed by where an element sits in the document's structure rather than by its parent node.

xhtml2pdf caches the CSS properties an element resolves to under (parent node, tag, class, id, style, …): the
cells of one table row share their result, but every row of a table resolves its cells' CSS again, and a class
log of twenty weeks spends a fifth of its render time matching selectors. Here the parent node is replaced by the
parent's own key, recursively up to the root, so that the second row's cells find the first row's result.

That is only right where nothing but an element's ancestors' tags, classes, ids, styles and attributes can make
a rule match. Whatever depends on more keeps xhtml2pdf's own key (the parent node itself and the position):
- a compound anywhere in a selector that constrains position or content (`:last-child`, `:nth-child`, `:empty`,
  `:has`, …) or is reached through a sibling combinator (`h1 + p`, also as an ancestor: `h1 + div p`) makes its
  tag "positional", and a positional element and everything inside it are keyed by node;
- an attribute some compound selects by (anywhere in a selector, not only on its subject) goes in every key.
tests/test_css_cache_keys.py renders documents with and without this and requires the same pages.
"""
from __future__ import annotations

_ATTR = "_sotruong_css_key"


def _compounds(selector):
    """Every compound selector of a selector: the subject, each ancestor or sibling compound, and the
    arguments of :not(), :is(), :where(), :has()."""
    yield selector
    for qualifier in getattr(selector, "qualifiers", ()) or ():
        inner = getattr(qualifier, "selector", None)
        if inner is not None:
            yield from _compounds(inner)
        for argument in getattr(qualifier, "selectors", ()) or ():
            yield from _compounds(argument)


def _positional(compound, positional_pseudo) -> bool:
    for qualifier in getattr(compound, "qualifiers", ()) or ():
        if qualifier.isPseudo() and qualifier.name in positional_pseudo:
            return True
        if getattr(qualifier, "op", None) in {"+", "~"}:
            return True
    return False


def install() -> None:
    """Patch xhtml2pdf.parser once per process (idempotent)."""
    from xhtml2pdf import parser
    from xhtml2pdf.w3c.css import CSSSelectorAttributeQualifier

    if getattr(parser.getCSSAttrCacheKey, "_structural", False):
        return
    original_key = parser.getCSSAttrCacheKey
    original_positional = parser.getPositionalTagNames
    original_attributes = parser.getAttributeSelectorNames

    def positional_tag_names(cascade) -> set[str]:
        names = set(original_positional(cascade))
        for ruleset in cascade.iterCSSRulesets():
            for selector in ruleset:
                for compound in _compounds(selector):
                    # `p` in `h1 + p` (the subject: xhtml2pdf names it already) and `div` in `h1 + div p`
                    if _positional(compound, parser.POSITIONAL_PSEUDO_CLASSES):
                        names.add(str(getattr(compound, "name", "*")).lower())
        return names

    def attribute_selector_names(cascade) -> frozenset[str]:
        names = set(original_attributes(cascade))
        for ruleset in cascade.iterCSSRulesets():
            for selector in ruleset:
                for compound in _compounds(selector):
                    for qualifier in getattr(compound, "qualifiers", ()) or ():
                        if isinstance(qualifier, CSSSelectorAttributeQualifier) and isinstance(qualifier.name, str):
                            names.add(qualifier.name)
                        elif qualifier.isPseudo():
                            names |= parser.PSEUDO_CLASS_ATTRIBUTES.get(qualifier.name, frozenset())
        return frozenset(names)

    def cache_key(node, positional_tags=frozenset(), attribute_names=frozenset()):
        key = original_key(node, positional_tags, attribute_names)
        if key.position is not None or "*" in positional_tags:
            return key  # xhtml2pdf's own: the parent node and the place among its siblings
        parent = node.parentNode
        if parent is None or parent.nodeType != parent.ELEMENT_NODE:
            return key  # the root element: its parent is the render's document
        # a positional ancestor's key holds its own parent node and place, so everything inside it is
        # still told apart from what sits inside another such ancestor
        parent_key = getattr(parent, _ATTR, None)
        if parent_key is None:
            parent_key = cache_key(parent, positional_tags, attribute_names)
            setattr(parent, _ATTR, parent_key)
        return key._replace(parent=parent_key)

    cache_key._structural = True
    cache_key._originals = (original_key, original_positional, original_attributes)
    parser.getCSSAttrCacheKey = cache_key
    parser.getPositionalTagNames = positional_tag_names
    parser.getAttributeSelectorNames = attribute_selector_names


def uninstall() -> None:
    """Put xhtml2pdf's own functions back (the test that compares both ways)."""
    from xhtml2pdf import parser

    originals = getattr(parser.getCSSAttrCacheKey, "_originals", None)
    if originals:
        parser.getCSSAttrCacheKey, parser.getPositionalTagNames, parser.getAttributeSelectorNames = originals
