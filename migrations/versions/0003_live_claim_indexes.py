"""live-claim partial indexes for list pages and counts (hand-written; same SQL on SQLite and PostgreSQL)

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

from alembic import op

from app.claims import indexes

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Partial indexes (CREATE INDEX … WHERE) are spelled the same by both databases.
    indexes.create_live_indexes(op.get_bind())


def downgrade() -> None:
    indexes.drop_live_indexes(op.get_bind())
