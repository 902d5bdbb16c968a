"""Corrections as the paper book writes them: the old value struck through, the new value in red beside
it, and who approved it (name, date) with room to sign (docs/rules.md §16 and §21, usage rule 4).

Read from the applied correction requests (models.gradebook.corrections); a cell flagged corrected without a
request (data from before the workflow) prints its red value only.
"""
from dataclasses import dataclass

from models.gradebook.corrections import CorrectionRequest, describe
from models.people.accounts import User


@dataclass(frozen=True)
class PrintedCorrection:
    student_id: int
    kind: str
    idx: int
    column: str  # "ĐĐGtx 2"
    old: str  # as printed: "6,0", "Đ", "(trống)"
    new: str
    approver: str  # who approved it (PHT or principal)
    approved_on: str  # dd/mm/yyyy

    def as_data(self) -> dict:
        """What the verification code hashes for this correction."""
        return {"Cột": self.column, "Cũ": self.old, "Mới": self.new, "Người duyệt": self.approver,
                "Ngày duyệt": self.approved_on}


def mark_corrections(school_class_id: int, subject_id: int, semester_id: int) -> dict[tuple, PrintedCorrection]:
    """(student_id, kind, idx) → the last applied correction of that mark on one page of the book."""
    from models.gradebook.marks import Column

    rows = (CorrectionRequest.select(CorrectionRequest, User).join(User, on=(CorrectionRequest.decided_by == User.id))
            .where((CorrectionRequest.target == "mark") & (CorrectionRequest.state == "da_ap_dung")
                   & (CorrectionRequest.school_class == school_class_id)
                   & (CorrectionRequest.subject == subject_id) & (CorrectionRequest.semester == semester_id))
            .order_by(CorrectionRequest.applied_at, CorrectionRequest.id))
    found = {}
    for req in rows:
        subject = req.subject
        found[(req.student_id, req.kind, req.idx)] = PrintedCorrection(
            req.student_id, req.kind, req.idx, Column(req.kind, req.idx).label,
            describe("mark", req.old_value, subject), describe("mark", req.new_value, subject),
            req.decided_by.full_name, req.decided_at.strftime("%d/%m/%Y") if req.decided_at else "")
    return found
