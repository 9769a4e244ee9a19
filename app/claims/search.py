"""Free-text search over claims, kept behind one function so its engine can change (FTS5, tsvector)."""

from typing import Any

from sqlalchemy import false
from sqlmodel import col

from app.claims.fulltext import matching_claim_ids
from app.claims.models import Claim


def apply_text_search(query: Any, q: str | None, dialect: str) -> Any:
    """Narrow a `select(Claim)` to claims whose text, or one of whose mention quotes, holds every word of `q`.

    `dialect` is the engine's dialect name ("sqlite", "postgresql"): SQLite searches its FTS5 tables,
    PostgreSQL its GIN-indexed tsvectors (app.claims.fulltext). Words match whole and case-insensitively.
    """
    if not q or not q.strip():
        return query
    matching = matching_claim_ids(dialect, q)
    if matching is None:
        # Only punctuation: there is no word to look for, so nothing matches.
        return query.where(false())
    return query.where(col(Claim.id).in_(matching))
