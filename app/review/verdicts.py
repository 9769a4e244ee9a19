"""A claim's verdict, counts, conflict flag and review status, derived from reviewers' decisions.

Per (claim, source) the decision is the editor's adjudication if there is one, else the reviewers'
stance when they all agree; reviewers who disagree leave a conflict and no decision, and until an editor
adjudicates, a conflicted source counts once for each stance its reviewers took (so a dispute stays visible
instead of dropping out). A claim that only its one stating source supports is `single_source`, not
corroborated. Extraction's suggestions never count towards the verdict: they are reported beside it.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.audit import record_event
from app.auth.actor import Actor
from app.claims.models import Claim, Mention, StanceSuggestion
from app.clock import utcnow
from app.errors import NotFound
from app.review.models import Adjudication, Assessment
from app.webhooks.service import emit_event


@dataclass
class SourceDecision:
    """Everything decided or suggested about one source for one claim."""

    source_id: int
    assessments: list[Assessment] = field(default_factory=list)
    adjudication: Adjudication | None = None
    suggestion: StanceSuggestion | None = None
    mentions: int = 0

    @property
    def conflict(self) -> bool:
        return conflicted(self.adjudication.stance if self.adjudication else None, [a.stance for a in self.assessments])

    @property
    def decision(self) -> str | None:
        return decided(self.adjudication.stance if self.adjudication else None, [a.stance for a in self.assessments])


def conflicted(adjudicated: str | None, stances: Iterable[str]) -> bool:
    """Reviewers took different stances and no editor has adjudicated."""
    return adjudicated is None and len(set(stances)) > 1


def decided(adjudicated: str | None, stances: Iterable[str]) -> str | None:
    """The editor's stance if adjudicated, else the reviewers' when they all agree."""
    if adjudicated is not None:
        return adjudicated
    distinct = set(stances)
    return distinct.pop() if len(distinct) == 1 else None


def source_decisions(session: Session, claim_id: int) -> dict[int, SourceDecision]:
    """Per source related to the claim (mentioned, suggested, assessed or adjudicated), ordered by source id."""
    return decisions_from(
        session.exec(select(Mention).where(Mention.claim_id == claim_id)).all(),
        session.exec(select(StanceSuggestion).where(StanceSuggestion.claim_id == claim_id)).all(),
        session.exec(select(Assessment).where(Assessment.claim_id == claim_id).order_by(col(Assessment.id))).all(),
        session.exec(select(Adjudication).where(Adjudication.claim_id == claim_id)).all(),
    )


def decisions_from(
    mentions: Iterable[Mention],
    suggestions: Iterable[StanceSuggestion],
    assessments: Iterable[Assessment],
    adjudications: Iterable[Adjudication],
) -> dict[int, SourceDecision]:
    """`source_decisions` from one claim's rows already read; `assessments` oldest first within each source."""
    decisions: dict[int, SourceDecision] = {}

    def at(source_id: int) -> SourceDecision:
        return decisions.setdefault(source_id, SourceDecision(source_id))

    for mention in mentions:
        at(mention.source_id).mentions += 1
    for suggestion in suggestions:
        at(suggestion.source_id).suggestion = suggestion
    for assessment in assessments:
        at(assessment.source_id).assessments.append(assessment)
    for adjudication in adjudications:
        at(adjudication.source_id).adjudication = adjudication
    return dict(sorted(decisions.items()))


def stance_counts(decisions: dict[int, SourceDecision]) -> Counter[str]:
    """Sources per stance: each decided source once; each conflicted one once per stance taken on it."""
    counts: Counter[str] = Counter()
    for decision in decisions.values():
        if decision.decision:
            counts[decision.decision] += 1
        elif decision.conflict:
            counts.update({a.stance for a in decision.assessments})
    return counts


def supporting_sources(decisions: dict[int, SourceDecision]) -> int:
    """Distinct sources that state the claim (a mention) or were judged to corroborate it."""
    return sum(
        1
        for d in decisions.values()
        if d.mentions
        or d.decision == "corroborates"
        or (d.conflict and any(a.stance == "corroborates" for a in d.assessments))
    )


def verdict_for(corroborating: int, contradicting: int, supporting_sources: int = 2) -> str:
    """`supporting_sources`: how many distinct sources state or corroborate the claim."""
    if corroborating and contradicting:
        return "disputed"
    if corroborating:
        return "corroborated" if supporting_sources > 1 else "single_source"
    if contradicting:
        return "contradicted"
    return "unverified"


def status_for(decisions: dict[int, SourceDecision]) -> str:
    """open: nobody has reviewed; settled: every mentioned source decided, no conflict; else in_review."""
    reviewed = [d for d in decisions.values() if d.assessments or d.adjudication]
    if not reviewed:
        return "open"
    if any(d.conflict for d in decisions.values()):
        return "in_review"
    if any(d.decision is None for d in decisions.values() if d.mentions):
        return "in_review"
    return "settled"


def recompute_claim(session: Session, claim_id: int, actor: Actor | None = None) -> Claim:
    """Recompute a claim's verdict, counts, conflict flag and status in the caller's transaction.

    Call after any change to its mentions, assessments or adjudications (extraction calls it after
    writing suggestions). Does not commit. A changed verdict emits a `verdict.changed` webhook event;
    when an actor is given, a changed verdict and a changed review status are each an audit event.
    """
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"No claim with id {claim_id}.")
    session.flush()
    decisions = source_decisions(session, claim_id)
    counts = stance_counts(decisions)
    before = {
        "verdict": claim.verdict,
        "status": claim.status,
        "corroborating": claim.corroborating,
        "contradicting": claim.contradicting,
        "not_addressing": claim.not_addressing,
        "has_conflict": claim.has_conflict,
    }
    after = {
        "verdict": verdict_for(counts["corroborates"], counts["contradicts"], supporting_sources(decisions)),
        "status": status_for(decisions),
        "corroborating": counts["corroborates"],
        "contradicting": counts["contradicts"],
        "not_addressing": counts["not_addressed"],
        "has_conflict": any(d.conflict for d in decisions.values()),
    }
    if after == before:
        return claim
    for key, value in after.items():
        setattr(claim, key, value)
    claim.updated_at = utcnow()
    session.add(claim)
    if after["verdict"] != before["verdict"]:
        emit_event(session, "verdict.changed", {"claim_id": claim_id, "before": before, "after": after})
        if actor is not None:
            record_event(
                session,
                actor,
                "claim.verdict_changed",
                "claim",
                claim_id,
                claim_id=claim_id,
                before=before,
                after=after,
            )
    if after["status"] != before["status"] and actor is not None:
        record_event(
            session,
            actor,
            "claim.status_changed",
            "claim",
            claim_id,
            claim_id=claim_id,
            before={"status": before["status"]},
            after={"status": after["status"]},
        )
    return claim
