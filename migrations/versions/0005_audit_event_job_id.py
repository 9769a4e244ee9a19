"""audit event job id

Extraction runs as a background job; each change it makes to a claim names the job, so a reviewer can
tell which run moved a claim and read that run's summary.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch operation on SQLite would rebuild the table.
    op.add_column("audit_event", sa.Column("job_id", sa.Integer(), nullable=True))
    op.create_index("ix_audit_event_job_id", "audit_event", ["job_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_event_job_id", table_name="audit_event")
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("job_id")
