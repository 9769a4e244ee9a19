"""Claims, their mentions in sources, and the stances extraction suggests for each source."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.db import IDS_NEVER_REUSED
from app.vocabulary import ClaimKind, ReviewStatus, Verdict


class Claim(SQLModel, table=True):
    __table_args__ = (
        Index("ix_claim_verdict_id", "verdict", "id"),
        Index("ix_claim_status_id", "status", "id"),
        Index("ix_claim_updated_id", "updated_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Extraction's stable identity for the claim, so re-running keeps reviewer work attached.
    key: str | None = Field(default=None, max_length=64, unique=True)
    text: str
    kind: str = Field(default=ClaimKind.STATEMENT, max_length=20, index=True)
    origin: str = Field(default="extracted", max_length=20)
    text_edited: bool = False
    status: str = Field(default=ReviewStatus.OPEN, max_length=20)
    verdict: str = Field(default=Verdict.UNVERIFIED, max_length=20)
    corroborating: int = 0
    contradicting: int = 0
    not_addressing: int = 0
    has_conflict: bool = Field(default=False, index=True)
    merged_into_id: int | None = Field(default=None, foreign_key="claim.id", index=True)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Mention(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("claim_id", "source_id", "start", "end"),
        Index("ix_mention_source_claim", "source_id", "claim_id"),
        IDS_NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    source_id: int = Field(foreign_key="source.id")
    start: int
    end: int
    quote: str
    score: float | None = None
    features: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Why extraction found the passage check-worthy ("figure: $2 million; date: 4 May; …"), for a reviewer.
    worthiness_reason: str | None = None
    origin: str = Field(default="extracted", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class StanceSuggestion(SQLModel, table=True):
    __tablename__ = "stance_suggestion"
    __table_args__ = (UniqueConstraint("claim_id", "source_id"), IDS_NEVER_REUSED)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    stance: str = Field(max_length=20)
    confidence: float
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    reason: str | None = None  # why, in words a reviewer can check against the passage
    created_at: datetime = Field(default_factory=utcnow)


MATCH_STATUSES = ("open", "accepted", "rejected")


class ClaimMatchSuggestion(SQLModel, table=True):
    """Two claims extraction thinks may be one, too unsure to group: a reviewer accepts (merge) or rejects.

    The pair is stored lowest id first; a rejected pair stays, so extraction never suggests it again.
    """

    __tablename__ = "claim_match_suggestion"
    __table_args__ = (UniqueConstraint("claim_id", "other_claim_id"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    other_claim_id: int = Field(foreign_key="claim.id", index=True)
    score: float
    reason: str
    status: str = Field(default="open", max_length=20, index=True)
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
