"""HTTP endpoints for a claim itself: editing its wording or kind, and its history.

The list, the detail with every decision, creating, merging and splitting combine claims with reviews: they are
app.review.claims_api."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.deps import EditorDep, ReaderDep, SessionDep
from app.api.openapi import problem_responses
from app.api.pagination import cursor_id, next_id_cursor
from app.api.versions import IfMatch, etag, expected_version
from app.audit.schemas import AuditEventPublic, AuditPage
from app.claims import service
from app.claims.schemas import ClaimPublic, ClaimUpdate

router = APIRouter(prefix="/claims", tags=["claims"])
NOTES = {404: "Unknown claim", 409: "The claim was merged into another: see `merged_into_id`"}
READ_ERRORS = problem_responses(401, 404, 422, notes={404: "Unknown claim"})
CHANGE_ERRORS = problem_responses(400, 401, 403, 404, 409, 412, 413, 422, 428, notes=NOTES)


@router.patch("/{claim_id}", response_model=ClaimPublic, responses=CHANGE_ERRORS)
def edit_claim(
    claim_id: int,
    body: ClaimUpdate,
    session: SessionDep,
    actor: EditorDep,
    response: Response,
    if_match: IfMatch = None,
) -> ClaimPublic:
    """Edit the canonical wording or kind (editor); needs the version read (If-Match or `version`)."""
    claim = service.edit_claim(
        session, actor, claim_id, version=expected_version(if_match, body.version), text=body.text, kind=body.kind
    )
    response.headers["ETag"] = etag(claim.version)
    return service.to_public(claim)


@router.get("/{claim_id}/history", response_model=AuditPage, responses=READ_ERRORS)
def read_history(
    claim_id: int,
    session: SessionDep,
    _reader: ReaderDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: str | None = None,
) -> AuditPage:
    """Every change to the claim and its reviews, oldest first (claims merged into it included)."""
    events = service.claim_history(session, claim_id, limit=limit, after_id=cursor_id(cursor))
    return AuditPage(
        items=[AuditEventPublic.model_validate(e, from_attributes=True) for e in events],
        next_cursor=next_id_cursor(events, limit),
    )
