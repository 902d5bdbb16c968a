"""Health reports per class, grade and school (counts and percentages of the last check of the year), clinic
visits per month, the .xlsx export, and what a parent notice says about a student's last check.

Percentages are of the students checked in the group, rounded to one decimal (written with a comma).
"""
import io
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from models.health.checks import HealthCheck
from models.health.clinic import ClinicVisit
from models.people.records import Student
from models.rules import growth
from models.school.structure import SchoolClass, SchoolYear

# (key, column head): what is counted for each group
COUNTED = [(code, label) for code, label in growth.NUTRITION_LABELS.items()] + [
    ("thap_coi", "Thấp còi"), ("C", "Cận thị"), ("V", "Viễn thị"), ("L", "Loạn thị"),
    ("dental", "Bệnh răng miệng"), ("spine", "Cong vẹo cột sống")]


@dataclass
class Group:
    label: str
    kind: str  # class, grade, school
    checked: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, check: HealthCheck) -> None:
        self.checked += 1
        keys = [check.nutrition] if check.nutrition else []
        if check.stunting in (growth.STUNTING, growth.SEVERE_STUNTING):
            keys.append("thap_coi")
        keys += list(check.refraction)
        if check.dental:
            keys.append("dental")
        if check.spine:
            keys.append("spine")
        for key in keys:
            self.counts[key] = self.counts.get(key, 0) + 1

    def count(self, key: str) -> int:
        return self.counts.get(key, 0)

    def percent(self, key: str) -> float | None:
        return round(100 * self.count(key) / self.checked, 1) if self.checked else None


def percent_text(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",") + "%"


@dataclass
class Report:
    year: SchoolYear
    groups: list[Group]
    months: list[tuple[str, dict[str, int], int]]  # (mm/yyyy, visits per grade label, all)
    grade_labels: list[str]
    generated_at: datetime


def last_checks(year: SchoolYear) -> dict[int, HealthCheck]:
    """Each student's last check of the year (by the class it was entered in)."""
    latest: dict[int, HealthCheck] = {}
    rows = (HealthCheck.select().join(SchoolClass).where(SchoolClass.year == year)
            .order_by(HealthCheck.checked_on, HealthCheck.id))
    for check in rows:
        latest[check.student_id] = check
    return latest


def school_report(year: SchoolYear | None = None) -> Report:
    """Every class, then each grade's total, then the school's."""
    year = year or SchoolYear.current()
    classes = list(SchoolClass.select(SchoolClass).where(SchoolClass.year == year)
                   .order_by(SchoolClass.grade, SchoolClass.name))
    by_class = {c.id: Group(c.name, "class") for c in classes}
    grades: dict[int, Group] = {}
    school = Group("Toàn trường", "school")
    grade_of = {c.id: c.grade for c in classes}
    for check in last_checks(year).values():
        grade = grade_of[check.school_class_id]
        grades.setdefault(grade.id, Group(grade.label, "grade"))
        for group in (by_class[check.school_class_id], grades[grade.id], school):
            group.add(check)
    groups = []
    for c in classes:
        groups.append(by_class[c.id])
        last_of_grade = c is classes[-1] or classes[classes.index(c) + 1].grade_id != c.grade_id
        if last_of_grade and c.grade_id in grades:
            groups.append(grades[c.grade_id])
    groups.append(school)
    return Report(year, groups, _visits_by_month(year, classes), [g.label for g in grades.values()], datetime.now())


def _visits_by_month(year: SchoolYear, classes: list[SchoolClass]) -> list[tuple[str, dict[str, int], int]]:
    from models.school.structure import Enrolment

    grade_of_student = {e.student_id: e.school_class.grade.label for e in
                        Enrolment.select(Enrolment, SchoolClass).join(SchoolClass)
                        .where(SchoolClass.id.in_([c.id for c in classes]))} if classes else {}
    start = datetime(year.start_year, 8, 1)
    end = datetime(year.start_year + 1, 8, 1)
    months: dict[str, dict[str, int]] = {}
    for visit in ClinicVisit.select().where((ClinicVisit.at >= start) & (ClinicVisit.at < end)).order_by(ClinicVisit.at):
        key = visit.at.strftime("%m/%Y")
        grade = grade_of_student.get(visit.student_id, "Khác")
        months.setdefault(key, {})[grade] = months.get(key, {}).get(grade, 0) + 1
    return [(m, counts, sum(counts.values())) for m, counts in months.items()]


def to_xlsx(report: Report) -> bytes:
    """The report as a workbook: the groups (counts and percentages as numbers) and the visits per month."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sức khỏe học sinh"
    sheet.append([f"Tổng hợp khám sức khỏe định kỳ năm học {report.year.name}"])
    sheet["A1"].font = Font(bold=True, size=13)
    heads = ["Lớp, khối", "Số HS được khám"]
    for _, label in COUNTED:
        heads += [f"{label} (số HS)", f"{label} (%)"]
    sheet.append(heads)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for group in report.groups:
        row = [group.label, group.checked]
        for key, _ in COUNTED:
            row += [group.count(key), group.percent(key)]
        sheet.append(row)
        if group.kind != "class":
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 16
    visits = book.create_sheet("Lượt khám theo tháng")
    visits.append(["Tháng", *report.grade_labels, "Toàn trường"])
    for month, counts, total in report.months:
        visits.append([month, *[counts.get(g, 0) for g in report.grade_labels], total])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ADVICE = {
    "gay_com_nang": "Con bị suy dinh dưỡng thể gầy còm nặng: xin đưa con đi khám dinh dưỡng tại cơ sở y tế sớm.",
    "gay_com": "Con bị gầy còm (suy dinh dưỡng): cho con ăn đủ bữa, thêm thịt, trứng, sữa; theo dõi cân nặng hằng tháng.",
    "thua_can": "Con bị thừa cân: hạn chế đồ ngọt, đồ chiên rán; cho con vận động ít nhất 60 phút mỗi ngày.",
    "beo_phi": "Con bị béo phì: xin đưa con đi khám dinh dưỡng; hạn chế đồ ngọt, nước có ga; tăng vận động.",
    "thap_coi": "Con thấp còi so với tuổi: bổ sung đạm, canxi, vitamin D; cho con ngủ đủ giấc, tắm nắng sáng sớm.",
    "refraction": "Con có tật khúc xạ của mắt: xin đưa con đi khám mắt, đeo kính đúng số; ngồi học đủ ánh sáng, "
                  "hạn chế xem điện thoại, máy tính.",
    "eyes": "Thị lực của con giảm: xin đưa con đi khám mắt chuyên khoa.",
    "dental": "Con có bệnh răng miệng: xin đưa con đi khám nha khoa; nhắc con chải răng sau ăn và trước khi ngủ.",
    "spine": "Con có dấu hiệu cong vẹo cột sống: xin đưa con đi khám chuyên khoa; nhắc con ngồi học đúng tư thế.",
}


@dataclass
class Notice:
    student: Student
    check: HealthCheck | None
    findings: list[str]
    advice: list[str]


def parent_notice(student: Student) -> Notice:
    """What the last check found and the advice for the family (seed 000 Điều 22)."""
    from models.health.checks import last_check

    check = last_check(student)
    findings, advice = [], []
    if check is None:
        return Notice(student, None, findings, advice)
    if check.nutrition:
        findings.append(f"Tình trạng dinh dưỡng: {check.nutrition_label.lower()}.")
        if check.nutrition in ADVICE:
            advice.append(ADVICE[check.nutrition])
    if check.stunting in (growth.STUNTING, growth.SEVERE_STUNTING):
        findings.append(f"Chiều cao theo tuổi: {check.stunting_label.lower()}.")
        advice.append(ADVICE["thap_coi"])
    if check.eye_left is not None or check.eye_right is not None:
        findings.append(f"Thị lực: mắt phải {check.cell('eye_right') or '—'}, mắt trái {check.cell('eye_left') or '—'}"
                        + (f" ({', '.join(check.refraction_labels).lower()})." if check.refraction else "."))
    if check.refraction:
        advice.append(ADVICE["refraction"])
    elif min(v for v in (check.eye_left, check.eye_right, 10) if v is not None) < 8:
        advice.append(ADVICE["eyes"])
    if check.dental:
        findings.append(f"Răng miệng: {check.dental}.")
        advice.append(ADVICE["dental"])
    if check.spine:
        findings.append("Cột sống: có dấu hiệu cong vẹo.")
        advice.append(ADVICE["spine"])
    if check.other:
        findings.append(f"Khác: {check.other}.")
    return Notice(student, check, findings, advice)


