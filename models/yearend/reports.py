"""Year-end lists, the school's summary and the spreadsheets, all read from the computed sheets
(models/yearend/results.py): promoted, not promoted, summer training, re-test with its subjects, Học sinh Xuất
sắc and Giỏi; counts and percentages per grade and class; each class's results in the sector upload layout."""
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from models.primary.assessments import is_primary_class
from models.rules import tt22
from models.rules.dates import format_date
from models.school.structure import SchoolClass, SchoolYear
from models.yearend import results, school_counts

# the lists of the issue, each: (title, which year results of a class belong to it)
LISTS = {
    "promoted": ("Danh sách học sinh được lên lớp", lambda c, r: r.final_decision == tt22.PROMOTED),
    "not_promoted": ("Danh sách học sinh không được lên lớp", lambda c, r: r.final_decision == tt22.NOT_PROMOTED),
    "summer": ("Danh sách học sinh rèn luyện trong kì nghỉ hè",
               lambda c, r: r.promotion in (tt22.SUMMER_TRAINING, tt22.SUMMER_AND_RETEST)),
    "retest": ("Danh sách học sinh kiểm tra lại",
               lambda c, r: r.promotion in (tt22.RETEST, tt22.SUMMER_AND_RETEST)),
    "excellent": ("Danh sách Học sinh Xuất sắc", lambda c, r: r.award == tt22.AWARD_EXCELLENT),
    "good": ("Danh sách Học sinh Giỏi", lambda c, r: r.award == tt22.AWARD_GOOD),
    # grade 9 students whose year stands at Được lên lớp: for the council recognising the completed programme
    "completed": ("Danh sách học sinh hoàn thành chương trình trung học cơ sở",
                  lambda c, r: c.grade.number == LAST_GRADE and r.final_decision == tt22.PROMOTED),
}
LAST_GRADE = 9
PERIOD_TITLES = {1: "Học kì I", 2: "Học kì II", None: "Cả năm"}


@dataclass
class ListRow:
    school_class: SchoolClass
    result: "results.StudentResult"

    @property
    def detail(self) -> str:
        r = self.result
        if r.retest and r.promotion in (tt22.RETEST, tt22.SUMMER_AND_RETEST):
            return ", ".join(r.retest)
        return r.award or r.final_decision or ""


def classes_of(year: SchoolYear) -> list[SchoolClass]:
    found = list(SchoolClass.select().where(SchoolClass.year == year))
    found.sort(key=lambda c: (c.grade_id, len(c.name), c.name))
    return found


def graded_classes_of(year: SchoolYear) -> list[SchoolClass]:
    """The year's classes assessed under TT22 (grades 6–12): those these lists and this summary are about; a
    primary class's are models/yearend/primary_reports.py's."""
    return [c for c in classes_of(year) if not is_primary_class(c)]


def student_list(kind: str, classes: list[SchoolClass]) -> tuple[str, list[ListRow]]:
    """The title and the rows of one list over the given classes, in class then list order."""
    if kind not in LISTS:
        raise KeyError(kind)
    title, belongs = LISTS[kind]
    rows = []
    for school_class in classes:
        sheet = results.class_sheet(school_class, results.YEAR)
        rows += [ListRow(school_class, r) for r in sheet.active_rows if r.promotion and belongs(school_class, r)]
    return title, rows


def percent(count: int, total: int) -> str:
    """The share in percent with one decimal and a decimal comma ("12,5"); "" when nobody is counted."""
    if not total:
        return ""
    return format(tt22.round_half_up(Decimal(count * 100) / Decimal(total)), "f").replace(".", ",")


@dataclass
class SummaryRow:
    label: str
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    is_total: bool = False

    def add(self, key: str | None) -> None:
        if key:
            self.counts[key] = self.counts.get(key, 0) + 1

    def merge(self, other: "SummaryRow") -> None:
        self.total += other.total
        for key, n in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + n


@dataclass
class Summary:
    year: SchoolYear
    semester: int | None
    groups: list[tuple[str, list[str]]]  # (heading, the keys counted under it)
    rows: list[SummaryRow]

    @property
    def title(self) -> str:
        return f"Thống kê kết quả {PERIOD_TITLES[self.semester].lower()} – năm học {self.year.name}"


def school_summary(year: SchoolYear, semester: int | None = results.YEAR) -> Summary:
    """Counts of each learning and conduct level (and, for the year, outcome and award) per class, per grade and
    for the school: the table a school sends to the district."""
    groups = [("Học tập", [f"ht:{level}" for level in tt22.LEVELS]),
              ("Rèn luyện", [f"rl:{level}" for level in tt22.LEVELS])]
    if semester is None:
        groups += [("Lên lớp", [f"ll:{o}" for o in tt22.PROMOTION_OUTCOMES]),
                   ("Danh hiệu", [f"dh:{a}" for a in (tt22.AWARD_EXCELLENT, tt22.AWARD_GOOD)])]
    rows, school, grade_row, grade_id = [], SummaryRow("Toàn trường", is_total=True), None, None
    outcomes = school_counts.class_outcomes(year, semester)  # a handful of queries for the whole school
    for school_class in graded_classes_of(year):
        if school_class.grade_id != grade_id:
            if grade_row:
                rows.append(grade_row)
            grade_id, grade_row = school_class.grade_id, SummaryRow(f"Khối {school_class.grade.number}", is_total=True)
        row = SummaryRow(school_class.name)
        for r in outcomes.get(school_class.id, ()):
            row.total += 1
            row.add(r.learning and f"ht:{r.learning}")
            row.add(r.conduct and f"rl:{r.conduct}")
            if semester is None:
                row.add(r.promotion and f"ll:{r.promotion}")
                row.add(r.award and f"dh:{r.award}")
        rows.append(row)
        grade_row.merge(row)
        school.merge(row)
    if grade_row:
        rows.append(grade_row)
    rows.append(school)
    return Summary(year, semester, groups, rows)


def key_label(key: str) -> str:
    return key.split(":", 1)[1]


# --- spreadsheets ----------------------------------------------------------------------------------

def table_xlsx(title: str, header: list[str], rows: list[list], widths: dict[int, int] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append(row)
    for column in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = (widths or {}).get(column, 12)
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _mark_value(value):
    """A mark as a number with one decimal in the sheet; a level as its text."""
    if isinstance(value, Decimal):
        return value
    return value or ""


def list_xlsx(title: str, rows: list[ListRow]) -> bytes:
    header = ["STT", "Lớp", "Mã định danh", "Họ và tên", "Ngày sinh", "Học tập", "Rèn luyện", "Số buổi nghỉ",
              "Ghi chú"]
    data = [[i, r.school_class.name, r.result.student.code, r.result.student.full_name,
             format_date(r.result.student.date_of_birth) if r.result.student.date_of_birth else "",
             r.result.learning, r.result.conduct, r.result.absences.total, r.detail]
            for i, r in enumerate(rows, start=1)]
    return table_xlsx(title, header, data, {3: 24, 4: 28, 9: 40})


def summary_xlsx(summary: Summary) -> bytes:
    header = ["Lớp / khối", "Sĩ số"]
    for heading, keys in summary.groups:
        for key in keys:
            header += [f"{heading}: {key_label(key)}", "%"]
    data = []
    for row in summary.rows:
        line = [row.label, row.total]
        for _heading, keys in summary.groups:
            for key in keys:
                n = row.counts.get(key, 0)
                line += [n, percent(n, row.total)]
        data.append(line)
    return table_xlsx(summary.title, header, data, {1: 14})


# the sector database's upload layout (README, "Year-end results"): one row per student
SECTOR_FIXED = ["Mã định danh", "Họ và tên", "Ngày sinh"]
SECTOR_TAIL = ["Học tập", "Rèn luyện", "Danh hiệu", "Lên lớp"]


def sector_xlsx(sheet: "results.ClassSheet") -> bytes:
    header = SECTOR_FIXED + [c.subject.name for c in sheet.columns] + SECTOR_TAIL
    data = []
    for r in sheet.active_rows:
        born = r.student.date_of_birth
        data.append([r.student.code, r.student.full_name, format_date(born) if isinstance(born, date) else "",
                     *(_mark_value(r.subjects.get(c.subject.id)) for c in sheet.columns),
                     r.learning or "", r.conduct or "", r.award or "", r.final_decision or ""])
    book = table_xlsx(f"Kết quả cả năm lớp {sheet.school_class.name}", header, data, {1: 24, 2: 28})
    return book


# --- the result slip for families (phiếu báo kết quả) -----------------------------------------------

@dataclass
class SlipLine:
    subject: str
    first: str
    second: str
    year: str


@dataclass
class Slip:
    school_class: SchoolClass
    student: object
    lines: list[SlipLine]
    periods: list[tuple[str, "results.StudentResult"]]  # (Học kì I / Học kì II / Cả năm, result)
    year: "results.StudentResult"
    comment: str


def result_slips(school_class: SchoolClass) -> list[Slip]:
    """One slip per student still in the class: each subject per semester and year, the levels, absences, award,
    promotion (and the result after summer) and the homeroom teacher's comment."""
    from models.yearend import records

    sheets = {n: results.class_sheet(school_class, n) for n in (1, 2, results.YEAR)}
    by_student = {n: {r.student.id: r for r in sheet.rows} for n, sheet in sheets.items()}
    comments = records.comments(school_class)
    slips = []
    for row in sheets[results.YEAR].active_rows:
        sid = row.student.id
        one, two = by_student[1][sid], by_student[2][sid]
        lines = [SlipLine(c.subject.name, one.subject_text(c.subject.id), two.subject_text(c.subject.id),
                          row.subject_text(c.subject.id)) for c in sheets[results.YEAR].columns
                 if row.studies(c.subject.id)]  # THPT: the student's own subjects
        comment = comments.get(sid)
        slips.append(Slip(school_class, row.student, lines,
                          [("Học kì I", one), ("Học kì II", two), ("Cả năm", row)], row,
                          comment.text if comment else ""))
    return slips
