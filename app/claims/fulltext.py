"""Full-text search over claim text and mention quotes, in each database's own engine.

One search index, `claim_search`, holds a row per live claim's text and per quote of its mentions, keyed
claim_id * 2^32 + mention id (0 for the text): on SQLite an FTS5 table (the key is its rowid), on PostgreSQL a
table of tsvectors (`simple` configuration) with a GIN index. Both match whole words, case-insensitively, and a
claim matches when its text, or any one of its mention quotes, holds every word of the query. Matches come out
keyed by claim, only live claims are indexed, so a page or a capped count can stop early (app.claims.listing).
Migration 0011 creates the index and the triggers that keep it current (it holds their SQL), not the models, so
Alembic's autogenerate must not see them (`include_object`).

A later SQLite migration that batch-alters `claim` or `mention` recreates the table and loses its triggers: it
must create them again with 0011's SQL, copied into it.
"""

from typing import Any

from sqlalchemy import Select, bindparam, func, literal_column, select, text

from app.claims.indexes import LIVE_CLAIM_INDEXES

SEARCH_TABLE = "claim_search"
POSTGRES_INDEXES = ("ix_claim_search_document", "ix_claim_search_claim_id")
CLAIM_KEY = 2**32  # a claim's rows in the index are claim_id * CLAIM_KEY + (mention id, or 0 for its text)
TS_CONFIG: Any = literal_column("'simple'::regconfig")


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, _compare_to: Any) -> bool:
    """Hide the search index (and FTS5's shadow tables) from autogenerate: migration 0011 owns it.

    The live-claim partial indexes (app.claims.indexes, migration 0003) are hidden the same way.
    """
    if name is None:
        return True
    if type_ == "table" and (name == SEARCH_TABLE or name.startswith(SEARCH_TABLE + "_")):
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
    """A SELECT of the ids of live claims matching every word of `query`, a bound parameter: on SQLite an FTS5
    expression (`sqlite_match_expression`), on PostgreSQL the words as typed (`search_words`). An id may repeat
    (its text and a quote both match)."""
    return (
        select(search_claim_id(dialect_name)).select_from(text(SEARCH_TABLE)).where(search_match(dialect_name, query))
    )


def search_claim_id(dialect_name: str) -> Any:
    """The claim id of a row of the search index."""
    if dialect_name == "sqlite":
        return literal_column(f"{SEARCH_TABLE}.rowid / {CLAIM_KEY}")
    return literal_column(f"{SEARCH_TABLE}.claim_id")


def search_key(dialect_name: str) -> Any:
    """The key of a row of the search index, which orders its rows by claim."""
    return literal_column(f"{SEARCH_TABLE}.rowid" if dialect_name == "sqlite" else f"{SEARCH_TABLE}.key")


def search_match(dialect_name: str, query: Any) -> Any:
    """The condition that a row of the search index holds every word of `query` (see `text_search_ids`)."""
    if dialect_name == "sqlite":
        return literal_column(SEARCH_TABLE).op("MATCH")(query)
    return literal_column(f"{SEARCH_TABLE}.document").op("@@")(func.plainto_tsquery(TS_CONFIG, query))


def matching_claim_ids(dialect_name: str, query: str) -> Select[Any] | None:
    """A SELECT of claim ids matching every word of `query`, or None when it holds no words."""
    words = search_words(query)
    if words is None:
        return None
    if dialect_name == "sqlite":
        return text_search_ids(dialect_name, bindparam("claim_q", sqlite_match_expression(words)))
    return text_search_ids(dialect_name, bindparam("claim_q", words))


def search_page_ids(dialect_name: str, query: Any, limit: Any, after_id: Any | None, descending: bool) -> Select[Any]:
    """The ids of the first `limit` live claims matching `query` after `after_id` (a claim id, or None for the
    start), in id order: the index is walked by key and the walk stops after the page."""
    claim_id = search_claim_id(dialect_name)
    conditions = [search_match(dialect_name, query)]
    # FTS5 walks its rows in key order and stops once the page is full; PostgreSQL reads the matches from its GIN
    # index and sorts them (a GIN index has no order to walk).
    order = search_key(dialect_name) if dialect_name == "sqlite" else claim_id
    if after_id is not None:
        if dialect_name == "sqlite":  # a claim's rows lie from claim_id * CLAIM_KEY to the next claim's first key
            conditions.append(order < after_id * CLAIM_KEY if descending else order >= (after_id + 1) * CLAIM_KEY)
        else:
            conditions.append(order < after_id if descending else order > after_id)
    return (
        select(claim_id)
        .select_from(text(SEARCH_TABLE))
        .where(*conditions)
        .distinct()
        .order_by(order.desc() if descending else order)
        .limit(limit)
    )


def search_count(dialect_name: str, query: Any, count_limit: Any) -> Select[Any]:
    """How many live claims match `query`, counted up to `count_limit`."""
    matching = (
        select(search_claim_id(dialect_name))
        .select_from(text(SEARCH_TABLE))
        .where(search_match(dialect_name, query))
        .distinct()
        .limit(count_limit)
        .subquery()
    )
    return select(func.count()).select_from(matching)
