"""The claim page: its text, each source's passages, suggestions and decisions, evidence and history."""

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.api.deps import SessionDep
from app.audit.models import AuditEvent
from app.auth.actor import Actor
from app.claims import service as claims
from app.claims.models import Claim
from app.claims.service import get_claim
from app.errors import DomainError
from app.review.board import cells_for_claims
from app.review.detail import claim_detail
from app.review.match_suggestions import (
    board_matches,
    decided_suggestions,
    open_suggestions,
)
from app.review.schemas import ClaimDetail
from app.sources.anchors import passage_link
from app.sources.service import SourceColumn, column_sources, get_source, source_texts
from app.vocabulary import SORT_LABELS
from app.web.board import BOARD_FILTER_KEYS, BOARD_VIEW_KEY, board_filters
from app.web.deps import PageActor, WebRoute
from app.web.merge_pages import undoable_merges
from app.web.newsroom_context import claim_newsroom, describe_newsroom_event
from app.web.passages import InContext, in_context
from app.web.templating import STATUS_LABELS, flash, render

router = APIRouter(route_class=WebRoute)


@dataclass
class SourceCard:
    """Everything the claim page shows about one source."""

    source: SourceColumn
    passages: list[tuple[int, InContext]] = field(default_factory=list)  # (mention id, passage)
    reasons: dict[int, str] = field(default_factory=dict)  # mention id -> why extraction found it check-worthy
    suggestion: Any = None
    suggested_passage: InContext | None = None
    assessments: list[Any] = field(default_factory=list)
    adjudication: Any = None
    decision: str | None = None
    conflict: bool = False
    mine: Any = None
    evidence: list[Any] = field(default_factory=list)

    @property
    def related(self) -> bool:
        return bool(self.passages or self.suggestion or self.assessments or self.adjudication or self.evidence)


def source_cards(session: Session, detail: ClaimDetail, actor: Actor) -> list[SourceCard]:
    related = (
        {m.source_id for m in detail.mentions}
        | {s.source_id for s in detail.suggestions}
        | {a.source_id for a in detail.assessments}
        | {a.source_id for a in detail.adjudications}
    )
    # In a large workspace only the related sources get a card; the others are a source reader away.
    cards = {
        s.id: SourceCard(s) for s in column_sources(session, also=related, only_also_when_many=True) if s.id is not None
    }
    # Only the texts that passages are cut from, in one query (the cards' sources come without them).
    quoted = {m.source_id for m in detail.mentions} | {s.source_id for s in detail.suggestions}
    texts = source_texts(session, quoted)
    for mention in detail.mentions:
        if mention.source_id in cards:
            cards[mention.source_id].passages.append(
                (mention.id, in_context(texts[mention.source_id], mention.start, mention.end))
            )
            if mention.worthiness_reason:
                cards[mention.source_id].reasons[mention.id] = mention.worthiness_reason
    for suggestion in detail.suggestions:
        card = cards.get(suggestion.source_id)
        if card is None:
            continue
        card.suggestion = suggestion
        if suggestion.start is not None and suggestion.end is not None:
            card.suggested_passage = in_context(texts[suggestion.source_id], suggestion.start, suggestion.end, 160)
    for assessment in detail.assessments:
        if assessment.source_id in cards:
            cards[assessment.source_id].assessments.append(assessment)
            if assessment.user_id == actor.user_id:
                cards[assessment.source_id].mine = assessment
    for adjudication in detail.adjudications:
        if adjudication.source_id in cards:
            cards[adjudication.source_id].adjudication = adjudication
    for item in detail.evidence:
        if item.source_id in cards:
            cards[item.source_id].evidence.append(item)
    for line in detail.sources:
        if line.source_id in cards:
            cards[line.source_id].decision, cards[line.source_id].conflict = line.decision, line.conflict
    # Sources that speak to the claim come first; the rest stay reachable for a reviewer's judgement.
    return sorted(cards.values(), key=lambda card: (not card.related, card.source.id or 0))


def neighbours(session: Session, claim: Claim, board_view: dict[str, Any]) -> tuple[int | None, int | None]:
    """The claims just before and after this one in the board's last order and filter (by id when none, or when
    the stored view no longer parses), across the board's page ends: a keyset step either way from its position."""
    sort = str(board_view.get("sort") or "id")
    try:
        filters = board_filters(**{key: str(board_view.get(key) or "") for key in BOARD_FILTER_KEYS})
        position = claims.page_position(claim, sort if sort in claims.SORTS else "id")
    except (DomainError, AttributeError):
        filters, sort, position = {}, "id", claims.page_position(claim, "id")
    sort = position["sort"]
    # Only the neighbour is wanted, not how many claims there are.
    after, _total, _next = claims.list_claims(session, **filters, sort=sort, limit=1, count_limit=0, after=position)
    before, _total, _next = claims.list_claims(session, **filters, sort=sort, limit=1, count_limit=0, before=position)
    return (before[-1].id if before else None), (after[0].id if after else None)


def _describe_extraction_change(event: AuditEvent) -> str:
    """What an extraction run changed on the claim, in a reviewer's words."""
    before, after = event.before or {}, event.after or {}
    parts = []
    if "text" in after:
        parts.append(f"reworded it: “{after['text']}”")
    if "mentions" in after:
        old = {tuple(m) for m in before.get("mentions", [])}
        new = {tuple(m) for m in after["mentions"]}
        added = sorted({m[0] for m in new - old})
        removed = sorted({m[0] for m in old - new})
        if added:
            parts.append("found passages in " + ", ".join(f"S{s}" for s in added))
        if removed:
            parts.append("dropped passages of " + ", ".join(f"S{s}" for s in removed))
    if "suggestions" in after:
        old_suggestions, new_suggestions = before.get("suggestions", {}), after["suggestions"]
        moved = sorted(
            s for s in set(old_suggestions) | set(new_suggestions) if old_suggestions.get(s) != new_suggestions.get(s)
        )
        parts.append("updated suggestions for " + ", ".join(f"S{s}" for s in moved))
    for key in ("status", "verdict"):
        if key in after:
            parts.append(f"{key} {before.get(key)} → {after[key]}")
    job = f" (job {event.job_id})" if event.job_id else ""
    return ("; ".join(parts) or "re-checked the claim") + job


def describe_event(event: AuditEvent, claim_id: int | None = None) -> str:
    """A reviewer-readable line for an audit event, as seen from claim `claim_id`'s page; events of claims
    merged into it say which claim they happened on. The raw before/after stay in the API."""
    after = event.after or {}
    before = event.before or {}

    def stance(values: dict[str, Any]) -> str:
        return str(values.get("stance", "")).replace("_", " ")

    def status(values: dict[str, Any]) -> str:
        return STATUS_LABELS.get(str(values.get("status")), str(values.get("status"))).lower()

    split_from = after.get("split_from")
    labels = {
        "claim.created": f"split off from claim #{split_from}" if split_from else "created the claim",
        "claim.edited": f"edited the text: “{after.get('text', '')}”",
        "claim.merged": f"merged #{(before.get('merged_claim') or {}).get('id', '?')} into this claim",
        "claim.merged_away": f"merged into #{after.get('merged_into_id')}",
        "claim.unmerged": f"undid the merge of #{after.get('restored_claim_id')}: its mentions, assessments and "
        "evidence went back to it",
        "claim.restored": f"merge into #{before.get('merged_into_id')} undone: this claim is live again",
        "claim.split": f"split a mention off into claim #{after.get('claim_id')}",
        "claim.verdict_changed": f"verdict {before.get('verdict')} → {after.get('verdict')}",
        "claim.status_changed": f"status {status(before)} → {status(after)}",
        "assessment.created": f"marked S{event.source_id} {stance(after)}",
        "assessment.updated": f"changed S{event.source_id} to {stance(after)}",
        "assessment.deleted": f"withdrew the assessment of S{event.source_id}",
        "adjudication.created": f"adjudicated S{event.source_id}: {stance(after)}",
        "adjudication.updated": f"re-adjudicated S{event.source_id}: {stance(after)}",
        "evidence.created": f"added evidence from {'S' + str(event.source_id) if event.source_id else 'a web page'}",
        "evidence.updated": "changed an evidence item",
        "evidence.deleted": "removed an evidence item",
        "claim.extracted": "found the claim" + (f" (job {event.job_id})" if event.job_id else ""),
    }
    if event.action == "claim.extraction_updated":
        line = _describe_extraction_change(event)
    else:
        line = labels.get(event.action) or describe_newsroom_event(event) or event.action
    if claim_id is not None and event.claim_id is not None and event.claim_id != claim_id:
        return f"on #{event.claim_id}: {line}"
    return line


def render_claim(
    request: Request,
    session: Session,
    actor: Actor,
    claim_id: int,
    *,
    status_code: int = 200,
    conflict: dict[str, Any] | None = None,
    evidence_form: dict[str, Any] | None = None,
) -> Response:
    """The claim page; `evidence_form` brings back a typed evidence quote that occurs several times, each
    occurrence shown in context to pick from."""
    detail = claim_detail(session, claim_id)
    board_view = request.session.get(BOARD_VIEW_KEY) or {}
    if evidence_form is not None:
        text = get_source(session, evidence_form["source_id"]).text
        quote_length = len(evidence_form["quote"])
        evidence_form = evidence_form | {
            "occurrences": [in_context(text, start, start + quote_length, 60) for start in evidence_form["occurrences"]]
        }
    previous_id, next_id = neighbours(session, get_claim(session, claim_id), board_view)
    history = claims.claim_history(session, claim_id, limit=200)
    return render(
        request,
        "claim.html",
        actor,
        session=session,
        status_code=status_code,
        claim=detail,
        board_view=board_view,
        sort_labels=SORT_LABELS,
        cards=source_cards(session, detail, actor),
        previous_id=previous_id,
        next_id=next_id,
        history=[(event, describe_event(event, claim_id)) for event in reversed(history)],
        merged_here=undoable_merges(session, claim_id),
        conflict=conflict,
        passage_link=passage_link,
        evidence_form=evidence_form,
        **claim_newsroom(session, claim_id, actor),
        matches=open_suggestions(session, claim_id),
        decided_matches=decided_suggestions(session, claim_id),
    )


@router.get("/claims/search")
def search_claims(session: SessionDep, _actor: PageActor, q: str = "", exclude: int = 0) -> JSONResponse:
    """Live claims for the pickers (merge, evidence): the claim numbered `q` (`12` or `#12`) first, then those
    whose text holds every word of `q`."""
    words = q.strip()
    found, total, _next = claims.list_claims(session, q=words or None, limit=15)
    if (number := words.removeprefix("#")).isdigit() and len(number) < 12:
        by_number = session.get(Claim, int(number))
        if by_number is not None and by_number.merged_into_id is None:
            found = [by_number, *(c for c in found if c.id != by_number.id)]
            total += 1
    items = [{"id": c.id, "text": c.text, "verdict": c.verdict} for c in found if c.id != exclude]
    return JSONResponse({"items": items, "total": total})


@router.get("/claims/{claim_id}")
def claim_page(request: Request, claim_id: int, session: SessionDep, actor: PageActor) -> Response:
    claim = get_claim(session, claim_id)
    if claim.merged_into_id is not None:
        flash(request, f"Claim #{claim_id} was merged into claim #{claim.merged_into_id}.", "info")
        return RedirectResponse(f"/claims/{claim.merged_into_id}", status_code=303)
    return render_claim(request, session, actor, claim_id)


def board_row_context(session: Session, claim_id: int) -> dict[str, Any]:
    """What `_board_row.html` needs to redraw one claim's row after a change."""
    matches = board_matches(session, [claim_id])
    return {
        "claim": get_claim(session, claim_id),
        "sources": column_sources(session),
        "cells": cells_for_claims(session, [claim_id]),
        "match_counts": matches.counts,
        "top_matches": matches.best,
    }
