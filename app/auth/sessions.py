"""Signed-in browser sessions kept server-side: the cookie names a session, which the server can end at once.

Signing out ends one session; a password change, deactivation or a role change ends all of a user's. A session
also ends after an idle time and an absolute lifetime (settings), whatever the cookie says.
"""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import Connection, bindparam, update
from sqlalchemy import select as select_columns
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from app.auth.actor import Actor
from app.auth.models import User, UserSession
from app.clock import utcnow
from app.config import get_settings

# The key under which the signed cookie carries the session's secret id.
SESSION_COOKIE_KEY = "sid"
# Recording every request would turn each read into a write; the idle timeout is kept to within a minute.
SESSION_USE_PRECISION = timedelta(seconds=60)

_SESSION_LOOKUP = (
    select_columns(
        col(UserSession.id),
        col(UserSession.created_at),
        col(UserSession.last_seen_at),
        col(User.id),
        col(User.name),
        col(User.role),
    )
    .join(User, col(User.id) == col(UserSession.user_id))
    .where(
        col(UserSession.token_hash) == bindparam("digest"),
        col(UserSession.revoked_at).is_(None),
        col(User.active).is_(True),
    )
)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start_session(session: Session, user: User) -> str:
    """Store a new session for `user` and return the secret the cookie carries (only its hash is stored)."""
    assert user.id is not None
    secret = secrets.token_urlsafe(32)
    session.add(UserSession(user_id=user.id, token_hash=_digest(secret)))
    session.commit()
    return secret


def end_session(session: Session, secret: object) -> None:
    """Sign-out: the session is revoked, so a copy of its cookie no longer works."""
    if isinstance(secret, str) and secret:
        session.execute(
            update(UserSession)
            .where(col(UserSession.token_hash) == _digest(secret))
            .where(col(UserSession.revoked_at).is_(None))
            .values(revoked_at=utcnow())
        )
        session.commit()


def revoke_user_sessions(session: Session, user_id: int) -> None:
    """End every session of a user, in the caller's transaction (so it commits with the change that caused it)."""
    session.execute(
        update(UserSession)
        .where(col(UserSession.user_id) == user_id)
        .where(col(UserSession.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )


def caller_for_session(db: Session | Connection, secret: object) -> tuple[Actor, bool] | None:
    """The user a live session names, and whether its use is due to be recorded (`record_session_use`);
    None for an unknown, revoked, idle or expired session, or an inactive user."""
    if not isinstance(secret, str) or not secret:
        return None
    row = db.execute(_SESSION_LOOKUP, {"digest": _digest(secret)}).first()
    if row is None:
        return None
    session_id, created_at, last_seen_at, user_id, name, role = row
    settings, now = get_settings(), utcnow()
    if now - created_at > timedelta(hours=settings.session_max_age_hours) or now - last_seen_at > timedelta(
        minutes=settings.session_idle_minutes
    ):
        return None
    actor = Actor(name=name, role=role, user_id=user_id, session_id=session_id)
    return actor, now - last_seen_at > SESSION_USE_PRECISION


def record_session_use(session: Session, session_id: int | None) -> None:
    """Move the session's idle clock, in a transaction of its own and best effort (as app.auth.service's
    record_token_use, for the same reasons)."""
    now = utcnow()
    session.rollback()
    try:
        session.execute(
            update(UserSession)
            .where(col(UserSession.id) == session_id)
            .where(col(UserSession.last_seen_at) < now - SESSION_USE_PRECISION)
            .values(last_seen_at=now)
        )
        session.commit()
    except OperationalError:
        session.rollback()
