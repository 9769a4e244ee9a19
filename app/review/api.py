"""HTTP endpoints for reviewing: the caller's assessment, batches and adjudication."""

from fastapi import APIRouter, Response

from app.api.deps import EditorDep, ReaderDep, ReviewerDep, SessionDep
from app.api.openapi import problem_responses
from app.api.versions import IfMatch, etag, expected_version
from app.claims.service import get_claim
from app.review import service
from app.review.schemas import (
    AdjudicationIn,
    AdjudicationPublic,
    AssessmentIn,
    AssessmentPublic,
    BatchAssessmentRequest,
    BatchAssessmentResult,
)

router = APIRouter(tags=["review"])
NOTES = {404: "Unknown claim or source", 409: "The claim was merged into another: see `merged_into_id`"}


@router.get(
    "/claims/{claim_id}/assessments",
    response_model=list[AssessmentPublic],
    responses=problem_responses(401, 404, 422, notes={404: "Unknown claim"}),
)
def list_assessments(claim_id: int, session: SessionDep, _reader: ReaderDep) -> list[AssessmentPublic]:
    """Every reviewer's assessment of the claim (origin `reviewed`), by source."""
    get_claim(session, claim_id)
    return [service.to_assessment_public(session, a) for a in service.list_assessments(session, claim_id)]


@router.put(
    "/claims/{claim_id}/sources/{source_id}/assessment",
    response_model=AssessmentPublic,
    responses={
        201: {"model": AssessmentPublic, "description": "Created"},
        **problem_responses(400, 401, 403, 404, 409, 412, 413, 422, notes=NOTES),
    },
)
def put_assessment(
    claim_id: int,
    source_id: int,
    body: AssessmentIn,
    session: SessionDep,
    actor: ReviewerDep,
    response: Response,
    if_match: IfMatch = None,
) -> AssessmentPublic:
    """Create or replace the caller's own stance on how the source bears on the claim (201 when created).

    Send the version you read (If-Match or `version`) to be told, rather than overwrite, when it changed."""
    assessment, created = service.set_assessment(
        session, actor, claim_id, source_id, body.stance, body.note, expected_version(if_match, body.version)
    )
    response.status_code = 201 if created else 200
    response.headers["ETag"] = etag(assessment.version)
    return service.to_assessment_public(session, assessment)


@router.delete(
    "/claims/{claim_id}/sources/{source_id}/assessment",
    status_code=204,
    responses=problem_responses(
        401, 403, 404, 412, 422, notes={404: "You have no assessment of this source for this claim"}
    ),
)
def delete_assessment(
    claim_id: int, source_id: int, session: SessionDep, actor: ReviewerDep, if_match: IfMatch = None
) -> Response:
    """Withdraw the caller's own assessment."""
    service.delete_assessment(session, actor, claim_id, source_id, expected_version(if_match, None))
    return Response(status_code=204)


@router.post(
    "/assessments:batch",
    response_model=BatchAssessmentResult,
    responses=problem_responses(
        400,
        401,
        403,
        404,
        413,
        422,
        notes={
            404: "An id is past the database's integer range, so names no record",
            422: "At least one item failed; nothing was stored; `errors` lists each by "
            "`index`, with its `status` and `detail`",
        },
    ),
)
def batch_assessments(body: BatchAssessmentRequest, session: SessionDep, actor: ReviewerDep) -> BatchAssessmentResult:
    """Apply many of the caller's assessments in one transaction: all or nothing, with per-item errors."""
    items = [item.model_dump() for item in body.items]
    stored = service.apply_batch(session, actor, items)
    return BatchAssessmentResult(items=[service.to_assessment_public(session, a) for a in stored])


@router.put(
    "/claims/{claim_id}/sources/{source_id}/adjudication",
    response_model=AdjudicationPublic,
    responses={
        201: {"model": AdjudicationPublic, "description": "Created"},
        **problem_responses(400, 401, 403, 404, 409, 412, 413, 422, 428, notes=NOTES),
    },
)
def put_adjudication(
    claim_id: int,
    source_id: int,
    body: AdjudicationIn,
    session: SessionDep,
    actor: EditorDep,
    response: Response,
    if_match: IfMatch = None,
) -> AdjudicationPublic:
    """Settle the (claim, source) with the editor's stance, overriding reviewers' disagreement.
    Replacing an adjudication needs its version."""
    adjudication, created = service.adjudicate(
        session, actor, claim_id, source_id, body.stance, body.note, expected_version(if_match, body.version)
    )
    response.status_code = 201 if created else 200
    response.headers["ETag"] = etag(adjudication.version)
    return service.to_adjudication_public(session, adjudication)
