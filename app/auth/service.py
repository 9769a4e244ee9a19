"""Users, password checks and API tokens: hashed at rest, shown once, revocable."""

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from app.audit import record_event
from app.auth.actor import Actor
from app.auth.models import ROLES, ApiToken, User
from app.clock import utcnow
from app.errors import Conflict, InvalidInput, NotFound

_hasher = PasswordHasher()
TOKEN_PREFIX = "cc_"


def new_password() -> str:
    return secrets.token_urlsafe(12)


def role_rank(role: str) -> int:
    return ROLES.index(role)


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.",
                           errors=[{"field": "role", "message": f"must be one of {', '.join(ROLES)}"}])
    return role


def create_user(session: Session, name: str, role: str, password: str | None, actor: Actor) -> User:
    check_role(role)
    if not name.strip():
        raise InvalidInput("A user needs a name.", errors=[{"field": "name", "message": "must not be empty"}])
    if session.exec(select(User).where(User.name == name)).first():
        raise Conflict(f"A user named {name!r} already exists.")
    user = User(name=name, role=role, password_hash=_hasher.hash(password) if password else None)
    session.add(user)
    session.flush()
    record_event(session, actor, "user.created", "user", user.id, after={"name": name, "role": role})
    session.commit()
    session.refresh(user)
    return user


def get_user_by_name(session: Session, name: str) -> User:
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None:
        raise NotFound(f"No user named {name!r}.")
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    user = session.exec(select(User).where(User.name == name, col(User.active).is_(True))).first()
    if user is None or not user.password_hash:
        _hasher.hash(password)  # same cost whether or not the user exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def _token_digest(token: str) -> str:
    # Tokens are long random strings, so a fast hash is enough; a KDF would slow every API call.
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, actor: Actor, *, name: str = "",
                 role: str | None = None) -> tuple[ApiToken, str]:
    """Return the stored token and its secret value, which is never stored and never shown again."""
    role = check_role(role or user.role)
    if role_rank(role) > role_rank(user.role):
        raise InvalidInput(f"A token cannot have more rights ({role}) than its user ({user.role}).")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    assert user.id is not None
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:10], token_hash=_token_digest(secret), role=role)
    session.add(token)
    session.flush()
    record_event(session, actor, "token.created", "api_token", token.id,
                 after={"user": user.name, "role": role, "name": name, "prefix": token.prefix})
    session.commit()
    session.refresh(token)
    return token, secret


def revoke_token(session: Session, token_id: int, actor: Actor) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"No token with id {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record_event(session, actor, "token.revoked", "api_token", token.id, after={"prefix": token.prefix})
        session.commit()
    return token


def actor_for_token(session: Session, secret: str) -> Actor | None:
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == _token_digest(secret))).first()
    if token is None or token.revoked_at is not None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    now = utcnow()
    # Recording every use would turn each read into a write; a minute's precision is enough.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now
        session.commit()
    return Actor(name=user.name, role=token.role, user_id=user.id, token_id=token.id)


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
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"No token with id {token_id}.")
    return token
