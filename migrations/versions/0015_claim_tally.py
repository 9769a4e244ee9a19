"""claim tally: live claims and settled ones, kept by triggers instead of counted per page

Revision ID: 0015
Revises: 0014

`claim_tally` holds how many claims are live (`merged_into_id IS NULL`) and how many of those are settled, so the
board's header no longer counts every claim (app.claims.tally says why each database keeps it its own way):
- SQLite: one row (id 1), changed in place by row triggers on insert, delete and a change of status or
  liveness.
- PostgreSQL: statement triggers with transition tables append one row of differences per statement that changes
  the counts; readers sum the rows and fold them into one now and then.
The SQL is written out here, not imported from the application; downgrade drops the table and its triggers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "merged_into_id IS NULL"
SETTLED = "merged_into_id IS NULL AND status = 'settled'"


def _sqlite_change(row: str, sign: str) -> str:
    return (
        f"INSERT INTO claim_tally (id, live, settled) "
        f"VALUES (1, {sign}({row}.{LIVE}), {sign}({row}.merged_into_id IS NULL AND {row}.status = 'settled')) "
        "ON CONFLICT (id) DO UPDATE SET live = live + excluded.live, settled = settled + excluded.settled;"
    )


SQLITE_UP = [
    "CREATE TABLE claim_tally (id INTEGER PRIMARY KEY, live INTEGER NOT NULL, settled INTEGER NOT NULL)",
    f"INSERT INTO claim_tally (id, live, settled) SELECT 1, count(*) FILTER (WHERE {LIVE}), "
    f"count(*) FILTER (WHERE {SETTLED}) FROM claim",
    f"CREATE TRIGGER claim_tally_insert AFTER INSERT ON claim BEGIN {_sqlite_change('new', '+')} END",
    f"CREATE TRIGGER claim_tally_delete AFTER DELETE ON claim BEGIN {_sqlite_change('old', '-')} END",
    "CREATE TRIGGER claim_tally_update AFTER UPDATE OF status, merged_into_id ON claim "
    "WHEN (old.merged_into_id IS NULL) IS NOT (new.merged_into_id IS NULL) OR old.status IS NOT new.status "
    f"BEGIN {_sqlite_change('old', '-')} {_sqlite_change('new', '+')} END",
]

POSTGRES_UP = [
    "CREATE TABLE claim_tally (id bigserial PRIMARY KEY, live bigint NOT NULL, settled bigint NOT NULL)",
    f"INSERT INTO claim_tally (live, settled) SELECT count(*) FILTER (WHERE {LIVE}), "
    f"count(*) FILTER (WHERE {SETTLED}) FROM claim",
    f"""CREATE FUNCTION claim_tally_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    live_in bigint := 0; settled_in bigint := 0; live_out bigint := 0; settled_out bigint := 0;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        SELECT count(*) FILTER (WHERE {LIVE}), count(*) FILTER (WHERE {SETTLED})
            INTO live_in, settled_in FROM new_rows;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT count(*) FILTER (WHERE {LIVE}), count(*) FILTER (WHERE {SETTLED})
            INTO live_out, settled_out FROM old_rows;
    END IF;
    IF live_in <> live_out OR settled_in <> settled_out THEN
        INSERT INTO claim_tally (live, settled) VALUES (live_in - live_out, settled_in - settled_out);
    END IF;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER claim_tally_insert AFTER INSERT ON claim REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION claim_tally_change()",
    "CREATE TRIGGER claim_tally_update AFTER UPDATE ON claim REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION claim_tally_change()",
    "CREATE TRIGGER claim_tally_delete AFTER DELETE ON claim REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION claim_tally_change()",
    # TRUNCATE fires no row or statement triggers of the events above: it empties the tally with the claims.
    "CREATE FUNCTION claim_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN DELETE FROM claim_tally; RETURN NULL; END $$",
    "CREATE TRIGGER claim_tally_truncate AFTER TRUNCATE ON claim FOR EACH STATEMENT "
    "EXECUTE FUNCTION claim_tally_truncate()",
]

POSTGRES_DOWN = [
    "DROP TRIGGER claim_tally_truncate ON claim",
    "DROP TRIGGER claim_tally_delete ON claim",
    "DROP TRIGGER claim_tally_update ON claim",
    "DROP TRIGGER claim_tally_insert ON claim",
    "DROP FUNCTION claim_tally_truncate()",
    "DROP FUNCTION claim_tally_change()",
    "DROP TABLE claim_tally",
]

SQLITE_DOWN = [
    "DROP TRIGGER claim_tally_update",
    "DROP TRIGGER claim_tally_delete",
    "DROP TRIGGER claim_tally_insert",
    "DROP TABLE claim_tally",
]


def upgrade() -> None:
    connection = op.get_bind()
    for statement in SQLITE_UP if connection.dialect.name == "sqlite" else POSTGRES_UP:
        connection.execute(sa.text(statement))


def downgrade() -> None:
    connection = op.get_bind()
    for statement in SQLITE_DOWN if connection.dialect.name == "sqlite" else POSTGRES_DOWN:
        connection.execute(sa.text(statement))
