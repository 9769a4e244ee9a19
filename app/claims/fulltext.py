"""Full-text search over claim text and mention quotes, in each database's own engine.

Both engines match whole words, case-insensitively, and a claim matches when its text, or any one of its
mention quotes, holds every word of the query. Only live claims are indexed, and matches come out in claim order,
so a page or a capped count stops early (app.claims.listing):
- SQLite: `claim_search`, an FTS5 table with a row per live claim's text and per quote of its mentions, its rowid
  claim_id * 2^32 + mention id (0 for the text), walked in rowid order (migration 0011).
- PostgreSQL: `claim_search_word`, a row per word (a `simple` lexeme) of each of those texts, under the primary
  key (word, claim_id, segment): one word's rows are one range of that btree, in claim order, read without the
  heap; other words of the query are probed in the same segment (migration 0014, which says why not a GIN index).
The migrations create the tables and the triggers that keep them current (they hold their SQL), not the models,
so Alembic's autogenerate must not see them (`app.claims.migrated_objects`).

A later SQLite migration that batch-alters `claim` or `mention` recreates the table and loses its triggers: it
must create them again with 0011's SQL, copied into it.
"""

from typing import Any

from sqlalchemy import (
    ARRAY,
    Select,
    Text,
    bindparam,
    column,
    exists,
    func,
    literal_column,
    select,
    table,
    text,
    type_coerce,
)
from sqlalchemy.sql.elements import Grouping

SEARCH_TABLE = "claim_search"  # SQLite (FTS5)
WORDS_TABLE = "claim_search_word"  # PostgreSQL
POSTGRES_INDEXES = ("ix_claim_search_word_claim_id",)
CLAIM_KEY = 2**32  # a claim's rows in the index are claim_id * CLAIM_KEY + (mention id, or 0 for its text)
TS_CONFIG: Any = literal_column("'simple'::regconfig")
_WORDS = table(WORDS_TABLE, column("word"), column("claim_id"), column("segment"))


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
    if dialect_name == "sqlite":
        return select(_fts_claim_id()).select_from(text(SEARCH_TABLE)).where(_fts_match(query))
    return select(_segment_matches(query).c.claim_id)


def _fts_claim_id() -> Any:
    return literal_column(f"{SEARCH_TABLE}.rowid / {CLAIM_KEY}")


def _fts_match(query: Any) -> Any:
    return literal_column(SEARCH_TABLE).op("MATCH")(query)


def _segment_matches(query: Any) -> Any:
    """PostgreSQL: the rows of `query`'s first word whose segment (a claim's text, or one quote) holds every other
    word too, as a subquery of (claim_id, segment) in claim order: the primary key's range for that word, with one
    probe of the same key per other word."""
    words = type_coerce(Grouping(func.tsvector_to_array(func.to_tsvector(TS_CONFIG, query))), ARRAY(Text))
    first = words[literal_column("1")]
    row = _WORDS.alias("matched")
    other = _WORDS.alias("other")
    wanted = func.unnest(func.array_remove(words, first)).table_valued("word").render_derived(name="wanted")
    held = (
        exists()
        .where(other.c.word == wanted.c.word, other.c.claim_id == row.c.claim_id, other.c.segment == row.c.segment)
        .correlate_except(other)
    )
    missing = exists(select(wanted.c.word).where(~held)).correlate_except(wanted)
    return select(row.c.claim_id, row.c.segment).where(row.c.word == first, ~missing).subquery("segments")


def search_parameter(dialect_name: str, query: str) -> Any | None:
    """`query` bound as the search engine takes it, or None when it holds no words."""
    words = search_words(query)
    if words is None:
        return None
    return bindparam("claim_q", sqlite_match_expression(words) if dialect_name == "sqlite" else words)


def matching_claim_ids(dialect_name: str, query: str) -> Select[Any] | None:
    """A SELECT of claim ids matching every word of `query`, or None when it holds no words."""
    words = search_parameter(dialect_name, query)
    return None if words is None else text_search_ids(dialect_name, words)


def search_page_ids(dialect_name: str, query: Any, limit: Any, after_id: Any | None, descending: bool) -> Select[Any]:
    """The ids of the first `limit` live claims matching `query` after `after_id` (a claim id, or None for the
    start), in id order: the index is walked in claim order and the walk stops after the page."""
    if dialect_name == "sqlite":
        # FTS5 walks its rows in key order; a claim's rows lie from claim_id * CLAIM_KEY to the next claim's first.
        key: Any = literal_column(f"{SEARCH_TABLE}.rowid")
        conditions = [_fts_match(query)]
        if after_id is not None:
            conditions.append(key < after_id * CLAIM_KEY if descending else key >= (after_id + 1) * CLAIM_KEY)
        claim_id = _fts_claim_id()
        statement = select(claim_id).select_from(text(SEARCH_TABLE)).where(*conditions)
        order = key
    else:
        segments = _segment_matches(query)
        claim_id = order = segments.c.claim_id
        statement = select(claim_id)
        if after_id is not None:
            statement = statement.where(claim_id < after_id if descending else claim_id > after_id)
    return statement.distinct().order_by(order.desc() if descending else order).limit(limit)


def search_count(dialect_name: str, query: Any, count_limit: Any) -> Select[Any]:
    """How many live claims match `query`, counted up to `count_limit` (in claim order on PostgreSQL, so the
    distinct claims come off the index one after another and the count stops at the limit)."""
    matching = text_search_ids(dialect_name, query).distinct()
    if dialect_name != "sqlite":
        matching = matching.order_by(*matching.selected_columns)
    return select(func.count()).select_from(matching.limit(count_limit).subquery())
