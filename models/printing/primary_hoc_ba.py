"""The primary học bạ (TT27): one A4 portrait page per pupil and school year — each subject's year-end level,
end-of-year test score and comment (a value written by an applied correction request in red, counted under the
table), the qualities and competences at CN, the year's result, the award (the homeroom teacher's with its remark,
or the rule's proposal while not confirmed), "Hoàn thành chương trình lớp học" (grade 5: "Hoàn thành chương trình
tiểu học"), the class's approval, absences, and the homeroom teacher's and principal's signatures. One renderer (models/printing/renderer.py), the A4 frame of the TT22
học bạ (templates/print/hoc_ba_base.html).
"""
from dataclasses import dataclass, field

from models.attendance.register import absence_totals, principal_name
from models.people.records import Student
from models.primary import assessments as pa
from models.printing.renderer import render_pdf, render_print_html
from models.rules import tt27
from models.school.structure import GradeSubject, School, SchoolClass, Subject, class_roster
from models.yearend import primary_year

TEMPLATE = "print/primary_hoc_ba.html"


@dataclass
class SubjectLine:
    name: str
    level: str  # the label (Hoàn thành tốt …) or ""
    score: str  # the end-of-year test, "" when not tested
    comment: str
    level_fixed: bool = False  # written by an applied correction request: red
    score_fixed: bool = False
    comment_fixed: bool = False


@dataclass
class PrimaryHocBaPage:
    student: Student
    school_name: str
    header_line_1: str
    header_line_2: str
    place_name: str
    class_name: str
    year_name: str
    homeroom_name: str
    principal_name: str
    lines: list[SubjectLine] = field(default_factory=list)
    qualities: list[tuple[str, str, bool]] = field(default_factory=list)  # (name, level label, corrected)
    competences: list[tuple[str, str, bool]] = field(default_factory=list)
    result: str = ""
    award: str = ""
    award_remark: str = ""
    award_proposed: bool = False
    completion: str = ""
    approval: str = ""
    absences_p: int = 0
    absences_k: int = 0

    @property
    def corrections(self) -> int:
        return (sum(line.level_fixed + line.score_fixed + line.comment_fixed for line in self.lines)
                + sum(fixed for _, _, fixed in self.qualities + self.competences))

    @property
    def corrected_subjects(self) -> list[str]:
        """The subjects with a correction, then "phẩm chất, năng lực" if a rating has one."""
        names = [line.name for line in self.lines if line.level_fixed or line.score_fixed or line.comment_fixed]
        if any(fixed for _, _, fixed in self.qualities + self.competences):
            names.append("phẩm chất, năng lực")
        return names


def class_pages(school_class: SchoolClass, students: list[Student] | None = None) -> list[PrimaryHocBaPage]:
    """The pages of a class's pupils (or of the given ones), in class-list order."""
    school = School.select().first()
    subjects = list(Subject.select().join(GradeSubject).where(GradeSubject.grade == school_class.grade_id)
                    .order_by(Subject.position, Subject.name))
    tested = tt27.tested_subjects(school_class.grade.number, "CN")
    wanted = {s.id for s in students} if students is not None else None
    roster = [e.student for e in class_roster(school_class) if wanted is None or e.student.id in wanted]
    cells, fixed = {}, set()
    for s, subj, f, v, corrected in pa.PrimaryCell.select(
            pa.PrimaryCell.student, pa.PrimaryCell.subject, pa.PrimaryCell.field, pa.PrimaryCell.value,
            pa.PrimaryCell.corrected).where(
            (pa.PrimaryCell.school_class == school_class) & (pa.PrimaryCell.moment == "CN")).tuples():
        cells[(s, subj, f)] = v
        if corrected:
            fixed.add((s, subj, f))
    traits = {(s, t): (v, bool(corrected)) for s, t, v, corrected in pa.PrimaryTrait.select(
        pa.PrimaryTrait.student, pa.PrimaryTrait.trait, pa.PrimaryTrait.value, pa.PrimaryTrait.corrected).where(
        (pa.PrimaryTrait.school_class == school_class) & (pa.PrimaryTrait.moment == "CN")).tuples()}
    awards = {r.student.id: r for r in primary_year.award_rows(school_class)}
    approval = primary_year.approval_of(school_class)
    approved = approval.label + (f" ngày {approval.approved_at:%d/%m/%Y}"
                                 if approval.state == "approved" and approval.approved_at else "")
    principal = principal_name()
    pages = []
    for student in roster:
        sid = student.id
        page = PrimaryHocBaPage(student, school.name if school else "", school.header_line_1 if school else "",
                                school.header_line_2 if school else "", getattr(school, "place_name", "") or "",
                                school_class.name, school_class.year.name,
                                school_class.homeroom_teacher.full_name if school_class.homeroom_teacher else "",
                                principal)
        for s in subjects:
            level = cells.get((sid, s.id, "level"))
            page.lines.append(SubjectLine(s.name, tt27.SUBJECT_LEVELS.get(level, "") if level else "",
                                          (cells.get((sid, s.id, "score")) or "") if s.name in tested else "—",
                                          cells.get((sid, s.id, "comment")) or "", (sid, s.id, "level") in fixed,
                                          (sid, s.id, "score") in fixed, (sid, s.id, "comment") in fixed))
        page.qualities = [(name, tt27.TRAIT_LEVELS.get(traits.get((sid, k), ("", False))[0] or "", ""),
                           traits.get((sid, k), ("", False))[1]) for k, name in tt27.QUALITIES.items()]
        page.competences = [(name, tt27.TRAIT_LEVELS.get(traits.get((sid, k), ("", False))[0] or "", ""),
                             traits.get((sid, k), ("", False))[1]) for k, name in tt27.COMPETENCES.items()]
        award = awards.get(sid)
        if award is not None and award.year.result:
            page.result, page.completion = award.year.result, award.completion
            page.award, page.award_proposed = award.award_label, award.award is None and bool(award.award_label)
            page.award_remark = award.remark if award.award is not None else "; ".join(
                g for g in award.proposal.grounds if g != award.year.result)
            page.approval = approved
        totals = absence_totals(student, school_class.year)
        page.absences_p, page.absences_k = totals.p, totals.k
        pages.append(page)
    return pages


def html(pages: list[PrimaryHocBaPage], **extra) -> str:
    return render_print_html(TEMPLATE, pages=pages, **extra)


def pdf(pages: list[PrimaryHocBaPage]) -> bytes:
    return render_pdf(TEMPLATE, pages=pages)


def download_name(page: PrimaryHocBaPage) -> str:
    return f"Hoc ba {page.student.full_name} {page.year_name}.pdf"
