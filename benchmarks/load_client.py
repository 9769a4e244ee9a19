"""The review-load benchmark's client: keep-alive HTTP/1.1 over asyncio streams, cheap enough per request that a
Python load generator on the same two cores leaves the server most of the CPU, and its figures."""

import asyncio
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

WRITES = ("write assessment", "write evidence")
_NEXT_CURSOR = re.compile(rb'"next_cursor":"([^"]+)"')


@dataclass
class Call:
    operation: str
    method: str
    path: str
    body: bytes | None = None
    follow: bool = False  # a list page: remember its next cursor, so the reviewer may read on
    on_success: Callable[[], None] | None = None


@dataclass(frozen=True)
class Sample:
    operation: str
    status: int
    seconds: float  # from when the request was due (sent, in a closed loop) to its last byte
    first_byte: float


class Reviewer(Protocol):
    index: int
    token: str
    next_cursor: str | None
    next_query: str


class Mix(Protocol):
    def next(self, reviewer: Any) -> Call: ...


def wait_for(port: int) -> None:
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


class Connection:
    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, call: Call) -> tuple[int, float, bytes]:
        """Status, seconds to the first byte, body."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = (
            f"{call.method} {call.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.token}\r\n"
            "Accept: */*\r\n"
        )
        if call.body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(call.body)}\r\n"
        started = time.perf_counter()
        self.writer.write(head.encode() + b"\r\n" + (call.body or b""))
        status_line = await self.reader.readuntil(b"\r\n")
        first_byte = time.perf_counter() - started
        headers = await self.reader.readuntil(b"\r\n\r\n")
        status = int(status_line.split()[1])
        lowered = headers.lower()
        if b"transfer-encoding: chunked" in lowered:
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
        else:
            match = re.search(rb"content-length: (\d+)", lowered)
            body = await self.reader.readexactly(int(match.group(1))) if match else b""
        if b"connection: close" in lowered:
            self.writer.close()
            self.writer = None
        return status, first_byte, body


async def _one(connection: Connection, reviewer: Any, call: Call, due: float, samples: list[Sample]) -> None:
    try:
        status, first_byte, body = await connection.request(call)
    except (OSError, asyncio.IncompleteReadError, ValueError):
        status, first_byte, body = 599, 0.0, b""
        connection.writer = None
    done = time.perf_counter()
    samples.append(Sample(call.operation, status, done - due, first_byte))
    if 200 <= status < 300:
        if call.on_success is not None:
            call.on_success()
        if call.follow:
            match = _NEXT_CURSOR.search(body)
            reviewer.next_cursor = match.group(1).decode() if match else None
            reviewer.next_query = call.path.split("&cursor=")[0]


async def drive(port: int, reviewers: list[Any], mix: Mix, seconds: float, rate: float | None) -> list[Sample]:
    """Closed loop (rate None: each reviewer sends its next request when the last one answers) or open loop at
    `rate` arrivals a second shared by the reviewers (latency counts from the arrival, so queueing shows)."""
    samples: list[Sample] = []
    deadline = time.perf_counter() + seconds
    connections = [Connection(port, reviewer.token) for reviewer in reviewers]

    async def closed(index: int) -> None:
        while time.perf_counter() < deadline:
            due = time.perf_counter()
            await _one(connections[index], reviewers[index], mix.next(reviewers[index]), due, samples)

    queue: asyncio.Queue[float | None] = asyncio.Queue()

    async def open_worker(index: int) -> None:
        while (due := await queue.get()) is not None:
            await _one(connections[index], reviewers[index], mix.next(reviewers[index]), due, samples)

    async def arrivals() -> None:
        assert rate is not None
        start = time.perf_counter()
        count = 0
        while (due := start + count / rate) < deadline:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            queue.put_nowait(due)
            count += 1
        for _ in reviewers:
            queue.put_nowait(None)

    if rate is None:
        await asyncio.gather(*(closed(i) for i in range(len(reviewers))))
    else:
        await asyncio.gather(arrivals(), *(open_worker(i) for i in range(len(reviewers))))
    for connection in connections:
        if connection.writer is not None:
            connection.writer.close()
    return samples


def _quantile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def report(
    name: str, samples: list[Sample], seconds: float, server_cpu: float, cache: tuple[int, int]
) -> dict[str, Any]:
    by_operation: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_operation[sample.operation].append(sample)
    errors = [s for s in samples if not 200 <= s.status < 300]
    slow = [s for s in samples if s.seconds > 1.0]
    hits, served = cache
    print(
        f"  {name}: {len(samples) / seconds:7.1f} req/s, {len(samples)} requests, errors {len(errors)}"
        f"{' ' + str(sorted({s.status for s in errors})) if errors else ''}, over 1 s {len(slow)}, "
        f"cache hits {hits / served:.0%} of {served} list reads"
        if served
        else f"  {name}: {len(samples) / seconds:7.1f} req/s, {len(samples)} requests, errors {len(errors)}, "
        f"over 1 s {len(slow)}",
        end="",
    )
    print(f", server CPU {server_cpu * 1000 / max(len(samples), 1):.2f} ms/request")
    print(f"    {'operation':<17} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'1st byte p50':>12}")
    figures: dict[str, Any] = {
        "errors": len(errors),
        "slow": len(slow),
        "rate": len(samples) / seconds,
        "operations": {},
    }
    for operation in sorted(by_operation):
        ordered = sorted(s.seconds * 1000 for s in by_operation[operation])
        first = statistics.median(s.first_byte * 1000 for s in by_operation[operation])
        p50, p95, p99 = _quantile(ordered, 0.5), _quantile(ordered, 0.95), _quantile(ordered, 0.99)
        figures["operations"][operation] = {"p50": p50, "p95": p95, "p99": p99, "first_byte": first}
        print(f"    {operation:<17} {len(ordered):>6} {p50:>8.2f} {p95:>8.2f} {p99:>8.2f} {first:>12.2f}")
    reads = sorted(s.seconds * 1000 for s in samples if s.operation not in WRITES)
    if reads:
        figures["reads_p99"] = _quantile(reads, 0.99)
        print(
            f"    {'all reads':<17} {len(reads):>6} {_quantile(reads, 0.5):>8.2f} {_quantile(reads, 0.95):>8.2f} "
            f"{figures['reads_p99']:>8.2f}"
        )
    return figures


def check_writes(url: str, reviewers: list[Any]) -> int:
    """Every write answered 2xx is in the database: each reviewer's last assessment of a (claim, source) holds
    the note it sent, and every evidence note is there. Returns the number missing.

    Notes are `load-<run>-<reviewer>-<serial>`: a stored note is found by its run and reviewer, since earlier runs
    left assessments of their own on the same claims and sources."""
    from sqlalchemy import text

    from app.db import make_engine

    engine = make_engine(url)
    with engine.connect() as connection:
        stored = {
            (row.claim_id, row.source_id, row.note.rsplit("-", 1)[0]): row.note
            for row in connection.execute(
                text("SELECT claim_id, source_id, note FROM assessment WHERE note LIKE 'load-%'")
            )
        }
        evidence = {row.note for row in connection.execute(text("SELECT note FROM evidence WHERE note LIKE 'load-%'"))}
    engine.dispose()
    missing = 0
    written = 0
    for reviewer in reviewers:
        for (claim_id, source_id), note in reviewer.assessments.items():
            written += 1
            missing += stored.get((claim_id, source_id, note.rsplit("-", 1)[0])) != note
        written += len(reviewer.evidence)
        missing += len(reviewer.evidence - evidence)
    print(f"  writes answered 2xx: {written}; missing from the database: {missing}")
    return missing


def compare(summary: dict[int, dict[str, Any]], sizes: list[int]) -> None:
    """The targets that compare sizes and phases (each figure from this one run)."""
    if not summary:
        return
    print("\nTargets")
    for size in sizes:
        results = summary.get(size, {})
        if "overhead" in results:
            ratio = results["overhead"]["ratio"]
            print(f"  {size:>7,}: list with every read a miss / bare = {ratio:.2f} (>= 0.5)")
        reads, mixed = results.get("reads@rate"), results.get("mixed@rate")
        if reads and mixed:
            ratio = mixed["reads_p99"] / reads["reads_p99"]
            print(
                f"  {size:>7,}: p99 of reads, mixed / reads alone at the same rate = {mixed['reads_p99']:.1f} / "
                f"{reads['reads_p99']:.1f} = {ratio:.2f} (<= 3)"
            )
        for name in ("reads", "mixed", "reads@rate", "mixed@rate"):
            if name in results:
                print(f"  {size:>7,}: {name}: errors {results[name]['errors']}, over 1 s {results[name]['slow']}")
        if "lost writes" in results:
            print(f"  {size:>7,}: lost writes {results['lost writes']}")
        if reads:
            operations = reads["operations"]
            bare = operations.get("bare", {}).get("p50")
            for name in ("detail", "claim page", "board", "search", "board search"):
                if name in operations and bare:
                    print(
                        f"  {size:>7,}: {name} p50 {operations[name]['p50']:.2f} ms = "
                        f"{operations[name]['p50'] / bare:.1f}x bare ({bare:.2f} ms) (detail, board: <= 10x)"
                    )
    small, large = min(summary), max(summary)
    if small != large:
        low, high = summary[small].get("reads@rate"), summary[large].get("reads@rate")
        if low and high:
            for name in ("detail", "claim page", "board", "search", "board search", "list", "source reader"):
                if name in low["operations"] and name in high["operations"]:
                    ratio = high["operations"][name]["p50"] / low["operations"][name]["p50"]
                    print(f"  {name} p50 at {large:,} / at {small:,} = {ratio:.2f} (<= 1.5)")
