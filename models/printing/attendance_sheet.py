"""Signed monthly attendance sheets: the PDF of a class-month and the steps of PTH (docs/rules.md) Điều 11.1.

Each step (printed, shown to the class, signed by the homeroom teacher, approved by the principal,
filed by the office) is appended with who, when and the data version it was taken on; nothing is
changed or deleted. A sheet printed before a later change is "outdated": its verification code no
longer matches the data.
"""
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from peewee import JOIN, CharField, DateTimeField, ForeignKeyField

from models.attendance.register import MonthSheet, month_sheet
from models.audit.log import record
from models.core import DeletionRefused, KeptModel, write_transaction
from models.people.accounts import User
from models.printing import verification
from models.printing.renderer import cached_pdf, merge_pdfs, render_pdf
from models.rules import calendar as cal_rules
from models.school.structure import SchoolClass, SchoolYear

STEPS = ("printed", "shown", "signed", "approved", "filed")
STEP_LABELS = {
    "printed": "Đã in",
    "shown": "Đã công bố trước lớp",
    "signed": "GVCN đã ký",
    "approved": "Hiệu trưởng đã duyệt",
    "filed": "Văn thư đã lưu",
}
OUTDATED_TEXT = "Đã thay đổi sau khi in — cần in lại"
SHEET_TEMPLATE = "print/attendance_sheet.html"
DOCUMENT = "attendance_sheet"  # the verification document kind (models/verification.py)


class AttendanceSheetStep(KeptModel):
    """One step of a class-month's sheet; append-only."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    year_month = CharField(max_length=7)
    step = CharField(max_length=16)
    data_version = CharField(max_length=64)
    by = ForeignKeyField(User, null=True, backref="+")
    at = DateTimeField()

    class Meta:
        table_name = "attendance_sheet_step"
        indexes = ((("school_class", "year_month"), False),)

    def save(self, *args, **kwargs):
        if self.id is not None and not kwargs.get("force_insert"):
            raise DeletionRefused("sheet steps are never changed; add a new one")
        return super().save(*args, **kwargs)


# --- the document ----------------------------------------------------------------------------------

def sheet_for(school_class: SchoolClass, year_month: str) -> MonthSheet:
    year, month = cal_rules.parse_year_month(year_month)
    return month_sheet(school_class, year, month)


def sheet_page_data(sheet: MonthSheet) -> dict:
    """Exactly what the sheet prints, as the verification code hashes it (the class book's monthly
    attendance pages print the same data under their own page_key)."""
    rows = [{"key": r.student_id, "label": r.full_name, "STT": r.number, "Trạng thái": r.status_label,
             "cells": {f"ngày {d + 1}": v for d, v in enumerate(r.cells) if v},
             "TS": r.total, "P": r.p, "K": r.k} for r in sheet.rows]
    return {"page_key": f"attendance-{cal_rules.year_month(sheet.year, sheet.month)}",
            "Tháng": f"{sheet.month}/{sheet.year}", "Sĩ số": sheet.class_size,
            "Giáo viên chủ nhiệm": sheet.homeroom_name, "Hiệu trưởng": sheet.principal_name,
            "Ngày học": [d + 1 for d, on in enumerate(sheet.school_days) if on],
            "Tổng số buổi nghỉ": {"TS": sheet.total, "P": sheet.p, "K": sheet.k}, "rows": rows}


def sheet_params(sheet: MonthSheet) -> dict:
    year_month = cal_rules.year_month(sheet.year, sheet.month)
    return {"class_id": sheet.class_id, "year_month": year_month, "page_key": f"attendance-{year_month}"}


def sheet_code(sheet: MonthSheet) -> str:
    """The sheet's verification code, without recording it (lists, overviews)."""
    return verification.compute_code(DOCUMENT, sheet_params(sheet), sheet_page_data(sheet))


def sheet_context(sheet: MonthSheet, now: datetime | None = None, by: int | None = None) -> dict:
    """What the sheet's template needs; records the printed page so /verify knows its code."""
    code = verification.page_code(DOCUMENT, sheet_params(sheet), sheet_page_data(sheet), now=now, by=by)
    return {"sheet": sheet, "code": code}


def _render_sheet(context: dict) -> bytes:
    return render_pdf(SHEET_TEMPLATE, **context)


def sheet_pdf(sheet: MonthSheet, by: int | None = None) -> bytes:
    """The sheet's PDF, reused from the print cache while its data version is the same."""
    context = sheet_context(sheet, by=by)
    return cached_pdf("attendance-sheet", sheet.data_version, lambda: _render_sheet(context))


def _today_pages(params: dict) -> list[dict]:
    """The page builder for /verify: today's data of the class-month's sheet."""
    school_class = SchoolClass.get_or_none(SchoolClass.id == params.get("class_id"))
    try:
        cal_rules.parse_year_month(params.get("year_month", ""))
    except ValueError:
        return []
    if school_class is None:
        return []
    return [sheet_page_data(sheet_for(school_class, params["year_month"]))]


verification.register_page_builder(DOCUMENT, _today_pages, label="Bảng điểm danh tháng (sổ gọi tên và ghi điểm)")


def download_name(sheet: MonthSheet) -> str:
    return f"Điểm-danh-{sheet.class_name}-{sheet.year:04d}-{sheet.month:02d}.pdf"


def school_classes(year: SchoolYear) -> list[SchoolClass]:
    from models.school.structure import Grade

    classes = SchoolClass.select(SchoolClass, Grade).join(Grade).where(SchoolClass.year == year)
    # 6A2 before 6A10: compare the digit runs of the name as numbers
    return sorted(classes, key=lambda c: (c.grade.number, [int(p) if p.isdigit() else p
                                                           for p in re.split(r"(\d+)", c.name)]))


def school_month_pdf(classes: list[SchoolClass], year_month: str,
                     progress: Callable[[int, int], None] | None = None, by: int | None = None) -> bytes:
    """Every class's sheet for the month in one PDF: each rendered (or reused from the cache) on its own,
    one render process per core (models/render_pool.py), then merged with each font kept once."""
    from models.printing.render_pool import render_parts

    sheets = [sheet_for(c, year_month) for c in classes]  # the database is read here, never in a child
    contexts = [sheet_context(sheet, by=by) for sheet in sheets]

    def render(i: int) -> bytes:
        return cached_pdf("attendance-sheet", sheets[i].data_version, lambda: _render_sheet(contexts[i]))

    return merge_pdfs(render_parts(render, len(sheets), progress))


# --- the steps -------------------------------------------------------------------------------------

def may_record(user: User, school_class: SchoolClass, step: str) -> bool:
    """Who records what: printing is recorded by the print routes; shown/signed the homeroom teacher,
    approved the principal (or a vice-principal), filed the office (admin)."""
    if step == "printed":
        return True
    if step in ("shown", "signed"):
        return user.staff_id is not None and school_class.homeroom_teacher_id == user.staff_id
    if step == "approved":
        return user.has_role("principal", "vice_principal")
    if step == "filed":
        return user.has_role("admin")
    return False


def record_step(school_class: SchoolClass, year_month: str, step: str, user: User | None,
                data_version: str | None = None, now: datetime | None = None) -> AttendanceSheetStep:
    """Append a step (audited). A step after printing needs a print of today's data; ValueError otherwise."""
    if step not in STEPS:
        raise ValueError("Bước không hợp lệ.")
    cal_rules.parse_year_month(year_month)
    now = now or datetime.now()
    current = data_version or sheet_for(school_class, year_month).data_version
    if step != "printed":
        printed = _latest(school_class, year_month, "printed")
        if printed is None:
            raise ValueError("Bảng điểm danh tháng này chưa được in.")
        if printed.data_version != current:
            raise ValueError(f"{OUTDATED_TEXT}: in lại bảng trước khi ghi bước này.")
    with write_transaction():
        row = AttendanceSheetStep.create(school_class=school_class, year_month=year_month, step=step,
                                         data_version=current, by=user, at=now)
        record(f"sheet_{step}", "attendance_sheet", f"{school_class.id}:{year_month}",
               after={"step": step, "data_version": current, "class": school_class.name, "month": year_month})
    return row


def record_printed(school_class: SchoolClass, sheet: MonthSheet, user: User | None,
                   now: datetime | None = None) -> AttendanceSheetStep | None:
    """The "printed" step, once per person and data version (opening the print view twice is one print)."""
    year_month = cal_rules.year_month(sheet.year, sheet.month)
    last = _latest(school_class, year_month, "printed")
    if last and last.data_version == sheet.data_version and last.by_id == (user.id if user else None):
        return None
    return record_step(school_class, year_month, "printed", user, data_version=sheet.data_version, now=now)


def _latest(school_class: SchoolClass, year_month: str, step: str) -> AttendanceSheetStep | None:
    return (AttendanceSheetStep.select()
            .where((AttendanceSheetStep.school_class == school_class)
                   & (AttendanceSheetStep.year_month == year_month) & (AttendanceSheetStep.step == step))
            .order_by(AttendanceSheetStep.id.desc()).first())


@dataclass
class StepDone:
    step: str
    label: str
    by: str
    at: datetime
    data_version: str
    current: bool  # taken on the data printed last


@dataclass
class SheetStatus:
    school_class: SchoolClass
    year_month: str
    data_version: str
    done: dict[str, StepDone] = field(default_factory=dict)
    outdated: bool = False
    code: str = ""  # the verification code a print of today's data carries

    @property
    def missing(self) -> list[str]:
        return [s for s in STEPS if s not in self.done or not self.done[s].current]

    @property
    def complete(self) -> bool:
        return not self.missing


def sheet_status(school_class: SchoolClass, year_month: str, sheet: MonthSheet | None = None,
                 steps: list[AttendanceSheetStep] | None = None) -> SheetStatus:
    """Which steps are done (latest of each, with who and when) and whether the print is outdated."""
    sheet = sheet or sheet_for(school_class, year_month)
    if steps is None:
        steps = list(AttendanceSheetStep.select(AttendanceSheetStep, User)
                     .join(User, on=(AttendanceSheetStep.by == User.id), join_type=JOIN.LEFT_OUTER)
                     .where((AttendanceSheetStep.school_class == school_class)
                            & (AttendanceSheetStep.year_month == year_month))
                     .order_by(AttendanceSheetStep.id))
    status = SheetStatus(school_class, year_month, sheet.data_version, code=sheet_code(sheet))
    latest = {s.step: s for s in steps}  # ordered by id: the last one of each step wins
    printed = latest.get("printed")
    status.outdated = printed is not None and printed.data_version != sheet.data_version
    for step, row in latest.items():
        status.done[step] = StepDone(step, STEP_LABELS[step], row.by.full_name if row.by_id else "hệ thống",
                                     row.at, row.data_version, row.data_version == sheet.data_version)
    return status


def office_overview(year: SchoolYear, year_month: str) -> list[SheetStatus]:
    """Every class of the year for the month, with its steps (for the office page)."""
    classes = school_classes(year)
    steps: dict[int, list[AttendanceSheetStep]] = {c.id: [] for c in classes}
    query = (AttendanceSheetStep.select(AttendanceSheetStep, User)
             .join(User, on=(AttendanceSheetStep.by == User.id), join_type=JOIN.LEFT_OUTER)
             .where((AttendanceSheetStep.year_month == year_month)
                    & (AttendanceSheetStep.school_class.in_([c.id for c in classes])))
             .order_by(AttendanceSheetStep.id))
    for row in query:
        steps[row.school_class_id].append(row)
    return [sheet_status(c, year_month, steps=steps[c.id]) for c in classes]
