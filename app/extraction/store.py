"""The database step of extraction: run the pure core over stored sources and store what it finds.

This is the only extraction module that touches the database. Re-running is idempotent and keeps
reviewer work in place: claims are found again by their extraction key (following merges), a claim a
person has touched keeps its text and mentions (see claim_changes.py), a passage a reviewer moved to
another claim (a split or a merge) stays where the reviewer put it, suggestions live apart from
assessments, and every claim the run changes gets one version and one audit event.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.audit import record_event
from app.auth.actor import Actor, extraction_actor
from app.claims.models import Claim, Mention, StanceSuggestion
from app.extraction.claim_changes import (
    record_claim_changes,
    snapshot_claims,
    states_same_proposition,
    touched_claim_ids,
)
from app.extraction.core import extract_claims
from app.extraction.types import (
    NOT_ADDRESSED_CONFIDENCE,
    ClaimDraft,
    Document,
    ExistingClaim,
    MentionDraft,
    StanceDraft,
    Stances,
)
from app.jobs.models import Job
from app.jobs.service import ProgressReporter, register_job_handler
from app.review.match_suggestions import MatchCandidate, store_match_suggestions
from app.review.verdicts import recompute_claim
from app.sources.models import Source

Progress = Callable[[int, int], None]


@dataclass
class ExtractionSummary:
    sources: int = 0
    claims_created: int = 0
    claims_updated: int = 0
    mentions_added: int = 0
    mentions_removed: int = 0
    suggestions: int = 0
    match_suggestions: int = 0
    claim_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "sources": self.sources,
            "claims_created": self.claims_created,
            "claims_updated": self.claims_updated,
            "mentions_added": self.mentions_added,
            "mentions_removed": self.mentions_removed,
            "suggestions": self.suggestions,
            "match_suggestions": self.match_suggestions,
        }


def _document(source: Source) -> Document:
    assert source.id is not None
    return Document(source_id=source.id, text=source.text, published_at=source.published_at, title=source.title)


def _live_claim(session: Session, claim: Claim | None) -> Claim | None:
    """Follow merges to the claim that now holds the work."""
    seen: set[int] = set()
    while claim is not None and claim.merged_into_id is not None and claim.id not in seen:
        seen.add(claim.id or 0)
        claim = session.get(Claim, claim.merged_into_id)
    return claim


def _existing_claims(session: Session) -> list[ExistingClaim]:
    claims = session.exec(select(Claim).where(col(Claim.merged_into_id).is_(None)).order_by(col(Claim.id))).all()
    mentions: dict[int, list[MentionDraft]] = {}
    for mention in session.exec(select(Mention).order_by(col(Mention.id))).all():
        mentions.setdefault(mention.claim_id, []).append(
            MentionDraft(
                source_id=mention.source_id,
                start=mention.start,
                end=mention.end,
                quote=mention.quote,
                score=mention.score or 0.0,
                features=mention.features or {},
            )
        )
    return [ExistingClaim(claim_id=c.id or 0, text=c.text, mentions=mentions.get(c.id or 0, [])) for c in claims]


def run_extraction(
    session: Session,
    *,
    source_ids: list[int] | None = None,
    actor: Actor | None = None,
    progress: Progress | None = None,
    use_embeddings: bool | None = None,
) -> ExtractionSummary:
    """Extract claims from the given sources (default: all) and store them in one transaction."""
    actor = actor or extraction_actor(None)
    query = select(Source).order_by(col(Source.id))
    if source_ids:
        query = query.where(col(Source.id).in_(source_ids))
    sources = list(session.exec(query).all())
    summary = ExtractionSummary(sources=len(sources))
    if not sources:
        return summary
    # A full run regroups everything and finds its claims again by key; a run over some sources
    # (a new article) joins their mentions to the claims already stored.
    existing = _existing_claims(session) if source_ids else []
    documents = [_document(s) for s in sources]
    processed = {s.id for s in sources}
    # End the read transaction before the long computation: on SQLite it would hold the write lock.
    session.commit()
    drafts = extract_claims(documents, existing, progress=progress, use_embeddings=use_embeddings)
    targets = [_stored_claim_for(session, draft) for draft in drafts]
    affected = {c.id for c in targets if c is not None and c.id is not None} | _claims_in(session, processed)
    before = snapshot_claims(session, affected)
    touched = touched_claim_ids(session, affected)
    placed = _mention_places(session)
    produced: set[tuple[int, int, int]] = set()
    stances_by_claim: dict[int, list[StanceDraft]] = {}
    claim_of_key: dict[str, int] = {}
    for draft, target in zip(drafts, targets, strict=True):
        claim = _reworded(session, target, draft, touched, summary) if target else _new_claim(session, draft, summary)
        assert claim.id is not None
        for mention in draft.mentions:
            place = (mention.source_id, mention.start, mention.end)
            produced.add(place)
            if place in placed:
                continue  # already stored, possibly where a reviewer moved it
            session.add(
                Mention(
                    claim_id=claim.id,
                    source_id=mention.source_id,
                    start=mention.start,
                    end=mention.end,
                    quote=mention.quote,
                    score=mention.score,
                    features=mention.features,
                    worthiness_reason=mention.reason,
                    origin="extracted",
                )
            )
            placed[place] = claim.id
            summary.mentions_added += 1
        stances_by_claim.setdefault(claim.id, []).extend(_addressed(draft))
        summary.claim_ids.append(claim.id)
        claim_of_key[draft.key] = claim.id
    summary.match_suggestions = store_match_suggestions(session, _match_candidates(session, drafts, claim_of_key))
    suggested: set[tuple[int, int]] = set()
    for claim_id, stances in stances_by_claim.items():
        suggested |= _store_suggestions(session, claim_id, stances, summary)
    _remove_stale_suggestions(session, processed, suggested)
    summary.mentions_removed = _remove_stale_mentions(session, processed, produced, keep_claims=touched)
    session.flush()
    changed = affected | set(summary.claim_ids)
    for claim_id in sorted(changed):
        recompute_claim(session, claim_id)
    record_claim_changes(session, actor, before, changed)
    record_event(session, actor, "extraction.run", "extraction", None, after=summary.as_dict())
    session.commit()
    return summary


def _match_candidates(session: Session, drafts: list[ClaimDraft], claim_of_key: dict[str, int]) -> list[MatchCandidate]:
    """The drafts' uncertain matches, by the stored (live) claims they ended up in."""
    candidates = []
    for draft in drafts:
        for match in draft.suggested_matches:
            if match.other_key is not None:
                other_id = claim_of_key.get(match.other_key)
            else:
                other = _live_claim(session, session.get(Claim, match.other_claim_id))
                other_id = other.id if other is not None else None
            if other_id is not None and other_id != claim_of_key[draft.key]:
                candidates.append(MatchCandidate(claim_of_key[draft.key], other_id, match.score, match.reason))
    return candidates


def _mention_places(session: Session) -> dict[tuple[int, int, int], int]:
    return {(m.source_id, m.start, m.end): m.claim_id for m in session.exec(select(Mention)).all()}


def _claims_in(session: Session, source_ids: set[int | None]) -> set[int]:
    """Claims holding a mention or a suggestion of these sources: the ones a run over them may change."""
    ids = set(session.exec(select(Mention.claim_id).where(col(Mention.source_id).in_(source_ids))).all())
    ids |= set(
        session.exec(select(StanceSuggestion.claim_id).where(col(StanceSuggestion.source_id).in_(source_ids))).all()
    )
    return ids


def _stored_claim_for(session: Session, draft: ClaimDraft) -> Claim | None:
    """The stored claim a draft continues: the one it was matched to, else the one with its key (after merges)."""
    claim = None
    if draft.existing_claim_id is not None:
        claim = _live_claim(session, session.get(Claim, draft.existing_claim_id))
    if claim is None:
        claim = _live_claim(session, session.exec(select(Claim).where(Claim.key == draft.key)).first())
    return claim


def _new_claim(session: Session, draft: ClaimDraft, summary: ExtractionSummary) -> Claim:
    claim = Claim(key=draft.key, text=draft.text, kind=draft.kind, origin="extracted")
    session.add(claim)
    session.flush()
    summary.claims_created += 1
    return claim


def _reworded(
    session: Session, claim: Claim, draft: ClaimDraft, touched: set[int], summary: ExtractionSummary
) -> Claim:
    """A stored claim, given the draft's wording only when no person has touched it and it says the same."""
    if claim.id in touched or claim.origin != "extracted" or claim.text_edited:
        return claim
    if (claim.text, claim.kind) == (draft.text, draft.kind) or not states_same_proposition(claim.text, draft.text):
        return claim
    claim.text, claim.kind = draft.text, draft.kind
    session.add(claim)
    summary.claims_updated += 1
    return claim


def _strongest(stances: list[StanceDraft]) -> list[StanceDraft]:
    """Where merged claims bring several suggestions for one source, a stance beats silence, then confidence."""
    best: dict[int, StanceDraft] = {}
    for stance in stances:
        current = best.get(stance.source_id)
        rank = (stance.stance != "not_addressed", stance.confidence)
        if current is None or rank > (current.stance != "not_addressed", current.confidence):
            best[stance.source_id] = stance
    return [best[source_id] for source_id in sorted(best)]


def _addressed(draft: ClaimDraft) -> list[StanceDraft]:
    """The stances worth a row: all but `not_addressed` at full confidence (nothing in the source is close).

    Such a source reads as `not_addressed` without a row; storing one per claim x source pair would grow
    with the square of the workspace.
    """
    found = draft.stances.addressed() if isinstance(draft.stances, Stances) else draft.stances
    return [s for s in found if s.stance != "not_addressed" or s.confidence < NOT_ADDRESSED_CONFIDENCE]


def _store_suggestions(
    session: Session, claim_id: int, stances: list[StanceDraft], summary: ExtractionSummary
) -> set[tuple[int, int]]:
    """Write the claim's suggestions; returns the (claim, source) pairs written."""
    stored = {
        s.source_id: s
        for s in session.exec(select(StanceSuggestion).where(StanceSuggestion.claim_id == claim_id)).all()
    }
    written = set()
    for stance in _strongest(stances):
        written.add((claim_id, stance.source_id))
        suggestion = stored.get(stance.source_id) or StanceSuggestion(
            claim_id=claim_id, source_id=stance.source_id, stance=stance.stance, confidence=stance.confidence
        )
        suggestion.stance, suggestion.confidence = stance.stance, stance.confidence
        suggestion.start, suggestion.end, suggestion.quote = stance.start, stance.end, stance.quote
        suggestion.reason = stance.reason
        session.add(suggestion)
        summary.suggestions += 1
    return written


def _remove_stale_suggestions(session: Session, processed: set[int | None], written: set[tuple[int, int]]) -> None:
    """A suggestion about a processed source that this run did not make again is out of date."""
    for suggestion in session.exec(
        select(StanceSuggestion).where(col(StanceSuggestion.source_id).in_(processed))
    ).all():
        if (suggestion.claim_id, suggestion.source_id) not in written:
            session.delete(suggestion)


def _remove_stale_mentions(
    session: Session, processed: set[int | None], produced: set[tuple[int, int, int]], *, keep_claims: set[int]
) -> int:
    """Extracted mentions that a new run no longer finds go, except on claims people have worked on;
    reviewers' own mentions always stay."""
    removed = 0
    for mention in session.exec(
        select(Mention).where(Mention.origin == "extracted", col(Mention.source_id).in_(processed))
    ).all():
        if mention.claim_id in keep_claims:
            continue
        if (mention.source_id, mention.start, mention.end) not in produced:
            session.delete(mention)
            removed += 1
    return removed


def run_extraction_job(session: Session, job: Job, report_progress: ProgressReporter) -> dict[str, int]:
    """The `extract` background job: payload `{"source_ids": [...]}` (absent or empty: all sources)."""
    source_ids = [int(i) for i in job.payload.get("source_ids") or []]
    summary = run_extraction(
        session,
        source_ids=source_ids or None,
        actor=extraction_actor(job.id),
        progress=lambda done, total: report_progress(done, total, "extracting claims"),
    )
    return summary.as_dict()


register_job_handler("extract", run_extraction_job)
