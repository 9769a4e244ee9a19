"""HTTP endpoints for background jobs: poll one job's progress, list recent jobs."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from app.api.deps import ReaderDep, SessionDep
from app.api.openapi import LIST_404, problem_responses
from app.api.pagination import Page, cursor_id, next_id_cursor
from app.jobs import service
from app.jobs.models import Job
from app.vocabulary import JobStatus

router = APIRouter(prefix="/jobs", tags=["jobs"])


_JOB_EXAMPLE: dict[str, Any] = {
    "id": 12, "kind": "extract", "status": "running", "progress": 3, "total": 8, "message": "extracting claims",
    "payload": {"source_ids": [4]}, "result": None, "error": None, "created_at": "2025-03-01T09:00:00Z",
    "started_at": "2025-03-01T09:00:01Z", "finished_at": None}


class JobPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_JOB_EXAMPLE]})

    id: int
    kind: str
    status: JobStatus
    progress: int
    total: int
    message: str
    payload: dict[str, Any]
    result: dict[str, Any] | None
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobPage(Page[JobPublic]):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [_JOB_EXAMPLE], "next_cursor": None}]})


def to_public(job: Job) -> JobPublic:
    return JobPublic.model_validate(job, from_attributes=True)


@router.get("", response_model=JobPage, responses=problem_responses(401, 404, 422, notes={404: LIST_404}))
def list_jobs(session: SessionDep, _reader: ReaderDep, status: JobStatus | None = None,
              kind: Annotated[str | None, Query(max_length=50)] = None,
              limit: Annotated[int, Query(ge=1, le=200)] = 50,
              cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None) -> JobPage:
    """Jobs, newest first."""
    jobs = service.list_jobs(session, status=status, kind=kind, limit=limit, before_id=cursor_id(cursor))
    return JobPage(items=[to_public(job) for job in jobs], next_cursor=next_id_cursor(jobs, limit))


@router.get("/{job_id}", response_model=JobPublic,
            responses=problem_responses(401, 404, 422, notes={404: "Unknown job"}))
def read_job(job_id: int, session: SessionDep, _reader: ReaderDep) -> JobPublic:
    """One job: its status, progress (`progress` of `total`), message, and result or error."""
    return to_public(service.get_job(session, job_id))
