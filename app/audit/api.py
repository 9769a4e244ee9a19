"""HTTP endpoint for the audit log: every recorded change, filtered, newest first."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import ReaderDep, SessionDep
from app.api.openapi import LIST_404, problem_responses
from app.api.pagination import cursor_id, next_id_cursor
from app.audit.schemas import AuditEventPublic, AuditPage
from app.audit.service import list_audit

router = APIRouter(tags=["review"])


@router.get("/audit", response_model=AuditPage, responses=problem_responses(401, 404, 422, notes={404: LIST_404}))
def read_audit(
    session: SessionDep,
    reader: ReaderDep,
    action: Annotated[str | None, Query(description="e.g. assessment.updated, or a family such as claim.*")] = None,
    entity_type: str | None = None,
    entity_id: int | None = None,
    user_id: int | None = None,
    claim_id: int | None = None,
    source_id: int | None = None,
    since: Annotated[datetime | None, Query(description="Events at or after this time (ISO 8601)")] = None,
    until: Annotated[datetime | None, Query(description="Events before this time (ISO 8601)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: str | None = None,
) -> AuditPage:
    """The append-only audit log, newest first, filtered and paginated. Events about users, roles, API tokens,
    webhooks and sign-in lock-outs are shown to admins only."""
    events = list_audit(
        session,
        reader,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        user_id=user_id,
        claim_id=claim_id,
        source_id=source_id,
        since=since,
        until=until,
        limit=limit,
        before_id=cursor_id(cursor),
    )
    return AuditPage(
        items=[AuditEventPublic.model_validate(e, from_attributes=True) for e in events],
        next_cursor=next_id_cursor(events, limit),
    )
