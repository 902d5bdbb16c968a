"""The lesson plan settings and clock, read where teacher and vice-principal pages need them."""
from datetime import date, datetime

from flask import current_app

from models.rules import teaching_plans as rules


def due_days() -> int:
    """LESSON_PLAN_DUE_DAYS: a lesson plan is due this many days before its lesson (default 7)."""
    return int(current_app.config.get("LESSON_PLAN_DUE_DAYS", rules.DUE_DAYS))


def max_bytes() -> int:
    """LESSON_PLAN_MAX_MB: the largest plan file accepted (default 10 MB)."""
    return int(current_app.config.get("LESSON_PLAN_MAX_MB", rules.MAX_FILE_MB)) * 1024 * 1024


def now() -> datetime:
    """The clock of the teaching pages (one place, so that tests can set the day)."""
    return datetime.now()


def today() -> date:
    return now().date()
