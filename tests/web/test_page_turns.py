"""Pages take turns to read and render: at most a core's worth at once, the others wait in order."""

import asyncio
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi import APIRouter, FastAPI
from starlette.responses import PlainTextResponse, Response

from app.web.deps import WebRoute


def _app_with_a_slow_page() -> tuple[FastAPI, list[int]]:
    router = APIRouter(route_class=WebRoute)
    running = [0]
    most = [0]
    lock = threading.Lock()

    @router.get("/slow")
    def slow() -> Response:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return PlainTextResponse("done")

    @router.post("/slow")
    def slow_form() -> Response:
        return slow()

    app = FastAPI()
    app.include_router(router)
    return app, most


async def _requests_at_once(app: FastAPI, method: str, requests: int) -> list[int]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answers = await asyncio.gather(*(client.request(method, "/slow") for _ in range(requests)))
    return [answer.status_code for answer in answers]


def _at_once(app: FastAPI, method: str, requests: int) -> list[int]:
    """On a thread of its own: browser tests earlier in the run leave an event loop running on the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _requests_at_once(app, method, requests)).result()


def test_at_most_a_core_s_worth_of_pages_render_at_once() -> None:
    app, most = _app_with_a_slow_page()
    cores = os.cpu_count() or 1
    assert _at_once(app, "GET", cores + 4) == [200] * (cores + 4)
    assert most[0] == cores


def test_form_posts_are_not_held_back() -> None:
    app, most = _app_with_a_slow_page()
    cores = os.cpu_count() or 1
    _at_once(app, "POST", cores + 4)
    assert most[0] > cores
