"""Sign-in back-off: repeated failures for one account, or from one address, lock further tries for a while.

Counts live in the database, so every app process sees the same ones. A locked key refuses even the right
password: otherwise guessing would only be slowed by the lock, never stopped.
"""

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from app.audit import record_event
from app.auth.actor import Actor
from app.auth.models import LoginThrottle, User
from app.auth.names import NAME_MAX_LENGTH
from app.clock import utcnow
from app.config import Settings, get_settings
from app.errors import TooManyRequests

# Who the audit log names for a lock-out: nobody signed in caused it.
THROTTLE_ACTOR = Actor(name="sign-in throttle", role="viewer")


@dataclass(frozen=True)
class _Scope:
    kind: str  # "account" or "address"
    key: str
    max_failures: int


def _typed_name(name: str) -> str:
    """The name as sign-in looks it up, cut to a length no real name exceeds (an attacker chooses it)."""
    return unicodedata.normalize("NFKC", name).strip()[:NAME_MAX_LENGTH]


def _scopes(name: str, address: str, settings: Settings) -> list[_Scope]:
    account = _typed_name(name).casefold()
    return [
        _Scope("account", f"account:{account}"[:200], settings.login_max_failures_per_account),
        _Scope("address", f"address:{address}"[:200], settings.login_max_failures_per_address),
    ]


def _retry_after(locked_until: datetime | None, now: datetime) -> int:
    return 0 if locked_until is None or locked_until <= now else math.ceil((locked_until - now).total_seconds())


def check_sign_in_allowed(session: Session, name: str, address: str) -> None:
    """Raise TooManyRequests while the account or the address is locked."""
    now, settings = utcnow(), get_settings()
    waits = [
        _retry_after(row.locked_until, now)
        for scope in _scopes(name, address, settings)
        if (row := session.get(LoginThrottle, scope.key)) is not None
    ]
    if wait := max(waits, default=0):
        raise TooManyRequests(f"Too many failed sign-ins; try again in {wait} seconds.", retry_after=wait)


def record_failed_sign_in(session: Session, name: str, address: str) -> None:
    """Count a failure for the account and the address; a count at the limit locks it, longer each time, and
    the lock-out is an audit event."""
    settings = get_settings()
    name = _typed_name(name)
    for attempt in range(2):
        try:
            _forget_old_failures(session, settings)
            _count_failure(session, name, address, settings)
            session.commit()
            return
        except IntegrityError:  # another process added the same key first: count on its row
            session.rollback()
            if attempt:
                raise


def _forget_old_failures(session: Session, settings: Settings) -> None:
    """Rows for names and addresses that stopped failing go, so guessing at random names cannot grow the table."""
    now = utcnow()
    session.execute(
        delete(LoginThrottle)
        .where(col(LoginThrottle.last_failure_at) < now - timedelta(minutes=settings.login_failure_window_minutes))
        .where(or_(col(LoginThrottle.locked_until).is_(None), col(LoginThrottle.locked_until) < now))
    )


def _count_failure(session: Session, name: str, address: str, settings: Settings) -> None:
    now = utcnow()
    for scope in _scopes(name, address, settings):
        row = session.exec(select(LoginThrottle).where(LoginThrottle.key == scope.key).with_for_update()).first()
        if row is None:
            row = LoginThrottle(key=scope.key, failures=0, last_failure_at=now)
        elif (
            now - row.last_failure_at > timedelta(minutes=settings.login_failure_window_minutes)
            and _retry_after(row.locked_until, now) == 0
        ):
            row.failures, row.locked_until = 0, None
        row.failures += 1
        row.last_failure_at = now
        beyond = row.failures - scope.max_failures
        if beyond >= 0:
            seconds = min(settings.login_lockout_max_seconds, settings.login_lockout_seconds * 2 ** min(beyond, 20))
            row.locked_until = now + timedelta(seconds=seconds)
            user = session.exec(select(User).where(User.name == name)).first()
            record_event(
                session,
                THROTTLE_ACTOR,
                "sign_in.locked_out",
                "user" if user else "sign_in",
                user.id if user else None,
                after={
                    "scope": scope.kind,
                    "name": name,
                    "address": address,
                    "failures": row.failures,
                    "locked_seconds": seconds,
                },
            )
        session.add(row)
        session.flush()


def record_successful_sign_in(session: Session, name: str, address: str) -> None:
    """The account's count starts again; the address keeps its own, so one good account cannot clear the
    failures of guessing at others."""
    row = session.get(LoginThrottle, _scopes(name, address, get_settings())[0].key)
    if row is not None:
        session.delete(row)
        session.commit()
