"""HTTP endpoints for background jobs: poll one job's progress, list recent jobs."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import ReaderDep, SessionDep
from app.api.openapi import LIST_404, problem_responses
from app.api.pagination import cursor_id, next_id_cursor
from app.jobs import service
from app.jobs.schemas import JobPage, JobPublic, to_public
from app.vocabulary import JobStatus

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("", response_model=JobPage, responses=problem_responses(401, 404, 422, notes={404: LIST_404}))
def list_jobs(
    session: SessionDep,
    _reader: ReaderDep,
    status: JobStatus | None = None,
    kind: Annotated[str | None, Query(max_length=50)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
) -> JobPage:
    """Jobs, newest first."""
    jobs = service.list_jobs(session, status=status, kind=kind, limit=limit, before_id=cursor_id(cursor))
    return JobPage(items=[to_public(job) for job in jobs], next_cursor=next_id_cursor(jobs, limit))


@router.get(
    "/{job_id}", response_model=JobPublic, responses=problem_responses(401, 404, 422, notes={404: "Unknown job"})
)
def read_job(job_id: int, session: SessionDep, _reader: ReaderDep) -> JobPublic:
    """One job: its status, progress (`progress` of `total`), message, and result or error."""
    return to_public(service.get_job(session, job_id))
