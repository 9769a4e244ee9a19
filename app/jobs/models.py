"""Background jobs: long work (extraction, imports) with progress a client can poll."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.vocabulary import JobStatus


class Job(SQLModel, table=True):
    __table_args__ = (Index("ix_job_status_id", "status", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=50)
    status: str = Field(default=JobStatus.QUEUED, max_length=20)
    progress: int = 0
    total: int = 0
    message: str = ""
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    error: str | None = None
    worker: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
