"""The append-only audit log: every change by a reviewer or an automation becomes one event."""

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

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
    before, after = without_secrets(before), without_secrets(after)
    event = AuditEvent(
        actor=actor.label, user_id=actor.user_id, token_id=actor.token_id, job_id=actor.job_id, action=action,
        entity_type=entity_type, entity_id=entity_id, before=before, after=after,
        claim_id=claim_id, source_id=source_id,
    )
    session.add(event)
    return event


# Keys whose values are credentials: the log says that they changed, never what they are.
_SECRET_KEYS = re.compile(r"secret|password|passphrase|token_hash|api_key|authorization", re.IGNORECASE)
REDACTED = "[redacted]"


def without_secrets(payload: dict[str, Any] | None) -> dict[str, Any] | None:
    """The payload with credential-like values replaced and URLs stripped of user info and query (where
    webhook receivers often carry a key)."""
    if payload is None:
        return None
    return {key: REDACTED if _SECRET_KEYS.search(key) and value is not None else _without_url_secrets(value)
            for key, value in payload.items()}


def _without_url_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        return without_secrets(value)
    if isinstance(value, list):
        return [_without_url_secrets(item) for item in value]
    if not isinstance(value, str) or "://" not in value:
        return value
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return value
    if not parts.scheme or not host:
        return value
    netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, REDACTED if parts.query else "", ""))
