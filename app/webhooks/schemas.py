"""What the webhooks API reads and writes: a receiver to register, receivers as listed, the delivery log."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class WebhookCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://bots.example.org/crosscheck",
                    "secret": "a-shared-secret-of-16+-chars",
                    "events": ["verdict.changed"],
                }
            ]
        },
    )

    url: str = Field(max_length=2000)
    secret: str | None = Field(default=None, max_length=200, description="Generated when omitted")
    events: list[str] = Field(
        default_factory=lambda: ["*"], description="assessment.changed, verdict.changed, or * for all"
    )


_WEBHOOK_EXAMPLE: dict[str, Any] = {
    "id": 1,
    "url": "https://bots.example.org/crosscheck",
    "events": ["verdict.changed"],
    "active": True,
    "created_at": "2025-03-01T09:00:00Z",
}


class WebhookPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_WEBHOOK_EXAMPLE]})

    id: int
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class WebhookCreated(WebhookPublic):
    model_config = ConfigDict(
        json_schema_extra={"examples": [_WEBHOOK_EXAMPLE | {"secret": "a-shared-secret-of-16+-chars"}]}
    )

    secret: str = Field(description="The signing secret; shown in this answer only")


class DeliveryPublic(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 9,
                    "webhook_id": 1,
                    "event_type": "verdict.changed",
                    "status": "delivered",
                    "attempts": 1,
                    "last_status_code": 204,
                    "last_error": None,
                    "payload": {"type": "verdict.changed", "data": {}},
                    "next_attempt_at": "2025-03-01T10:05:00Z",
                    "created_at": "2025-03-01T10:05:00Z",
                    "delivered_at": "2025-03-01T10:05:01Z",
                }
            ]
        },
    )

    id: int
    webhook_id: int
    event_type: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    payload: dict[str, Any]
    next_attempt_at: datetime
    created_at: datetime
    delivered_at: datetime | None
