"""HTTP endpoints for webhooks (admin): register a receiver, list, deactivate, read the delivery log."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import AdminDep, SessionDep
from app.api.openapi import problem_responses
from app.webhooks import service
from app.webhooks.models import Webhook
from app.webhooks.schemas import DeliveryPublic, WebhookCreate, WebhookCreated, WebhookPublic

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


def _public(webhook: Webhook) -> WebhookPublic:
    assert webhook.id is not None
    return WebhookPublic(
        id=webhook.id,
        url=webhook.url,
        events=webhook.events.split(","),
        active=webhook.active,
        created_at=webhook.created_at,
    )


@router.post("", response_model=WebhookCreated, status_code=201, responses=problem_responses(400, 401, 403, 413, 422))
def create_webhook(body: WebhookCreate, session: SessionDep, actor: AdminDep) -> WebhookCreated:
    """Register a receiver; events are POSTed as JSON signed with HMAC-SHA256 (see docs/api.md)."""
    webhook, secret = service.create_webhook(session, actor, body.url, body.secret, body.events)
    return WebhookCreated(**_public(webhook).model_dump(), secret=secret)


@router.get("", response_model=list[WebhookPublic], responses=problem_responses(401, 403))
def list_webhooks(session: SessionDep, _admin: AdminDep) -> list[WebhookPublic]:
    """Every webhook, active or not."""
    return [_public(w) for w in service.list_webhooks(session)]


@router.delete(
    "/{webhook_id}",
    response_model=WebhookPublic,
    responses=problem_responses(401, 403, 404, 422, notes={404: "Unknown webhook"}),
)
def deactivate_webhook(webhook_id: int, session: SessionDep, actor: AdminDep) -> WebhookPublic:
    """Stop deliveries to the webhook; its log is kept."""
    return _public(service.deactivate_webhook(session, actor, webhook_id))


@router.get(
    "/{webhook_id}/deliveries",
    response_model=list[DeliveryPublic],
    responses=problem_responses(401, 403, 404, 422, notes={404: "Unknown webhook"}),
)
def list_deliveries(
    webhook_id: int, session: SessionDep, _admin: AdminDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[DeliveryPublic]:
    """The delivery log, newest first: status, attempts, last answer or error."""
    return [DeliveryPublic.model_validate(d) for d in service.list_deliveries(session, webhook_id, limit)]
