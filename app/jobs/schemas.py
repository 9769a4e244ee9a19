"""What the jobs API answers: a job's progress and outcome, pages of jobs."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from app.api.pagination import Page
from app.jobs.models import Job
from app.vocabulary import JobStatus

_JOB_EXAMPLE: dict[str, Any] = {
    "id": 12,
    "kind": "extract",
    "status": "running",
    "progress": 3,
    "total": 8,
    "message": "extracting claims",
    "payload": {"source_ids": [4]},
    "result": None,
    "error": None,
    "created_at": "2025-03-01T09:00:00Z",
    "started_at": "2025-03-01T09:00:01Z",
    "finished_at": None,
}


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
