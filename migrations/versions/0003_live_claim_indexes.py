"""live-claim partial indexes for list pages and counts (hand-written; same SQL on SQLite and PostgreSQL)

Revision ID: 0003
Revises: 0002

The SQL is written out here, not imported from the application: a migration must keep doing exactly what it
did when it first ran, whatever later happens to app/claims/indexes.py.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Partial indexes (CREATE INDEX … WHERE) are spelled the same by both databases.
CREATE = [
    "CREATE INDEX ix_claim_live_id ON claim (id) WHERE merged_into_id IS NULL",
    "CREATE INDEX ix_claim_live_verdict ON claim (verdict, id) WHERE merged_into_id IS NULL",
    "CREATE INDEX ix_claim_live_status ON claim (status, id) WHERE merged_into_id IS NULL",
    "CREATE INDEX ix_claim_live_updated ON claim (updated_at, id) WHERE merged_into_id IS NULL",
]
INDEXES = ("ix_claim_live_id", "ix_claim_live_verdict", "ix_claim_live_status", "ix_claim_live_updated")


def upgrade() -> None:
    for statement in CREATE:
        op.execute(sa.text(statement))


def downgrade() -> None:
    for name in INDEXES:
        op.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
