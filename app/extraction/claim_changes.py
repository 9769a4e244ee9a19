"""What extraction may change on a stored claim, and the record of every change it makes.

People's work comes first: a claim a person has touched (assessed, adjudicated, edited, merged, split,
given evidence, created by hand, or acted on in any audited way) keeps its text and its mentions;
extraction may only add mentions and suggestions to it. An untouched claim may get a better wording,
but only one stating the same proposition. Every claim extraction changes gets exactly one new
version and one audit event (actor `extraction`, the job id, before and after), so its history
explains each version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from app.audit import record_event
from app.audit.models import AuditEvent
from app.auth.actor import Actor
from app.claims.models import Claim, Mention, StanceSuggestion
from app.clock import utcnow
from app.extraction.dates import date_keys, find_dates
from app.extraction.figures import figure_key, find_figures
from app.review.models import Adjudication, Assessment, Evidence

Snapshot = dict[str, Any]

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*")
_NEGATION = re.compile(
    r"\b(?:not|never|no|none|nor|neither|without|n't|den(?:y|ies|ied)|reject\w*|refus\w+|declin\w+)\b|n't\b",
    re.IGNORECASE,
)
# Function words carry no proposition; two wordings of one claim share most of what remains.
_FUNCTION_WORDS = frozenset(
    str.split(
        "a an the and or but of to in on at for by from with as is are was were be been being has have had "
        "do does did that this these those it its it's he she they them his her their we our you your i "
        "which who whom whose what when where while will would can could should may might must shall "
        "said says say told according also than then there here about into over after before"
    )
)
# Share of content words two wordings of one proposition must have in common.
_MIN_SHARED_WORDS = 0.5


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _FUNCTION_WORDS}


def states_same_proposition(current: str, proposed: str) -> bool:
    """Whether `proposed` is another wording of `current`, not a different claim.

    Conservative on purpose: the same figures, the same dates, the same polarity, and most content words
    shared. When in doubt the stored wording stays, which is never wrong.
    """
    if current.strip() == proposed.strip():
        return True
    if sorted(figure_key(f) for f in find_figures(current)) != sorted(figure_key(f) for f in find_figures(proposed)):
        return False
    if date_keys(find_dates(current)) != date_keys(find_dates(proposed)):
        return False
    if len(_NEGATION.findall(current)) % 2 != len(_NEGATION.findall(proposed)) % 2:
        return False
    words_current, words_proposed = _content_words(current), _content_words(proposed)
    if not words_current or not words_proposed:
        return False
    shared = len(words_current & words_proposed) / len(words_current | words_proposed)
    return shared >= _MIN_SHARED_WORDS


def touched_claim_ids(session: Session, claim_ids: Iterable[int]) -> set[int]:
    """The claims among `claim_ids` that a person has worked on in any way."""
    ids = sorted(set(claim_ids))
    if not ids:
        return set()
    touched: set[int] = set()
    for claim in session.exec(select(Claim).where(col(Claim.id).in_(ids))).all():
        if claim.origin != "extracted" or claim.text_edited or claim.merged_into_id is not None:
            touched.add(claim.id or 0)
    for model in (Assessment, Adjudication, Evidence):
        touched.update(session.exec(select(model.claim_id).where(col(model.claim_id).in_(ids))).all())
    touched.update(
        c for c in session.exec(select(Claim.merged_into_id).where(col(Claim.merged_into_id).in_(ids))).all() if c
    )
    # Anything else a person did to the claim is in its history under their user id.
    touched.update(
        c
        for c in session.exec(
            select(AuditEvent.claim_id).where(col(AuditEvent.claim_id).in_(ids), col(AuditEvent.user_id).is_not(None))
        ).all()
        if c is not None
    )
    return touched


def snapshot_claims(session: Session, claim_ids: Iterable[int]) -> dict[int, Snapshot]:
    """What extraction may change on each claim: wording, mentions, suggestions, status and verdict."""
    ids = sorted(set(claim_ids))
    if not ids:
        return {}
    snapshots: dict[int, Snapshot] = {
        claim.id or 0: {
            "text": claim.text,
            "kind": claim.kind,
            "status": claim.status,
            "verdict": claim.verdict,
            "mentions": [],
            "suggestions": {},
        }
        for claim in session.exec(select(Claim).where(col(Claim.id).in_(ids))).all()
    }
    for mention in session.exec(
        select(Mention).where(col(Mention.claim_id).in_(ids)).order_by(col(Mention.source_id), col(Mention.start))
    ).all():
        snapshots[mention.claim_id]["mentions"].append([mention.source_id, mention.start, mention.end])
    for suggestion in session.exec(
        select(StanceSuggestion)
        .where(col(StanceSuggestion.claim_id).in_(ids))
        .order_by(col(StanceSuggestion.source_id))
    ).all():
        snapshots[suggestion.claim_id]["suggestions"][str(suggestion.source_id)] = {
            "stance": suggestion.stance,
            "confidence": round(suggestion.confidence, 3),
        }
    return snapshots


def record_claim_changes(session: Session, actor: Actor, before: dict[int, Snapshot], claim_ids: Iterable[int]) -> int:
    """One audit event per claim this run created or changed, and one version per change; returns how many."""
    session.flush()
    after = snapshot_claims(session, claim_ids)
    recorded = 0
    for claim_id, now in after.items():
        was = before.get(claim_id)
        if was is None:
            record_event(session, actor, "claim.extracted", "claim", claim_id, claim_id=claim_id, after=now)
            recorded += 1
            continue
        changed = [key for key in now if now[key] != was[key]]
        if not changed:
            continue
        claim = session.get(Claim, claim_id)
        assert claim is not None
        claim.version += 1
        claim.updated_at = utcnow()
        session.add(claim)
        record_event(
            session,
            actor,
            "claim.extraction_updated",
            "claim",
            claim_id,
            claim_id=claim_id,
            before={key: was[key] for key in changed},
            after={**{key: now[key] for key in changed}, "version": claim.version},
        )
        recorded += 1
    return recorded
