"""The append-only audit log: every change by a reviewer or an automation becomes one event."""

from typing import Any

from sqlmodel import Session

from app.auth.actor import Actor
from app.review.models import AuditEvent


def record_event(
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    claim_id: int | None = None,
    source_id: int | None = None,
) -> AuditEvent:
    """Add the event to the caller's transaction, so the change and its record commit together."""
    event = AuditEvent(
        actor=actor.label, user_id=actor.user_id, token_id=actor.token_id, job_id=actor.job_id, action=action,
        entity_type=entity_type, entity_id=entity_id, before=before, after=after,
        claim_id=claim_id, source_id=source_id,
    )
    session.add(event)
    return event
