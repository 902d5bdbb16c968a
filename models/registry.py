"""Every model of the application, in creation order (migrations and tests use this list)."""
from models.attendance.register import (
    AttendanceChange,
    AttendanceDelegate,
    AttendanceLock,
    AttendanceMark,
    AttendanceMonthConfirm,
)
from models.audit.log import AuditEntry
from models.discipline.conduct import ConductItem, ConductRecord
from models.families.notices import FamilyNotice
from models.families.settings import FamilyPreference, FamilySettings, NoticeTemplate
from models.finance.disclosure import DisclosureLine
from models.finance.fees import Charge, Exemption, FeeItem
from models.finance.payments import Payment, PaymentLine, ReceiptCounter
from models.gradebook.corrections import CorrectionRequest, CorrectionStep
from models.gradebook.locks import EntryWindow, LockOverride
from models.gradebook.marks import MarkCell, MarkChange
from models.gradebook.monitoring import ClassBookComment
from models.health.checks import HealthCheck
from models.health.clinic import ClinicVisit, MedicineBatch, MedicineItem, StockMove
from models.health.daily import DailyHealth
from models.health.records import HealthRecord
from models.homeroom_book.book import HomeroomBookSection, HomeroomNote
from models.people.accounts import LoginFailure, User, UserRole
from models.people.records import Staff, StaffStatus, Student, StudentStatus
from models.primary.assessments import MonthlyComment, PrimaryCell, PrimaryTrait
from models.printing.attendance_sheet import AttendanceSheetStep
from models.printing.jobs import PrintJob
from models.printing.registers import RegistrationNumber
from models.printing.verification import PrintedPage
from models.school.calendar import Holiday, MakeUpDay, SchoolCalendar
from models.school.structure import (
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
from models.school.subject_groups import (
    ClassGroup,
    StudentElective,
    SubjectGroup,
    SubjectGroupItem,
    TopicTxSetting,
)
from models.teaching.class_log_book import ClassLogEntry, ClassLogRequest, ClassLogWeek
from models.teaching.lesson_plans import LessonPlan, LessonPlanVersion
from models.teaching.minutes import DepartmentMeeting, MeetingAttendance
from models.teaching.plans import DepartmentPlan, TeacherYearPlan
from models.teaching.ppct import PpctLesson
from models.teaching.schedule import ScheduleLesson, TeachingWeek
from models.teaching.timetable import TimetableSlot, TimetableVersion
from models.yearend.primary_year import PrimaryAward
from models.yearend.records import (
    ClassYearEnd,
    ConductRating,
    FinalDecision,
    FrozenResult,
    RetestValue,
    StudentComment,
    SummerConduct,
    YearEndStep,
)

ALL_MODELS = [
    School, SchoolYear, Semester, Grade, Department, Subject, GradeSubject,
    Student, StudentStatus, Staff, StaffStatus, DepartmentMember, SchoolClass, Enrolment,
    TeachingAssignment, User, UserRole, LoginFailure, AuditEntry,
    EntryWindow, LockOverride, MarkCell, MarkChange,
    SchoolCalendar, Holiday, MakeUpDay,
    AttendanceMark, AttendanceChange, AttendanceLock, AttendanceMonthConfirm, AttendanceDelegate,
    AttendanceSheetStep, PrintJob, CorrectionRequest, CorrectionStep, ClassBookComment, PrintedPage,
    RegistrationNumber,
    ConductRating, StudentComment, ClassYearEnd, YearEndStep, FrozenResult, RetestValue, SummerConduct,
    FinalDecision,
    SubjectGroup, SubjectGroupItem, ClassGroup, StudentElective, TopicTxSetting,
    PrimaryCell, PrimaryTrait, MonthlyComment,
    HealthRecord, HealthCheck, MedicineItem, MedicineBatch, ClinicVisit, StockMove, DailyHealth,
    FeeItem, Exemption, Charge, ReceiptCounter, Payment, PaymentLine, DisclosureLine,
    PrimaryAward,
    ConductItem, ConductRecord, HomeroomBookSection, HomeroomNote,
    FamilySettings, NoticeTemplate, FamilyPreference, FamilyNotice,
    TimetableVersion, TimetableSlot, PpctLesson, TeachingWeek, ScheduleLesson, ClassLogEntry, ClassLogWeek,
    ClassLogRequest,
    LessonPlan, LessonPlanVersion, TeacherYearPlan, DepartmentPlan, DepartmentMeeting, MeetingAttendance,
]
