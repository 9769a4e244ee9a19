"""claim match suggestions and stance suggestion reasons

Extraction groups only the pairs it is sure of; the uncertain ones become suggested matches that a
reviewer accepts (a merge) or rejects (never suggested again). Each stance suggestion keeps its reason.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("stance_suggestion", sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.create_table(
        "claim_match_suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("other_claim_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"]),
        sa.ForeignKeyConstraint(["other_claim_id"], ["claim.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("claim_id", "other_claim_id"),
    )
    op.create_index("ix_claim_match_suggestion_claim_id", "claim_match_suggestion", ["claim_id"])
    op.create_index("ix_claim_match_suggestion_other_claim_id", "claim_match_suggestion", ["other_claim_id"])
    op.create_index("ix_claim_match_suggestion_status", "claim_match_suggestion", ["status"])


def downgrade() -> None:
    op.drop_table("claim_match_suggestion")
    with op.batch_alter_table("stance_suggestion") as batch:
        batch.drop_column("reason")
