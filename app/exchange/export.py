"""The workspace as one JSON document: sources, then claims with their mentions and stances.

The shape is the one `shared/eval/score.py` reads; reviewers' assessments are stances with origin
"reviewed" (after the suggestions, so the scorer lets them win), beside adjudications and evidence.
The newsroom's work (assignments, notes, ratings, proposals, notifications) rides along, see newsroom_export.
Keys and lists are in a fixed order and no timestamp of the export itself is written, so exporting
the same workspace twice gives the same bytes.
"""

import json
from typing import Any

from sqlmodel import Session, col, select

from app.auth.models import User
from app.claims.models import Claim, Mention, StanceSuggestion
from app.exchange.newsroom_export import claim_newsroom, newsroom_rows, notification_entries
from app.review.models import Adjudication, Assessment, Evidence
from app.sources.anchors import passage_link
from app.sources.models import Source
from app.sources.service import source_summary

EXPORT_FORMAT = "crosscheck-workspace"
EXPORT_VERSION = 1


def _source_entry(source: Source) -> dict[str, Any]:
    entry = source_summary(source)
    entry["raw_text"] = source.raw_text
    entry["text"] = source.text
    return entry


def _group(rows: list[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.claim_id, []).append(row)
    return grouped


def _mention_entry(mention: Mention) -> dict[str, Any]:
    return {
        "source_id": mention.source_id,
        "start": mention.start,
        "end": mention.end,
        "quote": mention.quote,
        "origin": mention.origin,
        "score": mention.score,
        "worthiness_reason": mention.worthiness_reason,
        "features": mention.features or {},
    }


def _suggestion_entry(suggestion: StanceSuggestion) -> dict[str, Any]:
    evidence = None
    if suggestion.start is not None:
        evidence = {
            "source_id": suggestion.source_id,
            "start": suggestion.start,
            "end": suggestion.end,
            "quote": suggestion.quote,
        }
    return {
        "source_id": suggestion.source_id,
        "stance": suggestion.stance,
        "origin": "suggested",
        "confidence": round(suggestion.confidence, 4),
        "evidence": evidence,
    }


def _assessment_entry(assessment: Assessment, names: dict[int, str]) -> dict[str, Any]:
    return {
        "source_id": assessment.source_id,
        "stance": assessment.stance,
        "origin": "reviewed",
        "reviewer": names.get(assessment.user_id, ""),
        "note": assessment.note,
    }


def _adjudication_entry(adjudication: Adjudication, names: dict[int, str]) -> dict[str, Any]:
    return {
        "source_id": adjudication.source_id,
        "stance": adjudication.stance,
        "editor": names.get(adjudication.user_id, ""),
        "note": adjudication.note,
    }


def _evidence_entry(evidence: Evidence, names: dict[int, str]) -> dict[str, Any]:
    link = (
        passage_link(evidence.source_id, evidence.start or 0, evidence.end or 0)
        if evidence.source_id is not None
        else evidence.url
    )
    return {
        "source_id": evidence.source_id,
        "start": evidence.start,
        "end": evidence.end,
        "quote": evidence.quote,
        "prefix": evidence.prefix,
        "suffix": evidence.suffix,
        "url": evidence.url,
        "accessed_at": evidence.accessed_at.isoformat() if evidence.accessed_at else None,
        "note": evidence.note,
        "created_by": names.get(evidence.created_by_id, ""),
        "link": link,
    }


def _review_rows(session: Session) -> tuple[dict[int, list[Any]], dict[int, list[Any]], dict[int, list[Any]]]:
    assessments = _group(
        list(
            session.exec(
                select(Assessment).order_by(col(Assessment.claim_id), col(Assessment.source_id), col(Assessment.id))
            ).all()
        )
    )
    adjudications = _group(
        list(session.exec(select(Adjudication).order_by(col(Adjudication.claim_id), col(Adjudication.source_id))).all())
    )
    evidence = _group(list(session.exec(select(Evidence).order_by(col(Evidence.claim_id), col(Evidence.id))).all()))
    return assessments, adjudications, evidence


def _users(session: Session, ids: set[int]) -> list[User]:
    return list(session.exec(select(User).where(col(User.id).in_(ids)).order_by(col(User.name))).all())


def build_export(session: Session, claim_ids: list[int] | None = None) -> dict[str, Any]:
    """The workspace document; with `claim_ids`, only those claims (every source stays, so anchors resolve)."""
    sources = session.exec(select(Source).order_by(col(Source.id))).all()
    query = select(Claim).where(col(Claim.merged_into_id).is_(None)).order_by(col(Claim.id))
    if claim_ids is not None:
        query = query.where(col(Claim.id).in_(claim_ids))
    claims = session.exec(query).all()
    mentions = _group(
        list(
            session.exec(
                select(Mention).order_by(
                    col(Mention.claim_id), col(Mention.source_id), col(Mention.start), col(Mention.id)
                )
            ).all()
        )
    )
    suggestions = _group(
        list(
            session.exec(
                select(StanceSuggestion).order_by(col(StanceSuggestion.claim_id), col(StanceSuggestion.source_id))
            ).all()
        )
    )
    assessments, adjudications, evidence = _review_rows(session)
    live = {claim.id for claim in claims if claim.id is not None}
    newsroom = newsroom_rows(session, live)
    # Only people whose decisions are exported: an import recreates them (without passwords).
    user_ids = {
        row.user_id
        for rows in (assessments, adjudications)
        for cid, group in rows.items()
        if cid in live
        for row in group
    } | {e.created_by_id for cid, group in evidence.items() if cid in live for e in group}
    user_ids |= newsroom.user_ids()
    users = _users(session, user_ids)
    names = {u.id: u.name for u in users if u.id is not None}
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "users": [{"name": u.name, "role": u.role} for u in users],
        "sources": [_source_entry(s) for s in sources],
        "claims": [
            {
                "id": claim.id,
                "key": claim.key,
                "text": claim.text,
                "kind": claim.kind,
                "origin": claim.origin,
                "text_edited": claim.text_edited,
                "status": claim.status,
                "verdict": claim.verdict,
                "counts": {
                    "corroborating": claim.corroborating,
                    "contradicting": claim.contradicting,
                    "not_addressing": claim.not_addressing,
                },
                "has_conflict": claim.has_conflict,
                "mentions": [_mention_entry(m) for m in mentions.get(claim.id or 0, [])],
                "stances": [_suggestion_entry(s) for s in suggestions.get(claim.id or 0, [])]
                + [_assessment_entry(a, names) for a in assessments.get(claim.id or 0, [])],
                "adjudications": [_adjudication_entry(a, names) for a in adjudications.get(claim.id or 0, [])],
                "evidence": [_evidence_entry(e, names) for e in evidence.get(claim.id or 0, [])],
                **claim_newsroom(newsroom, claim.id or 0, names),
            }
            for claim in claims
        ],
        "notifications": notification_entries(newsroom, names),
    }


def export_json(session: Session, claim_ids: list[int] | None = None) -> str:
    return json.dumps(build_export(session, claim_ids), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
