"""Separate `crosscheck worker` processes share the queue on PostgreSQL: every job runs once, and the job of a
worker killed mid-job is retried by another."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.auth.actor import SYSTEM
from app.db import make_engine
from app.jobs import service
from app.jobs.models import Job
from app.migrate import upgrade
from tests.jobs import worker_process  # noqa: F401  (registers test.slow here too, for enqueue)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


def _start_worker(url: str) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        CROSSCHECK_DATABASE_URL=url,
        CROSSCHECK_JOB_ORPHAN_GRACE_SECONDS="2",
        CROSSCHECK_LOG_LEVEL="WARNING",
        CROSSCHECK_SECRET_KEY="k" * 40,
    )
    return subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.worker_process"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _jobs(engine: object) -> list[Job]:
    with Session(engine) as session:  # type: ignore[call-overload]
        return list(session.exec(select(Job).order_by(col(Job.id))).all())


def _runs(engine: object) -> Counter[int]:
    with Session(engine) as session:  # type: ignore[call-overload]
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "test.slow.ran")).all()
    return Counter(int(event.entity_id) for event in events)


def test_killed_worker_job_is_retried_and_no_job_runs_twice(postgres_url: str) -> None:
    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    with Session(engine) as session:
        long_job = service.enqueue(session, "test.slow", SYSTEM, {"seconds": 30}).id
        short_jobs = [service.enqueue(session, "test.slow", SYSTEM, {"seconds": 0.1}).id for _ in range(30)]
    doomed = _start_worker(postgres_url)
    survivors: list[subprocess.Popen[bytes]] = []
    try:
        deadline = time.monotonic() + 60
        while not any(job.id == long_job and job.status == "running" for job in _jobs(engine)):
            assert time.monotonic() < deadline, "the first worker never took the long job"
            time.sleep(0.1)
        doomed.send_signal(signal.SIGKILL)  # mid-job: no chance to clean up
        doomed.wait(10)
        with Session(engine) as session:
            job = session.get(Job, long_job)
            assert job is not None and job.status == "running"  # and its worker gone: an orphan
            job.payload = {"seconds": 0.1}  # the retry need not wait as long
            session.add(job)
            session.commit()
        survivors = [_start_worker(postgres_url) for _ in range(2)]
        deadline = time.monotonic() + 90
        while any(job.status != "succeeded" for job in _jobs(engine)):
            assert time.monotonic() < deadline, [(j.id, j.status, j.error) for j in _jobs(engine)]
            time.sleep(0.2)
    finally:
        for process in [doomed, *survivors]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in survivors:
            process.wait(30)
            assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    jobs = {job.id: job for job in _jobs(engine)}
    runs = _runs(engine)
    engine.dispose()
    assert runs == Counter({job_id: 1 for job_id in [long_job, *short_jobs]})  # each once: none lost, none twice
    assert jobs[long_job].message == "requeued: its worker stopped before finishing"
    assert all(job.status == "succeeded" and job.error is None for job in jobs.values())


def test_worker_refuses_sqlite(tmp_path: Path) -> None:
    env = dict(os.environ, CROSSCHECK_DATABASE_URL=f"sqlite:///{tmp_path / 'one.db'}")
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "worker"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "need PostgreSQL" in result.stderr and "Traceback" not in result.stderr
