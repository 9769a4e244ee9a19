"""The workspace as one JSON document: sources, then claims with their mentions and stances.

The shape is the one `shared/eval/score.py` reads. Keys and lists are in a fixed order and no
timestamp of the export itself is written, so exporting the same workspace twice gives the same bytes.
"""

import json
from typing import Any

from sqlmodel import Session, col, select

from app.claims.models import Claim, Mention, StanceSuggestion
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
    return {"source_id": mention.source_id, "start": mention.start, "end": mention.end, "quote": mention.quote,
            "origin": mention.origin, "score": mention.score}


def _suggestion_entry(suggestion: StanceSuggestion) -> dict[str, Any]:
    evidence = None
    if suggestion.start is not None:
        evidence = {"source_id": suggestion.source_id, "start": suggestion.start, "end": suggestion.end,
                    "quote": suggestion.quote}
    return {"source_id": suggestion.source_id, "stance": suggestion.stance, "origin": "suggested",
            "confidence": round(suggestion.confidence, 4), "evidence": evidence}


def build_export(session: Session) -> dict[str, Any]:
    sources = session.exec(select(Source).order_by(col(Source.id))).all()
    claims = session.exec(select(Claim).where(col(Claim.merged_into_id).is_(None)).order_by(col(Claim.id))).all()
    mentions = _group(list(session.exec(select(Mention).order_by(col(Mention.claim_id), col(Mention.source_id),
                                                                  col(Mention.start), col(Mention.id))).all()))
    suggestions = _group(list(session.exec(
        select(StanceSuggestion).order_by(col(StanceSuggestion.claim_id), col(StanceSuggestion.source_id))).all()))
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "sources": [_source_entry(s) for s in sources],
        "claims": [
            {
                "id": claim.id, "key": claim.key, "text": claim.text, "kind": claim.kind, "origin": claim.origin,
                "status": claim.status, "verdict": claim.verdict,
                "mentions": [_mention_entry(m) for m in mentions.get(claim.id or 0, [])],
                "stances": [_suggestion_entry(s) for s in suggestions.get(claim.id or 0, [])],
            }
            for claim in claims
        ],
    }


def export_json(session: Session) -> str:
    return json.dumps(build_export(session), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
