"""Start extraction as a background job; its progress is polled at /api/v1/jobs/{id}."""

from fastapi import APIRouter, Response

from app.api.deps import EditorDep, SessionDep
from app.api.openapi import problem_responses
from app.extraction.enqueue import start_extraction
from app.extraction.schemas import ExtractionRequest
from app.jobs.schemas import JobPublic, to_public

router = APIRouter(tags=["extraction"])


@router.post(
    "/extract",
    response_model=JobPublic,
    status_code=202,
    responses=problem_responses(400, 401, 403, 404, 413, 422, notes={404: "A source id is unknown"}),
)
def extract(body: ExtractionRequest, session: SessionDep, actor: EditorDep, response: Response) -> JobPublic:
    """Queue extraction (all sources, or the ones named); re-running keeps every reviewer's work."""
    job = start_extraction(session, actor, body.source_ids)
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return to_public(job)
