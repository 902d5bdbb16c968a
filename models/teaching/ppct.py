"""The programme plan (phân phối chương trình, PPCT): per grade and subject the numbered lessons
(tiết 1 … n) with their titles, imported from Excel. The count should equal the subject's periods of
the grade (GradeSubject.periods_per_year); the import says where it does not.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from models.audit.log import record
from models.core import BaseModel, write_transaction
from models.rules.text import fold, nfc
from models.school.structure import Grade, GradeSubject, SchoolYear, Subject

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
MAX_TITLE = 300


class PpctLesson(BaseModel):
    year = ForeignKeyField(SchoolYear, backref="+")
    grade = ForeignKeyField(Grade, backref="+")
    subject = ForeignKeyField(Subject, backref="+")
    number = IntegerField()  # tiết theo PPCT, 1 … n
    title = CharField(max_length=MAX_TITLE)
    created_at = DateTimeField(default=datetime.now)

    class Meta:
        table_name = "ppct_lesson"
        indexes = ((("year", "grade", "subject", "number"), True),)


def lessons(year: SchoolYear, grade_id: int, subject_id: int) -> dict[int, str]:
    """lesson number → title."""
    return dict(PpctLesson.select(PpctLesson.number, PpctLesson.title)
                .where((PpctLesson.year == year) & (PpctLesson.grade == grade_id) & (PpctLesson.subject == subject_id))
                .tuples())


def title_of(year: SchoolYear, grade_id: int, subject_id: int, number: int | None) -> str:
    if number is None:
        return ""
    row = PpctLesson.get_or_none((PpctLesson.year == year) & (PpctLesson.grade == grade_id)
                                 & (PpctLesson.subject == subject_id) & (PpctLesson.number == number))
    return row.title if row else ""


def overview(year: SchoolYear) -> list[dict]:
    """Per grade and subject: the periods of the year, the lessons in the PPCT, whether they agree."""
    from peewee import fn

    counts = {(g, s): n for g, s, n in PpctLesson.select(PpctLesson.grade, PpctLesson.subject, fn.COUNT(PpctLesson.id))
              .where(PpctLesson.year == year).group_by(PpctLesson.grade, PpctLesson.subject).tuples()}
    out = []
    for gs in (GradeSubject.select(GradeSubject, Grade, Subject).join(Grade).switch(GradeSubject).join(Subject)
               .order_by(Grade.number, Subject.position, Subject.name)):
        n = counts.get((gs.grade_id, gs.subject_id), 0)
        out.append({"grade": gs.grade.number, "subject": gs.subject, "periods": gs.periods_per_year, "lessons": n,
                    "agrees": n == gs.periods_per_year})
    return out


@dataclass
class PpctImport:
    lessons: dict[tuple[int, int], dict[int, str]] = field(default_factory=dict)  # (grade id, subject id) → n → title
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# Layout: row 1 the headers "Khối", "Môn", "Tiết", "Tên bài"; one row per lesson. "Môn" is the subject's
# name or code. A file may hold several subjects and grades; each (grade, subject) in it is replaced whole.
_HEADERS = ["khoi", "mon", "tiet", "ten bai"]


def read_import(data: bytes) -> PpctImport:
    from openpyxl import load_workbook

    result = PpctImport()
    if not data:
        raise ValueError("Tệp tải lên trống.")
    if len(data) > MAX_UPLOAD_BYTES or not data.startswith(b"PK\x03\x04"):
        raise ValueError("Tệp không phải là bảng tính Excel (.xlsx) dưới 5 MB.")
    try:
        sheet = load_workbook(BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ValueError("Không đọc được tệp Excel (.xlsx).") from None
    grades = {g.number: g for g in Grade.select()}
    subjects = {}
    for s in Subject.select():
        subjects[fold(s.name)] = s
        subjects[fold(s.code)] = s
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS + 1:
            raise ValueError(f"Bảng có hơn {MAX_ROWS} dòng.")
        if number == 1:
            if [fold(str(v or "")).strip() for v in row[:4]] != _HEADERS:
                result.errors.append("Dòng 1: các cột phải là “Khối”, “Môn”, “Tiết”, “Tên bài”.")
                return result
            continue
        cells = [nfc(str(v)).strip() if v is not None else "" for v in (list(row) + [None] * 4)[:4]]
        if not any(cells):
            continue
        grade_text, subject_text, lesson_text, title = cells
        grade_text = grade_text.removesuffix(".0")
        lesson_text = lesson_text.removesuffix(".0")
        grade = grades.get(int(grade_text)) if grade_text.isdigit() else None
        if grade is None:
            result.errors.append(f"Dòng {number}: không có khối “{grade_text}”.")
            continue
        subject = subjects.get(fold(subject_text))
        if subject is None:
            result.errors.append(f"Dòng {number}: không có môn “{subject_text}”.")
            continue
        if not lesson_text.isdigit() or int(lesson_text) < 1:
            result.errors.append(f"Dòng {number}: tiết “{lesson_text}” phải là số nguyên từ 1.")
            continue
        if not title:
            result.errors.append(f"Dòng {number}: thiếu tên bài.")
            continue
        if len(title) > MAX_TITLE:
            result.errors.append(f"Dòng {number}: tên bài dài hơn {MAX_TITLE} kí tự.")
            continue
        plan = result.lessons.setdefault((grade.id, subject.id), {})
        if int(lesson_text) in plan:
            result.errors.append(f"Dòng {number}: tiết {lesson_text} môn {subject.name} khối {grade.number} "
                                 f"đã có ở một dòng trên.")
            continue
        plan[int(lesson_text)] = title
    periods = {(gs.grade_id, gs.subject_id): gs.periods_per_year for gs in GradeSubject.select()}
    names = {s.id: s.name for s in subjects.values()}
    numbers = {g.id: g.number for g in grades.values()}
    for (grade_id, subject_id), plan in sorted(result.lessons.items()):
        where = f"Môn {names[subject_id]} khối {numbers[grade_id]}"
        expected = periods.get((grade_id, subject_id))
        if expected is None:
            result.warnings.append(f"{where}: khối này không học môn này (chưa có trong Khối, môn học).")
        elif len(plan) != expected:
            result.warnings.append(f"{where}: {len(plan)} tiết trong PPCT, nhưng môn có {expected} tiết/năm.")
        gaps = sorted(set(range(1, max(plan) + 1)) - set(plan))
        if gaps:
            shown = ", ".join(str(g) for g in gaps[:10]) + (" …" if len(gaps) > 10 else "")
            result.warnings.append(f"{where}: thiếu tiết {shown}.")
    return result


def import_ppct(year: SchoolYear, data: bytes, filename: str = "") -> PpctImport:
    """All or nothing: every (grade, subject) in the file is replaced by its rows when no row is wrong;
    the warnings (counts that disagree with the periods, gaps) do not stop it."""
    result = read_import(data)
    if not result.ok or not result.lessons:
        if result.ok:
            result.errors.append("Tệp không có dòng bài học nào.")
        return result
    with write_transaction():
        for (grade_id, subject_id), plan in result.lessons.items():
            (PpctLesson.delete().where((PpctLesson.year == year) & (PpctLesson.grade == grade_id)
                                       & (PpctLesson.subject == subject_id)).execute())
            rows = [{"year": year.id, "grade": grade_id, "subject": subject_id, "number": n, "title": t}
                    for n, t in sorted(plan.items())]
            for i in range(0, len(rows), 500):
                PpctLesson.insert_many(rows[i:i + 500]).execute()
        record("import", "ppct", year.name, after={"subjects": len(result.lessons),
                                                  "lessons": sum(len(p) for p in result.lessons.values()),
                                                  "file": filename})
    return result


def template_workbook() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "PPCT"
    sheet.append(["Khối", "Môn", "Tiết", "Tên bài"])
    sheet.append([6, "Toán", 1, "Bài 1. Tập hợp"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
