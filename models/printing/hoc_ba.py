"""Học bạ: one A4 portrait page per student and school year (domain §4.3).

The page shows the student's particulars, the year's table (subject × HK I, HK II, Cả năm, after
re-assessment, the subject teacher's comment), the rèn luyện and học tập levels (and after summer), absences,
promotion (and the decision after re-tests / summer training) and awards, the homeroom teacher's comment, "Trong bảng này có sửa chữa ở: … chỗ, thuộc các môn học: …" and the two signature blocks.
Every page carries a verification code of exactly its data (models.printing.verification).

A whole class is read with a fixed handful of queries (marks of every student at once); a class's
học bạ pages are rendered in one HTML with <pdf:nextpage/> between students, which xhtml2pdf turns
into a PDF several times faster than one render per student (bench/archive_pdf.py).
"""
import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime

from models.attendance.register import absence_totals, principal_name
from models.gradebook.marks import MarkCell, _average
from models.people.records import Student
from models.printing.renderer import render_pdf, render_print_html
from models.printing.verification import page_codes, register_page_builder
from models.rules import tt22
from models.school import subject_groups
from models.school.structure import (
    LEVEL_NAMES,
    GradeSubject,
    School,
    SchoolClass,
    SchoolYear,
    Semester,
    Subject,
    class_roster,
    current_class_of,
)

DOCUMENT = "hoc_ba"
TITLE = "Học bạ"
TEMPLATE = "print/hoc_ba.html"
DASH = "—"
ABSENCE_LIMIT = 45  # Điều 12: more than 45 sessions absent in the year → not promoted


def conduct_levels(student: Student, year: SchoolYear) -> tuple[str, str, str]:
    """Kết quả rèn luyện HK I, HK II, Cả năm in the student's class of the year; "—" while not rated.

    The one hook is models.printing.class_book.conduct_level (the class book prints the same levels).
    """
    from models.printing.class_book import conduct_level

    school_class = current_class_of(student, year)
    class_id = school_class.id if school_class else None
    return tuple(conduct_level(student.id, n, class_id) or DASH for n in (1, 2, None))


@dataclass
class SubjectLine:
    key: str  # subject code
    name: str
    comment_only: bool
    first: str = ""  # HK I: ĐTBmhk or Đ/CĐ; "" while incomplete
    second: str = ""
    year: str = ""
    after_retest: str = ""  # the re-test mark or level typed after summer (models/yearend/summer.py)
    corrections: int = 0
    comment: str = ""  # the subject teacher's comment (Nhận xét)


@dataclass
class HocBaPage:
    student: Student
    school_name: str
    header_line_1: str
    header_line_2: str
    place_name: str
    class_name: str
    grade_number: int
    year_name: str
    homeroom_name: str
    principal_name: str
    lines: list[SubjectLine]
    conduct: tuple[str, str, str]
    learning: tuple[str, str, str]
    absences: tuple[int, int, int]  # sessions absent: HK I, HK II, year
    absences_p: int
    absences_k: int
    promotion: str
    award: str
    corrections: int
    corrected_subjects: list[str]
    status_label: str = ""
    homeroom_comment: str = ""
    # after summer (Điều 13, 14): conduct after training, học tập after re-tests, the decision beside the first
    summer_conduct: str = ""
    summer_learning: str = ""
    final_decision: str = ""
    level_name: str = ""  # "trung học phổ thông" in the title
    page_data: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    code: str = ""
    number: int = 1
    total: int = 1


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else tt22.format_mark(value)


def _learning(lines: list[SubjectLine], values: dict) -> str:
    """tt22.learning_result when every subject has its result for the period; "—" otherwise."""
    scored, commented = {}, {}
    for line in lines:
        value = values.get(line.key)
        if value is None:
            return DASH
        (commented if line.comment_only else scored)[line.key] = value
    if not scored and not commented:
        return DASH
    return tt22.learning_result(scored, commented)


def _subjects(school_class: SchoolClass) -> list[tuple[Subject, int]]:
    """The subjects of the class's grade in the book's order, with their ĐĐGtx count per semester."""
    rows = (GradeSubject.select(GradeSubject, Subject).join(Subject)
            .where(GradeSubject.grade == school_class.grade_id).order_by(Subject.position, Subject.name))
    return [(row.subject, tt22.tx_count(row.periods_per_year, row.subject.comment_only)) for row in rows]


def _marks(student_ids: list[int], semesters: dict[int, Semester]):
    """values[student][subject][semester number][(kind, idx)] and corrected counts per student × subject."""
    by_id = {s.id: n for n, s in semesters.items()}
    values: dict = {}
    corrected: dict = {}
    if not student_ids or not by_id:
        return values, corrected
    query = (MarkCell.select(MarkCell.student, MarkCell.subject, MarkCell.semester, MarkCell.kind, MarkCell.idx,
                             MarkCell.value, MarkCell.corrected)
             .where(MarkCell.student.in_(student_ids) & MarkCell.semester.in_(list(by_id)))
             .order_by(MarkCell.id).tuples())
    for student_id, subject_id, semester_id, kind, idx, value, was_corrected in query:
        values.setdefault(student_id, {}).setdefault(subject_id, {}).setdefault(by_id[semester_id], {})[
            (kind, idx)] = value
        if was_corrected:
            key = (student_id, subject_id)
            corrected[key] = corrected.get(key, 0) + 1
    return values, corrected


def _promotion(learning_year: str, conduct_year: str, absent: int) -> str:
    if absent > ABSENCE_LIMIT:
        return f"Không được lên lớp (nghỉ {absent} buổi, quá {ABSENCE_LIMIT} buổi)"
    if DASH in (learning_year, conduct_year):
        return DASH  # needs the year's rèn luyện and học tập
    if tt22.CHUA_DAT in (learning_year, conduct_year):
        return "Chưa được lên lớp (rèn luyện hè hoặc kiểm tra lại)"
    return "Được lên lớp"


def _award(conduct_year: str, learning_year: str, scored_year: dict) -> str:
    if DASH in (conduct_year, learning_year):
        return DASH
    return tt22.award(conduct_year, learning_year, scored_year) or DASH


def _page_data(page: HocBaPage) -> dict:
    s = page.student
    return {
        "page_key": f"hoc-ba:{s.id}:{page.year_name}",
        "Trường": page.school_name, "Lớp": page.class_name, "Năm học": page.year_name,
        "Mã định danh": s.code, "Họ và tên": s.full_name,
        "Ngày sinh": s.date_of_birth.strftime("%d/%m/%Y") if s.date_of_birth else "",
        "Giới tính": s.gender, "Dân tộc": s.ethnicity, "Nơi sinh": s.birthplace,
        "Chỗ ở": s.current_address or s.permanent_address,
        "Họ tên cha": s.father_name, "Họ tên mẹ": s.mother_name, "Người giám hộ": s.guardian_name,
        "rows": [{"key": line.key, "label": line.name, "HK I": line.first, "HK II": line.second,
                  "Cả năm": line.year, "Sau đánh giá lại": line.after_retest, "Nhận xét": line.comment}
                 for line in page.lines],
        "Rèn luyện": {**dict(zip(("HK I", "HK II", "Cả năm"), page.conduct, strict=True)),
                      "Sau rèn luyện hè": page.summer_conduct},
        "Học tập": {**dict(zip(("HK I", "HK II", "Cả năm"), page.learning, strict=True)),
                    "Sau kiểm tra lại": page.summer_learning},
        "Sau kiểm tra lại, rèn luyện hè": page.final_decision,
        "Nhận xét của GVCN": page.homeroom_comment,
        "Số buổi nghỉ": {"HK I": page.absences[0], "HK II": page.absences[1], "Cả năm": page.absences[2],
                         "Có phép": page.absences_p, "Không phép": page.absences_k},
        "Lên lớp": page.promotion, "Khen thưởng": page.award,
        "Số chỗ sửa chữa": page.corrections, "Môn có sửa chữa": page.corrected_subjects,
        "GVCN": page.homeroom_name,
    }


def class_pages(school_class: SchoolClass, students: list[Student] | None = None) -> list[HocBaPage]:
    """The học bạ pages of a class's students (roster order), or of the given students of that class."""
    year = school_class.year
    school = School.current()
    subjects = _subjects(school_class)
    semesters = {s.number: s for s in Semester.select().where(Semester.year == year)}
    roster = [entry.student for entry in class_roster(school_class)]
    if students is not None:
        wanted = {s.id for s in students}
        roster = [s for s in roster if s.id in wanted]
    values, corrected = _marks([s.id for s in roster], semesters)
    year_end = _year_end(school_class)
    homeroom = school_class.homeroom_teacher
    principal = principal_name()
    pages = []
    for student in roster:
        mine = values.get(student.id, {})
        lines = []
        period_values = {1: {}, 2: {}, "year": {}}
        scored_year = {}
        studied = subject_groups.student_subject_ids(student, school_class)
        for subject, tx_n in subjects:
            if studied is not None:  # THPT: the student's own subjects, with their chuyên đề ĐĐGtx
                if subject.id not in studied:
                    continue
                tx_n += subject_groups.student_tx_extra(student, school_class, subject)
            by_semester = mine.get(subject.id, {})
            first = _average(by_semester.get(1, {}), tx_n, subject.comment_only) if 1 in semesters else None
            second = _average(by_semester.get(2, {}), tx_n, subject.comment_only) if 2 in semesters else None
            if subject.comment_only:
                whole = second  # the year's level is the HK II level (Điều 9.1)
            else:
                whole = tt22.year_average(first, second) if first is not None and second is not None else None
                if whole is not None:
                    scored_year[subject.code] = whole
            for key, value in ((1, first), (2, second), ("year", whole)):
                if value is not None:
                    period_values[key][subject.code] = value
            lines.append(SubjectLine(subject.code, subject.name, subject.comment_only, _text(first), _text(second),
                                     _text(whole), corrections=corrected.get((student.id, subject.id), 0),
                                     after_retest=year_end.retest(student.id, subject.name),
                                     comment=year_end.subject_comments.get((student.id, subject.id), "")))
        learning = tuple(_learning(lines, period_values[k]) for k in (1, 2, "year"))
        conduct = conduct_levels(student, year)
        totals = [absence_totals(student, year, n) for n in (1, 2)]
        whole_year = absence_totals(student, year)
        fixed = [line for line in lines if line.corrections]
        page = HocBaPage(
            student=student, school_name=school.name if school else "",
            header_line_1=school.header_line_1 if school else "", header_line_2=school.header_line_2 if school else "",
            place_name=school.place_name if school else "", class_name=school_class.name,
            level_name=LEVEL_NAMES.get(school_class.grade.level, ""), grade_number=school_class.grade.number, year_name=year.name,
            homeroom_name=homeroom.full_name if homeroom else "", principal_name=principal, lines=lines,
            conduct=conduct, learning=learning,
            absences=(totals[0].sessions, totals[1].sessions, whole_year.sessions),
            absences_p=whole_year.p, absences_k=whole_year.k,
            promotion=year_end.promotion(student.id) or _promotion(learning[2], conduct[2], whole_year.sessions),
            award=_award(conduct[2], learning[2], scored_year),
            corrections=sum(line.corrections for line in fixed), corrected_subjects=[line.name for line in fixed],
            status_label=student.status_label if student.has_left else "",
            homeroom_comment=year_end.homeroom_comment(student.id), **year_end.after_summer(student.id))
        page.page_data = _page_data(page)
        page.params = {"student_id": student.id, "year_id": year.id, "page_key": page.page_data["page_key"]}
        pages.append(page)
    return pages


@dataclass
class _YearEnd:
    """What year end (models/yearend) adds to a class's pages: the computed promotion, the re-test values, the
    results after summer and the comments; read once per class."""

    results: dict  # student id → results.StudentResult
    homeroom_comments: dict  # student id → StudentComment
    subject_comments: dict  # (student id, subject id) → text

    def retest(self, student_id: int, subject_name: str) -> str:
        result = self.results.get(student_id)
        value = result.retest_values.get(subject_name, "") if result else ""
        return value.replace(".", ",")

    def promotion(self, student_id: int) -> str | None:
        result = self.results.get(student_id)
        return result.promotion if result else None

    def homeroom_comment(self, student_id: int) -> str:
        comment = self.homeroom_comments.get(student_id)
        return comment.text if comment else ""

    def after_summer(self, student_id: int) -> dict:
        result = self.results.get(student_id)
        summer = result.summer if result else None
        if summer is None:
            return {"summer_conduct": (result.summer_conduct or "") if result else ""}
        return {"summer_conduct": result.summer_conduct or "", "summer_learning": summer.learning or "",
                "final_decision": summer.decision}


def _year_end(school_class: SchoolClass) -> _YearEnd:
    from models.yearend import records, results

    sheet = results.class_sheet(school_class, results.YEAR)
    return _YearEnd({r.student.id: r for r in sheet.rows}, records.comments(school_class),
                    records.subject_comments(school_class))


def student_page(student: Student, year: SchoolYear) -> HocBaPage | None:
    """The student's học bạ page for the year (None when they were in no class that year)."""
    school_class = current_class_of(student, year)
    if school_class is None:
        return None
    pages = class_pages(school_class, [student])
    return pages[0] if pages else None


def _builder(params: dict) -> list[dict]:
    student = Student.get_or_none(Student.id == params.get("student_id"))
    year = SchoolYear.get_or_none(SchoolYear.id == params.get("year_id"))
    page = student_page(student, year) if student and year else None
    return [page.page_data] if page else []


register_page_builder(DOCUMENT, _builder, label=TITLE)


def stamp(pages: list[HocBaPage], now: datetime | None = None) -> list[HocBaPage]:
    """Give each page its verification code (recorded in one transaction)."""
    codes = page_codes(DOCUMENT, [(p.params, p.page_data) for p in pages], now=now)
    for page, code in zip(pages, codes, strict=True):
        page.code = code
    return pages


def context(pages: list[HocBaPage], now: datetime | None = None) -> dict:
    return {"pages": pages, "generated_at": now or datetime.now(), "document_title": TITLE}


def html(pages: list[HocBaPage], now: datetime | None = None, **extra) -> str:
    """The print view for the browser."""
    return render_print_html(TEMPLATE, **context(stamp(pages, now), now), **extra)


def pdf(pages: list[HocBaPage], now: datetime | None = None) -> bytes:
    """One PDF with every page given (one page per student)."""
    return render_pdf(TEMPLATE, **context(stamp(pages, now), now))


def split_pdf(data: bytes, count: int) -> list[bytes] | None:
    """One PDF per page of a batch render; None when the batch does not have one page per student."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data))
    if len(reader.pages) != count:
        return None
    parts = []
    for page in reader.pages:
        writer = PdfWriter()
        writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
        parts.append(out.getvalue())
    return parts


BATCH = 8  # students per render, split per page afterwards: measured no slower than one render each, often faster


def student_pdfs(pages: list[HocBaPage], now: datetime | None = None, batch: int = BATCH) -> list[bytes]:
    """One PDF per student; with batch > 1 several students share one render (<pdf:nextpage/>), then split
    (each rendered on its own if a batch does not come out as one page per student)."""
    parts: list[bytes] = []
    for start in range(0, len(pages), batch):
        group = pages[start:start + batch]
        if len(group) == 1:
            parts.append(pdf(group, now))
            continue
        split = split_pdf(pdf(group, now), len(group))
        parts.extend(split if split is not None else [pdf([page], now) for page in group])
    return parts


def download_name(page: HocBaPage) -> str:
    return f"Học-bạ-{page.class_name}-{page.student.full_name}-{page.year_name}.pdf"


def data_version(pages: list[HocBaPage]) -> str:
    digest = hashlib.sha256()
    for page in pages:
        digest.update(repr(sorted(page.page_data.items())).encode())
    return digest.hexdigest()


def homeroom_may_print(user, student: Student, year: SchoolYear) -> bool:
    """A homeroom teacher prints the học bạ of the students of their class this year."""
    if user.staff_id is None:
        return False
    school_class = current_class_of(student, year)
    return school_class is not None and school_class.homeroom_teacher_id == user.staff_id

