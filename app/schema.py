"""The whole schema's metadata, with every table registered (Alembic and tests read it)."""

from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers every table)

metadata = SQLModel.metadata
