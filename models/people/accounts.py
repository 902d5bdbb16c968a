"""Staff accounts, roles, password policy and login throttling."""
import secrets
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from flask_login import UserMixin
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField
from werkzeug.security import check_password_hash, generate_password_hash

from models.audit.log import Actor, record
from models.core import BaseModel, write_transaction
from models.people.records import Staff
from models.rules import passwords
from models.rules.vocabulary import ROLES  # noqa: F401  (accounts name it for the others)

# werkzeug's default, scrypt with n=2**15, r=8, p=1; the test config sets PASSWORD_HASH_METHOD to a
# cheap scrypt so that a thousand tests do not each pay ~0.1 s per hash
PASSWORD_HASH_METHOD = "scrypt"


def _hash_method() -> str:
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD", PASSWORD_HASH_METHOD)
    return PASSWORD_HASH_METHOD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_hash_method())


class User(UserMixin, BaseModel):
    username = CharField(unique=True)
    full_name = CharField()
    password_hash = CharField()
    staff = ForeignKeyField(Staff, null=True, unique=True, backref="accounts")
    is_enabled = BooleanField(default=True)
    must_change_password = BooleanField(default=True)
    password_changed_at = DateTimeField(null=True)
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_login_at = DateTimeField(null=True)
    created_at = DateTimeField(default=datetime.now)
    # every session cookie carries the epoch it was signed in under; raising it ends them all
    session_epoch = IntegerField(default=0)

    class Meta:
        table_name = "account"  # "user" is reserved on postgresql

    # flask-login: a disabled account cannot log in and its sessions end
    @property
    def is_active(self) -> bool:
        return self.is_enabled

    def set_password(self, password: str, *, temporary: bool) -> None:
        self.password_hash = hash_password(password)
        self.password_changed_at = datetime.now()
        self.must_change_password = temporary

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def roles(self) -> set[str]:
        if not hasattr(self, "_roles"):
            self._roles = {r.role for r in UserRole.select(UserRole.role).where(UserRole.user == self)}
        return self._roles

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def password_expired(self, now: datetime | None = None) -> bool:
        return passwords.password_expired(self.password_changed_at, now or datetime.now())

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or datetime.now())

    def session_is_current(self, epoch: int | None) -> bool:
        """Whether a session signed in under `epoch` is still valid (a cookie from before epochs counts as 0)."""
        return (epoch or 0) == self.session_epoch


class UserRole(BaseModel):
    user = ForeignKeyField(User, backref="role_rows")
    role = CharField()

    class Meta:
        table_name = "account_role"
        indexes = ((("user", "role"), True),)


def _user_with_roles_query(user_id):
    return (User.select(User, UserRole.role.alias("role_name"))
            .join(UserRole, JOIN.LEFT_OUTER, on=(UserRole.user == User.id))
            .where(User.id == user_id).objects())


_USER_WITH_ROLES = None


def end_sessions(user: User) -> int:
    """End every session of the account (sign-out, password change, reset, disable); the new epoch.

    The check runs on the cached user row (models/reference_cache.py): this process's write empties
    the cache at once; another process's sessions see it within the cache's TTL (5 s).
    """
    User.update(session_epoch=User.session_epoch + 1).where(User.id == user.id).execute()
    user.session_epoch = User.select(User.session_epoch).where(User.id == user.id).scalar()
    return user.session_epoch


def load_user_with_roles(user_id: int) -> "User | None":
    """The signed-in user and their roles in one query (flask-login's user loader, every request)."""
    global _USER_WITH_ROLES
    if _USER_WITH_ROLES is None:
        from models.core.prepared import Prepared

        _USER_WITH_ROLES = Prepared(_user_with_roles_query, 1, cached=True)
    rows = _USER_WITH_ROLES.all(user_id)
    if not rows:
        return None
    user = rows[0]
    user._roles = {row.role_name for row in rows if row.role_name is not None}
    return user


class LoginFailure(BaseModel):
    """Failed sign-ins by address, for per-address throttling (per-account counts live on User)."""

    address = CharField(index=True)
    username = CharField(default="")
    at = DateTimeField(default=datetime.now, index=True)

    @classmethod
    def address_locked_until(cls, address: str, now: datetime) -> datetime | None:
        window = now - timedelta(minutes=passwords.LOCKOUT_MINUTES)
        times = [f.at for f in (cls.select(cls.at)
                                .where((cls.address == address) & (cls.at > window))
                                .order_by(cls.at))]
        return passwords.is_locked_out(times, now, passwords.ADDRESS_LOCKOUT_THRESHOLD)


class LoginRefused(Exception):
    """A sign-in that did not succeed; the message is shown to the person."""


GENERIC_FAILURE = "Tên đăng nhập hoặc mật khẩu không đúng."

_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash made as an account's is (same method and cost), checked when the name is unknown."""
    method = _hash_method()
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = hash_password(secrets.token_hex(16))
    return _DUMMY_HASHES[method]


def authenticate(username: str, password: str, address: str, now: datetime | None = None) -> User:
    """Check a sign-in, counting failures per account and per address; raises LoginRefused."""
    now = now or datetime.now()
    username = (username or "").strip().lower()
    until = LoginFailure.address_locked_until(address, now)
    if until:
        raise LoginRefused(f"Máy này đã nhập sai quá nhiều lần. Vui lòng thử lại sau {until:%H:%M}.")
    user = User.get_or_none(User.username == username)
    if user is None:
        # as long as a real account's check: the time of a refusal must not tell which names exist
        check_password_hash(_dummy_hash(), password)
    if user is not None and user.is_locked(now):
        raise LoginRefused(f"Tài khoản tạm khoá vì nhập sai mật khẩu {passwords.LOCKOUT_THRESHOLD} lần. "
                           f"Vui lòng thử lại sau {user.locked_until:%H:%M}.")
    if user is not None and user.check_password(password):
        if not user.is_enabled:
            raise LoginRefused("Tài khoản này đã bị vô hiệu hoá. Vui lòng liên hệ quản trị.")
        with write_transaction():
            (User.update(failed_logins=0, locked_until=None, last_login_at=now)
             .where(User.id == user.id).execute())
        return user
    with write_transaction():
        LoginFailure.create(address=address, username=username[:64], at=now)
        if user is not None:
            failures = user.failed_logins + 1
            locked = now + timedelta(minutes=passwords.LOCKOUT_MINUTES) if failures >= passwords.LOCKOUT_THRESHOLD else None
            User.update(failed_logins=0 if locked else failures, locked_until=locked).where(User.id == user.id).execute()
            if locked:
                record("lock", "account", user.id, after={"locked_until": locked}, reason="nhập sai mật khẩu nhiều lần",
                       actor=Actor(None, username, address))
    raise LoginRefused(GENERIC_FAILURE)


def change_password(user: User, current: str, new: str) -> None:
    """A person's own password change; raises ValueError with a Vietnamese message."""
    if not user.check_password(current):
        raise ValueError("Mật khẩu hiện tại không đúng.")
    passwords.check_new_password(new, user.username, current)
    with write_transaction():
        user.set_password(new, temporary=False)
        user.save()
        end_sessions(user)  # the caller carries its own session on to the new epoch
        record("change_password", "account", user.id)


def create_account(username: str, full_name: str, password: str, roles: set[str],
                   staff: Staff | None = None) -> User:
    username = (username or "").strip().lower()
    if not username or not username.replace(".", "").replace("_", "").isalnum() or not username.isascii():
        raise ValueError("Tên đăng nhập chỉ gồm chữ không dấu, chữ số, dấu chấm hoặc gạch dưới.")
    if User.select().where(User.username == username).exists():
        raise ValueError(f"Tên đăng nhập “{username}” đã có người dùng.")
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError("Vai trò không hợp lệ.")
    passwords.check_new_password(password, username)
    with write_transaction():
        user = User(username=username, full_name=full_name, staff=staff)
        user.set_password(password, temporary=True)
        user.save()
        for role in sorted(roles):
            UserRole.create(user=user, role=role)
        record("create", "account", user.id, after={"username": username, "roles": sorted(roles),
                                                    "staff": staff.code if staff else None})
    return user


def set_roles(user: User, roles: set[str], reason: str = "") -> None:
    if set(roles) - set(ROLES):
        raise ValueError("Vai trò không hợp lệ.")
    before = sorted(user.roles)
    with write_transaction():
        UserRole.delete().where(UserRole.user == user).execute()
        for role in sorted(roles):
            UserRole.create(user=user, role=role)
        record("roles", "account", user.id, before={"roles": before}, after={"roles": sorted(roles)}, reason=reason)
    user.__dict__.pop("_roles", None)


def reset_password(user: User, temporary_password: str) -> None:
    passwords.check_new_password(temporary_password, user.username)
    with write_transaction():
        user.set_password(temporary_password, temporary=True)
        user.failed_logins = 0
        user.locked_until = None
        user.save()
        end_sessions(user)
        record("reset_password", "account", user.id)


def set_enabled(user: User, enabled: bool, reason: str = "") -> None:
    with write_transaction():
        before = user.is_enabled
        user.is_enabled = enabled
        user.save()
        if not enabled:
            end_sessions(user)
        record("enable" if enabled else "disable", "account", user.id,
               before={"enabled": before}, after={"enabled": enabled}, reason=reason)


# --- admin: account pages ----------------------------------------------------------------------------

import re  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from peewee import JOIN  # noqa: E402

from models.rules.text import fold, vietnamese_sort_key  # noqa: E402

# no 0/o, 1/l/i: the admin reads the password aloud or writes it on paper
_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
USERNAME_MAX = 40


def temporary_password() -> str:
    """A readable one-time password: three groups of four letters or digits, e.g. 'k7mq-x2pa-9hdt'."""
    return "-".join("".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(3))


def suggest_username(full_name: str) -> str:
    """The full name folded to ASCII without spaces ('Nguyễn Văn An' → 'nguyenvanan'), made unique."""
    base = re.sub(r"[^a-z0-9]", "", fold(full_name or ""))[:USERNAME_MAX - 3] or "taikhoan"
    taken = {u.username for u in User.select(User.username).where(User.username.startswith(base))}
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def ordered_roles(roles) -> list[str]:
    """Roles in the order of ROLES (admin first), for badges and check boxes."""
    return [r for r in ROLES if r in set(roles)]


@dataclass
class AccountRow:
    """One line of the admin's account list."""

    user: User
    roles: list[str]
    staff: Staff | None
    homeroom: list[str] = field(default_factory=list)


def account_rows(role: str = "", query: str = "", homeroom: dict[int, list[str]] | None = None) -> list[AccountRow]:
    """Every account in Vietnamese name order, filtered by role and by accent-insensitive name or username;
    `homeroom` gives the class names of each homeroom teacher (school.homeroom_names_by_staff)."""
    users = list(User.select(User, Staff).join(Staff, on=(User.staff == Staff.id), join_type=JOIN.LEFT_OUTER))
    roles: dict[int, list[str]] = {}
    for r in UserRole.select(UserRole.user, UserRole.role):
        roles.setdefault(r.user_id, []).append(r.role)
    key = fold(query or "")
    if key:
        users = [u for u in users if all(w in fold(u.full_name) or w in u.username for w in key.split(" "))]
    if role:
        users = [u for u in users if role in roles.get(u.id, [])]
    users.sort(key=lambda u: (vietnamese_sort_key(u.full_name), u.id))
    homeroom = homeroom or {}
    return [AccountRow(u, ordered_roles(roles.get(u.id, [])), u.staff if u.staff_id else None,
                       homeroom.get(u.staff_id, []) if u.staff_id else [])
            for u in users]


def staff_without_account(query: str = "") -> list[Staff]:
    """Staff still working here who have no account yet, in Vietnamese order."""
    from models.people.records import STAFF_LEFT, search_staff

    has_account = {u.staff_id for u in User.select(User.staff).where(User.staff.is_null(False))}
    people = [s for s in search_staff(query, limit=10_000)
              if s.id not in has_account and s.status not in STAFF_LEFT]
    return sorted(people, key=lambda s: (vietnamese_sort_key(s.full_name), s.id))


def create_staff_account(staff: Staff, username: str, roles: set[str]) -> tuple[User, str]:
    """Open an account for a staff member with a temporary password; returns it to be shown once."""
    if staff.has_left:
        raise ValueError(f"{staff.full_name} đã {staff.status_label.lower()}: không tạo tài khoản mới.")
    if User.select().where(User.staff == staff).exists():
        raise ValueError(f"{staff.full_name} đã có tài khoản.")
    if not roles:
        raise ValueError("Vui lòng chọn ít nhất một vai trò.")
    if len((username or "").strip()) > USERNAME_MAX:
        raise ValueError(f"Tên đăng nhập tối đa {USERNAME_MAX} ký tự.")
    password = temporary_password()
    user = create_account(username, staff.full_name, password, set(roles), staff=staff)
    return user, password


def admin_set_roles(user: User, roles: set[str], reason: str, acting_user_id: int) -> bool:
    """Change an account's roles from the admin page; False when nothing changed."""
    roles = set(roles)
    if not roles:
        raise ValueError("Tài khoản cần ít nhất một vai trò; muốn ngừng sử dụng thì hãy vô hiệu hoá tài khoản.")
    if user.id == acting_user_id and "admin" in user.roles and "admin" not in roles:
        raise ValueError("Bạn không thể tự bỏ vai trò quản trị của chính mình.")
    if roles == user.roles:
        return False
    set_roles(user, roles, reason=reason)
    return True


def admin_set_enabled(user: User, enabled: bool, reason: str, acting_user_id: int) -> None:
    """Disable or re-enable an account; an admin cannot disable their own."""
    if not enabled and user.id == acting_user_id:
        raise ValueError("Bạn không thể vô hiệu hoá tài khoản của chính mình.")
    if user.is_enabled == enabled:
        raise ValueError("Tài khoản đang hoạt động." if enabled else "Tài khoản đã bị vô hiệu hoá.")
    set_enabled(user, enabled, reason=reason)


def admin_reset_password(user: User) -> str:
    """Give the account a new temporary password (it also clears the lock-out); returns it to be shown once."""
    password = temporary_password()
    reset_password(user, password)
    return password


def unlock_account(user: User, now: datetime | None = None, reason: str = "") -> None:
    """End a lock-out after too many wrong passwords before it runs out."""
    if not user.is_locked(now):
        raise ValueError("Tài khoản này hiện không bị khoá.")
    with write_transaction():
        before = user.locked_until
        (User.update(locked_until=None, failed_logins=0).where(User.id == user.id).execute())
        user.locked_until, user.failed_logins = None, 0
        record("unlock", "account", user.id, before={"locked_until": before}, after={"locked_until": None},
               reason=reason)


def log_subjects(text: str) -> tuple[list[str], list[str]]:
    """The codes of students and staff, and the ids of accounts, whose name matches `text`: what the audit
    log's search looks for besides entity ids and usernames."""
    from models.people.records import search_staff, search_students

    key = fold(text)
    if not key:
        return [], []
    words = key.split(" ")
    codes = [p.code for p in search_students(text, limit=200)] + [p.code for p in search_staff(text, limit=200)]
    accounts = [str(u.id) for u in User.select(User.id, User.full_name, User.username)
                if all(w in fold(u.full_name) or w in u.username for w in words)]
    return codes, accounts
