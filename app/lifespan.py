"""The application's lifespan: every background loop of a serving process starts here and stops here."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.config import get_settings
from app.jobs.worker import JobWorker
from app.web.templating import compile_templates
from app.webhooks.delivery import Dispatcher


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the job worker (settings.run_worker) and the webhook sender beside the app, and stop both after.

    Once started, the objects the process keeps for its whole life (modules, routes, compiled templates and
    statements) are moved out of the garbage collector's sight (`gc.freeze`): its full collections walked all
    ~200,000 of them every twenty or so board pages, 60-80 ms each time, ~3 ms a page on average. They are handed
    back at shutdown, so a process that builds apps again and again (the tests) does not keep every one."""
    worker = JobWorker() if get_settings().run_worker else None
    dispatcher = Dispatcher()
    app.state.job_worker = worker
    app.state.webhook_dispatcher = dispatcher
    if worker is not None:
        worker.start()
    dispatcher.start()
    compile_templates()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        dispatcher.stop()
        if worker is not None:
            worker.stop()
