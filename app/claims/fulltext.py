"""Full-text search over claim text and mention quotes, in each database's own engine.

SQLite uses two external-content FTS5 tables (`claim_fts`, `mention_fts`) kept in sync by triggers;
PostgreSQL uses GIN expression indexes on `to_tsvector('simple', …)`. Both match whole words,
case-insensitively, and a claim matches when its text, or any one of its mention quotes, holds every
word of the query. The objects are created by migration 0002 (which holds their SQL), not by the models,
so Alembic's autogenerate must not see them (`include_object`).

A later SQLite migration that batch-alters `claim` or `mention` recreates the table and loses its
triggers: it must create them again with 0002's SQL, copied into it.
"""

from typing import Any

from sqlalchemy import Select, bindparam, func, literal_column, select, text, union
from sqlmodel import col

from app.claims.indexes import LIVE_CLAIM_INDEXES
from app.claims.models import Claim, Mention

SQLITE_TABLES = ("claim_fts", "mention_fts")
POSTGRES_INDEXES = ("ix_claim_text_fts", "ix_mention_quote_fts")
TS_CONFIG: Any = literal_column("'simple'::regconfig")


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, _compare_to: Any) -> bool:
    """Hide the search objects (and FTS5's shadow tables) from autogenerate: migration 0002 owns them.

    The live-claim partial indexes (app.claims.indexes, migration 0003) are hidden the same way.
    """
    if name is None:
        return True
    if type_ == "table" and any(name == t or name.startswith(t + "_") for t in SQLITE_TABLES):
        return False
    return not (type_ == "index" and (name in POSTGRES_INDEXES or name in LIVE_CLAIM_INDEXES))


def sqlite_match_expression(query: str) -> str:
    """Each whitespace-separated chunk becomes a quoted FTS5 string, so user input is never FTS syntax."""
    chunks = [chunk.replace('"', '""') for chunk in query.split() if any(ch.isalnum() for ch in chunk)]
    return " ".join(f'"{chunk}"' for chunk in chunks)


def search_words(query: str) -> str | None:
    """The query as the search engines may see it, or None when it holds no word (nothing can match)."""
    # A NUL ends an FTS5 string early ("unterminated string") and PostgreSQL refuses it in text: not a word.
    query = query.replace("\x00", " ")
    return query if any(ch.isalnum() for ch in query) else None


def text_search_ids(dialect_name: str, query: Any) -> Select[Any]:
    """A SELECT of claim ids matching every word of `query`, a bound parameter: on SQLite an FTS5 expression
    (`sqlite_match_expression`), on PostgreSQL the words as typed (`search_words`)."""
    if dialect_name == "sqlite":
        in_claims: Select[Any] = select(literal_column("rowid").label("claim_id")).select_from(
            text("claim_fts")).where(literal_column("claim_fts").op("MATCH")(query))
        mention_rows: Select[Any] = select(literal_column("rowid")).select_from(text("mention_fts")).where(
            literal_column("mention_fts").op("MATCH")(query))
        in_mentions = select(col(Mention.claim_id)).where(col(Mention.id).in_(mention_rows))
        return select(union(in_claims, in_mentions).subquery().c[0])
    ts_query = func.plainto_tsquery(TS_CONFIG, query)
    in_claims_pg = select(col(Claim.id)).where(func.to_tsvector(TS_CONFIG, col(Claim.text)).op("@@")(ts_query))
    in_mentions_pg = select(col(Mention.claim_id)).where(
        func.to_tsvector(TS_CONFIG, col(Mention.quote)).op("@@")(ts_query))
    return select(union(in_claims_pg, in_mentions_pg).subquery().c[0])


def matching_claim_ids(dialect_name: str, query: str) -> Select[Any] | None:
    """A SELECT of claim ids matching every word of `query`, or None when it holds no words."""
    words = search_words(query)
    if words is None:
        return None
    if dialect_name == "sqlite":
        return text_search_ids(dialect_name, bindparam("claim_q", sqlite_match_expression(words)))
    return text_search_ids(dialect_name, bindparam("claim_q", words))
