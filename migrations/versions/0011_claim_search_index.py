"""claim search index: one row per claim text and per mention quote, keyed by claim id, live claims only

Revision ID: 0011
Revises: 0010

Search used two indexes (claim texts, mention quotes), so a query read every match of both, looked up each
mention's claim and probed every claim for being live before it could order by id, count and cut a page: the
work grew with the workspace. `claim_search` holds one row per live claim's text and per quote of its mentions
under the key claim_id * 2^32 + mention id (0 for the text), so the matches come out in claim order, already
live, and a page or a capped count stops early. A claim still matches when its text, or one of its quotes, holds
every word. Triggers keep it current on every change to a claim's text or liveness (merge, unmerge, delete) and
to a mention's quote or claim (merge and split move mentions), whichever service makes it.

The SQL is written out here, not imported from the application: a migration must keep doing exactly what it did
when it first ran. Downgrade restores revision 0002's two indexes (their SQL copied from 0002).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLAIM_KEY = 4294967296  # 2^32: a claim's rows are claim_id * CLAIM_KEY + (mention id, or 0 for its text)

SQLITE_UP = [
    "CREATE VIRTUAL TABLE claim_search USING fts5(body, tokenize='unicode61 remove_diacritics 0')",
    # A claim's rows, all of them, are rewritten when its text or its liveness changes.
    "CREATE TRIGGER claim_search_claim_ai AFTER INSERT ON claim WHEN new.merged_into_id IS NULL BEGIN "
    f"INSERT INTO claim_search(rowid, body) VALUES (new.id * {CLAIM_KEY}, new.text); END",
    "CREATE TRIGGER claim_search_claim_au AFTER UPDATE OF text, merged_into_id ON claim BEGIN "
    f"DELETE FROM claim_search WHERE rowid >= old.id * {CLAIM_KEY} AND rowid < (old.id + 1) * {CLAIM_KEY}; "
    f"INSERT INTO claim_search(rowid, body) SELECT new.id * {CLAIM_KEY}, new.text WHERE new.merged_into_id IS NULL; "
    f"INSERT INTO claim_search(rowid, body) SELECT new.id * {CLAIM_KEY} + mention.id, mention.quote FROM mention "
    "WHERE mention.claim_id = new.id AND new.merged_into_id IS NULL; END",
    "CREATE TRIGGER claim_search_claim_ad AFTER DELETE ON claim BEGIN "
    f"DELETE FROM claim_search WHERE rowid >= old.id * {CLAIM_KEY} AND rowid < (old.id + 1) * {CLAIM_KEY}; END",
    "CREATE TRIGGER claim_search_mention_ai AFTER INSERT ON mention BEGIN "
    f"INSERT INTO claim_search(rowid, body) SELECT new.claim_id * {CLAIM_KEY} + new.id, new.quote FROM claim "
    "WHERE claim.id = new.claim_id AND claim.merged_into_id IS NULL; END",
    "CREATE TRIGGER claim_search_mention_au AFTER UPDATE OF claim_id, quote ON mention BEGIN "
    f"DELETE FROM claim_search WHERE rowid = old.claim_id * {CLAIM_KEY} + old.id; "
    f"INSERT INTO claim_search(rowid, body) SELECT new.claim_id * {CLAIM_KEY} + new.id, new.quote FROM claim "
    "WHERE claim.id = new.claim_id AND claim.merged_into_id IS NULL; END",
    "CREATE TRIGGER claim_search_mention_ad AFTER DELETE ON mention BEGIN "
    f"DELETE FROM claim_search WHERE rowid = old.claim_id * {CLAIM_KEY} + old.id; END",
    # What is there already.
    f"INSERT INTO claim_search(rowid, body) SELECT id * {CLAIM_KEY}, text FROM claim WHERE merged_into_id IS NULL",
    f"INSERT INTO claim_search(rowid, body) SELECT claim.id * {CLAIM_KEY} + mention.id, mention.quote FROM mention "
    "JOIN claim ON claim.id = mention.claim_id WHERE claim.merged_into_id IS NULL",
    "INSERT INTO claim_search(claim_search) VALUES ('optimize')",
]
SQLITE_TRIGGERS = (
    "claim_search_claim_ai",
    "claim_search_claim_au",
    "claim_search_claim_ad",
    "claim_search_mention_ai",
    "claim_search_mention_au",
    "claim_search_mention_ad",
)

POSTGRES_UP = [
    "CREATE TABLE claim_search (key bigint PRIMARY KEY, claim_id integer NOT NULL, document tsvector NOT NULL)",
    f"""CREATE FUNCTION claim_search_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM claim_search WHERE claim_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.merged_into_id IS NULL THEN
        INSERT INTO claim_search VALUES (NEW.id::bigint * {CLAIM_KEY}, NEW.id, to_tsvector('simple', NEW.text));
        INSERT INTO claim_search SELECT NEW.id::bigint * {CLAIM_KEY} + mention.id, NEW.id,
            to_tsvector('simple', mention.quote) FROM mention WHERE mention.claim_id = NEW.id;
    END IF;
    RETURN NULL;
END $$""",
    f"""CREATE FUNCTION claim_search_mention() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM claim_search WHERE key = OLD.claim_id::bigint * {CLAIM_KEY} + OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO claim_search SELECT NEW.claim_id::bigint * {CLAIM_KEY} + NEW.id, NEW.claim_id,
            to_tsvector('simple', NEW.quote) FROM claim WHERE claim.id = NEW.claim_id AND claim.merged_into_id IS NULL;
    END IF;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER claim_search_claim AFTER INSERT OR DELETE OR UPDATE OF text, merged_into_id ON claim "
    "FOR EACH ROW EXECUTE FUNCTION claim_search_claim()",
    "CREATE TRIGGER claim_search_mention AFTER INSERT OR DELETE OR UPDATE OF claim_id, quote ON mention "
    "FOR EACH ROW EXECUTE FUNCTION claim_search_mention()",
    f"INSERT INTO claim_search SELECT id::bigint * {CLAIM_KEY}, id, to_tsvector('simple', text) FROM claim "
    "WHERE merged_into_id IS NULL",
    f"INSERT INTO claim_search SELECT claim.id::bigint * {CLAIM_KEY} + mention.id, claim.id, "
    "to_tsvector('simple', mention.quote) FROM mention JOIN claim ON claim.id = mention.claim_id "
    "WHERE claim.merged_into_id IS NULL",
    "CREATE INDEX ix_claim_search_document ON claim_search USING gin (document)",
    "CREATE INDEX ix_claim_search_claim_id ON claim_search (claim_id)",
    "ANALYZE claim_search",
]

# Revision 0002's objects, dropped by upgrade and restored by downgrade.
SQLITE_0002 = [
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
    "INSERT INTO claim_fts(claim_fts) VALUES ('rebuild')",
    "INSERT INTO mention_fts(mention_fts) VALUES ('rebuild')",
]
SQLITE_0002_TRIGGERS = (
    "claim_fts_ai",
    "claim_fts_ad",
    "claim_fts_au",
    "mention_fts_ai",
    "mention_fts_ad",
    "mention_fts_au",
)
POSTGRES_0002 = [
    "CREATE INDEX ix_claim_text_fts ON claim USING gin (to_tsvector('simple'::regconfig, text))",
    "CREATE INDEX ix_mention_quote_fts ON mention USING gin (to_tsvector('simple'::regconfig, quote))",
]


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for trigger in SQLITE_0002_TRIGGERS:
            connection.execute(sa.text(f"DROP TRIGGER IF EXISTS {trigger}"))
        for table in ("claim_fts", "mention_fts"):
            connection.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
        statements = SQLITE_UP
    else:
        for index in ("ix_claim_text_fts", "ix_mention_quote_fts"):
            connection.execute(sa.text(f"DROP INDEX IF EXISTS {index}"))
        statements = POSTGRES_UP
    for statement in statements:
        connection.execute(sa.text(statement))


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            connection.execute(sa.text(f"DROP TRIGGER IF EXISTS {trigger}"))
        connection.execute(sa.text("DROP TABLE IF EXISTS claim_search"))
        statements = SQLITE_0002
    else:
        connection.execute(sa.text("DROP TRIGGER IF EXISTS claim_search_claim ON claim"))
        connection.execute(sa.text("DROP TRIGGER IF EXISTS claim_search_mention ON mention"))
        connection.execute(sa.text("DROP FUNCTION IF EXISTS claim_search_claim()"))
        connection.execute(sa.text("DROP FUNCTION IF EXISTS claim_search_mention()"))
        connection.execute(sa.text("DROP TABLE IF EXISTS claim_search"))
        statements = POSTGRES_0002
    for statement in statements:
        connection.execute(sa.text(statement))
