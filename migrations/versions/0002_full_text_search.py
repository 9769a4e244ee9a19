"""full-text search: SQLite FTS5 tables with triggers, PostgreSQL GIN indexes (hand-written)

Revision ID: 0002
Revises: 0001

The SQL is written out here, not imported from the application: a migration must keep doing exactly what it
did when it first ran, whatever later happens to app/claims/fulltext.py.
"""

from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

if not any(Path(__file__).parent.glob("0001_*.py")):
    # 0001 is regenerated from the models by deleting it and autogenerating against an empty
    # database, which cannot work while this revision sits on top of it.
    raise RuntimeError("migration 0001 is missing: to regenerate it, run scripts/regen-initial-migration.sh")

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TABLES = ("claim_fts", "mention_fts")
POSTGRES_INDEXES = ("ix_claim_text_fts", "ix_mention_quote_fts")
# One external-content table per indexed column; triggers mirror every insert, delete and text change.
# Accents are kept, as PostgreSQL's `simple` configuration keeps them, so both engines agree.
SQLITE_DDL = [
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
SQLITE_TRIGGERS = ("claim_fts_ai", "claim_fts_ad", "claim_fts_au", "mention_fts_ai", "mention_fts_ad", "mention_fts_au")

POSTGRES_DDL = [
    "CREATE INDEX ix_claim_text_fts ON claim USING gin (to_tsvector('simple'::regconfig, text))",
    "CREATE INDEX ix_mention_quote_fts ON mention USING gin (to_tsvector('simple'::regconfig, quote))",
]


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        _drop(connection)
        statements = SQLITE_DDL
    else:
        statements = POSTGRES_DDL
    for statement in statements:
        connection.execute(sa.text(statement))


def downgrade() -> None:
    _drop(op.get_bind())


def _drop(connection: sa.Connection) -> None:
    if connection.dialect.name == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            connection.execute(sa.text(f"DROP TRIGGER IF EXISTS {trigger}"))
        for table in SQLITE_TABLES:
            connection.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
    else:
        for index in POSTGRES_INDEXES:
            connection.execute(sa.text(f"DROP INDEX IF EXISTS {index}"))
