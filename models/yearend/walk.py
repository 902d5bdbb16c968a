"""One step of a class's year-end walk (seed 000 Điều 15.4), shared by the lower-secondary sheet
(models/yearend/approval.py) and the primary one (models/yearend/primary_year.py): the state moves, the step is
kept (YearEndStep) and audited."""
from datetime import datetime

from models.people.accounts import User
from models.school.structure import SchoolClass
from models.yearend import records
from models.yearend.records import APPROVED, DRAFT, RETURNED, ClassYearEnd, YearEndStep


class StepRefused(ValueError):
    """A step that does not follow from the class's state; the message is Vietnamese."""


def move(school_class: SchoolClass, allowed_from: tuple[str, ...], to: str, step: str, user: User,
         reason: str = "", now: datetime | None = None) -> ClassYearEnd:
    from models.audit.log import record

    now = now or datetime.now()
    row = ClassYearEnd.get_or_none(ClassYearEnd.school_class == school_class)
    before = row.state if row else DRAFT
    if before not in allowed_from:
        raise StepRefused(f"Lớp {school_class.name} đang ở trạng thái “{records.STATE_LABELS[before]}”; "
                          "không thực hiện được bước này.")
    if row is None:
        row = ClassYearEnd.create(school_class=school_class, state=to, updated_at=now)
    row.state, row.updated_at = to, now
    row.reason = reason if to == RETURNED else ""
    if to == APPROVED:
        row.approved_at = now
    row.save()
    YearEndStep.create(school_class=school_class, step=step, by=user, by_name=user.full_name, at=now, reason=reason)
    record("year_end", "class_year_end", school_class.name, before={"state": before}, after={"state": to},
           reason=reason)
    return row
