"""Typed dependencies shared by every router: the session, the caller, and role checks."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.auth.actor import Actor
from app.auth.models import User
from app.auth.service import actor_for_token, actor_for_user, role_rank
from app.config import get_settings
from app.db import get_session
from app.errors import Forbidden, Unauthenticated

SessionDep = Annotated[Session, Depends(get_session)]
SESSION_USER_KEY = "user_id"


def optional_actor(request: Request, session: SessionDep) -> Actor | None:
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthenticated("Send an API token as 'Authorization: Bearer <token>'.")
        actor = actor_for_token(session, secret.strip())
        if actor is None:
            raise Unauthenticated("The API token is unknown or revoked.")
        return actor
    user_id = request.scope.get("session", {}).get(SESSION_USER_KEY)
    if user_id is not None:
        user = session.get(User, user_id)
        if user is not None and user.active:
            return actor_for_user(user)
    return None


OptionalActor = Annotated[Actor | None, Depends(optional_actor)]


def reader(actor: OptionalActor) -> Actor | None:
    """Reads need a signed-in caller unless the deployment opens reads to everyone."""
    if actor is None and not get_settings().public_read:
        raise Unauthenticated("Sign in or send an API token to read this workspace.")
    return actor


def require_role(role: str) -> Callable[[Actor | None], Actor]:
    def _check(actor: OptionalActor) -> Actor:
        if actor is None:
            raise Unauthenticated("Sign in or send an API token to make changes.")
        if role_rank(actor.role) < role_rank(role):
            raise Forbidden(f"This needs the {role} role; you are {actor.role}.")
        return actor

    return _check


ReaderDep = Annotated[Actor | None, Depends(reader)]
ReviewerDep = Annotated[Actor, Depends(require_role("reviewer"))]
EditorDep = Annotated[Actor, Depends(require_role("editor"))]
AdminDep = Annotated[Actor, Depends(require_role("admin"))]
