"""A primary school's year-end lists and summary (TT27 Điều 9–10; the lower secondary's are models/yearend/reports.py),
read from each class's award rows (models/yearend/primary_year.py): per class, grade and school how many pupils
reached each final result, the awards (the homeroom teacher's, or the rule's proposal while not confirmed), how many
completed their grade's programme and, in grade 5, primary school; and the lists of pupils by award, those who have
not completed their grade's programme and grade 5's pupils who complete primary school.

Pupils who have left their class are not counted. A pupil whose year is not fully assessed counts under "Chưa đủ
đánh giá" and is on no list.
"""
from dataclasses import dataclass

from models.primary.assessments import is_primary_class
from models.rules import tt27
from models.rules.dates import format_date
from models.school.structure import SchoolClass, SchoolYear
from models.yearend import primary_year, reports

LAST_GRADE = 5
MISSING = "Chưa đủ đánh giá"
EXEMPLARY_SHORT = "Học sinh Tiêu biểu"  # the summary's column head; the lists name the award in full
CLASS_DONE = "Lớp học"
PRIMARY_DONE = "Tiểu học (khối 5)"


def _award(row: primary_year.AwardRow) -> str:
    return row.award_label


# kind → (title, which pupils of a class belong to it)
LISTS = {
    "excellent": ("Danh sách học sinh được khen thưởng Học sinh Xuất sắc",
                  lambda c, r: _award(r) == tt27.AWARD_EXCELLENT),
    "exemplary": ("Danh sách học sinh được khen thưởng Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện",
                  lambda c, r: _award(r) == tt27.AWARD_EXEMPLARY),
    "not_completed": ("Danh sách học sinh chưa hoàn thành chương trình lớp học",
                      lambda c, r: bool(r.year.result) and not tt27.completes_grade(r.year.result)),
    "completed": ("Danh sách học sinh hoàn thành chương trình tiểu học",
                  lambda c, r: c.grade.number == LAST_GRADE and tt27.completes_grade(r.year.result)),
}


@dataclass
class PrimaryListRow:
    school_class: SchoolClass
    row: primary_year.AwardRow

    @property
    def award(self) -> str:
        return _award(self.row)

    @property
    def proposed(self) -> bool:
        """The award is the rule's proposal: the homeroom teacher has not confirmed it yet."""
        return self.row.award is None and bool(self.award)

    @property
    def detail(self) -> str:
        """The homeroom teacher's remark, else the rule's grounds."""
        return self.row.remark or "; ".join(self.row.proposal.grounds if self.proposed else ())


def classes_of(year: SchoolYear) -> list[SchoolClass]:
    """The year's classes of grades 1–5, in grade and name order."""
    return [c for c in reports.classes_of(year) if is_primary_class(c)]


def pupil_list(kind: str, classes: list[SchoolClass]) -> tuple[str, list[PrimaryListRow]]:
    """The title and the rows of one list over the given (primary) classes, in class then roster order."""
    if kind not in LISTS:
        raise KeyError(kind)
    title, belongs = LISTS[kind]
    rows = []
    for school_class in classes:
        rows += [PrimaryListRow(school_class, r) for r in primary_year.award_rows(school_class)
                 if not r.has_left and belongs(school_class, r)]
    return title, rows


def school_summary(year: SchoolYear) -> reports.Summary:
    """Per class, grade and school: the pupils of each final result, the awards, the programme completed."""
    groups = [("Kết quả giáo dục", [f"kq:{r}" for r in (*tt27.RESULTS, MISSING)]),
              ("Khen thưởng", [f"kt:{tt27.AWARD_EXCELLENT}", f"kt:{EXEMPLARY_SHORT}"]),
              ("Hoàn thành chương trình", [f"ct:{CLASS_DONE}", f"ct:{PRIMARY_DONE}"])]
    short = {tt27.AWARD_EXCELLENT: tt27.AWARD_EXCELLENT, tt27.AWARD_EXEMPLARY: EXEMPLARY_SHORT}
    rows, school, grade_row, grade_id = [], reports.SummaryRow("Toàn trường", is_total=True), None, None
    for school_class in classes_of(year):
        if school_class.grade_id != grade_id:
            if grade_row:
                rows.append(grade_row)
            grade_id = school_class.grade_id
            grade_row = reports.SummaryRow(f"Khối {school_class.grade.number}", is_total=True)
        row = reports.SummaryRow(school_class.name)
        for r in primary_year.award_rows(school_class):
            if r.has_left:
                continue
            row.total += 1
            row.add(f"kq:{r.year.result or MISSING}")
            row.add(_award(r) and f"kt:{short[_award(r)]}")
            if r.year.result and tt27.completes_grade(r.year.result):
                row.add(f"ct:{CLASS_DONE}")
                if school_class.grade.number == LAST_GRADE:
                    row.add(f"ct:{PRIMARY_DONE}")
        rows.append(row)
        grade_row.merge(row)
        school.merge(row)
    if grade_row:
        rows.append(grade_row)
    rows.append(school)
    return reports.Summary(year, None, groups, rows)


def list_xlsx(title: str, rows: list[PrimaryListRow]) -> bytes:
    header = ["STT", "Lớp", "Mã định danh", "Họ và tên", "Ngày sinh", "Kết quả cuối năm", "Hoàn thành chương trình",
              "Khen thưởng", "Ghi chú"]
    data = [[i, r.school_class.name, r.row.student.code, r.row.student.full_name,
             format_date(r.row.student.date_of_birth) if r.row.student.date_of_birth else "", r.row.year.result,
             r.row.completion, r.award + (" (đề xuất, GVCN chưa xác nhận)" if r.proposed else ""), r.detail]
            for i, r in enumerate(rows, start=1)]
    return reports.table_xlsx(title, header, data, {3: 24, 4: 28, 6: 20, 7: 30, 8: 40, 9: 40})
