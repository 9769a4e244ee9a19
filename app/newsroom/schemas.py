"""What the newsroom API reads and writes: assignments, queues, notes, notifications, ratings."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.claims.schemas import CLAIM_EXAMPLE, ClaimPublic

AT = "2025-03-01T10:05:00Z"
ASSIGNMENT_EXAMPLE: dict[str, Any] = {
    "id": 5,
    "claim_id": 21,
    "user_id": 3,
    "user": "ana",
    "reason": "assigned",
    "created_at": AT,
}
NOTE_EXAMPLE: dict[str, Any] = {
    "id": 9,
    "claim_id": 21,
    "author": "ben",
    "body": "@ana the **second** report says $1.5 million.",
    "html": "<p>@ana the <strong>second</strong> report says $1.5 million.</p>\n",
    "version": 1,
    "created_at": AT,
    "updated_at": AT,
}


class AssignRequest(BaseModel):
    """Assign every listed claim to every listed reviewer (the board's selection, say)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"claim_ids": [21, 24], "user_ids": [3]}]}
    )

    claim_ids: list[int] = Field(min_length=1, max_length=500)
    user_ids: list[int] = Field(min_length=1, max_length=50)


class AssignmentPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [ASSIGNMENT_EXAMPLE]})

    id: int
    claim_id: int
    user_id: int
    user: str
    reason: Literal["assigned", "mentioned"]
    created_at: datetime


class QueueItem(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"claim": CLAIM_EXAMPLE, "reason": "mentioned", "queued_at": AT}]}
    )

    claim: ClaimPublic
    reason: Literal["assigned", "mentioned"]
    queued_at: datetime


class NoteIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"body": "@ana can you check the **second** source's figure?"}]}
    )

    body: str = Field(min_length=1, max_length=10_000, description="Markdown; raw HTML is shown as text")


class NoteUpdate(NoteIn):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"body": "@ana the second report says $1.5 million.", "version": 1}]},
    )

    version: int | None = Field(default=None, description="The version you read (or send If-Match)")


class NotePublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [NOTE_EXAMPLE]})

    id: int
    claim_id: int
    author: str
    body: str
    html: str = Field(description="The body rendered from markdown, safe to place in a page")
    version: int
    created_at: datetime
    updated_at: datetime


class NoteVersionPublic(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [{"version": 1, "body": "first thoughts", "written_at": AT}]},
    )

    version: int
    body: str
    written_at: datetime


NOTIFICATION_EXAMPLE: dict[str, Any] = {
    "id": 14,
    "kind": "mentioned",
    "claim_id": 21,
    "note_id": 9,
    "actor": "ben",
    "created_at": AT,
    "read_at": None,
}


class NotificationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [NOTIFICATION_EXAMPLE]})

    id: int
    kind: Literal["assigned", "mentioned"]
    claim_id: int
    note_id: int | None
    actor: str
    created_at: datetime
    read_at: datetime | None


class NotificationList(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"unread": 1, "items": [NOTIFICATION_EXAMPLE]}]})

    unread: int
    items: list[NotificationPublic]


class MarkRead(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"ids": [14]}, {}]})

    ids: list[int] | None = Field(default=None, max_length=500, description="Which to mark read; all when absent")


class RatingIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"rating": "mostly-false", "rationale": "Two of three reports give a **lower** figure.", "version": 1}
            ]
        },
    )

    rating: str = Field(max_length=40, description="A name on the configured scale (GET /ratings/scale)")
    rationale: str = Field(default="", max_length=20_000, description="Markdown")
    version: int | None = None


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"version": 2}, {}]})

    version: int | None = None


class RatingPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "claim_id": 21,
                    "rating": "mostly-false",
                    "rating_value": 2,
                    "rationale": "Two of three reports give a **lower** figure.",
                    "rationale_html": "<p>Two of three reports give a <strong>lower</strong> figure.</p>\\n",
                    "state": "published",
                    "rated_by": "eve",
                    "published_at": AT,
                    "version": 3,
                    "updated_at": AT,
                }
            ]
        }
    )

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
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"rating": "mixed", "rationale": "One report agrees, one does not."}]},
    )

    rating: str = Field(max_length=40)
    rationale: str = Field(default="", max_length=20_000)


class ProposalPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "claim_id": 21,
                    "reviewer": "ana",
                    "rating": "mixed",
                    "rationale": "One report agrees, one does not.",
                    "updated_at": AT,
                }
            ]
        }
    )

    claim_id: int
    reviewer: str
    rating: str
    rationale: str
    updated_at: datetime


class ScaleEntry(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "mostly-true", "value": 4}]})

    name: str
    value: int
