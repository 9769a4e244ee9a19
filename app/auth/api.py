"""HTTP endpoints for people and automations: users (admin), API tokens (shown once), and `me`."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import AdminDep, OptionalActor, SessionDep, SignedInDep
from app.api.openapi import LIST_404, problem_responses
from app.auth import service
from app.auth.actor import Actor
from app.auth.models import ApiToken, User
from app.auth.schemas import (
    Me,
    PasswordChange,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from app.errors import Unauthenticated

router = APIRouter(tags=["auth"])


def _signed_in(actor: Actor | None) -> Actor:
    if actor is None or actor.user_id is None:
        raise Unauthenticated("Sign in or send an API token.")
    return actor


@router.get("/me", response_model=Me, responses=problem_responses(401))
def read_me(actor: OptionalActor) -> Me:
    """Who the credentials belong to, with the role in force (a token's role, when using a token)."""
    actor = _signed_in(actor)
    return Me(id=actor.user_id, name=actor.name, role=actor.role, token_id=actor.token_id)


@router.post(
    "/users",
    response_model=UserPublic,
    status_code=201,
    responses=problem_responses(400, 401, 403, 409, 413, 422, notes={409: "A user with that name already exists"}),
)
def create_user(body: UserCreate, session: SessionDep, actor: AdminDep) -> User:
    """Create a user (admin)."""
    return service.create_user(session, body.name, body.role, body.password, actor)


@router.patch(
    "/users/{user_id}",
    response_model=UserPublic,
    responses=problem_responses(400, 401, 403, 404, 413, 422, notes={404: "Unknown user"}),
)
def update_user(user_id: int, body: UserUpdate, session: SessionDep, actor: AdminDep) -> User:
    """Change a user's role or switch the account off (admin); the user's sessions end at once."""
    return service.update_user(session, user_id, actor, role=body.role, active=body.active)


@router.post(
    "/me/password",
    status_code=204,
    responses=problem_responses(
        400, 401, 413, 422, notes={422: "The current password is wrong, or the new one is too weak"}
    ),
)
def change_my_password(body: PasswordChange, session: SessionDep, actor: SignedInDep) -> None:
    """Change your own password; every session of yours ends, this one included."""
    assert actor.user_id is not None
    service.change_password(session, actor.user_id, body.new_password, actor, current_password=body.current_password)


@router.get("/users", response_model=list[UserPublic], responses=problem_responses(401, 403))
def list_users(session: SessionDep, _admin: AdminDep) -> list[User]:
    """Every user (admin)."""
    return service.list_users(session)


@router.post(
    "/tokens",
    response_model=TokenCreated,
    status_code=201,
    responses=problem_responses(
        400,
        401,
        403,
        404,
        413,
        422,
        notes={
            403: "Another user's token without the admin role, or a role above your own",
            404: "No user has the name given in `user`",
        },
    ),
)
def create_token(body: TokenCreate, session: SessionDep, actor: OptionalActor) -> TokenCreated:
    """Create an API token for yourself (or, as admin, for `user`); the secret is in this answer only."""
    actor = _signed_in(actor)
    owner = service.get_user_by_name(session, body.user) if body.user else session.get(User, actor.user_id)
    assert owner is not None and owner.id is not None
    service.check_may_manage_tokens(actor, owner.id)
    role = service.token_role(owner, actor, body.role)
    token, secret = service.create_token(session, owner, actor, name=body.name, role=role)
    return TokenCreated(**TokenPublic.model_validate(token).model_dump(), token=secret)


@router.get(
    "/tokens", response_model=list[TokenPublic], responses=problem_responses(401, 404, 422, notes={404: LIST_404})
)
def list_tokens(
    session: SessionDep,
    actor: OptionalActor,
    user_id: Annotated[int | None, Query(description="Admins: one user's tokens")] = None,
) -> list[ApiToken]:
    """Your tokens; admins see everyone's (or one user's)."""
    actor = _signed_in(actor)
    return service.list_tokens(session, user_id if service.is_admin(actor) else actor.user_id)


@router.delete(
    "/tokens/{token_id}",
    response_model=TokenPublic,
    responses=problem_responses(
        401, 403, 404, 422, notes={403: "Another user's token, without the admin role", 404: "Unknown token"}
    ),
)
def revoke_token(token_id: int, session: SessionDep, actor: OptionalActor) -> ApiToken:
    """Revoke a token at once; your own, or anyone's as admin."""
    actor = _signed_in(actor)
    token = service.get_token(session, token_id)
    service.check_may_manage_tokens(actor, token.user_id)
    return service.revoke_token(session, token_id, actor)
