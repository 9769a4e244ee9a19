"""Reviewers' decisions: assessments per (claim, source, reviewer), adjudications, evidence."""

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.db import IDS_NEVER_REUSED


class Assessment(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("claim_id", "source_id", "user_id"),
        Index("ix_assessment_source_claim", "source_id", "claim_id"),
        IDS_NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    source_id: int = Field(foreign_key="source.id")
    user_id: int = Field(foreign_key="user.id", index=True)
    stance: str = Field(max_length=20)
    note: str = ""
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Adjudication(SQLModel, table=True):
    """An editor's final word on a (claim, source) where reviewers disagree."""

    __table_args__ = (UniqueConstraint("claim_id", "source_id"), IDS_NEVER_REUSED)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    source_id: int = Field(foreign_key="source.id")
    user_id: int = Field(foreign_key="user.id")
    stance: str = Field(max_length=20)
    note: str = ""
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Evidence(SQLModel, table=True):
    """A link to an exact passage: a stored source (offsets + quote) or an external URL with a quote."""

    __table_args__ = IDS_NEVER_REUSED

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    source_id: int | None = Field(default=None, foreign_key="source.id", index=True)
    start: int | None = None
    end: int | None = None
    quote: str
    prefix: str = ""
    suffix: str = ""
    url: str | None = Field(default=None, max_length=2000)
    accessed_at: date | None = None
    note: str = ""
    created_by_id: int = Field(foreign_key="user.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
