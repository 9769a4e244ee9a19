"""Requests take turns: a process works on a few at once and the others wait in arrival order (admission control).

One process runs Python on one core at a time. Requests worked on together share it (anyio's thread pool takes
up to forty), so sixteen at once each take about sixteen times their own work, and the heaviest pages the
longest: with 16 reviewers sending back to back, board pages took 0.4–0.8 s and passed 1 s in slow stretches.
Taking turns bounds a request's wait by the work queued ahead of it, and a few at once still overlap one request's
database round trips with another's Python. Pages, API calls and form posts queue alike.
benchmarks/README.md ("The eighth round") has the figures.

A turn starts once the request's body has arrived, so a slow upload waits outside the line, and ends when the
response starts (the page is built by then), so a slow reader does not hold it either.
"""

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ActiveRequestLimit:
    """At most `at_once` requests worked on at a time (0: no limit); the others wait, first come first served."""

    def __init__(self, app: ASGIApp, at_once: int) -> None:
        self.app = app
        self._turns = anyio.Semaphore(at_once) if at_once > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._turns is None:
            await self.app(scope, receive, send)
            return
        received = await _whole_body(receive)
        if received is None:
            return  # the client went away while sending
        replay = iter(received)

        async def receive_again() -> Message:
            return next(replay, None) or await receive()

        turns = self._turns
        holding = True
        await turns.acquire()

        async def send_and_end_turn(message: Message) -> None:
            nonlocal holding
            if holding and message["type"] == "http.response.start":
                holding = False
                turns.release()
            await send(message)

        try:
            await self.app(scope, receive_again, send_and_end_turn)
        finally:
            if holding:
                turns.release()


async def _whole_body(receive: Receive) -> list[Message] | None:
    """The request's body messages, read to the last (the body size limit, outside, bounds them)."""
    messages: list[Message] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        messages.append(message)
        if not message.get("more_body", False):
            return messages
