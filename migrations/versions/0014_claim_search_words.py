"""claim search words on PostgreSQL: one btree row per word of each claim text and mention quote

Revision ID: 0014
Revises: 0013

On PostgreSQL, revision 0011's `claim_search` held a tsvector per claim text and mention quote under a GIN
index. A GIN index gives the matching rows' addresses in no useful order, so counting up to 1,000 matching
claims and cutting a page by claim id visited a heap block per match (1,670 blocks for one word at 100k
claims; 17 at 1k): the search grew with the workspace. `claim_search_word` holds one row per word of each live
claim's text (segment 0) and of each of its mentions' quotes (segment = the mention's id), under the primary key
(word, claim_id, segment): a word's rows are one range of that index, in claim order, read without the heap, so a
page and a capped count stop after the claims they need. A claim still matches when its text, or one of its
quotes, holds every word: the rows of the query's first word are walked and each other word is probed in the
same segment. The words are the lexemes of `to_tsvector('simple', ...)`, as before; a query's words are those of
`to_tsvector('simple', query)`, the lexemes `plainto_tsquery('simple', query)` joins with AND.

The same trigger functions keep it current (replaced here), on every change to a claim's text or liveness and to
a mention's quote or claim. SQLite keeps 0011's FTS5 table, which already walks its matches in claim order.
The SQL is written out here, not imported from the application; downgrade restores 0011's table and functions.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLAIM_KEY = 4294967296  # 0011's key: claim_id * CLAIM_KEY + (mention id, or 0 for its text)

POSTGRES_UP = [
    "DROP TABLE claim_search",
    "CREATE TABLE claim_search_word (word text NOT NULL, claim_id integer NOT NULL, segment integer NOT NULL, "
    "PRIMARY KEY (word, claim_id, segment))",
    """CREATE OR REPLACE FUNCTION claim_search_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM claim_search_word WHERE claim_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.merged_into_id IS NULL THEN
        INSERT INTO claim_search_word SELECT words.lexeme, NEW.id, 0
            FROM unnest(to_tsvector('simple', NEW.text)) AS words;
        INSERT INTO claim_search_word SELECT words.lexeme, NEW.id, mention.id
            FROM mention, unnest(to_tsvector('simple', mention.quote)) AS words WHERE mention.claim_id = NEW.id;
    END IF;
    RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION claim_search_mention() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM claim_search_word WHERE claim_id = OLD.claim_id AND segment = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO claim_search_word SELECT words.lexeme, NEW.claim_id, NEW.id
            FROM claim, unnest(to_tsvector('simple', NEW.quote)) AS words
            WHERE claim.id = NEW.claim_id AND claim.merged_into_id IS NULL;
    END IF;
    RETURN NULL;
END $$""",
    "INSERT INTO claim_search_word SELECT words.lexeme, claim.id, 0 "
    "FROM claim, unnest(to_tsvector('simple', claim.text)) AS words WHERE claim.merged_into_id IS NULL",
    "INSERT INTO claim_search_word SELECT words.lexeme, claim.id, mention.id "
    "FROM mention JOIN claim ON claim.id = mention.claim_id, unnest(to_tsvector('simple', mention.quote)) AS words "
    "WHERE claim.merged_into_id IS NULL",
    # The triggers delete a claim's rows by claim, and a mention's by claim and segment.
    "CREATE INDEX ix_claim_search_word_claim_id ON claim_search_word (claim_id, segment)",
    "ANALYZE claim_search_word",
]

# Revision 0011's PostgreSQL objects, as 0011 wrote them.
POSTGRES_0011 = [
    "DROP TABLE claim_search_word",
    "CREATE TABLE claim_search (key bigint PRIMARY KEY, claim_id integer NOT NULL, document tsvector NOT NULL)",
    f"""CREATE OR REPLACE FUNCTION claim_search_claim() RETURNS trigger LANGUAGE plpgsql AS $$
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
    f"""CREATE OR REPLACE FUNCTION claim_search_mention() RETURNS trigger LANGUAGE plpgsql AS $$
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
    f"INSERT INTO claim_search SELECT id::bigint * {CLAIM_KEY}, id, to_tsvector('simple', text) FROM claim "
    "WHERE merged_into_id IS NULL",
    f"INSERT INTO claim_search SELECT claim.id::bigint * {CLAIM_KEY} + mention.id, claim.id, "
    "to_tsvector('simple', mention.quote) FROM mention JOIN claim ON claim.id = mention.claim_id "
    "WHERE claim.merged_into_id IS NULL",
    "CREATE INDEX ix_claim_search_document ON claim_search USING gin (document)",
    "CREATE INDEX ix_claim_search_claim_id ON claim_search (claim_id)",
    "ANALYZE claim_search",
]


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        return
    for statement in POSTGRES_UP:
        connection.execute(sa.text(statement))


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        return
    for statement in POSTGRES_0011:
        connection.execute(sa.text(statement))
