"""HTTP endpoints for people and automations: users (admin), API tokens (shown once), and `me`."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import AdminDep, OptionalActor, SessionDep, SignedInDep
from app.api.openapi import LIST_404, problem_responses
from app.auth import service
from app.auth.actor import Actor
from app.auth.models import ApiToken, User
from app.errors import Unauthenticated
from app.vocabulary import Role

router = APIRouter(tags=["auth"])


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "ana", "role": "reviewer", "password": "a long passphrase"}]})

    name: str = Field(min_length=1, max_length=100, description="NFKC-normalised; letters and digits of one script, "
                      "`.`, `_`, `-`; at most 64; refused when it looks like an existing user's name")
    role: Role = Role.REVIEWER
    password: str | None = Field(default=None, max_length=200,
                                 description="12+ characters, not a common or easily guessed password; "
                                             "omit for an account that only acts through tokens")


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"role": "viewer"}, {"active": False}]})

    role: Role | None = None
    active: bool | None = Field(default=None, description="false switches the account off")


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"current_password": "the old passphrase", "new_password": "a new long passphrase"}]})

    current_password: str = Field(max_length=200)
    new_password: str = Field(max_length=200, description="12+ characters, not a common or easily guessed one")


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [
        {"id": 3, "name": "ana", "role": "reviewer", "active": True, "created_at": "2025-03-01T09:00:00Z"}]})

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


_TOKEN_EXAMPLE: dict[str, Any] = {
    "id": 2, "user_id": 3, "name": "nightly import", "prefix": "cc_Xq3vT9a", "role": "reviewer",
    "created_at": "2025-03-01T09:00:00Z", "last_used_at": "2025-03-02T02:00:05Z", "revoked_at": None}


class TokenPublic(BaseModel):
    """A token as listed: never its secret, only the first characters to recognise it by."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_TOKEN_EXAMPLE]})

    id: int
    user_id: int
    name: str
    prefix: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    model_config = ConfigDict(json_schema_extra={"examples": [
        _TOKEN_EXAMPLE | {"last_used_at": None, "token": "cc_Xq3vT9a2mW7kP4sL8dR1fH6jN0bC5gY"}]})

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


@router.get("/me", response_model=Me, responses=problem_responses(401))
def read_me(actor: OptionalActor) -> Me:
    """Who the credentials belong to, with the role in force (a token's role, when using a token)."""
    actor = _signed_in(actor)
    return Me(id=actor.user_id, name=actor.name, role=actor.role, token_id=actor.token_id)


@router.post("/users", response_model=UserPublic, status_code=201, responses=problem_responses(
    400, 401, 403, 409, 413, 422, notes={409: "A user with that name already exists"}))
def create_user(body: UserCreate, session: SessionDep, actor: AdminDep) -> User:
    """Create a user (admin)."""
    return service.create_user(session, body.name, body.role, body.password, actor)


@router.patch("/users/{user_id}", response_model=UserPublic, responses=problem_responses(
    400, 401, 403, 404, 413, 422, notes={404: "Unknown user"}))
def update_user(user_id: int, body: UserUpdate, session: SessionDep, actor: AdminDep) -> User:
    """Change a user's role or switch the account off (admin); the user's sessions end at once."""
    return service.update_user(session, user_id, actor, role=body.role, active=body.active)


@router.post("/me/password", status_code=204, responses=problem_responses(
    400, 401, 413, 422, notes={422: "The current password is wrong, or the new one is too weak"}))
def change_my_password(body: PasswordChange, session: SessionDep, actor: SignedInDep) -> None:
    """Change your own password; every session of yours ends, this one included."""
    assert actor.user_id is not None
    service.change_password(session, actor.user_id, body.new_password, actor, current_password=body.current_password)


@router.get("/users", response_model=list[UserPublic], responses=problem_responses(401, 403))
def list_users(session: SessionDep, _admin: AdminDep) -> list[User]:
    """Every user (admin)."""
    return service.list_users(session)


@router.post("/tokens", response_model=TokenCreated, status_code=201, responses=problem_responses(
    400, 401, 403, 404, 413, 422, notes={403: "Another user's token without the admin role, or a role above your own",
                                    404: "No user has the name given in `user`"}))
def create_token(body: TokenCreate, session: SessionDep, actor: OptionalActor) -> TokenCreated:
    """Create an API token for yourself (or, as admin, for `user`); the secret is in this answer only."""
    actor = _signed_in(actor)
    owner = service.get_user_by_name(session, body.user) if body.user else session.get(User, actor.user_id)
    assert owner is not None and owner.id is not None
    service.check_may_manage_tokens(actor, owner.id)
    role = service.token_role(owner, actor, body.role)
    token, secret = service.create_token(session, owner, actor, name=body.name, role=role)
    return TokenCreated(**TokenPublic.model_validate(token).model_dump(), token=secret)


@router.get("/tokens", response_model=list[TokenPublic], responses=problem_responses(401, 404, 422,
                                                                                       notes={404: LIST_404}))
def list_tokens(session: SessionDep, actor: OptionalActor,
                user_id: Annotated[int | None, Query(description="Admins: one user's tokens")] = None,
                ) -> list[ApiToken]:
    """Your tokens; admins see everyone's (or one user's)."""
    actor = _signed_in(actor)
    return service.list_tokens(session, user_id if service.is_admin(actor) else actor.user_id)


@router.delete("/tokens/{token_id}", response_model=TokenPublic, responses=problem_responses(
    401, 403, 404, 422, notes={403: "Another user's token, without the admin role", 404: "Unknown token"}))
def revoke_token(token_id: int, session: SessionDep, actor: OptionalActor) -> ApiToken:
    """Revoke a token at once; your own, or anyone's as admin."""
    actor = _signed_in(actor)
    token = service.get_token(session, token_id)
    service.check_may_manage_tokens(actor, token.user_id)
    return service.revoke_token(session, token_id, actor)
