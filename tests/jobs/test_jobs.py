"""Background jobs: enqueue, run once, report progress, fail cleanly, and never run twice."""

import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlmodel import Session, select

from app.auth.actor import SYSTEM
from app.db import get_engine, make_engine
from app.errors import InvalidInput
from app.jobs import service
from app.jobs.models import Job
from app.jobs.worker import JobWorker
from app.migrate import upgrade
from app.sources.models import Source

seen_progress: list[tuple[int, int, str]] = []


def _echo(session: Session, job: Job, report_progress: Callable[..., None]) -> dict[str, Any]:
    for step in range(1, 4):
        report_progress(step, 3, f"step {step}")
        with Session(get_engine()) as observer:  # progress is committed, so another session sees it
            stored = observer.get(Job, job.id)
            assert stored is not None
            seen_progress.append((stored.progress, stored.total, stored.message))
    return {"echo": job.payload.get("value")}


def _fail_after_write(session: Session, job: Job, report_progress: Callable[..., None]) -> None:
    session.add(Source(raw_text="never kept", text="never kept", sha256="f" * 64))
    session.flush()
    raise RuntimeError("the handler broke")


service.register_job_handler("test.echo", _echo)
service.register_job_handler("test.fail", _fail_after_write)


def _enqueue(kind: str, payload: dict[str, Any] | None = None, engine: Any = None) -> int:
    """Enqueue in a short session of its own: an open SQLite transaction would hold the write lock."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        job_id = service.enqueue(session, kind, SYSTEM, payload).id
        assert job_id is not None
        return job_id


def _read(job_id: int, engine: Any = None) -> Job:
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        job = session.get(Job, job_id)
        assert job is not None
        session.commit()  # ends the read transaction and, with expire_on_commit off, keeps `job` loaded
        return job


def _worker() -> JobWorker:
    return JobWorker(get_engine, name="test-worker")


def _drain(worker: JobWorker) -> None:
    while worker.run_once():
        pass


def test_enqueue_refuses_unknown_kinds(database_url: str) -> None:
    with pytest.raises(InvalidInput, match="Unknown job kind"):
        _enqueue("no.such.kind")


def test_a_job_runs_reports_progress_and_is_readable_over_the_api(client: TestClient, reviewer_headers: dict) -> None:
    seen_progress.clear()
    job_id = _enqueue("test.echo", {"value": 42})
    response = client.get(f"/api/v1/jobs/{job_id}", headers=reviewer_headers)
    assert response.status_code == 200
    assert response.json()["status"] == "queued"

    _drain(_worker())

    assert seen_progress == [(1, 3, "step 1"), (2, 3, "step 2"), (3, 3, "step 3")]
    body = client.get(f"/api/v1/jobs/{job_id}", headers=reviewer_headers).json()
    assert (body["status"], body["progress"], body["total"], body["result"]) == ("succeeded", 3, 3, {"echo": 42})
    assert body["started_at"] and body["finished_at"]
    listed = client.get(
        "/api/v1/jobs", params={"kind": "test.echo", "status": "succeeded"}, headers=reviewer_headers
    ).json()
    assert [item["id"] for item in listed["items"]] == [job_id]
    assert client.get("/api/v1/jobs/999999", headers=reviewer_headers).status_code == 404
    assert client.get(f"/api/v1/jobs/{job_id}").status_code == 401


def test_a_failing_job_is_marked_failed_and_its_uncommitted_work_undone(database_url: str) -> None:
    job_id = _enqueue("test.fail")
    _drain(_worker())
    failed = _read(job_id)
    assert failed.status == "failed"
    assert failed.error == "RuntimeError: the handler broke"
    with Session(get_engine()) as session:
        assert session.exec(select(Source).where(Source.sha256 == "f" * 64)).first() is None


def test_the_app_starts_and_stops_its_worker(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.config import get_settings
    from app.main import create_app

    monkeypatch.setenv("CROSSCHECK_RUN_WORKER", "true")
    get_settings.cache_clear()
    try:
        app = create_app()
        with TestClient(app):
            worker = app.state.job_worker
            assert worker is not None
            job_id = _enqueue("test.echo", {"value": "served"})
            deadline = time.monotonic() + 20
            while (current := _read(job_id)).status != "succeeded" and time.monotonic() < deadline:
                time.sleep(0.05)
            assert current.result == {"echo": "served"}
        assert worker._thread is None  # stopped and joined on shutdown
    finally:
        get_settings.cache_clear()


def test_two_workers_never_run_the_same_job_twice(scratch_database_url: str) -> None:
    """Each worker has its own engine, as two app processes would; on PostgreSQL they claim with SKIP LOCKED."""
    upgrade(scratch_database_url)
    runs: Counter[int] = Counter()
    lock = threading.Lock()

    def count(session: Session, job: Job, report_progress: Callable[..., None]) -> None:
        with lock:
            runs[job.id or 0] += 1
        time.sleep(0.002)

    service.register_job_handler("test.count", count)
    engines = [make_engine(scratch_database_url), make_engine(scratch_database_url)]
    try:
        job_ids = [_enqueue("test.count", engine=engines[0]) for _ in range(120)]
        workers = [JobWorker(lambda e=engine: e, name=f"w{i}") for i, engine in enumerate(engines)]
        threads = [threading.Thread(target=_drain, args=(w,)) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sorted(runs) == sorted(job_ids)
        assert set(runs.values()) == {1}
        with Session(engines[0]) as session:
            jobs = session.exec(select(Job)).all()
            assert {job.status for job in jobs} == {"succeeded"}
            assert {job.worker for job in jobs} == {"w0", "w1"}  # both took part
    finally:
        for engine in engines:
            engine.dispose()


def test_orphaned_running_jobs_are_requeued(scratch_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    upgrade(scratch_database_url)
    engine = make_engine(scratch_database_url)
    try:
        held, orphan = _enqueue("test.echo", engine=engine), _enqueue("test.echo", engine=engine)
        with Session(engine, expire_on_commit=False) as session:
            for _ in range(2):
                assert service.claim_next(session, "gone") is not None
        if engine.dialect.name == "sqlite":
            with Session(engine) as session:
                assert sorted(service.requeue_orphans(session, single_process=True)) == [held, orphan]
            assert _read(held, engine).status == "queued"
            return
        guard_engine = create_engine(scratch_database_url)
        with guard_engine.connect() as guard:
            service.hold_job_lock(guard, held)  # a live worker still holds this one
            with Session(engine) as session:
                assert service.requeue_orphans(session, single_process=False, grace=timedelta(0)) == [orphan]
            guard.rollback()
        guard_engine.dispose()
    finally:
        engine.dispose()
