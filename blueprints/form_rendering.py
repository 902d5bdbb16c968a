"""Form fields render without the browser's own checks (required, maxlength, pattern, min/max).

The server checks every field and says why in Vietnamese; the browser's checks speak the browser's
language ("Please fill out this field") and a maxlength silently cuts a pasted 250-character name to
100. Required fields keep aria-required for screen readers.
"""
from flask_wtf import FlaskForm
from wtforms.meta import DefaultMeta

_BROWSER_CHECKS = ("required", "maxlength", "minlength", "pattern", "min", "max", "step")


def _render_field(meta, field, render_kw):
    kw = dict.fromkeys(_BROWSER_CHECKS, False)  # False: wtforms leaves the attribute out
    if getattr(field.flags, "required", False):
        kw["aria-required"] = "true"
    kw.update(getattr(field, "render_kw", None) or {})
    kw.update(render_kw)
    return DefaultMeta.render_field(meta, field, kw)


def leave_checks_to_the_server() -> None:
    """Install the rendering on every FlaskForm (idempotent)."""
    FlaskForm.Meta.render_field = _render_field
