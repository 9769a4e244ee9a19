"""A claim's full review picture: mentions, suggestions, decisions, evidence, verdict and per-source summary."""

from collections import Counter

from sqlmodel import Session

from app.claims.models import Claim
from app.claims.schemas import MentionPublic, SuggestionPublic
from app.claims.service import get_claim, mentions_for, suggestions_for, to_public
from app.review.evidence import list_evidence, to_evidence_public
from app.review.schemas import ClaimDetail, SourceReview, VerdictSummary
from app.review.service import (
    get_adjudications,
    list_assessments,
    to_adjudication_public,
    to_assessment_public,
    user_names,
)
from app.review.verdicts import SourceDecision, decisions_from
from app.sources.anchors import passage_link
from app.sources.service import source_titles


def verdict_summary(
    claim: Claim, decisions: dict[int, SourceDecision], titles: dict[int, str | None], names: dict[int, str]
) -> tuple[VerdictSummary, list[SourceReview]]:
    """Counts of reviewed decisions (suggestions counted apart) and one line per related source."""
    counts = Counter(d.decision for d in decisions.values() if d.decision)
    suggested = Counter(d.suggestion.stance for d in decisions.values() if d.suggestion)
    summary = VerdictSummary(
        verdict=claim.verdict,
        status=claim.status,
        corroborating=counts["corroborates"],
        contradicting=counts["contradicts"],
        not_addressing=counts["not_addressed"],
        unclear=counts["unclear"],
        conflicts=sum(d.conflict for d in decisions.values()),
        suggested=dict(sorted(suggested.items())),
    )
    lines = [
        SourceReview(
            source_id=source_id,
            source_title=titles.get(source_id),
            mentions=d.mentions,
            suggestion=d.suggestion.stance if d.suggestion else None,
            assessments={names.get(a.user_id, str(a.user_id)): a.stance for a in d.assessments},
            adjudication=d.adjudication.stance if d.adjudication else None,
            decision=d.decision,
            conflict=d.conflict,
        )
        for source_id, d in decisions.items()
    ]
    return summary, lines


def claim_detail(session: Session, claim_id: int) -> ClaimDetail:
    """Everything about one claim, as the API and the UI show it; each of its tables read once."""
    claim = get_claim(session, claim_id)
    mentions = mentions_for(session, claim_id)
    suggestions = suggestions_for(session, claim_id)
    assessments = list_assessments(session, claim_id)
    evidence = list_evidence(session, claim_id)
    adjudications = get_adjudications(session, claim_id)
    names = user_names(
        session,
        {a.user_id for a in assessments} | {e.created_by_id for e in evidence} | {a.user_id for a in adjudications},
    )
    decisions = decisions_from(mentions, suggestions, assessments, adjudications)
    summary, sources = verdict_summary(claim, decisions, source_titles(session, decisions), names)
    return ClaimDetail(
        **to_public(claim).model_dump(),
        mentions=[
            MentionPublic.model_validate(m, from_attributes=True).model_copy(
                update={"link": passage_link(m.source_id, m.start, m.end)}
            )
            for m in mentions
        ],
        suggestions=[SuggestionPublic.model_validate(s, from_attributes=True) for s in suggestions],
        assessments=[to_assessment_public(session, a, names) for a in assessments],
        adjudications=[to_adjudication_public(session, a, names) for a in adjudications],
        evidence=[to_evidence_public(session, e, names) for e in evidence],
        summary=summary,
        sources=sources,
    )
