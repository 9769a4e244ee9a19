"""What the newsroom API reads and writes: assignments, queues, notes, notifications, ratings."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.claims.schemas import ClaimPublic


class AssignRequest(BaseModel):
    """Assign every listed claim to every listed reviewer (the board's selection, say)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"claim_ids": [21, 24],
                                                                               "user_ids": [3]}]})

    claim_ids: list[int] = Field(min_length=1, max_length=500)
    user_ids: list[int] = Field(min_length=1, max_length=50)


class AssignmentPublic(BaseModel):
    id: int
    claim_id: int
    user_id: int
    user: str
    reason: Literal["assigned", "mentioned"]
    created_at: datetime


class QueueItem(BaseModel):
    claim: ClaimPublic
    reason: Literal["assigned", "mentioned"]
    queued_at: datetime


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"body": "@ana can you check the **second** source's figure?"}]})

    body: str = Field(min_length=1, max_length=10_000, description="Markdown; raw HTML is shown as text")


class NoteUpdate(NoteIn):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(default=None, description="The version you read (or send If-Match)")


class NotePublic(BaseModel):
    id: int
    claim_id: int
    author: str
    body: str
    html: str = Field(description="The body rendered from markdown, safe to place in a page")
    version: int
    created_at: datetime
    updated_at: datetime


class NoteVersionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    body: str
    written_at: datetime


class NotificationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: Literal["assigned", "mentioned"]
    claim_id: int
    note_id: int | None
    actor: str
    created_at: datetime
    read_at: datetime | None


class NotificationList(BaseModel):
    unread: int
    items: list[NotificationPublic]


class MarkRead(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[int] | None = Field(default=None, max_length=500, description="Which to mark read; all when absent")


class RatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"rating": "mostly-false", "rationale": "Two of three reports give a **lower** figure.", "version": 1}]})

    rating: str = Field(max_length=40, description="A name on the configured scale (GET /ratings/scale)")
    rationale: str = Field(default="", max_length=20_000, description="Markdown")
    version: int | None = None


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = None


class RatingPublic(BaseModel):
    claim_id: int
    rating: str
    rating_value: int
    rationale: str
    rationale_html: str
    state: Literal["draft", "published"]
    rated_by: str
    published_at: datetime | None
    version: int
    updated_at: datetime


class ProposalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: str = Field(max_length=40)
    rationale: str = Field(default="", max_length=20_000)


class ProposalPublic(BaseModel):
    claim_id: int
    reviewer: str
    rating: str
    rationale: str
    updated_at: datetime


class ScaleEntry(BaseModel):
    name: str
    value: int
