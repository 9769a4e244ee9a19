"""A `crosscheck worker` process with one more job kind, `test.slow`, for tests/jobs/test_worker_processes.py.

`test.slow` sleeps `seconds` (payload) and then records one audit event `test.slow.ran` in the same transaction
that marks the job done: a run that is killed leaves no event, a job run twice would leave two."""

import time
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from app.audit import record_event
from app.auth.actor import SYSTEM
from app.cli import app
from app.jobs.models import Job
from app.jobs.service import register_job_handler


def slow(session: Session, job: Job, report_progress: Callable[..., None]) -> dict[str, Any]:
    time.sleep(float(job.payload.get("seconds", 0.2)))
    record_event(session, SYSTEM, "test.slow.ran", "job", job.id, after={"worker": job.worker})
    return {"worker": job.worker}


register_job_handler("test.slow", slow)

if __name__ == "__main__":
    app(["worker"])
