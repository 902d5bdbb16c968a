"""What every template may use: the date, number and size filters, and the layout's globals."""
from flask import Flask
from flask_login import current_user

from models.rules.dates import format_date, format_datetime
from models.rules.money import format_vnd
from models.rules.numbers import format_count, format_size


def _per_request(name: str, compute):
    """A template global computed on first use in a request, then kept in `g` for the rest of it."""
    from flask import g
    from werkzeug.local import LocalProxy

    key = "_layout_" + name

    def get():
        if key not in g:
            setattr(g, key, compute())
        return getattr(g, key)

    return LocalProxy(get)


def install(app: Flask) -> None:
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["thousands"] = format_count
    app.jinja_env.filters["filesize"] = format_size
    app.jinja_env.filters["vnd"] = format_vnd
    from blueprints.form_rendering import leave_checks_to_the_server

    leave_checks_to_the_server()

    from blueprints.navigation import navigation_for
    from models.people.accounts import ROLES
    from models.school.structure import School, SchoolYear

    # the layout's values, as globals rather than a context processor run for every render: each is
    # read from the database only when a template uses it (an htmx fragment, a grade cell, uses none)
    app.jinja_env.globals.update(
        school=_per_request("school", School.current),
        current_year=_per_request("current_year", SchoolYear.current),
        nav=_per_request("nav", lambda: navigation_for(current_user) if current_user.is_authenticated else []),
        role_labels=ROLES,
    )

