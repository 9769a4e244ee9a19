"""The append-only audit log: every change by a person or an automation becomes one event; reading it back."""

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.auth.actor import Actor


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
        actor=actor.label,
        user_id=actor.user_id,
        token_id=actor.token_id,
        job_id=actor.job_id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
        claim_id=claim_id,
        source_id=source_id,
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
    return {
        key: REDACTED if _SECRET_KEYS.search(key) and value is not None else _without_url_secrets(value)
        for key, value in payload.items()
    }


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


def claim_events(
    session: Session, claim_ids: set[int], *, limit: int = 100, after_id: int | None = None
) -> list[AuditEvent]:
    """The events about any of these claims (a claim and those merged into it), oldest first."""
    query = select(AuditEvent).where(col(AuditEvent.claim_id).in_(claim_ids))
    if after_id is not None:
        query = query.where(col(AuditEvent.id) > after_id)
    return list(session.exec(query.order_by(col(AuditEvent.id)).limit(limit)).all())


# Events about people, credentials and integrations: users and roles, API tokens (their prefixes), webhooks
# (their URLs) and sign-in lock-outs (names and addresses). Only admins read them.
ADMIN_ONLY_ENTITY_TYPES = ("user", "api_token", "webhook", "sign_in")


def list_audit(
    session: Session,
    reader: Actor | None,
    *,
    action: str | None = None,
    entity_type: str | None = None,
    entity_id: int | None = None,
    user_id: int | None = None,
    claim_id: int | None = None,
    source_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> list[AuditEvent]:
    """The audit log as `reader` may see it (admins: all of it; others: the work on sources and claims), newest
    first, filtered; `action` may end in `.*` to match a family (e.g. `claim.*`)."""
    query = select(AuditEvent)
    if reader is None or reader.role != "admin":  # admin is the highest role
        query = query.where(col(AuditEvent.entity_type).not_in(ADMIN_ONLY_ENTITY_TYPES))
    if action:
        if action.endswith(".*"):
            query = query.where(col(AuditEvent.action).startswith(action[:-1]))
        else:
            query = query.where(AuditEvent.action == action)
    for column, value in (
        (AuditEvent.entity_type, entity_type),
        (AuditEvent.entity_id, entity_id),
        (AuditEvent.user_id, user_id),
        (AuditEvent.claim_id, claim_id),
        (AuditEvent.source_id, source_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(col(AuditEvent.at) >= since)
    if until is not None:
        query = query.where(col(AuditEvent.at) < until)
    if before_id is not None:
        query = query.where(col(AuditEvent.id) < before_id)
    return list(session.exec(query.order_by(col(AuditEvent.id).desc()).limit(limit)).all())
