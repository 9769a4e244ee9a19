"""Assigning claims to reviewers, and each person's queue of the open claims they were given or mentioned on."""

from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import select as core_select  # plain rows for the pickers
from sqlmodel import Session, col, select

from app.audit import record_event
from app.auth.actor import Actor
from app.auth.models import User
from app.auth.service import role_rank
from app.claims.models import Claim
from app.claims.service import get_live_claim
from app.errors import Forbidden, InvalidInput, NotFound
from app.newsroom.models import Assignment, ClaimRating
from app.newsroom.notifications import notify
from app.vocabulary import Role
from app.webhooks.service import emit_event

MAX_BULK = 500


def require_editor(actor: Actor, doing: str) -> None:
    if role_rank(actor.role) < role_rank("editor"):
        raise Forbidden(f"Only an editor can {doing}; you are {actor.role}.")


def find_assignee(session: Session, user_id: int | None = None, name: str | None = None) -> User:
    """An active user who can review, by id or name."""
    query = select(User).where(User.id == user_id) if user_id is not None else select(User).where(User.name == name)
    user = session.exec(query).first()
    label = f"id {user_id}" if user_id is not None else repr(name)
    if user is None or not user.active:
        raise NotFound(f"No active user with {label}.", errors=[{"field": "user", "message": "unknown user"}])
    if role_rank(user.role) < role_rank("reviewer"):
        raise InvalidInput(
            f"{user.name} is a {user.role} and cannot review claims.",
            errors=[{"field": "user", "message": "needs the reviewer role or higher"}],
        )
    return user


def add_to_queue(session: Session, actor: Actor, claim_id: int, user: User, reason: str) -> Assignment | None:
    """Put the claim in the user's queue in the caller's transaction; None when it already is."""
    assert user.id is not None
    existing = session.exec(
        select(Assignment).where(Assignment.claim_id == claim_id, Assignment.user_id == user.id)
    ).first()
    if existing is not None:
        return None
    assignment = Assignment(claim_id=claim_id, user_id=user.id, reason=reason, assigned_by_id=actor.user_id)
    session.add(assignment)
    session.flush()
    record_event(
        session,
        actor,
        f"claim.{reason}" if reason == "assigned" else "claim.queued_by_mention",
        "assignment",
        assignment.id,
        after={"user": user.name, "reason": reason},
        claim_id=claim_id,
    )
    emit_event(session, "claim.assigned", {"claim_id": claim_id, "user": user.name, "reason": reason, "by": actor.name})
    return assignment


def assign_claims(session: Session, actor: Actor, claim_ids: list[int], user_ids: list[int]) -> list[Assignment]:
    """An editor assigns each claim to each reviewer, in one transaction; existing assignments are kept as they are."""
    require_editor(actor, "assign claims")
    if not claim_ids or not user_ids:
        raise InvalidInput(
            "Choose at least one claim and one reviewer.",
            errors=[{"field": "claim_ids" if not claim_ids else "user_ids", "message": "empty"}],
        )
    if len(claim_ids) * len(user_ids) > MAX_BULK:
        raise InvalidInput(
            f"At most {MAX_BULK} assignments at once.",
            errors=[{"field": "claim_ids", "message": f"over {MAX_BULK} assignments"}],
        )
    try:
        users = [find_assignee(session, user_id=user_id) for user_id in dict.fromkeys(user_ids)]
        created = []
        for claim_id in dict.fromkeys(claim_ids):
            get_live_claim(session, claim_id)
            for user in users:
                assignment = add_to_queue(session, actor, claim_id, user, "assigned")
                if assignment is not None:
                    notify(session, actor, assignment.user_id, "assigned", claim_id)
                    created.append(assignment)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return created


def unassign(session: Session, actor: Actor, claim_id: int, user_id: int) -> None:
    """An editor takes a claim out of a person's queue; the history keeps that it was there."""
    require_editor(actor, "change assignments")
    assignment = session.exec(
        select(Assignment).where(Assignment.claim_id == claim_id, Assignment.user_id == user_id)
    ).first()
    if assignment is None:
        raise NotFound(f"Claim {claim_id} is not assigned to user {user_id}.")
    user = session.get(User, user_id)
    record_event(
        session,
        actor,
        "claim.unassigned",
        "assignment",
        assignment.id,
        before={"user": user.name if user else str(user_id), "reason": assignment.reason},
        claim_id=claim_id,
    )
    session.delete(assignment)
    session.commit()


def claim_assignees(session: Session, claim_id: int) -> list[tuple[Assignment, str]]:
    """Who has the claim in their queue, and why, in the order they got it."""
    rows = session.exec(
        select(Assignment, User.name)
        .join(User, col(User.id) == col(Assignment.user_id))
        .where(Assignment.claim_id == claim_id)
        .order_by(col(Assignment.id))
    ).all()
    return [(assignment, name) for assignment, name in rows]


def queue(session: Session, user_id: int, *, limit: int = 200) -> list[tuple[Claim, Assignment]]:
    """A person's open claims in board order (by id): assigned or mentioned, still live, not yet published."""
    published = select(ClaimRating.claim_id).where(ClaimRating.state == "published")
    rows = session.exec(
        select(Claim, Assignment)
        .join(Assignment, col(Assignment.claim_id) == col(Claim.id))
        .where(Assignment.user_id == user_id, col(Claim.merged_into_id).is_(None), col(Claim.id).not_in(published))
        .order_by(col(Claim.id))
        .limit(limit)
    ).all()
    return [(claim, assignment) for claim, assignment in rows]


class Assignee(NamedTuple):
    id: int
    name: str
    role: str


@cache
def _assignable() -> Any:
    roles = [role.value for role in Role if role.rank >= Role.REVIEWER.rank]
    return (
        core_select(col(User.id), col(User.name), col(User.role))
        .where(col(User.active).is_(True), col(User.role).in_(roles))
        .order_by(col(User.name))
    )


def reviewers(session: Session) -> list[Assignee]:
    """Active users who can be assigned claims, by name.

    Only the three columns a picker shows, as plain rows of a statement built once: every board and claim page
    lists them, and a newsroom of a few hundred people loaded as full user rows cost a fifth of the board's time."""
    rows = session.connection().execute(_assignable())
    return [Assignee(user_id, name, role) for user_id, name, role in rows]
