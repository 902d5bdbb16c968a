"""A primary class's year end (TT27 Điều 9–10): the awards proposed by rules/tt27.award_proposal, confirmed or
edited by the homeroom teacher with remarks, then the class's walk of models/yearend/approval.py: the homeroom
teacher submits, the vice-principal returns (with a reason) or passes it on, the principal approves, which
freezes each pupil's result, award and remark (FrozenResult). While the class is submitted or approved its awards
cannot change; a later correction that changes a result makes the class "cần duyệt lại".

Every award change and every step is written to the audit log.
"""
import json
from dataclasses import dataclass
from datetime import datetime

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from models.audit.log import record
from models.core import KeptModel, write_transaction
from models.people.accounts import User
from models.people.records import Student
from models.primary import assessments as pa
from models.rules import tt27
from models.rules.text import nfc
from models.school.structure import SchoolClass, class_roster, enrolment_in
from models.yearend import records
from models.yearend.records import APPROVED, DRAFT, PASSED, RETURNED, SUBMITTED, FrozenResult
from models.yearend.walk import StepRefused, move

AWARDS = {"": "Không", "xuat_sac": tt27.AWARD_EXCELLENT, "tieu_bieu": tt27.AWARD_EXEMPLARY}
_CODE_OF = {label: code for code, label in AWARDS.items() if code}
REMARK_MAX = 300
MSG_FROZEN = "Kết quả cuối năm của lớp đã nộp hoặc đã duyệt: không sửa được khen thưởng (cần được trả lại trước)."


class PrimaryAward(KeptModel):
    """The homeroom teacher's decision on a pupil's award at the year's end, with a remark (thành tích, tiến bộ).
    No row: the rule's proposal, not yet confirmed."""

    school_class = ForeignKeyField(SchoolClass, backref="+")
    student = ForeignKeyField(Student, backref="+")
    award = CharField(max_length=10, default="")  # AWARDS
    remark = CharField(max_length=REMARK_MAX, default="")
    version = IntegerField(default=1)
    updated_by = ForeignKeyField(User, null=True, backref="+", index=False)
    updated_at = DateTimeField(null=True)

    class Meta:
        table_name = "primary_award"
        indexes = ((("school_class", "student"), True),)


@dataclass
class AwardRow:
    number: int
    student: Student
    has_left: bool
    year: pa.PupilYear
    proposal: tt27.AwardProposal
    award: str | None  # the confirmed code; None while only proposed
    remark: str
    version: int
    completion: str  # what the học bạ writes ("Hoàn thành chương trình tiểu học" …), "" while incomplete

    @property
    def proposed_code(self) -> str:
        return _CODE_OF.get(self.proposal.award, "")

    @property
    def award_label(self) -> str:
        """The confirmed award, else the proposal (the prints say which)."""
        code = self.award if self.award is not None else self.proposed_code
        return AWARDS[code] if code else ""

    @property
    def allowed(self) -> list[tuple[str, str]]:
        return [("", AWARDS[""])] + [(_CODE_OF[a], a) for a in tt27.awards_allowed(self.year.result)]


def award_rows(school_class: SchoolClass) -> list[AwardRow]:
    """Every pupil of the class with their result, the rule's proposal and the homeroom teacher's decision."""
    years = pa.pupil_years(school_class)
    stored = {r.student_id: r for r in PrimaryAward.select().where(PrimaryAward.school_class == school_class)}
    rows = []
    for entry in class_roster(school_class):
        year = years.get(entry.student.id, pa.PupilYear(missing="Chưa có đánh giá"))
        proposal = tt27.award_proposal(year.result, year.scores, year.traits) if year.result else \
            tt27.AwardProposal("")
        row = stored.get(entry.student.id)
        rows.append(AwardRow(entry.number, entry.student, entry.has_left, year, proposal,
                             row.award if row else None, row.remark if row else "", row.version if row else 0,
                             tt27.completion(school_class.grade.number, year.result) if year.result else ""))
    return rows


def _key(school_class: SchoolClass, student: Student) -> str:
    return f"{school_class.year.name}/{school_class.name}/{student.code}"


def _check_open(school_class: SchoolClass) -> None:
    if records.year_end_of(school_class).state not in (DRAFT, RETURNED):
        raise StepRefused(MSG_FROZEN)


def save_award(school_class: SchoolClass, student: Student, code: str, remark: str, expected_version: int,
               user: User, now: datetime | None = None) -> PrimaryAward:
    """The homeroom teacher's award and remark for one pupil; StepRefused (Vietnamese) when refused, nothing
    changed. Tiêu biểu without a ground the rule found needs a remark saying why the class recognises it."""
    now = now or datetime.now()
    remark = " ".join((nfc(remark or "") or "").split())
    if code not in AWARDS:
        raise StepRefused("Danh hiệu khen thưởng không hợp lệ.")
    if len(remark) > REMARK_MAX:
        raise StepRefused(f"Ghi chú tối đa {REMARK_MAX} kí tự.")
    enrolment = enrolment_in(school_class.id, student.id)
    if enrolment is None:
        raise StepRefused(f"Học sinh không thuộc lớp {school_class.name}.")
    row = next((r for r in award_rows(school_class) if r.student.id == student.id), None)
    if code and (not row.year.result or AWARDS[code] not in tt27.awards_allowed(row.year.result)):
        raise StepRefused(f"{AWARDS[code]} chỉ dành cho học sinh "
                          f"{'hoàn thành xuất sắc' if code == 'xuat_sac' else 'hoàn thành tốt'}; "
                          f"kết quả của {student.full_name}: {row.year.shown or 'chưa có'}.")
    if code == "tieu_bieu" and not row.proposal.grounds and not remark:
        raise StepRefused("Ghi rõ thành tích nổi bật hoặc tiến bộ rõ rệt mà lớp ghi nhận cho học sinh Tiêu biểu.")
    with write_transaction():
        _check_open(school_class)
        current = PrimaryAward.get_or_none((PrimaryAward.school_class == school_class)
                                           & (PrimaryAward.student == student))
        version = current.version if current else 0
        if version != expected_version:
            raise StepRefused("Khen thưởng của học sinh này vừa được lưu ở nơi khác; hãy tải lại trang rồi sửa lại.")
        before = {"award": current.award, "remark": current.remark} if current else None
        if current is None:
            current = PrimaryAward.create(school_class=school_class, student=student, award=code, remark=remark,
                                          version=1, updated_by=user.id, updated_at=now)
        else:
            PrimaryAward.update(award=code, remark=remark, version=version + 1, updated_by=user.id,
                                updated_at=now).where(PrimaryAward.id == current.id).execute()
            current.award, current.remark, current.version = code, remark, version + 1
        record("award", "primary_award", _key(school_class, student), before=before,
               after={"award": code, "remark": remark})
    return current


def confirm_proposals(school_class: SchoolClass, user: User, now: datetime | None = None) -> int:
    """Confirm the rule's proposal for every pupil the homeroom teacher has not decided yet; how many."""
    now = now or datetime.now()
    count = 0
    with write_transaction():
        _check_open(school_class)
        for row in award_rows(school_class):
            if row.award is not None or row.has_left or not row.year.result:
                continue
            PrimaryAward.create(school_class=school_class, student=row.student, award=row.proposed_code,
                                remark="; ".join(row.proposal.grounds)[:REMARK_MAX], version=1, updated_by=user.id,
                                updated_at=now)
            record("award", "primary_award", _key(school_class, row.student), before=None,
                   after={"award": row.proposed_code, "remark": "; ".join(row.proposal.grounds)[:REMARK_MAX]},
                   reason="Xác nhận đề xuất khen thưởng")
            count += 1
    return count


# --- the walk ----------------------------------------------------------------------------------------

def _missing(rows: list[AwardRow]) -> list[str]:
    active = [r for r in rows if not r.has_left]
    missing = [f"{r.student.full_name}: {r.year.missing}" for r in active if not r.year.result]
    undecided = sum(1 for r in active if r.award is None)
    if undecided:
        missing.append(f"{undecided} học sinh chưa xác nhận khen thưởng")
    return missing


def submit(school_class: SchoolClass, user: User, now: datetime | None = None):
    """The homeroom teacher submits: refused while a result is incomplete or an award undecided."""
    missing = _missing(award_rows(school_class))
    if missing:
        shown = missing[:5] + ([f"và {len(missing) - 5} mục khác"] if len(missing) > 5 else [])
        raise StepRefused("Chưa nộp được: " + "; ".join(shown) + ".")
    with write_transaction():
        return move(school_class, (DRAFT, RETURNED), SUBMITTED, "submit", user, now=now)


def snapshot(row: AwardRow) -> dict:
    """What approval freezes of a pupil."""
    return {"result": row.year.result, "award": row.award or "", "remark": row.remark, "completion": row.completion}


def approve(school_class: SchoolClass, user: User, now: datetime | None = None):
    """The principal approves (or approves again after a change): each pupil's result, award and remark frozen."""
    now = now or datetime.now()
    again = records.year_end_of(school_class).state == APPROVED
    if again and not changed_pupils(school_class):
        raise StepRefused(f"Kết quả lớp {school_class.name} không thay đổi từ lần duyệt trước.")
    rows = award_rows(school_class)
    if _missing(rows):
        raise StepRefused("Kết quả của lớp chưa đủ; chưa duyệt được.")
    with write_transaction():
        moved = move(school_class, (APPROVED,) if again else (PASSED,), APPROVED,
                      "reapprove" if again else "approve", user, now=now)
        for row in rows:
            if row.has_left:
                continue
            data = json.dumps(snapshot(row), ensure_ascii=False, sort_keys=True)
            updated = (FrozenResult.update(data=data, approved_at=now)
                       .where((FrozenResult.school_class == school_class)
                              & (FrozenResult.student == row.student)).execute())
            if not updated:
                FrozenResult.create(school_class=school_class, student=row.student, data=data, approved_at=now)
        return moved


def changed_pupils(school_class: SchoolClass) -> list[AwardRow]:
    """The pupils whose live result differs from the frozen one (empty before approval)."""
    frozen = records.frozen_results(school_class)
    if not frozen:
        return []
    return [r for r in award_rows(school_class) if not r.has_left and snapshot(r) != frozen.get(r.student.id)]


def needs_reapproval(school_class: SchoolClass) -> bool:
    return records.year_end_of(school_class).state == APPROVED and bool(changed_pupils(school_class))


@dataclass
class Approval:
    """What the prints say of the class's year end."""

    state: str
    label: str
    approved_at: datetime | None
    frozen: dict[int, dict]


def approval_of(school_class: SchoolClass) -> Approval:
    state = records.year_end_of(school_class)
    label = "Cần duyệt lại" if state.state == APPROVED and needs_reapproval(school_class) \
        else records.STATE_LABELS[state.state]
    return Approval(state.state, label, state.approved_at, records.frozen_results(school_class))
