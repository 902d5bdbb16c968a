"""The two registers the school keeps (MK (docs/rules.md) B.1.1, B.III.1), built from data the app already holds:

- the sổ đăng bộ: every student ever enrolled, in order of admission, each with a registration number
  (số đăng bộ) given once and never reused, the entry and the leaving (date, reason); completed each
  October and kept up to date (assign_numbers());
- the sổ theo dõi học sinh bỏ học, chuyển đi, chuyển đến: every such change in the status histories.

Both print as A3 landscape books through the one renderer (models.printing.renderer.render_pdf), page by
page so that each page carries its own verification code and QR (models.printing.verification): /verify
tells what changed on a page of a register since it was printed.
"""
from dataclasses import dataclass
from datetime import date, datetime

from peewee import DateField, DateTimeField, ForeignKeyField, IntegerField, fn

from models.core import KeptModel, write_transaction
from models.people.records import STUDENT_LEFT, STUDENT_STATUSES, Student, StudentStatus
from models.printing import verification
from models.rules.text import vietnamese_sort_key
from models.school.structure import Enrolment, School, SchoolClass, SchoolYear

REGISTER_TEMPLATE = "print/register.html"
DOCUMENT = "register"  # the verification codes' document name
MOVEMENTS = ("chuyen_den", "chuyen_di", "nghi_hoc", "thoi_hoc")  # the statuses the second register follows
# one <table> per page: xhtml2pdf's time grows faster than a table's rows (models/attendance_sheets.py)
ROWS_PER_PAGE = 30
KINDS = {"dang-bo": "Sổ đăng bộ", "bien-dong": "Sổ theo dõi học sinh bỏ học, chuyển đi, chuyển đến"}
# column widths (%) and the columns of text set flush left, per register
LAYOUT = {"dang-bo": ([5, 12, 6, 4, 5, 10, 15, 16, 6, 4, 6, 11], {2, 6, 7, 8, 12}),
          "bien-dong": ([4, 7, 14, 7, 5, 5, 6, 8, 18, 26], {3, 9, 10})}


class RegistrationNumber(KeptModel):
    """Số đăng bộ: a student's line in the sổ đăng bộ, given once in order of admission and never reused."""

    student = ForeignKeyField(Student, unique=True, backref="+")
    number = IntegerField(unique=True)
    admitted_on = DateField(null=True)  # the first day at the school, as the register prints it
    given_at = DateTimeField(default=datetime.now)
    given_by = IntegerField(null=True)  # the account that completed the register


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _admissions() -> list[tuple[Student, date | None, str]]:
    """Every student ever enrolled with their first day and first class, in order of admission."""
    first: dict[int, tuple[date | None, str]] = {}
    rows = (Enrolment.select(Enrolment, SchoolClass, SchoolYear).join(SchoolClass).join(SchoolYear)
            .order_by(SchoolYear.start_year, Enrolment.joined_on, Enrolment.id))
    for e in rows:
        if e.student_id not in first:
            joined = e.joined_on or date(e.school_class.year.start_year, 9, 5)
            first[e.student_id] = (joined, e.school_class.name)
    students = {s.id: s for s in Student.select().where(Student.id.in_(list(first)))} if first else {}
    ordered = sorted(first, key=lambda sid: (first[sid][0], vietnamese_sort_key(students[sid].full_name), sid))
    return [(students[sid], *first[sid]) for sid in ordered]


def assign_numbers(user=None) -> int:
    """Give the next numbers to the students admitted without one (the October completion); returns how many.

    Numbers only grow: a number once given stays with its student, whatever happens to them later."""
    from models.audit.log import record

    given = 0
    with write_transaction():
        numbered = {r.student_id for r in RegistrationNumber.select(RegistrationNumber.student)}
        last = RegistrationNumber.select(fn.MAX(RegistrationNumber.number)).scalar() or 0
        for student, admitted_on, _ in _admissions():
            if student.id in numbered:
                continue
            last += 1
            row = RegistrationNumber.create(student=student, number=last, admitted_on=admitted_on,
                                            given_by=getattr(user, "id", None))
            record("registration_number", "student", student.code,
                   after={"registration_number": row.number, "admitted_on": admitted_on})
            given += 1
    return given


def _leaving(student: Student) -> tuple[str, str]:
    """(date, reason) of the student's leaving, from the status history; ("", "") while they study here."""
    if student.status not in STUDENT_LEFT:
        return "", ""
    last = (StudentStatus.select().where((StudentStatus.student == student)
                                         & StudentStatus.status.in_(list(STUDENT_LEFT)))
            .order_by(StudentStatus.effective_on.desc(), StudentStatus.id.desc()).first())
    if last is None:
        return "", STUDENT_STATUSES.get(student.status, student.status)
    reason = "; ".join(x for x in (STUDENT_STATUSES.get(last.status, last.status), last.reason,
                                   f"đến trường {last.other_school}" if last.other_school else "") if x)
    return _day(last.effective_on), reason


def _parents(s: Student) -> str:
    return "; ".join(x for x in (f"Cha: {s.father_name}" if s.father_name else "",
                                 f"Mẹ: {s.mother_name}" if s.mother_name else "",
                                 f"Người giám hộ: {s.guardian_name}" if s.guardian_name else "") if x)


@dataclass
class Register:
    kind: str  # "dang-bo" or "bien-dong"
    title: str
    school_name: str
    header_line_1: str
    header_line_2: str
    place_name: str
    principal_name: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""
    year_id: int | None = None  # the movements of one year; None: the whole register

    def page_params(self, number: int) -> dict:
        return {"kind": self.kind, "year_id": self.year_id, "page": number}

    def page_data(self, rows: list[list[str]]) -> list[dict]:
        """A page as /verify compares it: one entry per student line, named by the student."""
        name = self.columns.index("Họ và tên")
        return [{"key": f"{i}:{row[name]}", "label": row[name], **dict(zip(self.columns, row, strict=True))}
                for i, row in enumerate(rows)]

    @property
    def pages(self) -> list[list[list[str]]]:
        return [self.rows[i:i + ROWS_PER_PAGE] for i in range(0, len(self.rows), ROWS_PER_PAGE)] or [[]]

    @property
    def widths(self) -> list[int]:
        return LAYOUT[self.kind][0]

    @property
    def flush_left(self) -> set[int]:
        return LAYOUT[self.kind][1]


def _frame(kind: str, columns: list[str], rows: list[list[str]], note: str = "",
           year_id: int | None = None) -> Register:
    from models.attendance.register import principal_name

    school = School.current()
    return Register(kind, KINDS[kind], school.name if school else "", school.header_line_1 if school else "",
                    school.header_line_2 if school else "", school.place_name if school else "",
                    principal_name(), columns, rows, note, year_id)


def enrolment_register() -> Register:
    """Sổ đăng bộ: numbered students by number, then those admitted since the last completion (no number yet)."""
    numbers = {r.student_id: r for r in RegistrationNumber.select()}
    rows, waiting = [], []
    for student, admitted_on, first_class in _admissions():
        left_on, reason = _leaving(student)
        reg = numbers.get(student.id)
        line = [str(reg.number) if reg else "", student.full_name, _day(student.date_of_birth), student.gender,
                student.ethnicity, student.birthplace, student.permanent_address or student.current_address,
                _parents(student), _day(reg.admitted_on if reg else admitted_on), first_class, left_on, reason]
        (rows if reg else waiting).append((reg.number if reg else 0, line))
    rows.sort(key=lambda r: r[0])
    note = (f"{len(waiting)} học sinh vào trường sau lần cấp số gần nhất chưa có số đăng bộ (in ở cuối sổ)."
            if waiting else "")
    return _frame("dang-bo", ["Số đăng bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Nơi sinh",
                              "Địa chỉ thường trú", "Họ tên cha, mẹ, người giám hộ", "Ngày vào trường",
                              "Vào lớp", "Ngày rời trường", "Lí do rời trường"],
                  [line for _, line in rows + waiting], note)


def movements_register(year: SchoolYear | None = None) -> Register:
    """Sổ theo dõi học sinh bỏ học, chuyển đi, chuyển đến: the status changes in date order (of one year)."""
    query = StudentStatus.select(StudentStatus, Student).join(Student).where(StudentStatus.status.in_(MOVEMENTS))
    if year is not None:
        query = query.where((StudentStatus.effective_on >= date(year.start_year, 8, 1))
                            & (StudentStatus.effective_on < date(year.start_year + 1, 8, 1)))
    numbers = {r.student_id: r.number for r in RegistrationNumber.select()}
    rows = []
    for n, s in enumerate(query.order_by(StudentStatus.effective_on, StudentStatus.id), 1):
        student = s.student
        rows.append([str(n), _day(s.effective_on), student.full_name, _day(student.date_of_birth), student.gender,
                     _class_on(student, s.effective_on), str(numbers.get(student.id, "")),
                     STUDENT_STATUSES.get(s.status, s.status), s.other_school, s.reason])
    return _frame("bien-dong", ["STT", "Ngày", "Họ và tên", "Ngày sinh", "Giới tính", "Lớp", "Số đăng bộ",
                                "Biến động", "Chuyển đến / chuyển đi trường", "Lí do"], rows,
                  f"Năm học {year.name}." if year is not None else "", year.id if year is not None else None)


def _class_on(student: Student, day: date) -> str:
    """The class the student was in (or joined) around that day."""
    best = ""
    for e in (Enrolment.select(Enrolment, SchoolClass, SchoolYear).join(SchoolClass).join(SchoolYear)
              .where(Enrolment.student == student).order_by(SchoolYear.start_year, Enrolment.id)):
        if e.school_class.year.start_year <= (day.year if day.month >= 8 else day.year - 1):
            best = e.school_class.name
    return best


def build(kind: str, year: SchoolYear | None = None) -> Register:
    if kind == "dang-bo":
        return enrolment_register()
    if kind == "bien-dong":
        return movements_register(year)
    raise ValueError(f"Không có sổ “{kind}”; chọn một trong: {', '.join(KINDS)}.")


def register_pdf(register: Register, now: datetime | None = None, by: int | None = None) -> bytes:
    """The register, each page rendered with its own footer, verification code and QR, then merged."""
    from models.printing.renderer import merge_pdfs, render_pdf

    now = now or datetime.now()
    pages = register.pages
    codes = verification.page_codes(DOCUMENT, [(register.page_params(n), register.page_data(rows))
                                               for n, rows in enumerate(pages, 1)], now=now, by=by)
    return merge_pdfs([render_pdf(REGISTER_TEMPLATE, register=register, rows=rows, number=n, total=len(pages),
                                  code=code, generated_at=now)
                       for n, (rows, code) in enumerate(zip(pages, codes, strict=True), 1)])


def register_pages(params: dict) -> list[list[dict]]:
    """The page builder for /verify: today's data of every page of the register the code was printed from."""
    year = SchoolYear.get_or_none(SchoolYear.id == params["year_id"]) if params.get("year_id") else None
    if params.get("kind") not in KINDS or (params.get("year_id") and year is None):
        return []
    register = build(params["kind"], year)
    return [register.page_data(rows) for rows in register.pages]


verification.register_page_builder(DOCUMENT, register_pages, label="Sổ đăng bộ; sổ theo dõi học sinh bỏ học, "
                                                                   "chuyển đi, chuyển đến")


def archive_files(year: SchoolYear) -> list[tuple[str, bytes]]:
    """For the year-end archive: (file name, PDF) of both registers as they stand (the movements of that year)."""
    return [("So-dang-bo.pdf", register_pdf(enrolment_register())),
            (f"So-theo-doi-bien-dong-{year.name}.pdf", register_pdf(movements_register(year)))]


# --- the worker job (a register runs to many pages: never rendered in the web process) --------------

JOB_KIND = "register"  # its label and runner are in models.printing.jobs.JOB_KINDS


def job_title(job) -> str:
    return KINDS.get(job.parameters.get("kind"), job.parameters.get("kind", ""))


def job_download_name(job) -> str:
    return f"{job_title(job).replace(',', '')}.pdf".replace(" ", "-")


def run_job(job) -> None:
    """The worker's body (models.printing.jobs.JOB_KINDS): one register as a PDF."""
    from models.printing.jobs import run_into_file

    def make(start, progress) -> bytes:
        start(1)
        year_id = job.parameters.get("year_id")
        data = register_pdf(build(job.parameters["kind"], SchoolYear.get_by_id(year_id) if year_id else None),
                            by=job.created_by_id)
        progress(1)
        return data

    run_into_file(job, make)


def number_counts() -> dict:
    """{"numbered": students with a registration number, "waiting": admitted since, without one}."""
    numbered = RegistrationNumber.select().count()
    admitted = Enrolment.select(Enrolment.student).distinct().count()
    return {"numbered": numbered, "waiting": max(admitted - numbered, 0)}
