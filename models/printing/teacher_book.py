"""The teacher's book, "Sổ theo dõi và đánh giá học sinh (của giáo viên)": A4 portrait, per teacher ×
class × subject × year (PTH (docs/rules.md) Điều 11.2.b).

A cover (school, teacher, subject, class, year), then per semester the marks page: STT, Họ và tên,
ĐĐGtx…, ĐĐGgk, ĐĐGck, ĐTBmhk (semester II also ĐTBmhk I and ĐTBmcn; Đ/CĐ for comment-only subjects),
corrected values in red, "Trong trang này có … điểm được sửa chữa" and the teacher's signature.
Every page carries a verification code of exactly its data (models.printing.verification).
"""
import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from models.gradebook.marks import Grid, MarkCell, correction_count, grid_for
from models.printing.printed_corrections import mark_corrections
from models.printing.renderer import cached_pdf, render_pdf, render_print_html
from models.printing.verification import canonical, page_codes, register_page_builder
from models.school import subject_groups
from models.school.structure import School, Semester, Subject, TeachingAssignment, class_sort_key

DOCUMENT = "teacher_book"
TITLE = "Sổ theo dõi và đánh giá học sinh (của giáo viên)"
TEMPLATE = "print/teacher_book.html"


@dataclass
class BookPage:
    kind: str  # "cover" or "marks"
    page_data: dict
    params: dict
    grid: Grid | None = None
    semester: Semester | None = None
    corrections: int = 0
    fixes: dict = field(default_factory=dict)  # (student_id, kind, idx) → PrintedCorrection
    fix_rows: list = field(default_factory=list)  # (STT, name, PrintedCorrection) in the grid's order
    code: str = ""
    number: int = 1
    total: int = 1


@dataclass
class TeacherBook:
    assignment: TeachingAssignment
    school_name: str
    header_line_1: str
    header_line_2: str
    place_name: str
    teacher_name: str
    subject_name: str
    class_name: str
    year_name: str
    pages: list[BookPage] = field(default_factory=list)
    guest_classes: list[str] = field(default_factory=list)  # THPT: classes whose students take the subject here

    @property
    def title(self) -> str:
        return TITLE


def _row_data(grid: Grid) -> list[dict]:
    rows = []
    for row in grid.rows:
        cells = {cell.column.label: cell.display for cell in row.cells}
        cells["ĐTBmhk"] = row.averages.text("semester")
        if grid.second_semester:
            cells["ĐTBmhk I"] = row.averages.text("first")
            if not grid.comment_only:
                cells["ĐTBmcn"] = row.averages.text("year")
        data = {"key": row.student.id, "label": row.student.full_name, "number": row.number,
                "cells": cells, "sửa chữa": [c.column.label for c in row.cells if c.corrected]}
        if row.home_class is not None:  # THPT: a student of another class taking the elective here
            data["Lớp"] = row.home_class.name
        rows.append(data)
    return rows


def _guest_corrections(grid: Grid, subject, semester) -> tuple[int, dict]:
    """The corrected marks of the grid's guests: they live in their own class's book."""
    count, fixes = 0, {}
    by_home: dict[int, set[int]] = {}
    for row in grid.rows:
        if row.home_class is not None:
            by_home.setdefault(row.home_class.id, set()).add(row.student.id)
    for home_id, students in by_home.items():
        count += (MarkCell.select().where((MarkCell.school_class == home_id) & (MarkCell.subject == subject)
                                          & (MarkCell.semester == semester) & MarkCell.student.in_(list(students))
                                          & MarkCell.corrected).count())
        fixes.update({key: fix for key, fix in mark_corrections(home_id, subject.id, semester.id).items()
                      if key[0] in students})
    return count, fixes


def build(assignment: TeachingAssignment, now: datetime | None = None) -> TeacherBook:
    """The book's pages with their data (no codes yet): the cover and one marks page per semester."""
    school = School.current()
    school_class, subject = assignment.school_class, assignment.subject
    book = TeacherBook(
        assignment=assignment, school_name=school.name if school else "",
        header_line_1=school.header_line_1 if school else "", header_line_2=school.header_line_2 if school else "",
        place_name=school.place_name if school else "", teacher_name=assignment.teacher.full_name,
        subject_name=subject.name, class_name=school_class.name, year_name=school_class.year.name)
    base = f"teacher-book:{assignment.id}"
    cover = {"page_key": f"{base}:cover", "Trường": book.school_name, "Giáo viên": book.teacher_name,
             "Môn học": book.subject_name, "Lớp": book.class_name, "Năm học": book.year_name}
    guests = subject_groups.guests_of(school_class, subject)
    if guests:
        book.guest_classes = sorted({home.name for _, home in guests}, key=class_sort_key)
        cover["Học sinh học ghép từ lớp"] = book.guest_classes
    book.pages.append(BookPage("cover", cover, {"assignment_id": assignment.id, "page_key": cover["page_key"]}))
    for semester in Semester.select().where(Semester.year == school_class.year_id).order_by(Semester.number):
        grid = grid_for(assignment, semester, now=now)
        corrections = correction_count(school_class, subject, semester)
        fixes = mark_corrections(school_class.id, subject.id, semester.id)
        guest_count, guest_fixes = _guest_corrections(grid, subject, semester)
        corrections += guest_count
        fixes.update(guest_fixes)
        fix_rows = [(row.number, row.student.full_name, fixes[(row.student.id, c.column.kind, c.column.idx)])
                    for row in grid.rows for c in row.cells if (row.student.id, c.column.kind, c.column.idx) in fixes]
        data = {"page_key": f"{base}:hk{semester.number}", "Học kì": semester.number, "Môn học": book.subject_name,
                "Lớp": book.class_name, "Giáo viên": book.teacher_name, "rows": _row_data(grid),
                "Số điểm được sửa chữa": corrections}
        if fix_rows:  # pages without a correction keep the codes they had
            data["Sửa chữa"] = [{"Học sinh": name, **fix.as_data()} for _, name, fix in fix_rows]
        book.pages.append(BookPage("marks", data, {"assignment_id": assignment.id, "page_key": data["page_key"]},
                                   grid=grid, semester=semester, corrections=corrections, fixes=fixes,
                                   fix_rows=fix_rows))
    for number, page in enumerate(book.pages, 1):
        page.number, page.total = number, len(book.pages)
    return book


def _builder(params: dict) -> list[dict]:
    assignment = TeachingAssignment.get_or_none(TeachingAssignment.id == params.get("assignment_id"))
    return [page.page_data for page in build(assignment).pages] if assignment else []


register_page_builder(DOCUMENT, _builder, label=TITLE)


def stamp(book: TeacherBook, now: datetime | None = None) -> TeacherBook:
    codes = page_codes(DOCUMENT, [(p.params, p.page_data) for p in book.pages], now=now)
    for page, code in zip(book.pages, codes, strict=True):
        page.code = code
    return book


def context(book: TeacherBook, now: datetime | None = None) -> dict:
    return {"book": book, "generated_at": now or datetime.now()}


def html(book: TeacherBook, now: datetime | None = None, **extra) -> str:
    """The print view for the browser."""
    return render_print_html(TEMPLATE, **context(stamp(book, now), now), **extra)


def data_version(book: TeacherBook) -> str:
    return hashlib.sha256(canonical([p.page_data for p in book.pages]).encode()).hexdigest()


def pdf(book: TeacherBook, now: datetime | None = None, use_cache: bool = True) -> bytes:
    """The book as PDF; reused from the print cache while its data (and layout) have not changed."""
    stamp(book, now)

    def render() -> bytes:
        return render_pdf(TEMPLATE, **context(book, now))

    if not use_cache:
        return render()
    # printing.layout_version() already hashes every static/css/print*.css, print_a4.css included
    return cached_pdf(DOCUMENT, data_version(book), render)


def download_name(book: TeacherBook) -> str:
    """"Sổ-giáo-viên-Toán-6A1-2024-2025.pdf" (the ASCII fallback So-giao-vien-Toan-6A1-2024-2025.pdf)."""
    return f"Sổ-giáo-viên-{book.subject_name}-{book.class_name}-{book.year_name}.pdf"


def may_print(user, assignment: TeachingAssignment) -> bool:
    """The assignment's own teacher, the admin, the principal and the vice-principals."""
    if user.has_role("admin", "principal", "vice_principal"):
        return True
    return user.staff_id is not None and assignment.teacher_id == user.staff_id


def find_assignment(teacher_username: str, class_name: str, subject_code: str) -> TeachingAssignment | None:
    """The current year's assignment of a teacher (by username), class and subject code, for the CLI."""
    from models.people.accounts import User
    from models.school.structure import SchoolClass, SchoolYear

    user = User.get_or_none(User.username == teacher_username)
    year = SchoolYear.current()
    if user is None or user.staff_id is None or year is None:
        return None
    return (TeachingAssignment.select().join(SchoolClass).switch(TeachingAssignment).join(Subject)
            .where((TeachingAssignment.teacher == user.staff_id) & (SchoolClass.year == year)
                   & (SchoolClass.name == class_name) & (Subject.code == subject_code)).first())
