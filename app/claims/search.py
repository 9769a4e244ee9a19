"""Free-text search over claims, kept behind one function so its engine can change (FTS5, tsvector)."""

from typing import Any

from sqlmodel import col

from app.claims.models import Claim


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def apply_text_search(query: Any, q: str | None, dialect: str) -> Any:
    """Narrow a `select(Claim)` to claims whose text holds every word of `q` (case-insensitive).

    `dialect` is the engine's dialect name ("sqlite", "postgresql"); today both use LIKE/ILIKE.
    """
    if not q or not q.strip():
        return query
    for word in q.split():
        pattern = f"%{_escape_like(word)}%"
        # SQLite's LIKE is already case-insensitive for ASCII; PostgreSQL needs ILIKE.
        column = col(Claim.text)
        condition = column.ilike(pattern, escape="\\") if dialect == "postgresql" else column.like(pattern, escape="\\")
        query = query.where(condition)
    return query
