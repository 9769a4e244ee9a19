"""The job worker: a thread that claims queued jobs one at a time and runs their registered handler."""

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import get_settings
from app.db import get_engine
from app.jobs import service
from app.jobs.models import Job

log = logging.getLogger(__name__)


class JobWorker:
    """Start it with the app (settings.run_worker) and stop it on shutdown; `run_once` serves tests."""

    def __init__(
        self, engine_factory: Callable[[], Engine] = get_engine, *, name: str | None = None, poll_seconds: float = 1.0
    ) -> None:
        self._engine_factory = engine_factory
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def _single_process(self) -> bool:
        return self._engine_factory().dialect.name == "sqlite"

    def start(self) -> None:
        if self._thread is not None:
            return
        self.requeue_orphans()
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name=f"job-worker {self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 10.0) -> None:
        """Ask the loop to stop after the job in hand (if any) and wait for it."""
        self._stop.set()
        service.job_enqueued.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        next_sweep = time.monotonic()
        while not self._stop.is_set():
            try:
                if not self._single_process and time.monotonic() >= next_sweep:
                    # Another worker may have died mid-job at any time, not only before this one started.
                    next_sweep = time.monotonic() + get_settings().job_orphan_grace_seconds / 2
                    self.requeue_orphans()
                ran = self.run_once()
            except Exception:  # the loop must outlive a broken database connection
                log.exception("job worker %s: claiming failed", self.name)
                ran = False
            if not ran:
                service.job_enqueued.wait(self.poll_seconds)
                service.job_enqueued.clear()

    def requeue_orphans(self) -> list[int]:
        with Session(self._engine_factory(), expire_on_commit=False) as session:
            requeued = service.requeue_orphans(session, single_process=self._single_process)
        if requeued:
            log.warning("requeued jobs %s left running by a stopped worker", requeued)
        return requeued

    def run_until_stopped(self) -> None:
        """Run in the foreground (`crosscheck worker`) until SIGTERM or SIGINT, finishing the job in hand."""
        stopping = threading.Event()
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signal_number, lambda *_: stopping.set())
        self.start()
        stopping.wait()
        self.stop(timeout=None)

    def run_once(self) -> bool:
        """Claim and run one job; False when none was queued."""
        engine = self._engine_factory()
        # Objects stay loaded after commits: reloading one would open a transaction, and on SQLite
        # every transaction takes the write lock (BEGIN IMMEDIATE) until it ends.
        with Session(engine, expire_on_commit=False) as session:
            job = service.claim_next(session, self.name)
            if job is None:
                return False
            if engine.dialect.name == "postgresql":
                with engine.connect() as guard:
                    service.hold_job_lock(guard, job.id or 0)
                    self._run(session, job)
                    guard.rollback()
            else:
                self._run(session, job)
        return True

    def _run(self, session: Session, job: Job) -> None:
        handler = service.handler_for(job.kind)
        if handler is None:
            service.finish_job(session, job, error=f"no handler registered for job kind {job.kind!r}")
            return
        try:
            result = handler(session, job, service.progress_reporter(session, job))
        except Exception as error:
            log.exception("job %s (%s) failed", job.id, job.kind)
            session.rollback()
            session.refresh(job)
            service.finish_job(session, job, error=f"{type(error).__name__}: {error}"[:2000])
            return
        service.finish_job(session, job, result=result)
