"""Users, password checks and API tokens: hashed at rest, shown once, revocable."""

import hashlib
import secrets
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, bindparam, update
from sqlalchemy import select as select_columns
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, or_, select

from app.audit import record_event
from app.auth.actor import Actor
from app.auth.models import ApiToken, User
from app.auth.names import name_skeletons, normalise_user_name
from app.auth.passwords import check_new_password
from app.auth.sessions import revoke_user_sessions
from app.clock import utcnow
from app.db import get_or_404
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.vocabulary import Role

_hasher = PasswordHasher()
TOKEN_PREFIX = "cc_"


def new_password() -> str:
    return secrets.token_urlsafe(12)


def role_rank(role: str) -> int:
    return Role(role).rank


def is_admin(actor: Actor) -> bool:
    return role_rank(actor.role) >= role_rank("admin")


def check_may_manage_tokens(actor: Actor, user_id: int) -> None:
    """One's own tokens, or anyone's as admin."""
    if actor.user_id != user_id and not is_admin(actor):
        raise Forbidden("Only an admin manages other users' tokens.")


def token_role(owner: User, actor: Actor, requested: str | None) -> str:
    """The role of a new token: as requested, else the highest allowed; never above the owner's role nor the
    role of the credentials that mint it."""
    ceiling = min(owner.role, actor.role, key=role_rank)
    role = requested or ceiling
    if role_rank(role) > role_rank(ceiling):
        raise Forbidden(f"You can mint tokens up to the {ceiling} role.")
    return role


def check_role(role: str) -> str:
    if role not in Role.values():
        raise InvalidInput(
            f"Unknown role {role!r}; choose one of {Role.choices()}.",
            errors=[{"field": "role", "message": f"must be one of {Role.choices()}"}],
        )
    return role


def create_user(session: Session, name: str, role: str, password: str | None, actor: Actor) -> User:
    check_role(role)
    name = normalise_user_name(name)
    _refuse_look_alikes(session, name)
    if password is not None:
        check_new_password(password, name)
    user = User(name=name, role=role, password_hash=_hasher.hash(password) if password else None)
    session.add(user)
    session.flush()
    record_event(session, actor, "user.created", "user", user.id, after={"name": name, "role": role})
    session.commit()
    session.refresh(user)
    return user


def _refuse_look_alikes(session: Session, name: str) -> None:
    """No two users whose names look the same: compared by skeleton against every user (a short list; creating
    users is rare), so no stored column has to follow the look-alike table."""
    skeletons = name_skeletons(name)
    for existing in session.exec(select(User.name)).all():
        if existing == name or skeletons & name_skeletons(existing):
            same = "exists" if existing == name else f"looks like the existing user {existing!r}"
            raise Conflict(
                f"The user name {name!r} {same}; choose another.",
                errors=[{"field": "name", "message": f"too like {existing!r}"}],
            )


def update_user(
    session: Session, user_id: int, actor: Actor, *, role: str | None = None, active: bool | None = None
) -> User:
    """Change a user's role or switch the account off; either ends the user's sessions at once."""
    user = get_user(session, user_id)
    before = {"role": user.role, "active": user.active}
    if role is not None:
        user.role = check_role(role)
    if active is not None:
        user.active = active
    after = {"role": user.role, "active": user.active}
    if after != before:
        revoke_user_sessions(session, user_id)
        record_event(session, actor, "user.updated", "user", user_id, before=before, after=after)
        session.commit()
        session.refresh(user)
    return user


def change_password(
    session: Session, user_id: int, new_password: str, actor: Actor, *, current_password: str | None = None
) -> User:
    """Set a new password, checking the current one when given (people changing their own); every session of
    the user ends, so a stolen cookie dies with the old password."""
    user = get_user(session, user_id)
    check_new_password(new_password, user.name, field="new_password")
    if current_password is not None and not _password_matches(user, current_password):
        raise InvalidInput(
            "The current password is wrong.", errors=[{"field": "current_password", "message": "does not match"}]
        )
    user.password_hash = _hasher.hash(new_password)
    revoke_user_sessions(session, user_id)
    # The event says that it changed, never what to: no hash, no password.
    record_event(session, actor, "user.password_changed", "user", user_id)
    session.commit()
    session.refresh(user)
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user with id {user_id}.")
    return user


def get_user_by_name(session: Session, name: str) -> User:
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None:
        raise NotFound(f"No user named {name!r}.")
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    name = unicodedata.normalize("NFKC", name).strip()
    user = session.exec(select(User).where(User.name == name, col(User.active).is_(True))).first()
    if user is None or not user.password_hash:
        _hasher.hash(password)  # same cost whether or not the user exists
        return None
    return user if _password_matches(user, password) else None


def _password_matches(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _token_digest(token: str) -> str:
    # Tokens are long random strings, so a fast hash is enough; a KDF would slow every API call.
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session, user: User, actor: Actor, *, name: str = "", role: str | None = None
) -> tuple[ApiToken, str]:
    """Return the stored token and its secret value, which is never stored and never shown again."""
    role = check_role(role or user.role)
    if role_rank(role) > role_rank(user.role):
        raise InvalidInput(f"A token cannot have more rights ({role}) than its user ({user.role}).")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    assert user.id is not None
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:10], token_hash=_token_digest(secret), role=role)
    session.add(token)
    session.flush()
    record_event(
        session,
        actor,
        "token.created",
        "api_token",
        token.id,
        after={"user": user.name, "role": role, "name": name, "prefix": token.prefix},
    )
    session.commit()
    session.refresh(token)
    return token, secret


def revoke_token(session: Session, token_id: int, actor: Actor) -> ApiToken:
    token = get_token(session, token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record_event(session, actor, "token.revoked", "api_token", token.id, after={"prefix": token.prefix})
        session.commit()
    return token


# Every API request runs these: statements built once (SQLAlchemy then skips rebuilding their cache keys), and
# plain rows rather than ORM objects. They run on a session or on a bare connection (app.db.VersionProbe).
_TOKEN_LOOKUP = (
    select_columns(
        col(ApiToken.id), col(ApiToken.role), col(ApiToken.last_used_at), col(User.id), col(User.name), col(User.role)
    )
    .join(User, col(User.id) == col(ApiToken.user_id))
    .where(
        col(ApiToken.token_hash) == bindparam("digest"), col(ApiToken.revoked_at).is_(None), col(User.active).is_(True)
    )
)
# Recording every use would turn each read into a write; a minute's precision is enough.
TOKEN_USE_PRECISION = timedelta(seconds=60)


def caller_for_token(db: Session | Connection, secret: str) -> tuple[Actor, bool] | None:
    """The caller a live token of an active user stands for, and whether its use is due to be recorded
    (`record_token_use`); None for an unknown or revoked token or an inactive user."""
    return _token_caller(db.execute(_TOKEN_LOOKUP, {"digest": _token_digest(secret)}).first())


class RawTokenLookup:
    """`caller_for_token` on a bare DBAPI cursor, for the hottest read (the claims list): the statement compiled
    once for the engine's dialect, with named parameters, and run without SQLAlchemy's layers (or, on
    PostgreSQL, inside the list's own statement: `sql`, `params`, then `caller_from_row`)."""

    WIDTH = len(_TOKEN_LOOKUP.selected_columns)

    def __init__(self, dialect: Dialect) -> None:
        self._sqlite = dialect.name == "sqlite"
        named = type(dialect)(paramstyle="named" if self._sqlite else "pyformat")  # type: ignore[call-arg]
        compiled = _TOKEN_LOOKUP.compile(dialect=named)
        self.sql = str(compiled)
        self._constants = {name: value for name, value in compiled.params.items() if name != "digest"}

    def params(self, secret: str) -> dict[str, Any]:
        return {**self._constants, "digest": _token_digest(secret)}

    def caller(self, cursor: Any, secret: str) -> tuple[Actor, bool] | None:
        cursor.execute(self.sql, self.params(secret))
        return self.caller_from_row(cursor.fetchone())

    def caller_from_row(self, row: Any) -> tuple[Actor, bool] | None:
        if row is not None and row[2] is not None:
            # As the column's type would give it: aware, in UTC (SQLite stores the naive UTC text).
            last_used_at = row[2]
            last_used_at = (
                datetime.fromisoformat(last_used_at).replace(tzinfo=UTC)
                if self._sqlite
                else last_used_at.astimezone(UTC)
            )
            row = (*row[:2], last_used_at, *row[3:])
        return _token_caller(row)


def _token_caller(row: Any) -> tuple[Actor, bool] | None:
    if row is None:
        return None
    token_id, token_role, last_used_at, user_id, name, user_role = row
    use_due = last_used_at is None or utcnow() - last_used_at > TOKEN_USE_PRECISION
    # A user demoted since minting keeps the token, but never above the role the user has now.
    role = min(token_role, user_role, key=role_rank)
    return Actor(name=name, role=role, user_id=user_id, token_id=token_id), use_due


def record_token_use(session: Session, token_id: int | None) -> None:
    """Record a token's use in a transaction of its own, and only if nobody did in the last minute.

    The session's read transaction ends first: on SQLite a read session's snapshot cannot be upgraded to a
    write once another writer has committed. The bookkeeping is best effort, so a busy database skips it
    rather than failing the request.
    """
    now = utcnow()
    session.rollback()
    try:
        session.execute(
            update(ApiToken)
            .where(col(ApiToken.id) == token_id)
            .where(or_(col(ApiToken.last_used_at).is_(None), col(ApiToken.last_used_at) < now - TOKEN_USE_PRECISION))
            .values(last_used_at=now)
        )
        session.commit()
    except OperationalError:
        session.rollback()


def actor_for_user(user: User) -> Actor:
    return Actor(name=user.name, role=user.role, user_id=user.id)


def list_users(session: Session) -> list[User]:
    """Every user, oldest first."""
    return list(session.exec(select(User).order_by(col(User.id))).all())


def list_tokens(session: Session, user_id: int | None = None) -> list[ApiToken]:
    """API tokens (never their secrets), optionally one user's, oldest first."""
    query = select(ApiToken).order_by(col(ApiToken.id))
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return list(session.exec(query).all())


def get_token(session: Session, token_id: int) -> ApiToken:
    """One API token by id, or NotFound."""
    return get_or_404(session, ApiToken, token_id, "token")
