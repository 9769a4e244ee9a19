"""What the audit API returns: events as stored, one page at a time."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from app.api.pagination import Page

# The example continues review's worked case: reviewer ana changes her stance on claim 21 from source 6.
AUDIT_EXAMPLE: dict[str, Any] = {
    "id": 31,
    "at": "2025-03-01T10:05:00Z",
    "actor": "ana (token 2)",
    "user_id": 3,
    "token_id": 2,
    "action": "assessment.updated",
    "entity_type": "assessment",
    "entity_id": 7,
    "claim_id": 21,
    "source_id": 6,
    "before": {"stance": "unclear", "note": "", "version": 1},
    "after": {"stance": "corroborates", "note": "States the figure in the second paragraph.", "version": 2},
}


class AuditEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [AUDIT_EXAMPLE]})

    id: int
    at: datetime
    actor: str
    user_id: int | None
    token_id: int | None
    job_id: int | None = None
    action: str
    entity_type: str
    entity_id: int | None
    claim_id: int | None
    source_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditPage(Page[AuditEventPublic]):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [AUDIT_EXAMPLE], "next_cursor": "eyJpZCI6MzF9"}]}
    )
