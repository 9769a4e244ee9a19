"""Requests take turns (app/admission.py): a few at once, the others in arrival order; a turn does not wait on
the client, neither for a slow upload nor for a slow reader; a failure gives the turn back."""

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from pydantic import ValidationError
from starlette.types import Message, Receive, Scope, Send

from app.admission import ActiveRequestLimit
from app.config import Settings

T = TypeVar("T")


def _run(work: Callable[[], Awaitable[T]]) -> T:
    """On a thread of its own: browser tests earlier in the run leave an event loop running on the main thread."""

    async def bounded() -> T:
        return await asyncio.wait_for(work(), timeout=10)

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, bounded()).result()


def _scope(number: int, method: str = "GET") -> Scope:
    return {"type": "http", "method": method, "path": f"/{number}", "headers": []}


def _body(*chunks: bytes) -> Receive:
    messages = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1} for i, chunk in enumerate(chunks)
    ]

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    return receive


class Answers:
    """What each request sent back, by path."""

    def __init__(self) -> None:
        self.sent: dict[str, list[Message]] = {}

    def send_for(self, scope: Scope) -> Send:
        async def send(message: Message) -> None:
            self.sent.setdefault(scope["path"], []).append(message)

        return send

    def status(self, path: str) -> int:
        return int(self.sent[path][0]["status"])


async def _answer(send: Send, body: bytes = b"ok") -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def _many_at_once(at_once: int, requests: int) -> tuple[int, list[str], Answers]:
    """`requests` requests sent together, each worked on for 10 ms: the most worked on at once, the order they
    started in, and their answers."""
    running = 0
    most = 0
    started: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal running, most
        started.append(scope["path"])
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1
        await _answer(send)

    limited = ActiveRequestLimit(app, at_once=at_once)
    answers = Answers()

    async def send_together() -> None:
        scopes = [_scope(number) for number in range(requests)]
        await asyncio.gather(*(limited(scope, _body(b""), answers.send_for(scope)) for scope in scopes))

    _run(send_together)
    return most, started, answers


def test_at_most_the_limit_are_worked_on_at_once_in_arrival_order() -> None:
    most, started, answers = _many_at_once(at_once=3, requests=10)
    assert most == 3
    assert started == [f"/{number}" for number in range(10)]
    assert [answers.status(f"/{number}") for number in range(10)] == [200] * 10


def test_no_limit_when_set_to_zero() -> None:
    most, _started, answers = _many_at_once(at_once=0, requests=6)
    assert most == 6
    assert [answers.status(f"/{number}") for number in range(6)] == [200] * 6


async def _another_passes(
    held: Awaitable[None], release: asyncio.Event, limited: ActiveRequestLimit, answers: Answers
) -> None:
    """While request 0 (`held`) waits on its client, request 1 goes through the limit and is answered; then the
    client of request 0 catches up."""
    waiting = asyncio.ensure_future(held)
    await asyncio.sleep(0.01)
    await limited(_scope(1), _body(b""), answers.send_for(_scope(1)))
    assert not waiting.done()
    release.set()
    await waiting


def test_a_turn_ends_when_the_response_starts_so_a_slow_reader_holds_none() -> None:
    reader_caught_up = asyncio.Event()
    answers = Answers()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        if scope["path"] == "/slow-reader":
            await reader_caught_up.wait()  # as `send` waits while a client does not read
        await send({"type": "http.response.body", "body": b"page"})

    limited = ActiveRequestLimit(app, at_once=1)

    slow_reader = _scope(0) | {"path": "/slow-reader"}
    _run(
        lambda: _another_passes(
            limited(slow_reader, _body(b""), answers.send_for(slow_reader)), reader_caught_up, limited, answers
        )
    )
    assert answers.status("/1") == 200
    assert answers.sent["/slow-reader"][-1]["body"] == b"page"


def test_a_slow_upload_waits_outside_the_line_and_reaches_the_app_whole() -> None:
    rest_arrived = asyncio.Event()
    bodies: dict[str, bytes] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        bodies[scope["path"]] = body
        await _answer(send)

    async def trickle() -> Message:
        if not bodies_sent:
            bodies_sent.append(1)
            return {"type": "http.request", "body": b"first half ", "more_body": True}
        await rest_arrived.wait()
        return {"type": "http.request", "body": b"second half", "more_body": False}

    bodies_sent: list[int] = []
    limited = ActiveRequestLimit(app, at_once=1)
    answers = Answers()

    _run(
        lambda: _another_passes(
            limited(_scope(0, "POST"), trickle, answers.send_for(_scope(0))), rest_arrived, limited, answers
        )
    )
    assert bodies == {"/1": b"", "/0": b"first half second half"}
    assert answers.status("/0") == 200


def test_a_client_gone_before_its_body_arrived_is_not_worked_on() -> None:
    called: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        called.append(scope["path"])
        await _answer(send)

    async def gone() -> Message:
        return {"type": "http.disconnect"}

    answers = Answers()
    _run(lambda: ActiveRequestLimit(app, at_once=1)(_scope(0, "POST"), gone, answers.send_for(_scope(0))))
    assert called == []


def test_a_failure_gives_the_turn_back() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == "/0":
            raise RuntimeError("the route failed")
        await _answer(send)

    limited = ActiveRequestLimit(app, at_once=1)
    answers = Answers()

    async def requests() -> None:
        with pytest.raises(RuntimeError):
            await limited(_scope(0), _body(b""), answers.send_for(_scope(0)))
        await limited(_scope(1), _body(b""), answers.send_for(_scope(1)))

    _run(requests)
    assert answers.status("/1") == 200


def test_other_kinds_of_connection_pass_straight_through() -> None:
    seen: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    limited = ActiveRequestLimit(app, at_once=1)
    _run(lambda: limited({"type": "lifespan"}, _body(), Answers().send_for({"path": "/"})))
    assert seen == ["lifespan"]


def test_a_negative_limit_is_refused() -> None:
    with pytest.raises(ValidationError, match="max_active_requests"):
        Settings(max_active_requests=-1)
    assert Settings().max_active_requests == 4
