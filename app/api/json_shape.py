"""Refuse JSON bodies of a hostile shape before validation spends time on them.

A few megabytes of JSON can hold 400,000 keys or thousands of nested arrays: validating that costs seconds
of the event loop and answers with megabytes of errors, for everyone's requests alike. The body is parsed
once in a worker thread and checked for depth, width and characters no database can store; only a body
that passes reaches the route.
"""

import json
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import PROBLEM_BASE, PROBLEM_JSON
from app.text_rules import text_problem

MAX_DEPTH = 32
MAX_OBJECT_KEYS = 256
MAX_ARRAY_ITEMS = 10_000
MAX_TOTAL_KEYS = 20_000
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
INLINE_BYTES = 16 * 1024


def _path(parts: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in parts)


def shape_problem(body: bytes) -> tuple[str, str] | None:
    """(field, message) for the first way the JSON body breaks the shape rules, or None.

    Bodies that are not JSON at all are left to the route's own validation and its usual answer.
    """
    # Parsing holds the GIL for as long as it takes, whichever thread runs it: a body of many thousand keys
    # is counted at C speed and refused unparsed. Inside a JSON string a quote is always escaped, so `":`
    # not preceded by a backslash ends a key.
    keys = body.count(b'":') - body.count(b'\\":')
    if keys > MAX_TOTAL_KEYS:
        return "", f"too wide: too many keys (over {MAX_TOTAL_KEYS:,}; an object may have at most {MAX_OBJECT_KEYS})"
    try:
        document = json.loads(body)
    except RecursionError:
        return "", f"nested deeper than {MAX_DEPTH} levels"
    except ValueError:
        return None
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return _path(path), f"nested deeper than {MAX_DEPTH} levels"
        if isinstance(value, dict):
            if len(value) > MAX_OBJECT_KEYS:
                return _path(path), f"an object may have at most {MAX_OBJECT_KEYS} keys (got {len(value):,})"
            for key, item in value.items():
                if (message := text_problem(key)) is not None:
                    return _path(path), f"a key {message}"
                stack.append((item, (*path, key)))
        elif isinstance(value, list):
            if len(value) > MAX_ARRAY_ITEMS:
                return _path(path), f"a list may have at most {MAX_ARRAY_ITEMS:,} items (got {len(value):,})"
            stack.extend((item, (*path, index)) for index, item in enumerate(value))
        elif isinstance(value, str) and (message := text_problem(value)) is not None:
            return _path(path), message
    return None


class JsonShapeMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
        # FastAPI reads a body without a content type as JSON too.
        content_type = headers.get(b"content-type", b"json")
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS or b"json" not in content_type:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        # A small body is checked in place; a large one in a worker thread, so the event loop keeps serving.
        if len(body) <= INLINE_BYTES:
            problem = shape_problem(body)
        else:
            problem = await anyio.to_thread.run_sync(shape_problem, body)
        if problem is not None:
            await _refuse(send, *problem)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _refuse(send: Send, field: str, message: str) -> None:
    detail = f"{field}: {message}" if field else f"The request body is {message}."
    body = json.dumps(
        {
            "type": PROBLEM_BASE + "invalid-input",
            "title": "Invalid input",
            "status": 422,
            "detail": detail,
            "errors": [{"field": field, "message": message}],
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
