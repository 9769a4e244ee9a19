"""full-text search: SQLite FTS5 tables with triggers, PostgreSQL GIN indexes (hand-written)

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence
from pathlib import Path

from alembic import op

from app import fulltext

if not any(Path(__file__).parent.glob("0001_*.py")):
    # 0001 is regenerated from the models by deleting it and autogenerating against an empty
    # database, which cannot work while this revision sits on top of it.
    raise RuntimeError("migration 0001 is missing: to regenerate it, run scripts/regen-initial-migration.sh")

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    fulltext.create_objects(op.get_bind())


def downgrade() -> None:
    fulltext.drop_objects(op.get_bind())
