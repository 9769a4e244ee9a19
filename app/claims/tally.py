"""Live claims and settled ones, counted without reading every claim.

Every board page shows "settled of all live claims". Counted over the claims, that grew with the workspace
(6 ms on SQLite and ~20 ms on PostgreSQL at 100k claims, the one part of the board that did). `claim_tally`
holds the two counts instead, kept by triggers on `claim` on every insert, delete and change of status or
liveness, so no code path that writes claims can forget them (migration 0015 holds their SQL):
- SQLite: one row, changed in place. SQLite runs one writer at a time, so one row costs no concurrency.
- PostgreSQL: each statement that changes the counts appends a row of differences, so writers never wait on one
  another's lock on a shared row (an extraction's transaction would otherwise hold every reviewer's write that
  settles a claim until it commits). The counts are the rows' sums; a read that finds more than
  `FOLD_AFTER` rows folds the committed ones into one row, in a short transaction of its own.

A later SQLite migration that batch-alters `claim` recreates the table without its triggers: it must create
them again with 0015's SQL, copied into it.
"""

from sqlalchemy import Engine, text
from sqlmodel import Session

TALLY_TABLE = "claim_tally"
FOLD_AFTER = 64  # rows of differences a read sums before it folds them into one

_READ = text(f"SELECT coalesce(sum(live), 0), coalesce(sum(settled), 0), count(*) FROM {TALLY_TABLE}")
# Another reader already folding the rows would make this one wait on their locks: skip it instead.
_TAKE_TURN = text("SELECT pg_try_advisory_xact_lock(hashtext(:name))").bindparams(name=TALLY_TABLE)
_FOLD = text(
    f"WITH folded AS (DELETE FROM {TALLY_TABLE} RETURNING live, settled) "
    f"INSERT INTO {TALLY_TABLE} (live, settled) SELECT coalesce(sum(live), 0), coalesce(sum(settled), 0) FROM folded"
)


def live_and_settled(session: Session) -> tuple[int, int]:
    """How many claims are live (not merged away), and how many of those are settled."""
    live, settled, rows = session.connection().execute(_READ).one()
    if rows > FOLD_AFTER:
        fold_tally(session.get_bind())  # type: ignore[arg-type]
    return int(live), int(settled)


def fold_tally(engine: Engine) -> None:
    """Replace the committed rows of differences by one row of their sums (PostgreSQL; SQLite keeps one row)."""
    if engine.dialect.name == "sqlite":
        return
    with engine.begin() as connection:
        if connection.execute(_TAKE_TURN).scalar_one():
            connection.execute(_FOLD)
