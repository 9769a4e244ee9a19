"""Merging two claims: everything attached to the merged-away claim moves; it keeps a tombstone."""

from typing import Any

from sqlmodel import Session, col, select

from app.audit import record_event
from app.auth.actor import Actor
from app.claims.models import Claim, Mention, StanceSuggestion
from app.claims.service import current_state, get_live_claim, lock_claim
from app.clock import utcnow
from app.errors import InvalidInput
from app.review.models import Adjudication, Assessment, Evidence
from app.review.verdicts import recompute_claim
from app.review.versions import check_version


def _move_unique(session: Session, model: Any, other_id: int, target_id: int, key: tuple[str, ...],
                 newer: str | None) -> tuple[list[int], list[dict[str, Any]]]:
    """Move rows to the target; where the target already has a row with the same key, keep one of the
    two (the newer when `newer` names a timestamp, else the target's) and return the other's content.
    """
    moved, dropped = [], []
    existing = {tuple(getattr(r, k) for k in key): r
                for r in session.exec(select(model).where(model.claim_id == target_id)).all()}
    for row in session.exec(select(model).where(model.claim_id == other_id).order_by(col(model.id))).all():
        clash = existing.get(tuple(getattr(row, k) for k in key))
        if clash is None:
            row.claim_id = target_id
            session.add(row)
            moved.append(row.id)
            continue
        keep_other = newer is not None and getattr(row, newer) > getattr(clash, newer)
        loser = clash if keep_other else row
        dropped.append({"table": model.__tablename__, **loser.model_dump(mode="json")})
        session.delete(loser)
        if keep_other:
            session.flush()
            row.claim_id = target_id
            session.add(row)
            moved.append(row.id)
    session.flush()
    return moved, dropped


def merge_claims(session: Session, actor: Actor, target_id: int, other_id: int, *, version: int | None,
                 other_version: int | None = None) -> Claim:
    """Merge claim `other_id` into `target_id`: mentions, suggestions, assessments, adjudications and
    evidence move; rows that would duplicate one already on the target (same source, same reviewer) keep
    the newer and the other's full content goes into the audit event, so nothing is lost. The merged-away
    claim stays as a tombstone with `merged_into_id`. Commits and returns the target.
    """
    if target_id == other_id:
        raise InvalidInput("A claim cannot be merged into itself.",
                           errors=[{"field": "other_id", "message": "must differ from the claim id"}])
    # Both rows are held until commit, in id order so two opposite merges cannot deadlock: a decision or
    # evidence on either claim waits, then finds its claim merged away (409) instead of landing on a tombstone.
    for claim_id in sorted((target_id, other_id)):
        lock_claim(session, claim_id)
    target = get_live_claim(session, target_id)
    other = get_live_claim(session, other_id)
    check_version("claim", target.version, version, current_state(target))
    check_version("claim", other.version, other_version, current_state(other), required=False)
    moved: dict[str, list[int]] = {}
    dropped: list[dict[str, Any]] = []
    for name, model, key, newer in (
        ("mentions", Mention, ("source_id", "start", "end"), None),
        ("suggestions", StanceSuggestion, ("source_id",), None),
        ("assessments", Assessment, ("source_id", "user_id"), "updated_at"),
        ("adjudications", Adjudication, ("source_id",), "updated_at"),
    ):
        moved[name], lost = _move_unique(session, model, other_id, target_id, key, newer)
        dropped.extend(lost)
    evidence = session.exec(select(Evidence).where(Evidence.claim_id == other_id)).all()
    for item in evidence:
        item.claim_id = target_id
        session.add(item)
    moved["evidence"] = [e.id for e in evidence if e.id is not None]
    for earlier in session.exec(select(Claim).where(Claim.merged_into_id == other_id)).all():
        earlier.merged_into_id = target_id  # keep tombstones pointing at a live claim
        session.add(earlier)
    now = utcnow()
    other.merged_into_id = target_id
    other.version += 1
    other.updated_at = now
    target.version += 1
    target.updated_at = now
    session.add_all([other, target])
    session.flush()
    record_event(session, actor, "claim.merged", "claim", target_id, claim_id=target_id,
                 before={"merged_claim": {"id": other_id, "text": other.text, "kind": other.kind},
                         "duplicates": dropped},
                 after={"into": target_id, "moved": moved})
    record_event(session, actor, "claim.merged_away", "claim", other_id, claim_id=other_id,
                 after={"merged_into_id": target_id})
    recompute_claim(session, target_id, actor)
    recompute_claim(session, other_id)
    session.commit()
    session.refresh(target)
    return target
