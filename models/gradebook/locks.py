"""Grade-book locks: entry windows per semester and column kind, and the principal's switch.

`cell_lock` is the one lock check: the grid, the save endpoint and the corrections all call it.
"""
import itertools
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peewee import JOIN, BooleanField, CharField, DateTimeField, ForeignKeyField, TextField

from models.core import BaseModel, DeletionRefused, KeptModel, db
from models.core.prepared import Prepared
from models.people.accounts import User
from models.rules import locks as rules
from models.rules.locks import KINDS, SCOPES, LockState
from models.school.structure import Grade, SchoolClass, SchoolYear, Semester, Subject

KIND_LABELS = {"tx": "ĐĐGtx (thường xuyên)", "gk": "ĐĐGgk (giữa kì)", "ck": "ĐĐGck (cuối kì)"}
KIND_SHORT = {"tx": "ĐĐGtx", "gk": "ĐĐGgk", "ck": "ĐĐGck"}
SCOPE_LABELS = {"school": "Toàn trường", "grade": "Một khối", "class": "Một lớp",
                "class_subject": "Một môn của một lớp"}



class EntryWindow(BaseModel):
    """A period when one column kind of a semester is open for entry: [opens_at, closes_at)."""

    year = ForeignKeyField(SchoolYear, backref="entry_windows")
    semester = ForeignKeyField(Semester, backref="entry_windows")
    kind = CharField(max_length=2)  # KINDS
    opens_at = DateTimeField()
    closes_at = DateTimeField()  # exclusive: "24:00 Sunday" is stored as Monday 00:00
    created_by = ForeignKeyField(User, null=True, backref="+")
    created_at = DateTimeField(default=datetime.now)

    class Meta:
        table_name = "entry_window"
        indexes = ((("semester", "kind"), False),)

    def save(self, *args, **kwargs):
        lock_rows_changed()
        return super().save(*args, **kwargs)

    def delete_instance(self, *args, **kwargs):
        lock_rows_changed()
        return super().delete_instance(*args, **kwargs)

    def as_rule(self) -> rules.Window:
        return rules.Window(self.kind, self.opens_at, self.closes_at)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


class LockOverride(KeptModel):
    """One switch of the principal (khoá / mở / trả về theo lịch); a newer row supersedes, none is edited."""

    semester = ForeignKeyField(Semester, backref="lock_overrides")
    scope = CharField(max_length=16)  # SCOPES
    target = CharField(max_length=40, default="")
    locked = BooleanField(null=True)  # None: back to the schedule
    reason = TextField()
    created_by = ForeignKeyField(User, null=True, backref="+")
    created_at = DateTimeField(default=datetime.now, index=True)

    class Meta:
        table_name = "lock_override"
        indexes = ((("semester", "target"), False),)

    def save(self, *args, **kwargs):
        if self.id is not None and not kwargs.get("force_insert"):
            raise DeletionRefused("lock overrides are never changed; add a new one")
        lock_rows_changed()
        return super().save(*args, **kwargs)

    def as_rule(self) -> rules.Override:
        return rules.Override(self.scope, self.target, self.locked, self.created_at, self.reason)

    @property
    def action_label(self) -> str:
        return {True: "Khoá", False: "Mở"}.get(self.locked, "Trả về theo lịch")


# --- the rows behind the lock check, kept in the process --------------------------------------------
# Every save checks the lock. The windows and switches of a semester are kept here (the rows, never
# the verdict: the verdict is computed from the clock at each check, so a window still closes at its
# exact second). A write of either drops them at once and again after its commit; the short expiry
# is a safety net for writes from another process (the CLI, a second server).

CACHE_SECONDS = 5.0
clock = time.monotonic  # tests inject their own
_generations = itertools.count(1)
_generation = 0


def lock_rows_changed() -> None:
    """Forget the kept windows and switches: now, and again when the writing transaction commits."""
    global _generation
    _generation = next(_generations)
    try:
        db.after_commit(_bump_after_commit)
    except (ValueError, AttributeError):  # a manual transaction, or no after_commit: the bump above stays
        pass


def _bump_after_commit() -> None:
    global _generation
    _generation = next(_generations)


@dataclass
class _SemesterRows:
    generation: int
    loaded_at: float
    windows: dict[str, list[rules.Window]]
    overrides: list[tuple[str, rules.Override]]  # (target, switch) by time of the switch


_WINDOWS = Prepared(lambda semester: EntryWindow.select(EntryWindow.kind, EntryWindow.opens_at, EntryWindow.closes_at)
                    .where(EntryWindow.semester == semester).tuples(), 1)
_OVERRIDES = Prepared(lambda semester: LockOverride.select(LockOverride.scope, LockOverride.target, LockOverride.locked,
                                                           LockOverride.created_at, LockOverride.reason)
                      .where(LockOverride.semester == semester)
                      .order_by(LockOverride.created_at, LockOverride.id).tuples(), 1)


def _load_rows(semester_id: int, generation: int) -> _SemesterRows:
    windows: dict[str, list[rules.Window]] = {}
    for kind, opens_at, closes_at in _WINDOWS.all(semester_id):
        windows.setdefault(kind, []).append(rules.Window(kind, opens_at, closes_at))
    overrides = [(target, rules.Override(scope, target, locked, created_at, reason))
                 for scope, target, locked, created_at, reason in _OVERRIDES.all(semester_id)]
    return _SemesterRows(generation, clock(), windows, overrides)


def _semester_rows(semester) -> _SemesterRows:
    """The semester's windows and switches, from the process's copy when it is still good."""
    semester_id = semester if isinstance(semester, int) else semester.id
    generation = _generation  # read before loading: a write during the load makes the copy stale
    if db.in_transaction():  # may see rows that are later rolled back: never kept
        return _load_rows(semester_id, generation)
    store = db.obj.__dict__.setdefault("_sotruong_lock_rows", {})  # one per database
    rows = store.get(semester_id)
    if rows is None or rows.generation != generation or clock() - rows.loaded_at >= CACHE_SECONDS:
        rows = _load_rows(semester_id, generation)
        store[semester_id] = rows
    return rows


# --- the one lock check ----------------------------------------------------------------------------

def _grade_number(school_class: SchoolClass) -> int:
    return school_class.grade.number


def _overrides_for(semester, targets: list[str]) -> list[rules.Override]:
    wanted = set(targets)
    return [o for target, o in _semester_rows(semester).overrides if target in wanted]


def _windows_for(semester, kinds=KINDS) -> list[rules.Window]:
    windows = _semester_rows(semester).windows
    return [w for kind in kinds for w in windows.get(kind, ())]


def column_locks(school_class: SchoolClass, subject: Subject, semester: Semester,
                 now: datetime | None = None) -> dict[str, LockState]:
    """The lock state of each column kind of one class × subject × semester (two queries)."""
    now = now or datetime.now()
    grade = _grade_number(school_class)
    windows = _windows_for(semester)
    overrides = _overrides_for(semester, ["", str(grade), str(school_class.id),
                                          f"{school_class.id}:{subject.id}"])
    return {kind: rules.lock_state(windows, overrides, kind, grade, school_class.id, subject.id, now,
                                   class_name=school_class.name, subject_name=subject.name)
            for kind in KINDS}


def cell_lock(school_class: SchoolClass, subject: Subject, semester: Semester, kind: str,
              now: datetime | None = None) -> LockState:
    """Whether a cell of this column kind may be written now, and why not."""
    if kind not in KINDS:
        raise ValueError(f"Loại cột không hợp lệ: {kind}.")
    now = now or datetime.now()
    grade = _grade_number(school_class)
    windows = _windows_for(semester, (kind,))
    overrides = _overrides_for(semester, ["", str(grade), str(school_class.id),
                                          f"{school_class.id}:{subject.id}"])
    return rules.lock_state(windows, overrides, kind, grade, school_class.id, subject.id, now,
                            class_name=school_class.name, subject_name=subject.name)


# --- windows -----------------------------------------------------------------------------------------

def year_span(year: SchoolYear) -> tuple[date, date]:
    """The days a window may cover: the first semester's first day through 31/08 (re-tests in summer)."""
    starts = [s.starts_on for s in year.semesters]
    first = min(starts) if starts else date(year.start_year, 8, 1)
    return first, date(year.start_year + 1, 8, 31)


def windows_of(semester: Semester) -> list[EntryWindow]:
    """The semester's windows, by kind then opening time."""
    order = {k: i for i, k in enumerate(KINDS)}
    rows = list(EntryWindow.select().where(EntryWindow.semester == semester))
    rows.sort(key=lambda w: (order.get(w.kind, 9), w.opens_at, w.id))
    return rows


def check_window(semester: Semester, kind: str, opens_at: datetime, closes_at: datetime) -> None:
    """Refuse a window that cannot be: unknown kind, reversed, or outside the school year."""
    from models.rules.dates import format_date

    if kind not in KINDS:
        raise ValueError("Vui lòng chọn cột điểm (ĐĐGtx, ĐĐGgk hoặc ĐĐGck).")
    if opens_at >= closes_at:
        raise ValueError("Thời điểm mở phải trước thời điểm đóng.")
    first, last = year_span(semester.year)
    if opens_at < datetime.combine(first, datetime.min.time()) or closes_at > rules.end_of_day(last):
        raise ValueError(f"Thời gian nhập điểm phải nằm trong năm học {semester.year.name} "
                         f"({format_date(first)} – {format_date(last)}).")


def _window_values(w: EntryWindow) -> dict:
    return {"semester": w.semester.label, "kind": w.kind, "opens_at": w.opens_at, "closes_at": w.closes_at}


def set_window(semester: Semester, kind: str, opens_at: datetime, closes_at: datetime,
               user_id: int | None = None, window_id: int | None = None) -> EntryWindow:
    """Create a window, or change the one `window_id` names; call inside write_transaction()."""
    from models.audit.log import record

    check_window(semester, kind, opens_at, closes_at)
    if window_id is None:
        window = EntryWindow.create(year=semester.year_id, semester=semester, kind=kind, opens_at=opens_at,
                                    closes_at=closes_at, created_by=user_id)
        record("create", "entry_window", window.id, after=_window_values(window))
        return window
    window = EntryWindow.get_or_none((EntryWindow.id == window_id) & (EntryWindow.semester == semester))
    if window is None:
        raise ValueError("Không tìm thấy đợt nhập điểm này.")
    before = _window_values(window)
    window.kind, window.opens_at, window.closes_at = kind, opens_at, closes_at
    after = _window_values(window)
    changed = {k for k in after if after[k] != before[k]}
    if changed:
        window.save()
        record("update", "entry_window", window.id, before={k: before[k] for k in changed},
               after={k: after[k] for k in changed})
    return window


def default_windows(semester: Semester) -> list[tuple[str, datetime, datetime]]:
    """The school's schedule of windows for a semester (rules.schedule_windows): (kind, opens_at, closes_at)."""
    if semester.final_tests_on is None:
        raise ValueError(f"{semester.label} chưa có ngày kiểm tra cuối kì: hãy nhập ngày này ở trang "
                         "“Năm học, học kì” trước.")
    return rules.schedule_windows(semester.starts_on, semester.final_tests_on)


def fill_default_windows(semester: Semester, user_id: int | None = None) -> int:
    """Add the schedule's windows the semester does not have yet; returns how many were added."""
    existing = {(w.kind, w.opens_at, w.closes_at) for w in windows_of(semester)}
    added = 0
    for kind, opens_at, closes_at in default_windows(semester):
        if (kind, opens_at, closes_at) not in existing:
            set_window(semester, kind, opens_at, closes_at, user_id=user_id)
            added += 1
    return added


# --- the switch ---------------------------------------------------------------------------------------

def target_label(scope: str, target: str) -> str:
    """"Toàn trường", "Khối 6", "Lớp 6A1", "Toán – lớp 6A1"."""
    if scope == "school":
        return "Toàn trường"
    if scope == "grade":
        return f"Khối {target}"
    class_id, _, subject_id = target.partition(":")
    school_class = SchoolClass.get_or_none(SchoolClass.id == int(class_id)) if class_id.isdigit() else None
    class_name = school_class.name if school_class else class_id
    if scope == "class":
        return f"Lớp {class_name}"
    subject = Subject.get_or_none(Subject.id == int(subject_id)) if subject_id.isdigit() else None
    return f"{subject.name if subject else subject_id} – lớp {class_name}"


def check_target(semester: Semester, scope: str, target: str) -> None:
    """Refuse a target that is not a grade, class or class × subject of the semester's year."""
    if scope not in SCOPES:
        raise ValueError("Vui lòng chọn phạm vi khoá.")
    if scope == "school":
        if target:
            raise ValueError("Phạm vi toàn trường không có đối tượng.")
        return
    if scope == "grade":
        if not (target.isdigit() and Grade.select().where(Grade.number == int(target)).exists()):
            raise ValueError("Vui lòng chọn khối.")
        return
    class_id, _, subject_id = target.partition(":")
    school_class = (SchoolClass.get_or_none((SchoolClass.id == int(class_id))
                                            & (SchoolClass.year == semester.year_id))
                    if class_id.isdigit() else None)
    if school_class is None:
        raise ValueError("Vui lòng chọn lớp của năm học này.")
    if scope == "class":
        if subject_id:
            raise ValueError("Phạm vi một lớp không kèm môn học.")
        return
    if not (subject_id.isdigit() and Subject.select().where(Subject.id == int(subject_id)).exists()):
        raise ValueError("Vui lòng chọn môn học.")


def switch_lock(scope: str, target: str, locked: bool | None, reason: str, user_id: int | None, *,
                semester: Semester, now: datetime | None = None) -> LockOverride:
    """Lock (True), unlock (False) or hand back to the schedule (None) at once; call inside write_transaction().

    The reason is required; every switch is one new row and one audit entry.
    """
    from models.audit.log import record
    from models.rules.text import nfc

    reason = nfc(reason or "").strip()
    if not reason:
        raise ValueError("Vui lòng nhập lý do khoá/mở sổ điểm.")
    target = (target or "").strip()
    check_target(semester, scope, target)
    row = LockOverride.create(semester=semester, scope=scope, target=target, locked=locked, reason=reason,
                              created_by=user_id, created_at=now or datetime.now())
    action = {True: "lock", False: "unlock"}.get(locked, "lock_schedule")
    record(action, "lock", row.id, after={"semester": f"{semester.label} {semester.year.name}",
                                          "scope": scope, "target": target_label(scope, target),
                                          "locked": locked},
           reason=reason)
    return row


def override_history(semester: Semester, limit: int = 200) -> list[LockOverride]:
    """The semester's switches, newest first, with who made them."""
    return list(LockOverride.select(LockOverride, User).join(User, on=(LockOverride.created_by == User.id),
                                                             join_type=JOIN.LEFT_OUTER)
                .where(LockOverride.semester == semester)
                .order_by(LockOverride.created_at.desc(), LockOverride.id.desc()).limit(limit))


def standing_overrides(semester: Semester, now: datetime | None = None) -> list[LockOverride]:
    """The switches now in force: the latest of each target, unless it handed back to the schedule."""
    now = now or datetime.now()
    latest: dict[tuple[str, str], LockOverride] = {}
    for row in (LockOverride.select().where((LockOverride.semester == semester)
                                            & (LockOverride.created_at <= now))
                .order_by(LockOverride.created_at, LockOverride.id)):
        latest[(row.scope, row.target)] = row
    order = {s: i for i, s in enumerate(SCOPES)}
    return sorted((o for o in latest.values() if o.locked is not None),
                  key=lambda o: (order[o.scope], o.target))


def schedule_state(semester: Semester, now: datetime | None = None) -> dict[str, LockState]:
    """Each column kind as the schedule alone sets it (before any switch)."""
    now = now or datetime.now()
    windows = [w.as_rule() for w in EntryWindow.select().where(EntryWindow.semester == semester)]
    return {kind: rules.lock_state(windows, [], kind, "", "", "", now) for kind in KINDS}


# --- what the admin page shows ------------------------------------------------------------------------

def moment_label(moment: datetime, closing: bool = False) -> str:
    """dd/mm/yyyy HH:MM; a closing at midnight reads as 24:00 of the day before, as the school says it."""
    if closing and moment.time() == datetime.min.time():
        day = moment - timedelta(days=1)
        return f"{day.day:02d}/{day.month:02d}/{day.year:04d} 24:00"
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year:04d} {moment.hour:02d}:{moment.minute:02d}"


@dataclass
class WindowRow:
    window: EntryWindow
    opens: str
    closes: str
    status: str  # "open", "past", "future"

    @property
    def status_label(self) -> str:
        return {"open": "Đang mở", "past": "Đã đóng", "future": "Chưa mở"}[self.status]


def window_rows(semester: Semester, now: datetime | None = None) -> list[WindowRow]:
    """The semester's windows as the page lists them, with whether each is open now."""
    now = now or datetime.now()
    rows = []
    for w in windows_of(semester):
        status = "future" if now < w.opens_at else "past" if now >= w.closes_at else "open"
        rows.append(WindowRow(w, moment_label(w.opens_at), moment_label(w.closes_at, closing=True), status))
    return rows
