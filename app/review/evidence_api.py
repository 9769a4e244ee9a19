"""HTTP endpoints for evidence links: list and add per claim, read, change and remove by id."""

from fastapi import APIRouter, Response

from app.api.deps import ReaderDep, ReviewerDep, SessionDep
from app.api.openapi import problem_responses
from app.api.versions import IfMatch, etag, expected_version
from app.claims.service import get_claim
from app.review import evidence as service
from app.review.schemas import EvidenceCreate, EvidencePublic, EvidenceUpdate

router = APIRouter(tags=["evidence"])
NOTES = {
    404: "Unknown claim, source or evidence",
    409: "The claim was merged into another: see `merged_into_id`",
    422: "Invalid anchor or input: `errors` names the field (e.g. quote: ambiguous); nothing was changed",
}


@router.get(
    "/claims/{claim_id}/evidence",
    response_model=list[EvidencePublic],
    responses=problem_responses(401, 404, 422, notes=NOTES),
)
def list_evidence(
    claim_id: int, session: SessionDep, _reader: ReaderDep, source_id: int | None = None
) -> list[EvidencePublic]:
    """The claim's evidence, oldest first, optionally only that in one source."""
    get_claim(session, claim_id)
    return [service.to_evidence_public(session, e) for e in service.list_evidence(session, claim_id, source_id)]


@router.post(
    "/claims/{claim_id}/evidence",
    response_model=EvidencePublic,
    status_code=201,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, notes=NOTES),
)
def add_evidence(
    claim_id: int, body: EvidenceCreate, session: SessionDep, actor: ReviewerDep, response: Response
) -> EvidencePublic:
    """Attach a passage: `source_id` with offsets and/or `quote` (+ `prefix`/`suffix` to disambiguate), or an
    external `url` with `quote` and `accessed_at`. The answer's `link` opens the passage in the UI."""
    evidence = service.add_evidence(
        session,
        actor,
        claim_id,
        source_id=body.source_id,
        start=body.start,
        end=body.end,
        quote=body.quote,
        prefix=body.prefix,
        suffix=body.suffix,
        url=str(body.url) if body.url else None,
        accessed_at=body.accessed_at,
        note=body.note,
    )
    response.headers["ETag"] = etag(evidence.version)
    return service.to_evidence_public(session, evidence)


@router.get(
    "/evidence/{evidence_id}", response_model=EvidencePublic, responses=problem_responses(401, 404, 422, notes=NOTES)
)
def read_evidence(evidence_id: int, session: SessionDep, _reader: ReaderDep, response: Response) -> EvidencePublic:
    """One evidence item, with its `link` (`/sources/{id}#char=START,END`)."""
    evidence = service.get_evidence(session, evidence_id)
    response.headers["ETag"] = etag(evidence.version)
    return service.to_evidence_public(session, evidence)


@router.patch(
    "/evidence/{evidence_id}",
    response_model=EvidencePublic,
    responses=problem_responses(400, 401, 403, 404, 412, 413, 422, 428, notes=NOTES),
)
def update_evidence(
    evidence_id: int,
    body: EvidenceUpdate,
    session: SessionDep,
    actor: ReviewerDep,
    response: Response,
    if_match: IfMatch = None,
) -> EvidencePublic:
    """Change the note, date or anchor (re-validated); needs the version read. Own evidence, or any for editors."""
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    evidence = service.update_evidence(session, actor, evidence_id, changes, expected_version(if_match, body.version))
    response.headers["ETag"] = etag(evidence.version)
    return service.to_evidence_public(session, evidence)


@router.delete(
    "/evidence/{evidence_id}", status_code=204, responses=problem_responses(401, 403, 404, 412, 422, 428, notes=NOTES)
)
def delete_evidence(
    evidence_id: int, session: SessionDep, actor: ReviewerDep, if_match: IfMatch = None, version: int | None = None
) -> Response:
    """Remove an evidence item; needs the version read (If-Match or ?version=)."""
    service.delete_evidence(session, actor, evidence_id, expected_version(if_match, version))
    return Response(status_code=204)
