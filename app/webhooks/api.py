"""HTTP endpoints for webhooks (admin): register a receiver, list, deactivate, read the delivery log."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import AdminDep, SessionDep
from app.api.openapi import problem_responses
from app.webhooks import service
from app.webhooks.models import Webhook

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"url": "https://bots.example.org/crosscheck", "secret": "a-shared-secret-of-16+-chars",
         "events": ["verdict.changed"]}]})

    url: str = Field(max_length=2000)
    secret: str | None = Field(default=None, max_length=200, description="Generated when omitted")
    events: list[str] = Field(default_factory=lambda: ["*"],
                              description="assessment.changed, verdict.changed, or * for all")


_WEBHOOK_EXAMPLE: dict[str, Any] = {
    "id": 1, "url": "https://bots.example.org/crosscheck", "events": ["verdict.changed"], "active": True,
    "created_at": "2025-03-01T09:00:00Z"}


class WebhookPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_WEBHOOK_EXAMPLE]})

    id: int
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class WebhookCreated(WebhookPublic):
    model_config = ConfigDict(json_schema_extra={"examples": [
        _WEBHOOK_EXAMPLE | {"secret": "a-shared-secret-of-16+-chars"}]})

    secret: str = Field(description="The signing secret; shown in this answer only")


class DeliveryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [{
        "id": 9, "webhook_id": 1, "event_type": "verdict.changed", "status": "delivered", "attempts": 1,
        "last_status_code": 204, "last_error": None, "payload": {"type": "verdict.changed", "data": {}},
        "next_attempt_at": "2025-03-01T10:05:00Z", "created_at": "2025-03-01T10:05:00Z",
        "delivered_at": "2025-03-01T10:05:01Z"}]})

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


def _public(webhook: Webhook) -> WebhookPublic:
    assert webhook.id is not None
    return WebhookPublic(id=webhook.id, url=webhook.url, events=webhook.events.split(","), active=webhook.active,
                         created_at=webhook.created_at)


@router.post("", response_model=WebhookCreated, status_code=201,
             responses=problem_responses(400, 401, 403, 413, 422))
def create_webhook(body: WebhookCreate, session: SessionDep, actor: AdminDep) -> WebhookCreated:
    """Register a receiver; events are POSTed as JSON signed with HMAC-SHA256 (see docs/api.md)."""
    webhook, secret = service.create_webhook(session, actor, body.url, body.secret, body.events)
    return WebhookCreated(**_public(webhook).model_dump(), secret=secret)


@router.get("", response_model=list[WebhookPublic], responses=problem_responses(401, 403))
def list_webhooks(session: SessionDep, _admin: AdminDep) -> list[WebhookPublic]:
    """Every webhook, active or not."""
    return [_public(w) for w in service.list_webhooks(session)]


@router.delete("/{webhook_id}", response_model=WebhookPublic,
               responses=problem_responses(401, 403, 404, 422, notes={404: "Unknown webhook"}))
def deactivate_webhook(webhook_id: int, session: SessionDep, actor: AdminDep) -> WebhookPublic:
    """Stop deliveries to the webhook; its log is kept."""
    return _public(service.deactivate_webhook(session, actor, webhook_id))


@router.get("/{webhook_id}/deliveries", response_model=list[DeliveryPublic],
            responses=problem_responses(401, 403, 404, 422, notes={404: "Unknown webhook"}))
def list_deliveries(webhook_id: int, session: SessionDep, _admin: AdminDep,
                    limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[DeliveryPublic]:
    """The delivery log, newest first: status, attempts, last answer or error."""
    return [DeliveryPublic.model_validate(d) for d in service.list_deliveries(session, webhook_id, limit)]
