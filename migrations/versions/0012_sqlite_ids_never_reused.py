"""ids of deletable rows are never given again on SQLite (AUTOINCREMENT)

Revision ID: 0012
Revises: 0011

Without AUTOINCREMENT, SQLite gives a new row the largest id in use plus one, so deleting the newest assessment
(a withdrawal, or the older duplicate a merge drops) and then recording another one reuses its id: the audit log's
events for the deleted row would then read as the history of the new one. PostgreSQL sequences never go back, so
only SQLite changes: each table whose rows the application deletes is rebuilt with AUTOINCREMENT.

The claim search triggers read `mention` by name, and SQLite refuses to rename a table into place while a trigger
names a table that is missing; they are dropped for the rebuild and created again (their SQL copied from 0011).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("assessment", "adjudication", "evidence", "stance_suggestion", "assignment", "mention")
# Tables whose rows the audit log names by id (entity_type = table name): their counters start past every id the
# log has seen, so a row deleted before this upgrade cannot lend its id either.
AUDITED = ("assessment", "adjudication", "evidence", "assignment")

CLAIM_KEY = 4294967296
SEARCH_TRIGGERS = {
    "claim_search_claim_ai": "CREATE TRIGGER claim_search_claim_ai AFTER INSERT ON claim "
    "WHEN new.merged_into_id IS NULL BEGIN "
    f"INSERT INTO claim_search(rowid, body) VALUES (new.id * {CLAIM_KEY}, new.text); END",
    "claim_search_claim_au": "CREATE TRIGGER claim_search_claim_au AFTER UPDATE OF text, merged_into_id ON claim BEGIN "
    f"DELETE FROM claim_search WHERE rowid >= old.id * {CLAIM_KEY} AND rowid < (old.id + 1) * {CLAIM_KEY}; "
    f"INSERT INTO claim_search(rowid, body) SELECT new.id * {CLAIM_KEY}, new.text WHERE new.merged_into_id IS NULL; "
    f"INSERT INTO claim_search(rowid, body) SELECT new.id * {CLAIM_KEY} + mention.id, mention.quote FROM mention "
    "WHERE mention.claim_id = new.id AND new.merged_into_id IS NULL; END",
    "claim_search_claim_ad": "CREATE TRIGGER claim_search_claim_ad AFTER DELETE ON claim BEGIN "
    f"DELETE FROM claim_search WHERE rowid >= old.id * {CLAIM_KEY} AND rowid < (old.id + 1) * {CLAIM_KEY}; END",
    "claim_search_mention_ai": "CREATE TRIGGER claim_search_mention_ai AFTER INSERT ON mention BEGIN "
    f"INSERT INTO claim_search(rowid, body) SELECT new.claim_id * {CLAIM_KEY} + new.id, new.quote FROM claim "
    "WHERE claim.id = new.claim_id AND claim.merged_into_id IS NULL; END",
    "claim_search_mention_au": "CREATE TRIGGER claim_search_mention_au AFTER UPDATE OF claim_id, quote ON mention BEGIN "
    f"DELETE FROM claim_search WHERE rowid = old.claim_id * {CLAIM_KEY} + old.id; "
    f"INSERT INTO claim_search(rowid, body) SELECT new.claim_id * {CLAIM_KEY} + new.id, new.quote FROM claim "
    "WHERE claim.id = new.claim_id AND claim.merged_into_id IS NULL; END",
    "claim_search_mention_ad": "CREATE TRIGGER claim_search_mention_ad AFTER DELETE ON mention BEGIN "
    f"DELETE FROM claim_search WHERE rowid = old.claim_id * {CLAIM_KEY} + old.id; END",
}


def _rebuild(autoincrement: bool) -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    for trigger in SEARCH_TRIGGERS:
        connection.execute(sa.text(f"DROP TRIGGER IF EXISTS {trigger}"))
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ) as batch:
            batch.alter_column("id", existing_type=sa.Integer(), nullable=False)
    for statement in SEARCH_TRIGGERS.values():
        connection.execute(sa.text(statement))
    if autoincrement:
        for table in AUDITED:
            connection.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :table"), {"table": table})
            connection.execute(
                sa.text(
                    f"INSERT INTO sqlite_sequence(name, seq) SELECT :table, max(coalesce((SELECT max(id) FROM {table}), 0), "
                    "coalesce((SELECT max(entity_id) FROM audit_event WHERE entity_type = :table), 0))"
                ),
                {"table": table},
            )


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)
