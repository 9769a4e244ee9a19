"""Reading the audit log: a claim's history (its merged-away claims included) and the filtered global log."""

from datetime import datetime

from sqlmodel import Session, col, select

from app.auth.actor import Actor
from app.auth.service import role_rank
from app.claims.models import Claim
from app.claims.service import get_claim
from app.review.models import AuditEvent


def _merged_ids(session: Session, claim_id: int) -> set[int]:
    ids, frontier = {claim_id}, [claim_id]
    while frontier:
        rows = session.exec(select(Claim.id).where(col(Claim.merged_into_id).in_(frontier))).all()
        frontier = [r for r in rows if r is not None and r not in ids]
        ids.update(frontier)
    return ids


def claim_history(session: Session, claim_id: int, *, limit: int = 100, after_id: int | None = None
                  ) -> list[AuditEvent]:
    """A claim's events, oldest first, including those of claims merged into it."""
    get_claim(session, claim_id)
    query = select(AuditEvent).where(col(AuditEvent.claim_id).in_(_merged_ids(session, claim_id)))
    if after_id is not None:
        query = query.where(col(AuditEvent.id) > after_id)
    return list(session.exec(query.order_by(col(AuditEvent.id)).limit(limit)).all())


# Events about people, credentials and integrations: users and roles, API tokens (their prefixes), webhooks
# (their URLs) and sign-in lock-outs (names and addresses). Only admins read them.
ADMIN_ONLY_ENTITY_TYPES = ("user", "api_token", "webhook", "sign_in")


def list_audit(session: Session, reader: Actor | None, *, action: str | None = None, entity_type: str | None = None,
               entity_id: int | None = None, user_id: int | None = None, claim_id: int | None = None,
               source_id: int | None = None, since: datetime | None = None, until: datetime | None = None,
               limit: int = 100, before_id: int | None = None) -> list[AuditEvent]:
    """The audit log as `reader` may see it (admins: all of it; others: the work on sources and claims), newest
    first, filtered; `action` may end in `.*` to match a family (e.g. `claim.*`)."""
    query = select(AuditEvent)
    if reader is None or role_rank(reader.role) < role_rank("admin"):
        query = query.where(col(AuditEvent.entity_type).not_in(ADMIN_ONLY_ENTITY_TYPES))
    if action:
        if action.endswith(".*"):
            query = query.where(col(AuditEvent.action).startswith(action[:-1]))
        else:
            query = query.where(AuditEvent.action == action)
    for column, value in ((AuditEvent.entity_type, entity_type), (AuditEvent.entity_id, entity_id),
                          (AuditEvent.user_id, user_id), (AuditEvent.claim_id, claim_id),
                          (AuditEvent.source_id, source_id)):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(col(AuditEvent.at) >= since)
    if until is not None:
        query = query.where(col(AuditEvent.at) < until)
    if before_id is not None:
        query = query.where(col(AuditEvent.id) < before_id)
    return list(session.exec(query.order_by(col(AuditEvent.id).desc()).limit(limit)).all())
