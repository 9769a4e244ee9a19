"""Merging two claims (everything attached to the merged-away claim moves; it keeps a tombstone), undoing it, and
splitting a mention off into a new claim. They change reviews as well as claims, so they sit above both."""

from typing import Any

from sqlmodel import Session, col, func, select

from app.audit import record_event
from app.audit.models import AuditEvent
from app.auth.actor import Actor
from app.claims.models import Claim, Mention, StanceSuggestion
from app.claims.service import current_state, get_live_claim, lock_claim
from app.clock import utcnow
from app.errors import InvalidInput, NotFound, check_version
from app.review.models import Adjudication, Assessment, Evidence
from app.review.verdicts import recompute_claim
from app.text_rules import CLAIM_TEXT_MAX_CHARS, check_text


def _move_unique(
    session: Session, model: Any, other_id: int, target_id: int, key: tuple[str, ...], newer: str | None
) -> tuple[list[int], list[dict[str, Any]]]:
    """Move rows to the target; where the target already has a row with the same key, keep one of the
    two (the newer when `newer` names a timestamp, else the target's) and return the other's content.
    """
    moved, dropped = [], []
    existing = {
        tuple(getattr(r, k) for k in key): r
        for r in session.exec(select(model).where(model.claim_id == target_id)).all()
    }
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
        survivor = row if keep_other else clash
        if hasattr(survivor, "version"):
            # Past both rows' versions: a client holding either one's version must now get 412, never a
            # match on the survivor's older number.
            survivor.version = max(row.version, clash.version) + 1
            session.add(survivor)
        if keep_other:
            session.flush()
            row.claim_id = target_id
            session.add(row)
            moved.append(row.id)
    session.flush()
    return moved, dropped


def merge_claims(
    session: Session,
    actor: Actor,
    target_id: int,
    other_id: int,
    *,
    version: int | None,
    other_version: int | None = None,
) -> Claim:
    """Merge claim `other_id` into `target_id`: mentions, suggestions, assessments, adjudications and
    evidence move; rows that would duplicate one already on the target (same source, same reviewer) keep
    the newer and the other's full content goes into the audit event, so nothing is lost. The merged-away
    claim stays as a tombstone with `merged_into_id`. Commits and returns the target.
    """
    if target_id == other_id:
        raise InvalidInput(
            "A claim cannot be merged into itself.",
            errors=[{"field": "other_id", "message": "must differ from the claim id"}],
        )
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
    repointed = []
    for earlier in session.exec(select(Claim).where(Claim.merged_into_id == other_id)).all():
        earlier.merged_into_id = target_id  # keep tombstones pointing at a live claim
        session.add(earlier)
        repointed.append(earlier.id)
    now = utcnow()
    other.merged_into_id = target_id
    other.version += 1
    other.updated_at = now
    target.version += 1
    target.updated_at = now
    session.add_all([other, target])
    session.flush()
    record_event(
        session,
        actor,
        "claim.merged",
        "claim",
        target_id,
        claim_id=target_id,
        before={"merged_claim": {"id": other_id, "text": other.text, "kind": other.kind}, "duplicates": dropped},
        after={"into": target_id, "moved": moved, "repointed": repointed},
    )
    record_event(
        session, actor, "claim.merged_away", "claim", other_id, claim_id=other_id, after={"merged_into_id": target_id}
    )
    recompute_claim(session, target_id, actor)
    recompute_claim(session, other_id)
    session.commit()
    session.refresh(target)
    return target


_TABLES: dict[str, Any] = {
    "mentions": Mention,
    "suggestions": StanceSuggestion,
    "assessments": Assessment,
    "adjudications": Adjudication,
    "evidence": Evidence,
}
_DUPLICATE_KEYS: dict[str, tuple[str, ...]] = {
    "mention": ("source_id", "start", "end"),
    "stance_suggestion": ("source_id",),
    "assessment": ("source_id", "user_id"),
    "adjudication": ("source_id",),
}


def merge_event(session: Session, target_id: int, other_id: int) -> AuditEvent | None:
    """The audit event of the merge of `other_id` into `target_id` (the latest, if it was merged twice)."""
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.action == "claim.merged", AuditEvent.entity_id == target_id)
        .order_by(col(AuditEvent.id).desc())
    ).all()
    return next((e for e in events if ((e.before or {}).get("merged_claim") or {}).get("id") == other_id), None)


def unmerge_claims(session: Session, actor: Actor, target_id: int, other_id: int, *, version: int | None) -> Claim:
    """Undo the merge of `other_id` into `target_id`, from what its audit event recorded: the rows that moved
    go back, duplicates the merge dropped are restored where they were, and the tombstone lives again.

    What was added to the surviving claim after the merge stays there; a dropped duplicate whose place has
    been taken since (the same reviewer assessed the same source again) is not restored over that newer
    work, and the event lists it. Commits and returns the restored claim."""
    for claim_id in sorted((target_id, other_id)):  # as a merge does: held until commit, in id order
        if session.get(Claim, claim_id) is not None:
            lock_claim(session, claim_id)
    target = get_live_claim(session, target_id)
    check_version("claim", target.version, version, current_state(target))
    other = session.get(Claim, other_id)
    event = merge_event(session, target_id, other_id)
    if other is None or other.merged_into_id != target_id or event is None:
        raise InvalidInput(
            f"Claim #{other_id} is not merged into claim #{target_id}; there is no merge to undo.",
            errors=[{"field": "other_id", "message": "not a claim merged into this one"}],
        )
    after = event.after or {}
    returned: dict[str, list[int]] = {}
    for name, ids in (after.get("moved") or {}).items():
        model = _TABLES[name]
        rows = session.exec(select(model).where(col(model.id).in_(ids), model.claim_id == target_id)).all()
        for row in rows:
            row.claim_id = other_id
            session.add(row)
        returned[name] = sorted(row.id for row in rows)
    session.flush()
    restored: list[dict[str, Any]] = []
    kept: list[dict[str, Any]] = []
    for dump in (event.before or {}).get("duplicates", []):
        row = _restore_duplicate(session, dict(dump))
        (restored if row is not None else kept).append(dump)
    for earlier_id in after.get("repointed", []):
        earlier = session.get(Claim, earlier_id)
        if earlier is not None and earlier.merged_into_id == target_id:
            earlier.merged_into_id = other_id
            session.add(earlier)
    now = utcnow()
    other.merged_into_id = None
    for claim in (other, target):
        claim.version += 1
        claim.updated_at = now
        session.add(claim)
    session.flush()
    record_event(
        session,
        actor,
        "claim.unmerged",
        "claim",
        target_id,
        claim_id=target_id,
        before={"merged_claim_id": other_id, "merge_event_id": event.id},
        after={
            "restored_claim_id": other_id,
            "returned": returned,
            "restored_duplicates": restored,
            "not_restored": kept,
        },
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
    session.commit()
    session.refresh(other)
    return other


def _restore_duplicate(session: Session, dump: dict[str, Any]) -> Any:
    """Put back a row the merge dropped, with its id when that is free; None when newer work holds its place."""
    table = dump.pop("table")
    model = next(m for m in _TABLES.values() if m.__tablename__ == table)
    key = _DUPLICATE_KEYS[table]
    clash = session.exec(
        select(model).where(model.claim_id == dump["claim_id"], *[getattr(model, k) == dump[k] for k in key])
    ).first()
    if clash is not None:
        return None
    if session.get(model, dump["id"]) is not None:
        dump.pop("id")
    row = model.model_validate(dump)
    session.add(row)
    session.flush()
    return row


def split_mention(
    session: Session, actor: Actor, claim_id: int, mention_id: int, *, version: int | None, text: str | None = None
) -> Claim:
    """Move one mention off into a new claim (worded as given, or as the mention); returns the new claim.

    Assessments and evidence stay with the original claim: they judged its wording, not the new one's.
    """
    check_text("text", text, CLAIM_TEXT_MAX_CHARS)
    claim = get_live_claim(session, claim_id)
    check_version("claim", claim.version, version, current_state(claim))
    mention = session.get(Mention, mention_id)
    if mention is None or mention.claim_id != claim_id:
        raise NotFound(
            f"Claim {claim_id} has no mention {mention_id}.",
            errors=[{"field": "mention_id", "message": "not a mention of this claim"}],
        )
    remaining = session.exec(select(func.count()).select_from(Mention).where(Mention.claim_id == claim_id)).one()
    if remaining < 2:
        raise InvalidInput(
            "A claim's only mention cannot be split off; edit the claim instead.",
            errors=[{"field": "mention_id", "message": "the claim's only mention"}],
        )
    new_claim = Claim(
        text=(text or mention.quote).strip(), kind=claim.kind, origin="split", text_edited=text is not None
    )
    session.add(new_claim)
    session.flush()
    assert new_claim.id is not None
    mention.claim_id = new_claim.id
    session.add(mention)
    claim.version += 1
    claim.updated_at = utcnow()
    session.add(claim)
    state = {"mention_id": mention.id, "source_id": mention.source_id, "start": mention.start, "end": mention.end}
    record_event(
        session,
        actor,
        "claim.split",
        "claim",
        claim.id,
        claim_id=claim.id,
        before={"claim_id": claim.id, **state},
        after={"claim_id": new_claim.id, **state},
    )
    record_event(
        session,
        actor,
        "claim.created",
        "claim",
        new_claim.id,
        claim_id=new_claim.id,
        after={"text": new_claim.text, "split_from": claim.id, **state},
    )
    recompute_claim(session, claim_id, actor)
    recompute_claim(session, new_claim.id, actor)
    session.commit()
    session.refresh(new_claim)
    return new_claim
