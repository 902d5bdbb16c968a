"""Every model of the application, in creation order (migrations and tests use this list)."""
from models.accounts import LoginFailure, User, UserRole
from models.attendance import (
    AttendanceChange,
    AttendanceDelegate,
    AttendanceLock,
    AttendanceMark,
    AttendanceMonthConfirm,
)
from models.attendance_sheets import AttendanceSheetStep
from models.audit import AuditEntry
from models.calendar import Holiday, MakeUpDay, SchoolCalendar
from models.corrections import CorrectionRequest, CorrectionStep
from models.locks import EntryWindow, LockOverride
from models.marks import MarkCell, MarkChange
from models.monitoring import ClassBookComment
from models.people import Staff, StaffStatus, Student, StudentStatus
from models.print_jobs import PrintJob
from models.registers import RegistrationNumber
from models.school import (
    Department,
    DepartmentMember,
    Enrolment,
    Grade,
    GradeSubject,
    School,
    SchoolClass,
    SchoolYear,
    Semester,
    Subject,
    TeachingAssignment,
)
from models.verification import PrintedPage

ALL_MODELS = [
    School, SchoolYear, Semester, Grade, Department, Subject, GradeSubject,
    Student, StudentStatus, Staff, StaffStatus, DepartmentMember, SchoolClass, Enrolment,
    TeachingAssignment, User, UserRole, LoginFailure, AuditEntry,
    EntryWindow, LockOverride, MarkCell, MarkChange,
    SchoolCalendar, Holiday, MakeUpDay,
    AttendanceMark, AttendanceChange, AttendanceLock, AttendanceMonthConfirm, AttendanceDelegate,
    AttendanceSheetStep, PrintJob, CorrectionRequest, CorrectionStep, ClassBookComment, PrintedPage,
    RegistrationNumber,
]
