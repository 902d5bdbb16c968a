"""Current sign-in lock-outs, for the admin to see and end early.

Two kinds: an account locked after LOCKOUT_THRESHOLD wrong passwords (User.locked_until), and a
computer (address) locked after ADDRESS_LOCKOUT_THRESHOLD wrong sign-ins from it (LoginFailure rows).
Ending either is written to the audit log: "unlock" (account) or "unlock_address" (computer).
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from peewee import fn

from models.audit.log import record
from models.core import write_transaction
from models.people.accounts import LoginFailure, User, unlock_account
from models.rules import passwords

ADDRESS_ENTITY = "login_address"


@dataclass
class Lockout:
    """One lock-out in force: an account (user set) or a computer (address set)."""

    until: datetime
    user: User | None = None
    address: str = ""
    failures: int = 0
    tried_names: list[str] = field(default_factory=list)  # names typed from that computer


def _window_start(now: datetime) -> datetime:
    return now - timedelta(minutes=passwords.LOCKOUT_MINUTES)


def current_lockouts(now: datetime | None = None) -> list[Lockout]:
    """Accounts locked now (by full name), then computers locked now (by address)."""
    now = now or datetime.now()
    found = [Lockout(until=u.locked_until, user=u, failures=passwords.LOCKOUT_THRESHOLD)
             for u in User.select().where(User.locked_until > now).order_by(User.full_name, User.id)]
    busy = (LoginFailure.select(LoginFailure.address)
            .where(LoginFailure.at > _window_start(now))
            .group_by(LoginFailure.address)
            .having(fn.COUNT(LoginFailure.id) >= passwords.ADDRESS_LOCKOUT_THRESHOLD)
            .order_by(LoginFailure.address))
    for row in busy:
        failures = list(LoginFailure.select(LoginFailure.at, LoginFailure.username)
                        .where((LoginFailure.address == row.address) & (LoginFailure.at > _window_start(now))))
        until = passwords.is_locked_out([f.at for f in failures], now, passwords.ADDRESS_LOCKOUT_THRESHOLD)
        if until:
            names = sorted({f.username for f in failures if f.username})
            found.append(Lockout(until=until, address=row.address, failures=len(failures), tried_names=names))
    return found


def _check_reason(reason: str) -> None:
    if len(reason or "") > 300:
        raise ValueError("Lí do tối đa 300 ký tự.")


def clear_account_lockout(user: User, reason: str, now: datetime | None = None) -> None:
    """End an account's lock-out early (audited "unlock"); ValueError when it is not locked."""
    _check_reason(reason)
    unlock_account(user, now, reason=reason)


def clear_address_lockout(address: str, reason: str, now: datetime | None = None) -> None:
    """End a computer's lock-out early: its recent failures are forgotten (audited "unlock_address")."""
    _check_reason(reason)
    now = now or datetime.now()
    until = LoginFailure.address_locked_until(address, now)
    if until is None:
        raise ValueError("Máy này hiện không bị khoá.")
    with write_transaction():
        count = (LoginFailure.delete()
                 .where((LoginFailure.address == address) & (LoginFailure.at > _window_start(now)))
                 .execute())
        record("unlock_address", ADDRESS_ENTITY, address, before={"locked_until": until, "failures": count},
               after={"locked_until": None}, reason=reason)
