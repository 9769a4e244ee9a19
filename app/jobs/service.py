"""Background jobs: enqueue work, claim each queued job exactly once, report progress, record the outcome.

Job kinds are registered by name with `register_job_handler(kind, fn)`. The handler is called as
`fn(session, job, report_progress)` in a worker thread, where:

- `session` is the handler's own database session (do the work in it);
- `job` is the claimed `Job` row; its `payload` dict holds the arguments given to `enqueue`;
- `report_progress(done, total, message="")` records progress and COMMITS the session, so call it
  between units of work that are complete (say, after each source): on SQLite one connection writes
  at a time, and committing is what lets the rest of the app write meanwhile.

The handler returns a JSON-able dict (stored as `job.result`) or None. If it raises, its uncommitted
work is rolled back and the job is marked failed with the error's message; work it already committed
through `report_progress` stays. Register handlers at import time of the module that owns the work,
e.g. `register_job_handler("extract", run_extraction_job)` in app/extraction/store.py.

Claiming: on PostgreSQL `SELECT … FOR UPDATE SKIP LOCKED`, so any number of app processes on any
number of machines share one queue without running a job twice; on SQLite every transaction starts
with BEGIN IMMEDIATE (app.db), which serialises claims between processes just as well.
"""

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, text
from sqlmodel import Session, col, select

from app.audit import record_event
from app.auth.actor import Actor
from app.clock import utcnow
from app.config import get_settings
from app.db import get_or_404
from app.errors import InvalidInput
from app.jobs.models import Job
from app.vocabulary import JobStatus

ProgressReporter = Callable[..., None]
JobHandler = Callable[[Session, Job, ProgressReporter], dict[str, Any] | None]

_handlers: dict[str, JobHandler] = {}
# Set on enqueue so the in-process worker starts at once instead of at its next poll.
job_enqueued = threading.Event()


def register_job_handler(kind: str, handler: JobHandler) -> None:
    """Make `kind` a job that workers can run; registering a kind again replaces its handler."""
    _handlers[kind] = handler


def job_kinds() -> list[str]:
    return sorted(_handlers)


def handler_for(kind: str) -> JobHandler | None:
    return _handlers.get(kind)


def enqueue(session: Session, kind: str, actor: Actor, payload: dict[str, Any] | None = None) -> Job:
    """Queue a job of a registered kind and commit; a worker picks it up."""
    if kind not in _handlers:
        raise InvalidInput(
            f"Unknown job kind {kind!r}; known kinds: {', '.join(job_kinds()) or 'none'}.",
            errors=[{"field": "kind", "message": "unknown job kind"}],
        )
    job = Job(kind=kind, payload=payload or {})
    session.add(job)
    session.flush()
    record_event(session, actor, "job.enqueued", "job", job.id, after={"kind": kind, "payload": job.payload})
    session.commit()
    session.refresh(job)
    job_enqueued.set()
    return job


def get_job(session: Session, job_id: int) -> Job:
    return get_or_404(session, Job, job_id, "job")


def list_jobs(
    session: Session,
    *,
    status: str | None = None,
    kind: str | None = None,
    limit: int = 50,
    before_id: int | None = None,
) -> list[Job]:
    """Newest first, keyset-paginated on id."""
    if status is not None and status not in JobStatus.values():
        raise InvalidInput(
            f"Unknown status {status!r}; choose one of {JobStatus.choices()}.",
            errors=[{"field": "status", "message": "unknown status"}],
        )
    query = select(Job).order_by(col(Job.id).desc()).limit(limit)
    if status is not None:
        query = query.where(Job.status == status)
    if kind is not None:
        query = query.where(Job.kind == kind)
    if before_id is not None:
        query = query.where(col(Job.id) < before_id)
    return list(session.exec(query).all())


def claim_next(session: Session, worker: str) -> Job | None:
    """Mark the oldest queued job as running for `worker` and commit; None when the queue is empty."""
    query = select(Job).where(Job.status == "queued").order_by(col(Job.id)).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    job = session.exec(query).first()
    if job is None:
        session.rollback()
        return None
    job.status, job.worker, job.started_at = "running", worker, utcnow()
    session.add(job)
    session.commit()
    return job


def hold_job_lock(connection: Connection, job_id: int) -> None:
    """PostgreSQL: keep a share lock on a running job's row for as long as its worker lives.

    KEY SHARE does not block the progress updates; `requeue_orphans` uses it to tell a job whose
    worker died (lock gone with its connection) from one still running on another machine.
    """
    connection.execute(text("SELECT id FROM job WHERE id = :id FOR KEY SHARE"), {"id": job_id})


def requeue_orphans(session: Session, *, single_process: bool, grace: timedelta | None = None) -> list[int]:
    """Put back in the queue the running jobs whose worker is gone (killed, crashed, machine lost).

    With one process (SQLite) every running job at start-up is an orphan; on PostgreSQL an orphan is a
    running job whose row no live worker holds a lock on.
    """
    query = select(Job).where(Job.status == "running")
    if not single_process:
        # A job claimed a moment ago may not hold its lock yet; one that old surely would.
        grace = grace if grace is not None else timedelta(seconds=get_settings().job_orphan_grace_seconds)
        query = query.where(col(Job.started_at) < utcnow() - grace).with_for_update(skip_locked=True)
    orphans = list(session.exec(query).all())
    for job in orphans:
        job.status, job.worker, job.started_at = "queued", None, None
        job.message = "requeued: its worker stopped before finishing"
        session.add(job)
    session.commit()
    return [job.id for job in orphans if job.id is not None]


def progress_reporter(session: Session, job: Job) -> ProgressReporter:
    def report_progress(done: int, total: int | None = None, message: str = "") -> None:
        job.progress = done
        if total is not None:
            job.total = total
        if message:
            job.message = message
        session.add(job)
        session.commit()

    return report_progress


def finish_job(session: Session, job: Job, *, result: dict[str, Any] | None = None, error: str | None = None) -> None:
    job.status = "failed" if error is not None else "succeeded"
    job.result, job.error, job.finished_at = result, error, utcnow()
    if error is None and job.total:
        job.progress = job.total
    session.add(job)
    session.commit()
