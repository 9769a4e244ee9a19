"""The editor's rating of a claim on the desk's scale, its rationale, and publishing it (draft -> published).

The computed evidence summary (app.review.verdicts) stays as it is beside the rating: the rating is a person's
judgement and only an editor sets or publishes it; a reviewer may propose one.
"""

from typing import Any

from sqlmodel import Session, col, select

from app.audit import record_event
from app.auth.actor import Actor
from app.auth.models import User
from app.auth.service import role_rank
from app.claims.service import get_claim, get_live_claim
from app.clock import utcnow
from app.config import get_settings
from app.errors import Conflict, Forbidden, InvalidInput, check_version
from app.newsroom.assignments import require_editor
from app.newsroom.models import ClaimRating, RatingProposal

MAX_RATIONALE_CHARS = 20_000


def rating_scale() -> dict[str, int]:
    """Rating name -> schema.org ratingValue (1 worst .. 5 best), best first as configured."""
    return dict(get_settings().rating_scale)


def _check(rating: str, rationale: str) -> str:
    scale = rating_scale()
    if rating not in scale:
        raise InvalidInput(
            f"Unknown rating {rating!r}; choose one of {', '.join(scale)}.",
            errors=[{"field": "rating", "message": f"must be one of {', '.join(scale)}"}],
        )
    rationale = rationale.strip()
    if len(rationale) > MAX_RATIONALE_CHARS or "\x00" in rationale:
        raise InvalidInput(
            f"A rationale holds at most {MAX_RATIONALE_CHARS} characters and no NUL.",
            errors=[{"field": "rationale", "message": "too long or contains NUL"}],
        )
    return rationale


def rating_state(rating: ClaimRating) -> dict[str, Any]:
    return {
        "rating": rating.rating,
        "rationale": rating.rationale,
        "state": rating.state,
        "published_at": rating.published_at.isoformat() if rating.published_at else None,
        "version": rating.version,
    }


def get_rating(session: Session, claim_id: int) -> ClaimRating | None:
    return session.exec(select(ClaimRating).where(ClaimRating.claim_id == claim_id)).first()


def set_rating(
    session: Session, actor: Actor, claim_id: int, rating: str, rationale: str, version: int | None = None
) -> ClaimRating:
    """An editor rates the claim and writes why; a published rating stays published, its change audited."""
    require_editor(actor, "rate claims")
    rationale = _check(rating, rationale)
    get_live_claim(session, claim_id)
    assert actor.user_id is not None
    current = get_rating(session, claim_id)
    if current is None:
        current = ClaimRating(claim_id=claim_id, rating=rating, rationale=rationale, rated_by_id=actor.user_id)
        session.add(current)
        session.flush()
        before: dict[str, Any] | None = None
    else:
        check_version("rating", current.version, version, rating_state(current), required=False)
        if (current.rating, current.rationale) == (rating, rationale):
            return current
        before = rating_state(current)
        current.rating, current.rationale, current.rated_by_id = rating, rationale, actor.user_id
        current.version += 1
        current.updated_at = utcnow()
        session.add(current)
    record_event(
        session,
        actor,
        "rating.set",
        "claim_rating",
        current.id,
        before=before,
        after=rating_state(current),
        claim_id=claim_id,
    )
    session.commit()
    session.refresh(current)
    return current


def publish(session: Session, actor: Actor, claim_id: int, version: int | None = None) -> ClaimRating:
    """Publish the editor's rating: from now on the claim's ClaimReview is exported."""
    require_editor(actor, "publish")
    get_live_claim(session, claim_id)
    current = get_rating(session, claim_id)
    if current is None:
        raise Conflict("Rate the claim before publishing it.", errors=[{"field": "rating", "message": "missing"}])
    if not current.rationale:
        raise Conflict(
            "Write the rationale before publishing: it is the published review's text.",
            errors=[{"field": "rationale", "message": "empty"}],
        )
    check_version("rating", current.version, version, rating_state(current), required=False)
    if current.state == "published":
        return current
    return _move(session, actor, current, "published")


def unpublish(session: Session, actor: Actor, claim_id: int, version: int | None = None) -> ClaimRating:
    """Take a published rating back to draft; it leaves the ClaimReview export."""
    require_editor(actor, "unpublish")
    get_claim(session, claim_id)
    current = get_rating(session, claim_id)
    if current is None or current.state != "published":
        raise Conflict(f"Claim {claim_id} is not published.")
    check_version("rating", current.version, version, rating_state(current), required=False)
    return _move(session, actor, current, "draft")


def _move(session: Session, actor: Actor, current: ClaimRating, state: str) -> ClaimRating:
    before = rating_state(current)
    current.state = state
    current.published_at = utcnow() if state == "published" else None
    current.version += 1
    current.updated_at = utcnow()
    session.add(current)
    record_event(
        session,
        actor,
        "claim.published" if state == "published" else "claim.unpublished",
        "claim_rating",
        current.id,
        before=before,
        after=rating_state(current),
        claim_id=current.claim_id,
    )
    session.commit()
    session.refresh(current)
    return current


def propose_rating(session: Session, actor: Actor, claim_id: int, rating: str, rationale: str = "") -> RatingProposal:
    """A reviewer suggests a rating for the editor; their earlier proposal for the claim is replaced."""
    if actor.user_id is None or role_rank(actor.role) < role_rank("reviewer"):
        raise Forbidden("Only a reviewer or editor can propose a rating.")
    rationale = _check(rating, rationale)
    get_live_claim(session, claim_id)
    proposal = session.exec(
        select(RatingProposal).where(RatingProposal.claim_id == claim_id, RatingProposal.user_id == actor.user_id)
    ).first()
    before = None
    if proposal is None:
        proposal = RatingProposal(claim_id=claim_id, user_id=actor.user_id, rating=rating, rationale=rationale)
    else:
        before = {"rating": proposal.rating, "rationale": proposal.rationale}
        proposal.rating, proposal.rationale, proposal.updated_at = rating, rationale, utcnow()
    session.add(proposal)
    session.flush()
    record_event(
        session,
        actor,
        "rating.proposed",
        "rating_proposal",
        proposal.id,
        before=before,
        after={"rating": rating, "rationale": rationale},
        claim_id=claim_id,
    )
    session.commit()
    session.refresh(proposal)
    return proposal


def proposals(session: Session, claim_id: int) -> list[tuple[RatingProposal, str]]:
    """Reviewers' proposed ratings for a claim, with their names, oldest first."""
    get_claim(session, claim_id)
    rows = session.exec(
        select(RatingProposal, User.name)
        .join(User, col(User.id) == col(RatingProposal.user_id))
        .where(RatingProposal.claim_id == claim_id)
        .order_by(col(RatingProposal.id))
    ).all()
    return [(proposal, name) for proposal, name in rows]


def rated_by(session: Session, rating: ClaimRating) -> str:
    user = session.get(User, rating.rated_by_id)
    return user.name if user else ""
