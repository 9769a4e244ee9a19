"""Review load: N simulated reviewers against one server on a seeded workspace, beside a bare endpoint.

    .venv/bin/python -m benchmarks.review_load --backend sqlite --sizes 1000 100000 [--reuse]
    .venv/bin/python -m benchmarks.review_load --backend postgresql --sizes 1000 100000 [--reuse]

Per size: a seeded workspace (benchmarks/seed.py), one uvicorn process serving the real app plus `/bench/bare`
(the list page's bytes from memory) and `/bench/stats` (the page cache's hits and misses), and these phases:

- `bare`: the bare endpoint at think time 0, and `list-miss`: `GET /api/v1/claims?limit=50` with a new cursor
  on every request (so every read misses the page cache), both loaded by wrk (`-t1 -c8`, a Lua script varies
  the cursor) in alternating rounds; target list-miss >= 0.5x bare.
- `reads` and `mixed`: N reviewers (one keep-alive connection each, asyncio, think time 0) looping over a
  weighted mix of board pages (filters, sorts, cursors followed from the previous page), claim detail (API
  and page), the source reader, full-text search and the list API; `mixed` adds ~10 % writes (assessments
  with PUT, evidence with POST).
- `reads@rate` and `mixed@rate`: the same mixes at a fixed arrival rate (`--rate` requests/s in all, open
  loop: a request's latency counts from when it was due, so queueing shows).

Printed per phase: requests/s, p50/p95/p99 per operation, errors, requests over 1 s, the page cache's hit
rate and the server's CPU per request (from /proc). After `mixed`, every write answered 2xx is checked in
the database (no lost write). With `--workers 2` the server runs two processes (PostgreSQL only).
"""

import argparse
import asyncio
import base64
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks import load_client as client

PORT = int(os.environ.get("BENCH_PORT", "8766"))  # the fixtures board uses another, so both can run at once
POSTGRES_URL_FILE = Path(__file__).resolve().parent.parent / ".services" / "postgres-url"


def serve() -> None:
    """The server: the real app plus the bare endpoint and the cache counters (a benchmark-only router)."""
    import uvicorn

    from app.main import create_app

    workers = int(os.environ.get("BENCH_WORKERS", "1"))
    if workers > 1:
        uvicorn.run(
            "benchmarks.review_load:bench_app",
            factory=True,
            host="127.0.0.1",
            port=PORT,
            workers=workers,
            log_level="warning",
            access_log=False,
        )
        return
    uvicorn.run(bench_app(create_app), host="127.0.0.1", port=PORT, log_level="warning", access_log=False)


def bench_app(factory: Callable[[], Any] | None = None) -> Any:
    from fastapi import Response
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.review import claims_api

    app = (factory or create_app)()
    with TestClient(app) as test_client:
        payload = test_client.get(
            "/api/v1/claims?limit=50", headers={"Authorization": f"Bearer {os.environ['BENCH_TOKEN']}"}
        ).content

    @app.get("/bench/bare", include_in_schema=False)
    def bare() -> Response:
        return Response(payload, media_type="application/json")

    @app.get("/bench/stats", include_in_schema=False)
    async def stats() -> dict[str, int]:
        return {"hits": claims_api._pages.hits, "misses": claims_api._pages.misses, "pid": os.getpid()}

    return app


def _database(backend: str, size: int, keep: bool) -> str:
    if backend == "sqlite":
        path = Path(f"/tmp/perf/cc-perf-{size}.db")
        path.parent.mkdir(exist_ok=True)
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    base = os.environ.get("CROSSCHECK_BENCH_POSTGRES_URL") or POSTGRES_URL_FILE.read_text().strip()
    url = re.sub(r"/[^/]*$", f"/cc_perf_{size}", base)
    if not keep:
        from sqlalchemy import create_engine, text

        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    return url


def _workspace(url: str, size: int, reuse: bool, reviewers: int) -> dict[str, Any]:
    """Seed (or reuse) the workspace; one token per simulated reviewer, and a few facts for the requests."""
    from sqlmodel import Session, select

    from app.auth.actor import SYSTEM
    from app.auth.service import create_token
    from app.db import make_engine
    from app.sources.models import Source
    from benchmarks.seed import benchmark_user, seed
    from benchmarks.seed import reuse as reuse_workspace

    info = (reuse_workspace(url, claims=size) if reuse else None) or seed(url, claims=size)
    engine = make_engine(url)
    stamp = time.time_ns()
    with Session(engine) as session:
        tokens = []
        for index in range(reviewers):
            user = benchmark_user(session, f"load-reviewer-{index}")
            tokens.append(create_token(session, user, SYSTEM)[1])
        texts = {source.id: source.text for source in session.exec(select(Source).limit(200)).all()}
    engine.dispose()
    return {**info, "tokens": tokens, "texts": texts, "stamp": stamp}


def _cursor(position: int, sort: str = "id") -> str:
    raw = json.dumps({"sort": sort, "value": position, "id": position}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class Mix:
    """Builds each reviewer's next request from a weighted choice of operations."""

    size: int
    sources: int
    vocabulary: list[str]
    texts: dict[int, str]
    stamp: int
    writes: float
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    READS = (
        ("board", 14),
        ("list", 24),
        ("detail", 16),
        ("claim page", 10),
        ("source reader", 10),
        ("search", 12),
        ("list by source", 5),
        ("board search", 5),
        ("bare", 4),
    )

    def next(self, reviewer: "Reviewer") -> client.Call:
        if self.rng.random() < self.writes:
            return self._write(reviewer)
        operation = self.rng.choices([name for name, _ in self.READS], [weight for _, weight in self.READS])[0]
        rng = self.rng
        claim_id = rng.randint(1, self.size)
        if operation == "board":
            sort = rng.choice(("id", "-id", "-updated_at", "verdict"))
            query = f"sort={sort}&limit=50"
            if rng.random() < 0.3:
                query += f"&verdict={rng.choice(('corroborated', 'contradicted', 'disputed', 'unverified'))}"
            if sort in ("id", "-id") and rng.random() < 0.5:
                query += f"&cursor={_cursor(claim_id, sort)}"
            return client.Call(operation, "GET", f"/?{query}")
        if operation == "bare":
            return client.Call(operation, "GET", "/bench/bare")
        if operation == "board search":
            return client.Call(operation, "GET", f"/?q={rng.choice(self.vocabulary)}")
        if operation == "list":
            if reviewer.next_cursor and rng.random() < 0.5:
                return client.Call(operation, "GET", reviewer.next_query + f"&cursor={reviewer.next_cursor}")
            query = f"/api/v1/claims?limit=50&sort={rng.choice(('id', '-id', 'updated_at', '-updated_at'))}"
            if rng.random() < 0.4:
                query += f"&verdict={rng.choice(('corroborated', 'contradicted', 'disputed', 'unverified'))}"
            if rng.random() < 0.2:
                query += f"&conflict={rng.choice(('true', 'false'))}"
            return client.Call(operation, "GET", query, follow=True)
        if operation == "list by source":
            return client.Call(operation, "GET", f"/api/v1/claims?source_id={rng.randint(1, self.sources)}")
        if operation == "search":
            return client.Call(operation, "GET", f"/api/v1/claims?q={rng.choice(self.vocabulary)}")
        if operation == "detail":
            return client.Call(operation, "GET", f"/api/v1/claims/{claim_id}")
        if operation == "claim page":
            return client.Call(operation, "GET", f"/claims/{claim_id}")
        return client.Call(operation, "GET", f"/sources/{rng.randint(1, self.sources)}")

    def _write(self, reviewer: "Reviewer") -> client.Call:
        rng = self.rng
        claim_id = rng.randint(1, self.size)
        source_id = rng.choice(list(self.texts))
        reviewer.write_serial += 1
        note = f"load-{self.stamp}-{reviewer.index}-{reviewer.write_serial}"
        if rng.random() < 0.6:
            body = {"stance": rng.choice(("corroborates", "contradicts", "not_addressed", "unclear")), "note": note}
            call = client.Call(
                "write assessment",
                "PUT",
                f"/api/v1/claims/{claim_id}/sources/{source_id}/assessment",
                json.dumps(body).encode(),
            )
            call.on_success = lambda: reviewer.assessments.__setitem__((claim_id, source_id), note)
            return call
        text = self.texts[source_id]
        start = rng.randint(0, max(0, len(text) - 60))
        body = {"source_id": source_id, "start": start, "end": start + 40, "note": note}
        call = client.Call("write evidence", "POST", f"/api/v1/claims/{claim_id}/evidence", json.dumps(body).encode())
        call.on_success = lambda: reviewer.evidence.add(note)
        return call


@dataclass
class Reviewer:
    index: int
    token: str
    next_cursor: str | None = None
    next_query: str = ""
    write_serial: int = 0
    assessments: dict[tuple[int, int], str] = field(default_factory=dict)
    evidence: set[str] = field(default_factory=set)


@dataclass
class Phase:
    name: str
    seconds: float
    writes: float
    rate: float | None = None


def _cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _server_pids(server: subprocess.Popen[bytes]) -> list[int]:
    return _server_pids_of(server.pid)


def _server_pids_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [pid]
    if children.exists():
        for child in children.read_text().split():
            found += _server_pids_of(int(child))
    return found


def _stats() -> tuple[int, int]:
    """Cache hits and misses, summed over the server's processes (asked until each answered)."""
    seen: dict[int, tuple[int, int]] = {}
    for _ in range(40):
        body = httpx.get(f"http://127.0.0.1:{PORT}/bench/stats", timeout=120).json()
        seen[body["pid"]] = (body["hits"], body["misses"])
        if len(seen) >= int(os.environ.get("BENCH_WORKERS", "1")):
            break
    return sum(h for h, _ in seen.values()), sum(m for _, m in seen.values())


def _wrk(path_or_script: str, token: str, seconds: int) -> tuple[float, int, str]:
    command = ["wrk", "-t1", "-c8", f"-d{seconds}s", "-H", f"Authorization: Bearer {token}"]
    if path_or_script.endswith(".lua"):
        command += ["-s", path_or_script, f"http://127.0.0.1:{PORT}/"]
    else:
        command.append(f"http://127.0.0.1:{PORT}{path_or_script}")
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    count = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", out)
    return rate, count, "; ".join(errors) or "no errors"


def _miss_script(size: int) -> str:
    """A wrk script walking list pages by a new cursor each request: no page is asked twice in a row."""
    positions = list(range(1, max(2, size - 50)))
    random.Random(3).shuffle(positions)
    cursors = ",".join(f'"{_cursor(p)}"' for p in positions[:5000])
    script = (
        f"local cursors = {{{cursors}}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        "  return wrk.format(nil, '/api/v1/claims?limit=50&cursor=' .. cursors[(i % #cursors) + 1])\nend\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    return handle.name


def measure_overhead(server: subprocess.Popen[bytes], token: str, size: int, seconds: int, rounds: int) -> dict:
    script = _miss_script(size)
    results: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for round_index in range(rounds):
        for name, target in (("bare", "/bench/bare"), ("list-miss", script)):
            hits_before, misses_before = _stats()
            cpu_before = _cpu_seconds(_server_pids(server))
            rate, count, errors = _wrk(target, token, seconds)
            cpu_ms = (_cpu_seconds(_server_pids(server)) - cpu_before) * 1000 / max(count, 1)
            hits, misses = _stats()
            served = (hits - hits_before) + (misses - misses_before)
            hit_rate = f"{(hits - hits_before) / served:.0%}" if served else "-"
            results[name].append((rate, cpu_ms))
            print(
                f"    round {round_index + 1} {name:<9} {rate:8.1f} req/s  server CPU {cpu_ms:5.2f} ms/request  "
                f"cache hits {hit_rate}  ({errors})",
                flush=True,
            )
    Path(script).unlink()
    ratio = sum(r for r, _ in results["list-miss"]) / sum(r for r, _ in results["bare"])
    print(f"    list-miss / bare throughput {ratio:.2f} (target >= 0.5): {'ok' if ratio >= 0.5 else 'MISSED'}")
    return {
        "ratio": ratio,
        "bare_cpu": statistics.mean(c for _, c in results["bare"]),
        "list_cpu": statistics.mean(c for _, c in results["list-miss"]),
    }


async def run_phase(
    phase: Phase, mix: Mix, reviewers: list[Reviewer], server: subprocess.Popen[bytes]
) -> dict[str, Any]:
    hits_before, misses_before = _stats()
    cpu_before = _cpu_seconds(_server_pids(server))
    mix.writes = phase.writes
    samples = await client.drive(PORT, reviewers, mix, phase.seconds, phase.rate)
    cpu = _cpu_seconds(_server_pids(server)) - cpu_before
    hits, misses = _stats()
    served = (hits - hits_before) + (misses - misses_before)
    return client.report(phase.name, samples, phase.seconds, cpu, (hits - hits_before, served))


def board_on_fixtures(requests: int) -> None:
    """The board's first byte on the five fixture articles (`crosscheck setup`: fixtures loaded, claims extracted),
    one request at a time over HTTP, beside the bare endpoint. Target: p50 under 50 ms."""
    from sqlmodel import Session

    from app.auth.actor import SYSTEM
    from app.auth.service import create_token
    from app.db import make_engine
    from app.migrate import upgrade
    from benchmarks.seed import benchmark_user

    global PORT
    PORT = 8768
    path = Path("/tmp/perf/cc-perf-fixtures.db")
    url = f"sqlite:///{path}"
    env = dict(
        os.environ,
        CROSSCHECK_DATABASE_URL=url,
        CROSSCHECK_RUN_WORKER="false",
        CROSSCHECK_EMBEDDINGS="off",
        CROSSCHECK_LOG_LEVEL="WARNING",
        CROSSCHECK_ADMIN_PASSWORD="fixtures-board-password",
    )
    if not path.exists():
        subprocess.run([sys.executable, "-m", "app.cli", "setup"], env=env, check=True, capture_output=True)
    upgrade(url)  # a workspace an older checkout set up
    engine = make_engine(url)
    with Session(engine) as session:
        user = benchmark_user(session, "board-reader")
        token = create_token(session, user, SYSTEM)[1]
    engine.dispose()
    server = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.review_load", "--serve"],
        env=dict(env, BENCH_TOKEN=token, BENCH_PORT=str(PORT)),
    )
    try:
        client.wait_for(PORT)
        for operation, target in (("bare", "/bench/bare"), ("board", "/?limit=50")):
            connection = client.Connection(PORT, token)
            firsts, totals = [], []
            cpu_before = _cpu_seconds([server.pid])
            for _ in range(requests):
                started = time.perf_counter()
                status, first_byte, body = asyncio.run(connection.request(client.Call(operation, "GET", target)))
                connection.writer = None  # each asyncio.run has its own loop: a new connection each time
                totals.append((time.perf_counter() - started) * 1000)
                firsts.append(first_byte * 1000)
                assert status == 200, status
            cpu_ms = (_cpu_seconds([server.pid]) - cpu_before) * 1000 / requests
            print(
                f"  fixtures {operation:<6} first byte p50 {statistics.median(firsts):7.2f} ms, "
                f"whole response p50 {statistics.median(totals):7.2f} ms, server CPU {cpu_ms:6.2f} ms/request, "
                f"{len(body):,} bytes "
                f"(load average {' '.join(f'{v:.2f}' for v in os.getloadavg())})",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--reviewers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="arrivals per second in the fixed-rate phases (default: half the closed-loop reads' rate)",
    )
    parser.add_argument("--wrk-seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--phases", nargs="+", default=["overhead", "reads", "mixed", "reads@rate", "mixed@rate"])
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--fixtures-board",
        type=int,
        default=0,
        metavar="REQUESTS",
        help="only measure the board's first byte on the fixtures, over this many requests",
    )
    args = parser.parse_args()
    if args.fixtures_board:
        board_on_fixtures(args.fixtures_board)
        return
    summary: dict[int, dict[str, Any]] = {}
    for size in args.sizes:
        url = _database(args.backend, size, args.reuse)
        info = _workspace(url, size, args.reuse, args.reviewers)
        env = dict(
            os.environ,
            CROSSCHECK_DATABASE_URL=url,
            CROSSCHECK_RUN_WORKER="false",
            CROSSCHECK_LOG_LEVEL="WARNING",
            BENCH_TOKEN=info["tokens"][0],
            BENCH_WORKERS=str(args.workers),
        )
        server = subprocess.Popen([sys.executable, "-m", "benchmarks.review_load", "--serve"], env=env)
        try:
            client.wait_for(PORT)
            load = " ".join(f"{value:.2f}" for value in os.getloadavg())
            print(
                f"\n{args.backend}, {size:,} claims, {info['sources']:,} sources; {args.reviewers} reviewers; "
                f"{args.workers} server process(es); cores {os.cpu_count()}; load average {load}",
                flush=True,
            )
            reviewers = [Reviewer(index, token) for index, token in enumerate(info["tokens"])]
            mix = Mix(size, min(info["sources"], 10_000), info["vocabulary"], info["texts"], info["stamp"], 0.0)
            results: dict[str, Any] = {}
            if "overhead" in args.phases:
                results["overhead"] = measure_overhead(server, info["tokens"][0], size, args.wrk_seconds, args.rounds)
            phases = {
                "reads": Phase("reads", args.seconds, 0.0),
                "mixed": Phase("mixed", args.seconds, 0.1),
                "reads@rate": Phase("reads@rate", args.seconds, 0.0, args.rate),
                "mixed@rate": Phase("mixed@rate", args.seconds, 0.1, args.rate),
            }
            for name in args.phases:
                if name in phases:
                    phase = phases[name]
                    if phase.rate is None and "@" in name:
                        # Below what the server sustains, so latency is service time, not an ever-growing queue.
                        phase.rate = max(1.0, round(results.get("reads", {}).get("rate", 20.0) / 2, 1))
                    print(f"  phase {name}" + (f" at {phase.rate} requests/s" if phase.rate else ""), flush=True)
                    results[name] = asyncio.run(run_phase(phase, mix, reviewers, server))
            if any(name.startswith("mixed") for name in args.phases):
                results["lost writes"] = client.check_writes(url, reviewers)
            load = " ".join(f"{value:.2f}" for value in os.getloadavg())
            print(f"  load average at the end {load}")
            summary[size] = results
        finally:
            server.terminate()
            server.wait(20)
    client.compare(summary, args.sizes)


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve()
    else:
        main()
