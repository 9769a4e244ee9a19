"""Suggested matches: pairs of claims extraction was unsure were one, for a reviewer to accept or reject.

Accepting merges the two claims (the older keeps the work); rejecting records that they differ, and a
rejected pair is never suggested again. Both are audited and can be undone.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select

from app.audit import record_event
from app.audit.models import AuditEvent
from app.auth.actor import Actor
from app.claims.models import Claim, ClaimMatchSuggestion, Mention, StanceSuggestion
from app.claims.service import lock_claim
from app.clock import utcnow
from app.errors import Conflict, NotFound
from app.id_lists import among_ids
from app.review.merge import merge_claims
from app.review.models import Adjudication, Assessment, Evidence
from app.review.verdicts import recompute_claim

DECISIONS = ("accept", "reject")


@dataclass(frozen=True)
class MatchCandidate:
    """An uncertain pair as extraction found it, by stored claim ids."""

    claim_id: int
    other_claim_id: int
    score: float
    reason: str


def store_match_suggestions(session: Session, candidates: Iterable[MatchCandidate]) -> int:
    """Add or refresh open suggestions; a pair already decided (accepted or rejected) is left alone."""
    written = 0
    for candidate in candidates:
        low, high = sorted((candidate.claim_id, candidate.other_claim_id))
        if low == high:
            continue
        row = session.exec(
            select(ClaimMatchSuggestion).where(
                ClaimMatchSuggestion.claim_id == low, ClaimMatchSuggestion.other_claim_id == high
            )
        ).first()
        if row is None:
            row = ClaimMatchSuggestion(
                claim_id=low, other_claim_id=high, score=candidate.score, reason=candidate.reason
            )
        elif row.status != "open":
            continue  # a reviewer decided: never ask again
        row.score, row.reason = candidate.score, candidate.reason
        session.add(row)
        written += 1
    return written


def open_suggestions(session: Session, claim_id: int) -> list[tuple[ClaimMatchSuggestion, Claim]]:
    """The claim's open suggestions whose two claims are both live, best first, each with the other claim; in one
    statement, however many there are."""
    rows = session.exec(_open_matches_of_claims(), params={"claim_ids": [claim_id]}).all()
    return [
        (row, high if row.claim_id == claim_id else low)
        for row, low, high in sorted(rows, key=lambda r: (-r[0].score, r[0].id or 0))
    ]


@dataclass(frozen=True)
class BoardMatches:
    """For the board: how many open suggested matches each claim has, and its best one with the other claim."""

    counts: dict[int, int]
    best: dict[int, tuple[ClaimMatchSuggestion, Claim]]


@cache
def _open_matches_of_claims() -> Any:
    """Open suggestions touching `:claim_ids` whose two claims are both live, with both claims. Built once: joining
    one table twice under aliases cost 2 ms of Python a board page to build, and nothing to run."""
    low, high = aliased(Claim), aliased(Claim)
    return (
        select(ClaimMatchSuggestion, low, high)
        .join(low, col(low.id) == ClaimMatchSuggestion.claim_id)
        .join(high, col(high.id) == ClaimMatchSuggestion.other_claim_id)
        .where(
            ClaimMatchSuggestion.status == "open",
            col(low.merged_into_id).is_(None),
            col(high.merged_into_id).is_(None),
            or_(
                among_ids(ClaimMatchSuggestion.claim_id, "claim_ids"),
                among_ids(ClaimMatchSuggestion.other_claim_id, "claim_ids"),
            ),
        )
    )


def board_matches(session: Session, claim_ids: list[int]) -> BoardMatches:
    """The open suggested matches of these claims whose two claims are both live, in one statement."""
    if not claim_ids:
        return BoardMatches({}, {})
    rows = session.exec(_open_matches_of_claims(), params={"claim_ids": claim_ids}).all()
    wanted = set(claim_ids)
    counts: dict[int, int] = {}
    best: dict[int, tuple[ClaimMatchSuggestion, Claim]] = {}
    for row, first, second in sorted(rows, key=lambda r: (-r[0].score, r[0].id or 0)):
        for claim_id, other in ((row.claim_id, second), (row.other_claim_id, first)):
            counts[claim_id] = counts.get(claim_id, 0) + 1
            if claim_id in wanted and claim_id not in best:
                best[claim_id] = (row, other)
    return BoardMatches(counts, best)


def get_suggestion(session: Session, suggestion_id: int) -> ClaimMatchSuggestion:
    row = session.get(ClaimMatchSuggestion, suggestion_id)
    if row is None:
        raise NotFound(f"No suggested match with id {suggestion_id}.")
    return row


def _state(row: ClaimMatchSuggestion) -> dict[str, Any]:
    return {"claim_id": row.claim_id, "other_claim_id": row.other_claim_id, "status": row.status, "score": row.score}


def decide_suggestion(session: Session, actor: Actor, suggestion_id: int, decision: str) -> ClaimMatchSuggestion:
    """Accept (merge the newer claim into the older) or reject an open suggestion; commits."""
    row = get_suggestion(session, suggestion_id)
    if row.status != "open":
        raise Conflict(f"The suggested match was already {row.status}; undo it first.", current=_state(row))
    before = _state(row)
    row.status = "accepted" if decision == "accept" else "rejected"
    row.decided_by, row.decided_at = actor.label, utcnow()
    session.add(row)
    record_event(
        session,
        actor,
        f"claim_match.{row.status}",
        "claim_match_suggestion",
        row.id,
        claim_id=row.claim_id,
        before=before,
        after=_state(row),
    )
    if decision == "accept":
        target = session.get(Claim, row.claim_id)
        if target is None:
            raise NotFound(f"No claim with id {row.claim_id}.")
        # merge_claims locks both claims, checks them live and commits this decision with the merge
        merge_claims(session, actor, row.claim_id, row.other_claim_id, version=target.version)
    else:
        session.commit()
    session.refresh(row)
    return row


def undo_decision(session: Session, actor: Actor, suggestion_id: int) -> ClaimMatchSuggestion:
    """Reopen a decided suggestion; undoing an accept moves back what the merge moved. Commits."""
    row = get_suggestion(session, suggestion_id)
    if row.status == "open":
        raise Conflict("The suggested match is open: there is no decision to undo.", current=_state(row))
    before = _state(row)
    if row.status == "accepted":
        _unmerge(session, actor, row.claim_id, row.other_claim_id)
    row.status, row.decided_by, row.decided_at = "open", None, None
    session.add(row)
    record_event(
        session,
        actor,
        "claim_match.undone",
        "claim_match_suggestion",
        row.id,
        claim_id=row.claim_id,
        before=before,
        after=_state(row),
    )
    session.commit()
    session.refresh(row)
    return row


def _unmerge(session: Session, actor: Actor, target_id: int, other_id: int) -> None:
    """Give the merged-away claim back what its merge moved (rows the target has since lost stay where they are)."""
    for claim_id in sorted((target_id, other_id)):
        lock_claim(session, claim_id)
    other = session.get(Claim, other_id)
    if other is None or other.merged_into_id != target_id:
        raise Conflict("The claims are no longer merged as this suggestion left them.")
    merge = session.exec(
        select(AuditEvent)
        .where(AuditEvent.action == "claim.merged", AuditEvent.entity_id == target_id)
        .order_by(col(AuditEvent.id).desc())
    ).all()
    event = next((e for e in merge if (e.before or {}).get("merged_claim", {}).get("id") == other_id), None)
    moved: dict[str, list[int]] = (event.after or {}).get("moved", {}) if event is not None else {}
    for name, model in (
        ("mentions", Mention),
        ("suggestions", StanceSuggestion),
        ("assessments", Assessment),
        ("adjudications", Adjudication),
        ("evidence", Evidence),
    ):
        ids = moved.get(name) or []
        if not ids:
            continue
        for item in session.exec(select(model).where(col(model.id).in_(ids), model.claim_id == target_id)).all():
            item.claim_id = other_id
            session.add(item)
    now = utcnow()
    other.merged_into_id = None
    other.version += 1
    other.updated_at = now
    target = session.get(Claim, target_id)
    assert target is not None
    target.version += 1
    target.updated_at = now
    session.add_all([other, target])
    session.flush()
    record_event(
        session,
        actor,
        "claim.unmerged",
        "claim",
        target_id,
        claim_id=target_id,
        before={"merged_claim_id": other_id},
        after={"restored": other_id, "moved_back": moved},
    )
    record_event(
        session,
        actor,
        "claim.restored",
        "claim",
        other_id,
        claim_id=other_id,
        before={"merged_into_id": target_id},
        after={"merged_into_id": None},
    )
    recompute_claim(session, target_id, actor)
    recompute_claim(session, other_id, actor)


def decided_suggestions(session: Session, claim_id: int, limit: int = 5) -> list[ClaimMatchSuggestion]:
    """The latest decisions on the claim's suggested matches, for an undo button beside each."""
    return list(
        session.exec(
            select(ClaimMatchSuggestion)
            .where(
                ClaimMatchSuggestion.status != "open",
                or_(ClaimMatchSuggestion.claim_id == claim_id, ClaimMatchSuggestion.other_claim_id == claim_id),
            )
            .order_by(col(ClaimMatchSuggestion.decided_at).desc())
            .limit(limit)
        ).all()
    )
