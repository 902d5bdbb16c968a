"""The week's emulation of the classes (thi đua tuần): each class's points and its place, for the whole school."""
from dataclasses import dataclass
from datetime import date, timedelta

from peewee import Case, fn

from models.discipline.conduct import ConductRecord
from models.rules.emulation import BASE_POINTS, RankedClass, rank_classes, week_label, week_points, week_start
from models.school.structure import SchoolClass, SchoolYear, class_sort_key


@dataclass(frozen=True)
class ClassWeek:
    school_class: SchoolClass
    ranked: RankedClass
    violations: int
    good_deeds: int
    minus: int  # points lost (negative)
    plus: int  # points gained


@dataclass(frozen=True)
class WeekRanking:
    monday: date
    rows: list[ClassWeek]
    base: int = BASE_POINTS

    @property
    def label(self) -> str:
        return week_label(self.monday)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def week_ranking(year: SchoolYear, day: date) -> WeekRanking:
    """Every class of the year with its points in the week holding `day` and its place (ties share it)."""
    monday = week_start(day)
    classes = {c.id: c for c in SchoolClass.select().where(SchoolClass.year == year)}
    totals = {cid: [0, 0, 0, 0] for cid in classes}  # violations, good deeds, minus, plus
    minus, plus = ConductRecord.points < 0, ConductRecord.points > 0
    query = (ConductRecord
             .select(ConductRecord.school_class, fn.SUM(Case(None, [(minus, 1)], 0)),
                     fn.SUM(Case(None, [(plus, 1)], 0)), fn.SUM(Case(None, [(minus, ConductRecord.points)], 0)),
                     fn.SUM(Case(None, [(plus, ConductRecord.points)], 0)))
             .where(ConductRecord.school_class.in_(list(classes)) & ConductRecord.withdrawn_at.is_null()
                    & ConductRecord.day.between(monday, monday + timedelta(days=6)))
             .group_by(ConductRecord.school_class).tuples())
    for class_id, *sums in (query if classes else []):
        totals[class_id] = [int(s or 0) for s in sums]
    ranked = rank_classes({classes[cid].name: week_points([t[2], t[3]]) for cid, t in totals.items()},
                          order_key=class_sort_key)
    by_name = {c.name: (cid, c) for cid, c in classes.items()}
    rows = []
    for r in ranked:
        cid, school_class = by_name[r.name]
        t = totals[cid]
        rows.append(ClassWeek(school_class, r, t[0], t[1], t[2], t[3]))
    return WeekRanking(monday, rows)


def class_week(school_class: SchoolClass, day: date) -> ClassWeek | None:
    """One class's line of the week's ranking (its place among the year's classes)."""
    ranking = week_ranking(school_class.year, day)
    return next((r for r in ranking.rows if r.school_class.id == school_class.id), None)
