"""Rendering the small pieces htmx swaps in on the busiest paths (a grade cell, an attendance cell)."""
from flask import current_app


def render_fragment(name: str, **context) -> str:
    """A template rendered with what the view passes and the app's template globals (url_for, tojson…).

    Flask's render_template also runs every context processor and sends the template signals; a saved
    cell uses none of that, and on a deadline night it cost more than the cell itself.
    """
    return current_app.jinja_env.get_template(name).render(context)
