"""HTTP endpoints for people and automations: users (admin), API tokens (shown once), and `me`."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from app.api.deps import AdminDep, OptionalActor, SessionDep
from app.auth import service
from app.auth.actor import Actor
from app.auth.models import ApiToken, User
from app.errors import Forbidden, Unauthenticated

router = APIRouter(tags=["auth"])
Role = Annotated[str, Field(pattern="^(viewer|reviewer|editor|admin)$")]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "ana", "role": "reviewer", "password": "a long passphrase"}]})

    name: str = Field(min_length=1, max_length=100)
    role: Role = "reviewer"
    password: str | None = Field(default=None, min_length=8, max_length=200,
                                 description="Omit for an account that only acts through tokens")


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    role: str
    active: bool
    created_at: datetime


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "nightly import", "role": "reviewer"}, {"name": "bot", "user": "ana"}]})

    name: str = Field(default="", max_length=100)
    role: Role | None = Field(default=None, description="At most the user's role; the user's role by default")
    user: str | None = Field(default=None, description="Whose token (admins only); yourself by default")


class TokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    name: str
    prefix: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    token: str = Field(description="The secret; shown this once, never stored or shown again")


class Me(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"id": 3, "name": "ana", "role": "reviewer", "token_id": 2}]})

    id: int | None
    name: str
    role: str
    token_id: int | None = None


def _signed_in(actor: Actor | None) -> Actor:
    if actor is None or actor.user_id is None:
        raise Unauthenticated("Sign in or send an API token.")
    return actor


def _may_manage(session: Session, actor: Actor, user_id: int) -> None:
    if actor.user_id != user_id and service.role_rank(actor.role) < service.role_rank("admin"):
        raise Forbidden("Only an admin manages other users' tokens.")


@router.get("/me", response_model=Me)
def read_me(actor: OptionalActor) -> Me:
    """Who the credentials belong to, with the role in force (a token's role, when using a token)."""
    actor = _signed_in(actor)
    return Me(id=actor.user_id, name=actor.name, role=actor.role, token_id=actor.token_id)


@router.post("/users", response_model=UserPublic, status_code=201)
def create_user(body: UserCreate, session: SessionDep, actor: AdminDep) -> User:
    """Create a user (admin)."""
    return service.create_user(session, body.name, body.role, body.password, actor)


@router.get("/users", response_model=list[UserPublic])
def list_users(session: SessionDep, _admin: AdminDep) -> list[User]:
    """Every user (admin)."""
    return service.list_users(session)


@router.post("/tokens", response_model=TokenCreated, status_code=201)
def create_token(body: TokenCreate, session: SessionDep, actor: OptionalActor) -> TokenCreated:
    """Create an API token for yourself (or, as admin, for `user`); the secret is in this answer only."""
    actor = _signed_in(actor)
    owner = service.get_user_by_name(session, body.user) if body.user else session.get(User, actor.user_id)
    assert owner is not None and owner.id is not None
    _may_manage(session, actor, owner.id)
    # A token never carries more rights than the credentials that minted it.
    ceiling = min(owner.role, actor.role, key=service.role_rank)
    role = body.role or ceiling
    if service.role_rank(role) > service.role_rank(ceiling):
        raise Forbidden(f"You can mint tokens up to the {ceiling} role.")
    token, secret = service.create_token(session, owner, actor, name=body.name, role=role)
    return TokenCreated(**TokenPublic.model_validate(token).model_dump(), token=secret)


@router.get("/tokens", response_model=list[TokenPublic])
def list_tokens(session: SessionDep, actor: OptionalActor,
                user_id: Annotated[int | None, Query(description="Admins: one user's tokens")] = None,
                ) -> list[ApiToken]:
    """Your tokens; admins see everyone's (or one user's)."""
    actor = _signed_in(actor)
    if service.role_rank(actor.role) >= service.role_rank("admin"):
        return service.list_tokens(session, user_id)
    return service.list_tokens(session, actor.user_id)


@router.delete("/tokens/{token_id}", response_model=TokenPublic)
def revoke_token(token_id: int, session: SessionDep, actor: OptionalActor) -> ApiToken:
    """Revoke a token at once; your own, or anyone's as admin."""
    actor = _signed_in(actor)
    token = service.get_token(session, token_id)
    _may_manage(session, actor, token.user_id)
    return service.revoke_token(session, token_id, actor)
