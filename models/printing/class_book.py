"""The A3 class book: "Sổ theo dõi và đánh giá học sinh (theo lớp học)", assembled page by page.

Each page is a JSON-able dict: exactly the data printed on it (the verification code hashes it, the
print template renders it). Dict keys are the Vietnamese labels the reader sees, so /verify can say
"Nguyễn Văn An, ĐĐGck: 7,5 → 8,0". Averages and levels come from models.gradebook.marks / models.rules.tt22;
nothing is computed in the templates.

Order (docs/rules.md §16 and §21): cover, the usage guide, class page, particulars, changes in the year, monthly attendance,
per semester one page per subject, semester summaries, year summary, the principal's comments.
"""
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from models.attendance.register import absence_totals, month_sheet, principal_name
from models.gradebook.marks import grid_for
from models.gradebook.monitoring import comments_for, month_label, year_months
from models.people.records import STUDENT_STATUSES, StudentStatus
from models.printing import verification
from models.printing.printed_corrections import mark_corrections
from models.rules import tt22
from models.rules.text import vietnamese_sort_key
from models.school import subject_groups
from models.school.structure import (
    LEVEL_NAMES,
    GradeSubject,
    School,
    SchoolClass,
    Semester,
    Subject,
    TeachingAssignment,
    class_roster,
    class_size,
)

DOCUMENT = "class_book"
TITLE = "Sổ theo dõi và đánh giá học sinh"
TEMPLATE = "print/class_book.html"
PARTICULARS_PER_PAGE = 22
MAX_ABSENT_SESSIONS = 45  # Điều 12: absent more than 45 sessions → not promoted, whatever else
DASH = "—"
ROMAN = {1: "I", 2: "II"}
NOT_PROMOTED = tt22.NOT_PROMOTED


# --- rèn luyện: the homeroom teacher's levels (models/yearend) -------------------------------------

def conduct_level(student_id: int, semester_number: int | None, school_class_id: int | None = None) -> str | None:
    """The student's kết quả rèn luyện in the class for semester 1/2 (None = the year, by the Điều 8 table), or
    None while not rated. Without a class: the student's latest class with a rating."""
    from models.yearend.records import ConductRating, year_level

    query = ConductRating.select().where((ConductRating.student == student_id) & ConductRating.level.is_null(False))
    if school_class_id is not None:
        query = query.where(ConductRating.school_class == school_class_id)
    ratings = list(query.order_by(ConductRating.school_class.desc()))
    if not ratings:
        return None
    levels = {r.semester: r.level for r in ratings if r.school_class_id == ratings[0].school_class_id}
    if semester_number is None:
        return year_level(levels.get(1), levels.get(2))
    return levels.get(semester_number)


def promotion(conduct_year: str | None, learning_year: str | None, absent_sessions: int) -> str:
    """Lên lớp (Điều 12): > 45 sessions absent → not promoted; "—" until both year levels are there; then the
    rule's outcome (tt22.promotion: a Chưa đạt sends the student to summer training or re-tests, decided after)."""
    if absent_sessions > MAX_ABSENT_SESSIONS:
        return NOT_PROMOTED
    if conduct_year is None or learning_year is None:
        return DASH
    return tt22.promotion(conduct_year, learning_year, absent_sessions)


# --- the book ------------------------------------------------------------------------------------

@dataclass
class BookPage:
    kind: str  # the partial: cover, guide, class, particulars, changes, attendance, subject, summary, year, comments
    title: str  # the table of contents line
    data: dict  # exactly what is printed (hashed for the code)
    sheet: object = None  # attendance pages: the MonthSheet the shared partial renders

    @property
    def key(self) -> str:
        return self.data["page_key"]


@dataclass
class ClassBook:
    school_class: SchoolClass
    school_name: str
    class_name: str
    year_name: str
    document_title: str  # the footer's "Sổ theo dõi và đánh giá học sinh – lớp 6A1 – năm học 2024-2025"
    pages: list[BookPage] = field(default_factory=list)

    @property
    def data_version(self) -> str:
        payload = verification.canonical([p.data for p in self.pages])
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def download_name(self) -> str:
        return f"Sổ-theo-dõi-{self.class_name}-{self.year_name}.pdf"

    def params(self, page: BookPage) -> dict:
        return {"class_id": self.school_class.id, "page_key": page.key}


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _subjects(school_class: SchoolClass) -> list[Subject]:
    """The grade's subjects; in THPT those of the class's group and of its students' electives elsewhere."""
    rows = (GradeSubject.select(GradeSubject, Subject).join(Subject)
            .where(GradeSubject.grade == school_class.grade_id))
    wanted = subject_groups.book_subject_ids(school_class)
    return sorted((gs.subject for gs in rows if wanted is None or gs.subject_id in wanted),
                  key=lambda s: (s.position, s.name))


def _teachers(school_class: SchoolClass) -> dict[int, list[TeachingAssignment]]:
    found: dict[int, list[TeachingAssignment]] = {}
    for a in TeachingAssignment.select().where(TeachingAssignment.school_class == school_class):
        found.setdefault(a.subject_id, []).append(a)
    for rows in found.values():
        rows.sort(key=lambda a: (not a.is_coordinator, vietnamese_sort_key(a.teacher.full_name)))
    return found


def _started_semesters(school_class: SchoolClass, today: date) -> list[Semester]:
    return list(Semester.select().where((Semester.year == school_class.year_id) & (Semester.starts_on <= today))
                .order_by(Semester.number))


def _months_so_far(school_class: SchoolClass, today: date) -> list[str]:
    now = f"{today.year:04d}-{today.month:02d}"
    return [m for m in year_months(school_class.year) if m <= now]


def _cover(school, school_class: SchoolClass, homeroom: str, principal: str) -> dict:
    return {"page_key": "cover",
            "Cơ quan chủ quản": school.header_line_1 if school else "",
            "Phòng giáo dục": school.header_line_2 if school else "",
            "Cấp học": LEVEL_NAMES.get(school_class.grade.level, ""), "Trường": school.name if school else "",
            "Địa chỉ": school.address if school else "", "Địa danh": school.place_name if school else "",
            "Lớp": school_class.name, "Năm học": school_class.year.name,
            "Giáo viên chủ nhiệm": homeroom, "Hiệu trưởng": principal}


def _class_page(school_class, roster, subjects, teachers, homeroom: str) -> dict:
    return {"page_key": "class", "Lớp": school_class.name, "Năm học": school_class.year.name,
            "Sĩ số đầu năm": sum(1 for e in roster if not _joined_late(e, school_class)),
            "Sĩ số hiện nay": class_size(school_class),
            "Giáo viên chủ nhiệm": homeroom,
            "rows": [{"key": s.code, "label": s.name,
                      "Giáo viên": [a.teacher.full_name for a in teachers.get(s.id, [])]} for s in subjects]}


def _year_start(school_class: SchoolClass) -> date:
    first = (Semester.select(Semester.starts_on).where(Semester.year == school_class.year_id)
             .order_by(Semester.starts_on).first())
    return first.starts_on if first else date(school_class.year.start_year, 9, 1)


def _joined_late(entry, school_class: SchoolClass) -> bool:
    """Joined after the first week of the year (counted in "now", not in "start")."""
    joined = entry.enrolment.joined_on
    if "_year_start" not in school_class.__dict__:
        school_class.__dict__["_year_start"] = _year_start(school_class)
    start = school_class.__dict__["_year_start"]
    return joined is not None and (joined - start).days > 7


def _parent(name: str, job: str, phone: str) -> str:
    """"Trần Văn Hùng – Kỹ sư – 0903…": the parts the school holds, in that order."""
    return " – ".join(part for part in (name, job, phone) if part)


def _particulars(roster) -> list[dict]:
    rows = [{"key": e.student.id, "label": e.student.full_name, "STT": e.number,
             "Ngày sinh": _day(e.student.date_of_birth), "Giới tính": e.student.gender,
             "Dân tộc": e.student.ethnicity, "Tôn giáo": e.student.religion, "Nơi sinh": e.student.birthplace,
             "Địa chỉ": e.student.current_address or e.student.permanent_address,
             "Cha": _parent(e.student.father_name, e.student.father_job, e.student.father_phone),
             "Mẹ": _parent(e.student.mother_name, e.student.mother_job, e.student.mother_phone),
             "Người giám hộ": _parent(e.student.guardian_name, e.student.guardian_job, e.student.guardian_phone),
             "Trạng thái": e.student.status_label if e.has_left else ""} for e in roster]
    chunks = [rows[i:i + PARTICULARS_PER_PAGE] for i in range(0, len(rows), PARTICULARS_PER_PAGE)] or [[]]
    return [{"page_key": f"particulars-{n}", "Phần": f"{n}/{len(chunks)}", "rows": chunk}
            for n, chunk in enumerate(chunks, 1)]


def _changes(school_class: SchoolClass, roster) -> dict:
    start = _year_start(school_class)
    by_id = {e.student.id: e for e in roster}
    rows = []
    if by_id:
        for s in (StudentStatus.select().where(StudentStatus.student.in_(list(by_id))
                                               & (StudentStatus.effective_on >= start)
                                               & (StudentStatus.status != "dang_hoc"))
                  .order_by(StudentStatus.effective_on, StudentStatus.id)):
            detail = "; ".join(x for x in (s.reason, f"Trường: {s.other_school}" if s.other_school else "") if x)
            rows.append({"key": f"s{s.id}", "label": by_id[s.student_id].student.full_name,
                         "Ngày": _day(s.effective_on), "Thay đổi": STUDENT_STATUSES.get(s.status, s.status),
                         "Ghi chú": detail})
    for e in roster:
        if e.enrolment.left_on:
            rows.append({"key": f"l{e.enrolment.id}", "label": e.student.full_name,
                         "Ngày": _day(e.enrolment.left_on), "Thay đổi": "Rời lớp", "Ghi chú": ""})
        if _joined_late(e, school_class):
            rows.append({"key": f"j{e.enrolment.id}", "label": e.student.full_name,
                         "Ngày": _day(e.enrolment.joined_on), "Thay đổi": "Vào lớp", "Ghi chú": ""})
    rows.sort(key=lambda r: (r["Ngày"][6:], r["Ngày"][3:5], r["Ngày"][:2], r["key"]))
    return {"page_key": "changes", "rows": rows}


def _attendance(school_class: SchoolClass, year_month: str) -> tuple[dict, object]:
    from models.printing.attendance_sheet import sheet_page_data

    sheet = month_sheet(school_class, int(year_month[:4]), int(year_month[5:]))
    return sheet_page_data(sheet), sheet  # its page_key is "attendance-YYYY-MM"


def _assignment(school_class, subject, teachers) -> TeachingAssignment:
    rows = teachers.get(subject.id)
    return rows[0] if rows else TeachingAssignment(school_class=school_class, subject=subject)


def _subject_page(school_class, subject, semester, teachers, today) -> tuple[dict, dict]:
    """One subject × semester page and the students' averages on it (for the summaries)."""
    from models.gradebook.marks import correction_count

    grid = grid_for(_assignment(school_class, subject, teachers), semester,
                    now=datetime.combine(today, datetime.min.time()))
    second = semester.number == 2
    comment = subject.comment_only
    tx_columns = max(4, grid.tx_n)  # THPT: a chuyên đề may add a fifth ĐĐGtx
    labels = [f"TX{i}" for i in range(1, tx_columns + 1)] + ["GK", "CK"]
    fixes = mark_corrections(school_class.id, subject.id, semester.id)
    rows, averages = [], {}
    for r in grid.rows:
        cells, red, struck = {}, [], {}
        for c in r.cells:
            label = f"TX{c.column.idx}" if c.column.kind == "tx" else c.column.kind.upper()
            cells[label] = c.display
            if c.corrected:
                red.append(label)
            fix = fixes.get((r.student.id, c.column.kind, c.column.idx))
            if fix:
                struck[label] = {"Cũ": fix.old, "Người duyệt": fix.approver, "Ngày duyệt": fix.approved_on}
        cells["HK"] = r.averages.text("semester")
        if second:
            if comment:
                cells["CN"] = r.averages.text("semester")  # comment subjects: the year is the HK II result
            else:
                cells["HKI"] = r.averages.text("first")
                cells["CN"] = r.averages.text("year")
        averages[r.student.id] = r.averages
        row = {"key": r.student.id, "label": r.student.full_name, "STT": r.number,
               "Trạng thái": r.student.status_label if r.has_left else "", "cells": cells, "Sửa chữa": red}
        if struck:  # only rows with a correction: the other pages keep their codes
            row["Giá trị cũ"] = struck
        rows.append(row)
    data = {"page_key": f"subject-{semester.number}-{subject.code}", "Môn": subject.name,
            "Học kì": ROMAN[semester.number], "Nhận xét": comment, "Số ĐĐGtx": grid.tx_n,
            "columns": labels, "rows": rows,
            "Giáo viên": ([a.teacher.full_name for a in teachers.get(subject.id, [])]
                          or subject_groups.teachers_elsewhere(school_class, subject)),
            "Số điểm sửa chữa": correction_count(school_class, subject, semester)}
    if tx_columns > 4:  # only then: the other pages keep their data, hence their verification codes
        data["Số cột ĐĐGtx"] = tx_columns
    return data, averages


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else tt22.format_mark(value)


def _learning(scored: dict, commented: dict, subjects: list[Subject]) -> str | None:
    """tt22.learning_result when every subject the student studies has its average/level; else None."""
    if len(scored) + len(commented) < len(subjects) or any(v is None for v in (*scored.values(),
                                                                                 *commented.values())):
        return None
    return tt22.learning_result(scored, commented)


def _studied(subjects: list[Subject], averages: dict, student_id: int) -> list[Subject]:
    """The subjects whose page lists the student (THPT: not an elective they take elsewhere or not at all)."""
    return [s for s in subjects if student_id in averages.get(s.id, {})]


def _summary(semester_number: int, roster, subjects, averages: dict) -> dict:
    rows = []
    for e in roster:
        scored, commented, cells = {}, {}, {}
        studied = _studied(subjects, averages, e.student.id)
        for s in subjects:
            avg = averages.get(s.id, {}).get(e.student.id)
            value = avg.semester if avg else None
            if s in studied:
                (commented if s.comment_only else scored)[s.code] = value
            cells[s.name] = _text(value)
        learning = _learning(scored, commented, studied)
        conduct = conduct_level(e.student.id, semester_number, e.enrolment.school_class_id)
        rows.append({"key": e.student.id, "label": e.student.full_name, "STT": e.number,
                     "Trạng thái": e.student.status_label if e.has_left else "", "cells": cells,
                     "Học tập": learning or DASH, "Rèn luyện": conduct or DASH})
    return {"page_key": f"summary-{semester_number}", "Học kì": ROMAN[semester_number],
            "columns": [s.name for s in subjects], "rows": rows}


def _year(school_class, roster, subjects, averages: dict) -> dict:
    rows = []
    for e in roster:
        scored, commented, cells = {}, {}, {}
        studied = _studied(subjects, averages, e.student.id)
        for s in subjects:
            avg = averages.get(s.id, {}).get(e.student.id)
            value = (avg.semester if s.comment_only else avg.year) if avg else None
            if s in studied:
                (commented if s.comment_only else scored)[s.code] = value
            cells[s.name] = _text(value)
        learning = _learning(scored, commented, studied)
        conduct = conduct_level(e.student.id, None, school_class.id)
        absent = absence_totals(e.student, school_class.year)
        prize = None
        if conduct is not None and learning is not None:
            prize = tt22.award(conduct, learning, scored)
        rows.append({"key": e.student.id, "label": e.student.full_name, "STT": e.number,
                     "Trạng thái": e.student.status_label if e.has_left else "", "cells": cells,
                     "Học tập": learning or DASH, "Rèn luyện": conduct or DASH,
                     "Nghỉ P": absent.p, "Nghỉ K": absent.k, "Tổng số buổi nghỉ": absent.sessions,
                     "Lên lớp": promotion(conduct, learning, absent.sessions),
                     "Khen thưởng": prize or (DASH if conduct is None or learning is None else "")})
    return {"page_key": "year", "columns": [s.name for s in subjects], "rows": rows}


def _after_summer(school_class: SchoolClass) -> dict:
    """Kết quả sau kiểm tra lại, rèn luyện trong kì nghỉ hè (Điều 13, 14): every student sent to summer training or
    re-tests, with the first decision, the re-test values, conduct after training, học tập after the re-tests and
    the decision after summer (blank until typed, to fill in by hand)."""
    from models.yearend import results

    summer_outcomes = (tt22.SUMMER_TRAINING, tt22.RETEST, tt22.SUMMER_AND_RETEST)
    rows = []
    for r in results.class_sheet(school_class, results.YEAR).active_rows:
        if r.promotion not in summer_outcomes:
            continue
        retests = [f"{name}: {r.retest_values[name].replace('.', ',')}" if name in r.retest_values else name
                   for name in r.retest]
        rows.append({"key": r.student.id, "label": r.student.full_name, "STT": r.number,
                     "Kết quả lần đầu": r.promotion, "Kiểm tra lại": "; ".join(retests),
                     "Rèn luyện sau hè": r.summer_conduct or "",
                     "Học tập sau kiểm tra lại": r.summer.learning if r.summer else "",
                     "Rèn luyện cả năm sau hè": r.summer.conduct if r.summer else "",
                     "Lên lớp sau hè": r.summer.decision if r.summer else ""})
    return {"page_key": "after_summer", "rows": rows}


def _comments(school_class: SchoolClass) -> dict:
    """One row per month of the year (a month with no comment is a blank ruled row to write on)."""
    given = {c.year_month: c for c in comments_for(school_class)}
    months = sorted(set(year_months(school_class.year)) | set(given))
    return {"page_key": "comments",
            "rows": [{"key": ym, "label": month_label(ym), "Nhận xét": given[ym].text if ym in given else "",
                      "Ký tên": given[ym].by_name if ym in given else ""} for ym in months]}


def build_book(school_class: SchoolClass, today: date | None = None) -> ClassBook:
    """Every page of the class book with the data printed on it, in the order of the paper book."""
    today = today or date.today()
    school = School.current()
    homeroom = school_class.homeroom_teacher.full_name if school_class.homeroom_teacher else ""
    principal = principal_name()
    roster = class_roster(school_class)
    subjects = _subjects(school_class)
    teachers = _teachers(school_class)
    year_name = school_class.year.name
    book = ClassBook(school_class, school.name if school else "", school_class.name, year_name,
                     f"{TITLE} – lớp {school_class.name} – năm học {year_name}")
    add = book.pages.append
    add(BookPage("cover", "Bìa", _cover(school, school_class, homeroom, principal)))
    add(BookPage("guide", "Hướng dẫn sử dụng sổ", {"page_key": "guide"}))
    add(BookPage("class", "Lớp, sĩ số, giáo viên", _class_page(school_class, roster, subjects, teachers, homeroom)))
    for data in _particulars(roster):
        add(BookPage("particulars", f"Sơ yếu lí lịch học sinh ({data['Phần']})", data))
    add(BookPage("changes", "Những thay đổi cần chú ý trong năm học", _changes(school_class, roster)))
    for ym in _months_so_far(school_class, today):
        data, sheet = _attendance(school_class, ym)
        add(BookPage("attendance", f"Điểm danh {month_label(ym).lower()}", data, sheet))
    per_semester: dict[int, dict] = {}
    for semester in _started_semesters(school_class, today):
        averages: dict[int, dict] = {}
        for subject in subjects:
            data, averages[subject.id] = _subject_page(school_class, subject, semester, teachers, today)
            add(BookPage("subject", f"{semester.label}: {subject.name}", data))
        per_semester[semester.number] = averages
    for number, averages in per_semester.items():
        add(BookPage("summary", f"Tổng hợp kết quả học kì {ROMAN[number]}",
                     _summary(number, roster, subjects, averages)))
    if 2 in per_semester:
        add(BookPage("year", "Tổng hợp và xếp loại cả năm", _year(school_class, roster, subjects, per_semester[2])))
        add(BookPage("after_summer", "Kết quả sau kiểm tra lại, rèn luyện trong kì nghỉ hè",
                     _after_summer(school_class)))
    add(BookPage("comments", "Nhận xét của Hiệu trưởng về sử dụng sổ", _comments(school_class)))
    return book


def book_pages(params: dict) -> list[dict]:
    """The page builder for /verify: today's data of every page of the class's book."""
    school_class = SchoolClass.get_or_none(SchoolClass.id == params.get("class_id"))
    if school_class is None:
        return []
    return [p.data for p in build_book(school_class).pages]


verification.register_page_builder(DOCUMENT, book_pages, label=f"{TITLE} (theo lớp học)")


# --- the PDF ---------------------------------------------------------------------------------------

def render_page(book: ClassBook, page: BookPage, number: int, code: str, generated_at: datetime) -> bytes:
    from models.printing.renderer import render_pdf

    return render_pdf(TEMPLATE, book=book, page=page, data=page.data, sheet=page.sheet, number=number,
                      total=len(book.pages), code=code, generated_at=generated_at)


def _render_all(book: ClassBook, codes: list[str], generated_at: datetime, progress) -> list[bytes]:
    """Every page's PDF, the pages shared by one render process per core (models/render_pool.py).
    Only the worker process and the CLI build whole books."""
    from models.printing.render_pool import render_parts

    return render_parts(lambda i: render_page(book, book.pages[i], i + 1, codes[i], generated_at),
                        len(book.pages), progress)


def book_pdf(book: ClassBook, now: datetime | None = None, progress=None, by: int | None = None) -> bytes:
    """The book as one PDF: each page rendered on its own (one table per page), merged, cached by data."""
    from models.printing.renderer import cached_pdf, merge_pdfs

    def build() -> bytes:
        generated_at = now or datetime.now()
        codes = verification.page_codes(DOCUMENT, [(book.params(p), p.data) for p in book.pages],
                                        now=generated_at, by=by)
        return merge_pdfs(_render_all(book, codes, generated_at, progress))

    return cached_pdf(DOCUMENT, book.data_version, build)


def cached_book(book: ClassBook) -> bytes | None:
    """The finished PDF of exactly this data and layout, if one was built; else None."""
    from models.printing.renderer import cache_path

    path = cache_path(DOCUMENT, book.data_version)
    return path.read_bytes() if path.exists() else None


# --- the worker job ------------------------------------------------------------------------------

JOB_KIND = "class_book"  # its label and runner are in models.printing.jobs.JOB_KINDS


def run_job(job) -> None:
    """The worker's body for a class book: progress after each rendered page."""
    from models.printing.jobs import run_into_file

    def build(start, progress) -> bytes:
        book = build_book(SchoolClass.get_by_id(job.parameters["class_id"]))
        start(len(book.pages))
        return book_pdf(book, progress=progress, by=job.created_by_id)

    run_into_file(job, build)


def job_class_id(job) -> int | None:
    return json.loads(job.params or "{}").get("class_id")

