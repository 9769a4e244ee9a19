"""The application's lifespan: every background loop of a serving process starts here and stops here."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.config import get_settings
from app.jobs.worker import JobWorker
from app.webhooks.delivery import Dispatcher


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the job worker (settings.run_worker) and the webhook sender beside the app, and stop both after."""
    worker = JobWorker() if get_settings().run_worker else None
    dispatcher = Dispatcher()
    app.state.job_worker = worker
    app.state.webhook_dispatcher = dispatcher
    if worker is not None:
        worker.start()
    dispatcher.start()
    try:
        yield
    finally:
        dispatcher.stop()
        if worker is not None:
            worker.stop()
