"""The audit log's one table: events appended by every change and never updated."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class AuditEvent(SQLModel, table=True):
    """One change, appended and never updated: who did what to which record, before and after."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=200)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    token_id: int | None = Field(default=None, foreign_key="api_token.id")
    # The background job that made the change (extraction runs), when an automation did.
    job_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=50, index=True)
    entity_type: str = Field(max_length=50)
    entity_id: int | None = None
    claim_id: int | None = Field(default=None, index=True)
    source_id: int | None = Field(default=None, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
