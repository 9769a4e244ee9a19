"""claim index for sorting by last change

A plain (updated_at, id) index, so SQLite can walk claims in "recently changed" order while skipping
the few merged-away ones, instead of sorting every live claim (see app/claims/service.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 09:55:40.165575
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain CREATE INDEX: a batch operation on SQLite could rebuild `claim` and lose its search triggers.
    op.create_index("ix_claim_updated_id", "claim", ["updated_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_claim_updated_id", table_name="claim")
