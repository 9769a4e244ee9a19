"""Webhook subscriptions and events: an event becomes one pending delivery per matching subscription.

Deliveries are written in the same transaction as the change that caused them (an outbox), and a
background thread sends them after commit (app.webhooks.delivery), so a slow or failing receiver never
slows or breaks the request.
"""

import secrets
from typing import Any

from sqlalchemy import event as sa_event
from sqlmodel import Session, col, select

from app.audit import record_event
from app.auth.actor import Actor
from app.clock import utcnow
from app.db import get_or_404
from app.errors import InvalidInput
from app.webhooks.models import Webhook, WebhookDelivery
from app.webhooks.targets import check_registration

EVENT_TYPES = ("assessment.changed", "verdict.changed", "claim.assigned", "note.created")


def _check_events(events: list[str]) -> str:
    if not events or events == ["*"]:
        return "*"
    unknown = [e for e in events if e not in EVENT_TYPES]
    if unknown:
        raise InvalidInput(
            f"Unknown event types: {', '.join(unknown)}; choose from {', '.join(EVENT_TYPES)} or *.",
            errors=[{"field": "events", "message": f"unknown: {', '.join(unknown)}"}],
        )
    return ",".join(sorted(set(events)))


def create_webhook(
    session: Session, actor: Actor, url: str, secret: str | None = None, events: list[str] | None = None
) -> tuple[Webhook, str]:
    """Register a receiver URL; returns the webhook and its signing secret (generated when not given)."""
    check_registration(url)
    if secret is not None and len(secret) < 16:
        raise InvalidInput(
            "A webhook secret needs at least 16 characters.",
            errors=[{"field": "secret", "message": "at least 16 characters"}],
        )
    secret = secret or secrets.token_urlsafe(32)
    webhook = Webhook(url=url, secret=secret, events=_check_events(events or ["*"]), created_by_id=actor.user_id)
    session.add(webhook)
    session.flush()
    record_event(session, actor, "webhook.created", "webhook", webhook.id, after={"url": url, "events": webhook.events})
    session.commit()
    session.refresh(webhook)
    return webhook, secret


def list_webhooks(session: Session) -> list[Webhook]:
    """Every registered webhook, active or not, oldest first."""
    return list(session.exec(select(Webhook).order_by(col(Webhook.id))).all())


def get_webhook(session: Session, webhook_id: int) -> Webhook:
    """One webhook, or NotFound."""
    return get_or_404(session, Webhook, webhook_id, "webhook")


def deactivate_webhook(session: Session, actor: Actor, webhook_id: int) -> Webhook:
    """Stop sending to a webhook; it and its delivery log are kept for the record."""
    webhook = get_webhook(session, webhook_id)
    if webhook.active:
        webhook.active = False
        session.add(webhook)
        record_event(
            session,
            actor,
            "webhook.deactivated",
            "webhook",
            webhook.id,
            before={"active": True},
            after={"active": False},
        )
        session.commit()
        session.refresh(webhook)
    return webhook


def list_deliveries(session: Session, webhook_id: int, limit: int = 50) -> list[WebhookDelivery]:
    """A webhook's delivery log, newest first."""
    get_webhook(session, webhook_id)
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook_id)
        .order_by(col(WebhookDelivery.id).desc())
        .limit(limit)
    )
    return list(session.exec(query).all())


def _wants(webhook: Webhook, event_type: str) -> bool:
    return webhook.events == "*" or event_type in webhook.events.split(",")


def emit_event(session: Session, event_type: str, data: dict[str, Any]) -> int:
    """Queue the event for every active webhook that wants it, in the caller's transaction.

    Returns how many deliveries were queued; the sender is woken once the transaction commits.
    """
    webhooks = [
        w for w in session.exec(select(Webhook).where(col(Webhook.active).is_(True))).all() if _wants(w, event_type)
    ]
    payload = {"type": event_type, "occurred_at": utcnow().isoformat(), "data": data}
    for webhook in webhooks:
        assert webhook.id is not None
        session.add(WebhookDelivery(webhook_id=webhook.id, event_type=event_type, payload=payload))
    if webhooks and not session.info.get("webhook_wake"):
        session.info["webhook_wake"] = True
        sa_event.listen(session, "after_commit", _wake_after_commit, once=True)
    return len(webhooks)


def _wake_after_commit(session: Session) -> None:
    from app.webhooks.delivery import wake_dispatcher

    session.info.pop("webhook_wake", None)
    wake_dispatcher()
