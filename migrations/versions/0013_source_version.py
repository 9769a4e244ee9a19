"""source version: a change to a source's details names the version it was based on

Revision ID: 0013
Revises: 0012

Two editors correcting one source's details at once: the second save silently undid the first's corrections.
Each source now counts its metadata versions, so a save based on an older one is refused.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("source", sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")))


def downgrade() -> None:
    with op.batch_alter_table("source") as batch:
        batch.drop_column("version")
