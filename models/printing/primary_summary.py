"""The Sổ THKQGD of a primary class (Bảng tổng hợp kết quả đánh giá giáo dục, TT27; seed 001): at each of the
four moments every pupil's subject levels and test scores (those written by an applied correction request in red),
qualities and competences, and at CN the year-end result, the award (the homeroom teacher's, or the rule's
proposal while not confirmed), what the pupil completes, and the class's approval. A3 landscape, one renderer
(models/printing/renderer.py).

Signatures as seed 001 names them: the homeroom and subject teachers at GHK and CHK, the principal.
"""
from dataclasses import dataclass, field

from models.attendance.register import principal_name
from models.primary import assessments as pa
from models.rules import tt27
from models.school.structure import (
    GradeSubject,
    School,
    SchoolClass,
    Subject,
    TeachingAssignment,
    class_roster,
)
from models.yearend import primary_year

TEMPLATE = "print/primary_summary.html"
# the printed column heads: the full names do not fit 36 columns of an A3 sheet
SHORT_NAMES = {tt27.TIENG_VIET: "Tiếng Việt", tt27.TOAN: "Toán", tt27.NGOAI_NGU_1: "Ngoại ngữ 1",
               tt27.DAO_DUC: "Đạo đức", tt27.TU_NHIEN_XA_HOI: "TN và XH", tt27.LICH_SU_DIA_LI: "LS và ĐL",
               tt27.KHOA_HOC: "Khoa học", tt27.TIN_HOC_CONG_NGHE: "Tin học và CN", tt27.GIAO_DUC_THE_CHAT: "GDTC",
               tt27.AM_NHAC: "Âm nhạc", tt27.MI_THUAT: "Mĩ thuật", tt27.HOAT_DONG_TRAI_NGHIEM: "HĐTN"}
TRAIT_SHORT = {"yeu_nuoc": "Yêu nước", "nhan_ai": "Nhân ái", "cham_chi": "Chăm chỉ", "trung_thuc": "Trung thực",
               "trach_nhiem": "Trách nhiệm", "tu_chu": "Tự chủ, tự học", "giao_tiep": "Giao tiếp, hợp tác",
               "giai_quyet": "GQVĐ, sáng tạo", "ngon_ngu": "Ngôn ngữ", "tinh_toan": "Tính toán",
               "khoa_hoc": "Khoa học", "cong_nghe": "Công nghệ", "tin_hoc": "Tin học", "tham_mi": "Thẩm mĩ",
               "the_chat": "Thể chất"}


@dataclass
class SubjectColumn:
    subject: Subject
    short: str
    tested: bool


@dataclass
class SummaryRow:
    number: int
    full_name: str
    has_left: bool
    subjects: list[tuple[str, str]]  # (level, score) per subject column
    traits: list[str]
    result: str = ""
    award: str = ""
    award_proposed: bool = False  # the rule's proposal, not yet confirmed by the homeroom teacher
    completion: str = ""
    corrected: set[tuple[int, str]] = field(default_factory=set)  # (column index, "level"/"score") in red
    corrected_traits: set[int] = field(default_factory=set)  # indexes of the ratings in red


@dataclass
class SummarySheet:
    school_name: str
    header_line_1: str
    header_line_2: str
    class_name: str
    year_name: str
    moment: str
    homeroom_name: str
    subject_teachers: list[tuple[str, str]]  # (subject, teacher) of the subjects the homeroom teacher does not teach
    principal_name: str
    columns: list[SubjectColumn]
    rows: list[SummaryRow] = field(default_factory=list)
    completion_label: str = ""  # "Hoàn thành chương trình tiểu học" (grade 5) or "… lớp N"
    approval: str = ""  # at CN: the class's year-end state, e.g. "Hiệu trưởng đã duyệt ngày 05/06/2025"
    corrections: int = 0  # cells written by applied correction requests

    @property
    def moment_label(self) -> str:
        return tt27.MOMENTS[self.moment]

    @property
    def year_end(self) -> bool:
        return self.moment == "CN"

    @property
    def completion_line(self) -> str:
        """"Hoàn thành chương trình tiểu học: 34/35 học sinh." (another grade: its own programme); "" before
        any result."""
        active = [r for r in self.rows if not r.has_left]
        if not any(r.result for r in active):
            return ""
        done = sum(1 for r in active if tt27.completes_grade(r.result))
        return f"{self.completion_label}: {done}/{len(active)} học sinh."

    @property
    def traits(self) -> list[str]:
        return [TRAIT_SHORT[k] for k in {**tt27.QUALITIES, **tt27.COMPETENCES}]


def summary_sheet(school_class: SchoolClass, moment: str) -> SummarySheet:
    """The class's Sổ THKQGD at one moment, from the stored assessments."""
    if moment not in tt27.MOMENTS:
        raise ValueError(tt27.MSG_MOMENT_INVALID)
    school = School.select().first()
    grade = school_class.grade.number
    tested = tt27.tested_subjects(grade, moment)
    subjects = list(Subject.select().join(GradeSubject).where(GradeSubject.grade == school_class.grade_id)
                    .order_by(Subject.position, Subject.name))
    homeroom = school_class.homeroom_teacher
    others = []
    for a in (TeachingAssignment.select().join(Subject).where(TeachingAssignment.school_class == school_class)
              .order_by(Subject.position)):
        if homeroom is None or a.teacher_id != homeroom.id:
            others.append((a.subject.name, a.teacher.full_name))
    sheet = SummarySheet(school.name if school else "", school.header_line_1 if school else "",
                         school.header_line_2 if school else "", school_class.name, school_class.year.name, moment,
                         homeroom.full_name if homeroom else "", others, principal_name(),
                         [SubjectColumn(s, SHORT_NAMES.get(s.name, s.name), s.name in tested) for s in subjects])
    cells, fixed = {}, set()
    for s, subj, f, v, corrected in pa.PrimaryCell.select(
            pa.PrimaryCell.student, pa.PrimaryCell.subject, pa.PrimaryCell.field, pa.PrimaryCell.value,
            pa.PrimaryCell.corrected).where(
            (pa.PrimaryCell.school_class == school_class) & (pa.PrimaryCell.moment == moment)).tuples():
        cells[(s, subj, f)] = v
        if corrected:
            fixed.add((s, subj, f))
    sheet.corrections = sum(1 for _, _, f in fixed if f != "comment")  # the sheet shows no comment
    traits, fixed_traits = {}, set()
    for s, t, v, corrected in pa.PrimaryTrait.select(
            pa.PrimaryTrait.student, pa.PrimaryTrait.trait, pa.PrimaryTrait.value, pa.PrimaryTrait.corrected).where(
            (pa.PrimaryTrait.school_class == school_class) & (pa.PrimaryTrait.moment == moment)).tuples():
        traits[(s, t)] = v
        if corrected:
            fixed_traits.add((s, t))
    sheet.corrections += len(fixed_traits)
    awards = {r.student.id: r for r in primary_year.award_rows(school_class)} if moment == "CN" else {}
    if moment == "CN":
        sheet.completion_label = tt27.completion(grade, tt27.COMPLETED)
        approval = primary_year.approval_of(school_class)
        sheet.approval = approval.label + (f" ngày {approval.approved_at:%d/%m/%Y}"
                                           if approval.state == "approved" and approval.approved_at else "")
    for entry in class_roster(school_class):
        sid = entry.student.id
        row = SummaryRow(entry.number, entry.student.full_name, entry.has_left,
                         [(cells.get((sid, c.subject.id, "level")) or "", cells.get((sid, c.subject.id, "score")) or "")
                          for c in sheet.columns],
                         [traits.get((sid, k)) or "" for k in {**tt27.QUALITIES, **tt27.COMPETENCES}])
        row.corrected = {(i, f) for i, c in enumerate(sheet.columns) for f in ("level", "score")
                         if (sid, c.subject.id, f) in fixed}
        row.corrected_traits = {i for i, k in enumerate({**tt27.QUALITIES, **tt27.COMPETENCES}) if (sid, k) in fixed_traits}
        award = awards.get(sid)
        if award is not None and award.year.result:
            row.result, row.completion = award.year.result, award.completion
            row.award, row.award_proposed = award.award_label, award.award is None and bool(award.award_label)
        sheet.rows.append(row)
    return sheet


def html(sheet: SummarySheet, **extra) -> str:
    from models.printing.renderer import render_print_html

    return render_print_html(TEMPLATE, sheet=sheet, **extra)


def pdf(sheet: SummarySheet) -> bytes:
    from models.printing.renderer import render_pdf

    return render_pdf(TEMPLATE, sheet=sheet)


def download_name(sheet: SummarySheet) -> str:
    return f"So THKQGD {sheet.class_name} {sheet.moment} {sheet.year_name}.pdf"
