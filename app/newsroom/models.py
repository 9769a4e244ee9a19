"""Tables of the newsroom workflow: who works on a claim, what they said about it, and the editor's rating."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.db import IDS_NEVER_REUSED

# Why a claim is in someone's queue: an editor assigned it, or someone mentioned them in its thread.
ASSIGNMENT_REASONS = ("assigned", "mentioned")
NOTIFICATION_KINDS = ("assigned", "mentioned")
RATING_STATES = ("draft", "published")


class Assignment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("claim_id", "user_id"), IDS_NEVER_REUSED)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    reason: str = Field(default="assigned", max_length=20)
    assigned_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class Note(SQLModel, table=True):
    """One note of a claim's discussion thread, in markdown; a deleted note keeps its row and versions."""

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    author_id: int = Field(foreign_key="user.id")
    body: str
    version: int = 1
    deleted: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class NoteVersion(SQLModel, table=True):
    """A note's body as it was before each edit or deletion."""

    __tablename__ = "note_version"
    __table_args__ = (UniqueConstraint("note_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    note_id: int = Field(foreign_key="note.id", index=True)
    version: int
    body: str
    written_at: datetime


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=20)
    claim_id: int = Field(foreign_key="claim.id")
    note_id: int | None = Field(default=None, foreign_key="note.id")
    actor: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = Field(default=None, index=True)


class ClaimRating(SQLModel, table=True):
    """The editor's rating of a claim, with a markdown rationale; published ones go out as ClaimReview."""

    __tablename__ = "claim_rating"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", unique=True)
    rating: str = Field(max_length=40)
    rationale: str = ""
    state: str = Field(default="draft", max_length=20, index=True)
    rated_by_id: int = Field(foreign_key="user.id")
    published_at: datetime | None = None
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class RatingProposal(SQLModel, table=True):
    """A reviewer's suggested rating, for the editor to weigh; one per reviewer and claim."""

    __tablename__ = "rating_proposal"
    __table_args__ = (UniqueConstraint("claim_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    user_id: int = Field(foreign_key="user.id")
    rating: str = Field(max_length=40)
    rationale: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
