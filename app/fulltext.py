"""Full-text search over claim text and mention quotes, in each database's own engine.

SQLite uses two external-content FTS5 tables (`claim_fts`, `mention_fts`) kept in sync by triggers;
PostgreSQL uses GIN expression indexes on `to_tsvector('simple', …)`. Both match whole words,
case-insensitively, and a claim matches when its text, or any one of its mention quotes, holds every
word of the query. The objects are created by migration 0002, not by the models, so Alembic's
autogenerate must not see them (`include_object`).

A later SQLite migration that batch-alters `claim` or `mention` recreates the table and loses its
triggers: call `create_sqlite_objects` again after it.
"""

from typing import Any

from sqlalchemy import Select, func, literal_column, select, text, union
from sqlalchemy.engine import Connection
from sqlmodel import col

from app.claims.indexes import LIVE_CLAIM_INDEXES
from app.claims.models import Claim, Mention

SQLITE_TABLES = ("claim_fts", "mention_fts")
POSTGRES_INDEXES = ("ix_claim_text_fts", "ix_mention_quote_fts")
TS_CONFIG: Any = literal_column("'simple'::regconfig")

# One external-content table per indexed column; triggers mirror every insert, delete and text change.
# Accents are kept, as PostgreSQL's `simple` configuration keeps them, so both engines agree.
_SQLITE_DDL = [
    "CREATE VIRTUAL TABLE claim_fts USING fts5(text, content='claim', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE mention_fts USING fts5(quote, content='mention', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER claim_fts_ai AFTER INSERT ON claim BEGIN "
    "INSERT INTO claim_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER claim_fts_ad AFTER DELETE ON claim BEGIN "
    "INSERT INTO claim_fts(claim_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER claim_fts_au AFTER UPDATE OF text ON claim BEGIN "
    "INSERT INTO claim_fts(claim_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO claim_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER mention_fts_ai AFTER INSERT ON mention BEGIN "
    "INSERT INTO mention_fts(rowid, quote) VALUES (new.id, new.quote); END",
    "CREATE TRIGGER mention_fts_ad AFTER DELETE ON mention BEGIN "
    "INSERT INTO mention_fts(mention_fts, rowid, quote) VALUES ('delete', old.id, old.quote); END",
    "CREATE TRIGGER mention_fts_au AFTER UPDATE OF quote ON mention BEGIN "
    "INSERT INTO mention_fts(mention_fts, rowid, quote) VALUES ('delete', old.id, old.quote); "
    "INSERT INTO mention_fts(rowid, quote) VALUES (new.id, new.quote); END",
    # Index whatever rows were there before the tables existed.
    "INSERT INTO claim_fts(claim_fts) VALUES ('rebuild')",
    "INSERT INTO mention_fts(mention_fts) VALUES ('rebuild')",
]
_SQLITE_TRIGGERS = ("claim_fts_ai", "claim_fts_ad", "claim_fts_au", "mention_fts_ai", "mention_fts_ad",
                    "mention_fts_au")

_POSTGRES_DDL = [
    "CREATE INDEX ix_claim_text_fts ON claim USING gin (to_tsvector('simple'::regconfig, text))",
    "CREATE INDEX ix_mention_quote_fts ON mention USING gin (to_tsvector('simple'::regconfig, quote))",
]


def create_objects(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        create_sqlite_objects(connection)
    else:
        for statement in _POSTGRES_DDL:
            connection.execute(text(statement))


def create_sqlite_objects(connection: Connection) -> None:
    drop_objects(connection)
    for statement in _SQLITE_DDL:
        connection.execute(text(statement))


def drop_objects(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for trigger in _SQLITE_TRIGGERS:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
        for table in SQLITE_TABLES:
            connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
    else:
        for index in POSTGRES_INDEXES:
            connection.execute(text(f"DROP INDEX IF EXISTS {index}"))


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, _compare_to: Any) -> bool:
    """Hide the search objects (and FTS5's shadow tables) from autogenerate: migration 0002 owns them.

    The live-claim partial indexes (app.claims.indexes, migration 0003) are hidden the same way.
    """
    if name is None:
        return True
    if type_ == "table" and any(name == t or name.startswith(t + "_") for t in SQLITE_TABLES):
        return False
    return not (type_ == "index" and (name in POSTGRES_INDEXES or name in LIVE_CLAIM_INDEXES))


def _sqlite_match_expression(query: str) -> str:
    """Each whitespace-separated chunk becomes a quoted FTS5 string, so user input is never FTS syntax."""
    chunks = [chunk.replace('"', '""') for chunk in query.split() if any(ch.isalnum() for ch in chunk)]
    return " ".join(f'"{chunk}"' for chunk in chunks)


def matching_claim_ids(dialect_name: str, query: str) -> Select[Any] | None:
    """A SELECT of claim ids matching every word of `query`, or None when it holds no words."""
    # A NUL ends an FTS5 string early ("unterminated string") and PostgreSQL refuses it in text: not a word.
    query = query.replace("\x00", " ")
    if not any(ch.isalnum() for ch in query):
        return None
    if dialect_name == "sqlite":
        expression = _sqlite_match_expression(query)
        in_claims: Select[Any] = select(literal_column("rowid").label("claim_id")).select_from(
            text("claim_fts")).where(text("claim_fts MATCH :claim_q").bindparams(claim_q=expression))
        mention_rows: Select[Any] = select(literal_column("rowid")).select_from(text("mention_fts")).where(
            text("mention_fts MATCH :mention_q").bindparams(mention_q=expression))
        in_mentions = select(col(Mention.claim_id)).where(col(Mention.id).in_(mention_rows))
        return select(union(in_claims, in_mentions).subquery().c[0])
    ts_query = func.plainto_tsquery(TS_CONFIG, query)
    in_claims_pg = select(col(Claim.id)).where(func.to_tsvector(TS_CONFIG, col(Claim.text)).op("@@")(ts_query))
    in_mentions_pg = select(col(Mention.claim_id)).where(
        func.to_tsvector(TS_CONFIG, col(Mention.quote)).op("@@")(ts_query))
    return select(union(in_claims_pg, in_mentions_pg).subquery().c[0])
