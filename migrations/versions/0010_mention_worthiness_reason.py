"""mention worthiness reason

Extraction says why it found each passage check-worthy (its figures, dates, attribution, and what
counted against it), so a reviewer can check the reason against the passage.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("mention", sa.Column("worthiness_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mention") as batch:
        batch.drop_column("worthiness_reason")
