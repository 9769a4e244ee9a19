"""Growth: p50/p99 of the everyday requests at 1k and 100k claims, and the list queries' plans.

    .venv/bin/python -m benchmarks.growth --backend sqlite --sizes 1000 100000
    .venv/bin/python -m benchmarks.growth --backend postgresql --sizes 1000 100000

Each size gets a fresh seeded workspace (benchmarks/seed.py: 5 mentions and 2 assessments per claim,
10k sources; `--reuse` keeps the workspaces an earlier run seeded). Requests go through the real app
in-process (TestClient), so routing, validation, serialisation and SQL are all measured. The sizes are
measured in interleaved rounds, so load that drifts during a run falls on all of them alike.
Target: p99 at the largest size <= 2x p99 at the smallest.
"""

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

POSTGRES_URL_FILE = Path(__file__).resolve().parent.parent / ".services" / "postgres-url"


def _database(backend: str, size: int, keep: bool) -> str:
    """The benchmark database's URL, emptied first unless `keep` (an earlier run's workspace may be reused)."""
    if backend == "sqlite":
        path = Path(f"/tmp/crosscheck-bench-{size}.db")
        for suffix in ("", "-wal", "-shm"):
            if not keep:
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    base = os.environ.get("CROSSCHECK_BENCH_POSTGRES_URL") or POSTGRES_URL_FILE.read_text().strip()
    name = f"crosscheck_bench_{size}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first()
        if not (keep and exists):
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _capture_sql(engine: Any, call: Callable[[], Any]) -> list[tuple[str, Any]]:
    captured: list[tuple[str, Any]] = []

    def _listen(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "claim" in statement:
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", _listen)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", _listen)
    return captured


def _explain(engine: Any, statement: str, parameters: Any) -> str:
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as connection:
        cursor = connection.exec_driver_sql(prefix + statement, parameters)
        rows = cursor.fetchall()
    if engine.dialect.name == "sqlite":
        return "\n".join(f"    {row[-1]}" for row in rows)
    return "\n".join(f"    {row[0]}" for row in rows)


def _prepare(backend: str, size: int, reuse: bool, review_load_workspaces: bool = False) -> tuple[str, dict[str, Any]]:
    from benchmarks import review_load
    from benchmarks.seed import reuse as reuse_seeded
    from benchmarks.seed import seed

    url = (
        review_load._database(backend, size, keep=True)
        if review_load_workspaces
        else _database(backend, size, keep=reuse)
    )
    reuse = reuse or review_load_workspaces
    info = (reuse_seeded(url, claims=size) if reuse else None) or seed(url, claims=size)
    seeded = f"seeded in {info['seconds']:.0f} s" if info["seconds"] else "reused from an earlier run"
    print(f"== {backend}, {size} claims ({seeded})")
    return url, info


def _use(url: str) -> None:
    """Point the app at another workspace: the settings and engine caches are read per request."""
    from app.config import get_settings
    from app.db import reset_engine

    os.environ["CROSSCHECK_DATABASE_URL"] = url
    get_settings.cache_clear()
    reset_engine()


class Workload:
    """The measured requests against one workspace; samples accumulate over the rounds."""

    def __init__(self, size: int, info: dict[str, Any]) -> None:
        self.size, self.info = size, info
        self.rng = random.Random(7)
        self.headers = {"Authorization": f"Bearer {info['token']}"}
        self.written = iter(self.rng.sample(range(1, size + 1), size))
        self.samples: dict[str, list[float]] = {name: [] for name in OPERATIONS}

    def path(self, name: str) -> str:
        rng, info = self.rng, self.info
        return {
            "list page": lambda: "/api/v1/claims?limit=50",
            "list by source": lambda: f"/api/v1/claims?limit=50&source_id={rng.randint(1, info['sources'])}",
            "list by verdict": lambda: f"/api/v1/claims?limit=50&verdict={rng.choice(['contradicted', 'disputed'])}",
            "text search": lambda: f"/api/v1/claims?limit=50&q={rng.choice(info['vocabulary'])}",
            "claim detail": lambda: f"/api/v1/claims/{rng.randint(1, self.size)}",
        }[name]()

    def run(self, client: Any, name: str, count: int, warm_up: int) -> None:
        for index in range(count + warm_up):
            if name == "assessment write":
                claim_id = next(self.written)
                detail = client.get(f"/api/v1/claims/{claim_id}", headers=self.headers).json()
                source_id = detail["mentions"][0]["source_id"]
                started = time.perf_counter()
                response = client.put(
                    f"/api/v1/claims/{claim_id}/sources/{source_id}/assessment",
                    json={"stance": "corroborates", "note": "bench"},
                    headers=self.headers,
                )
                ok = response.status_code in (200, 201)
            else:
                path = self.path(name)
                started = time.perf_counter()
                response = client.get(path, headers=self.headers)
                ok = response.status_code == 200
            elapsed = time.perf_counter() - started
            assert ok, (name, response.status_code, response.text[:300])
            if index >= warm_up:
                self.samples[name].append(elapsed * 1000)


OPERATIONS = ("list page", "list by source", "list by verdict", "text search", "claim detail", "assessment write")


def measure(
    backend: str,
    sizes: list[int],
    requests: int,
    rounds: int,
    reuse: bool,
    operations: tuple[str, ...] = OPERATIONS,
    review_load_workspaces: bool = False,
) -> dict[int, dict[str, tuple[float, float]]]:
    """Interleaved rounds: each round runs every operation on every workspace in turn, so load that drifts
    during the run falls on all sizes alike (these machines are shared)."""
    prepared = {size: _prepare(backend, size, reuse, review_load_workspaces) for size in sizes}
    os.environ["CROSSCHECK_RUN_WORKER"] = "false"
    os.environ["CROSSCHECK_LOG_LEVEL"] = "WARNING"
    from fastapi.testclient import TestClient

    from app.main import create_app

    _use(prepared[sizes[0]][0])
    workloads = {size: Workload(size, info) for size, (_url, info) in prepared.items()}
    per_round = max(1, requests // rounds)
    with TestClient(create_app()) as client:
        for round_index in range(rounds):
            for size in sizes:
                _use(prepared[size][0])
                for name in operations:
                    workloads[size].run(client, name, per_round, warm_up=10 if round_index == 0 else 2)
        largest = max(sizes)
        _use(prepared[largest][0])
        _print_plans(client, workloads[largest])
    _use(prepared[sizes[0]][0])
    return {
        size: {name: _percentiles(samples) for name, samples in w.samples.items() if samples}
        for size, w in workloads.items()
    }


def _print_plans(client: Any, workload: Workload) -> None:
    from app.db import get_engine

    engine = get_engine()
    for name in ("list page", "list by source", "list by verdict", "text search"):
        if not workload.samples[name]:
            continue
        path = workload.path(name)
        print(f"\n  plan at {workload.size}: {name} ({path})")

        def request(path: str = path) -> Any:
            return client.get(path, headers=workload.headers)

        for statement, parameters in _capture_sql(engine, request):
            if "FROM claim" in statement or "from claim" in statement:
                print("   " + " ".join(statement.split())[:160] + " …")
                print(_explain(engine, statement, parameters))


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--requests", type=int, default=300, help="per operation and size")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--operations", nargs="+", choices=OPERATIONS, default=list(OPERATIONS))
    parser.add_argument(
        "--review-load-workspaces",
        action="store_true",
        help="use (and keep) benchmarks/review_load.py's seeded workspaces instead of this script's",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse workspaces an earlier run seeded (assessment writes of that run stay in them)",
    )
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; load average {_load()}")
    results = measure(
        args.backend,
        args.sizes,
        args.requests,
        args.rounds,
        args.reuse,
        tuple(args.operations),
        args.review_load_workspaces,
    )
    print(f"\nload average at the end {_load()}")
    small, large = min(args.sizes), max(args.sizes)
    print(
        f"\n{args.backend}: p50/p99 in ms; ratio = p99 at {large} / p99 at {small} (target <= 2.0); "
        f"p50 ratio beside it (text search: target <= 1.5)"
    )
    for name in args.operations:
        (p50_s, p99_s), (p50_l, p99_l) = results[small][name], results[large][name]
        ratio = p99_l / p99_s
        print(
            f"  {name:<18} {p50_s:7.2f} {p99_s:7.2f} | {p50_l:7.2f} {p99_l:7.2f} | {ratio:5.2f} "
            f"{'ok' if ratio <= 2.0 else 'MISSED'} | p50 {p50_l / p50_s:5.2f}"
        )


if __name__ == "__main__":
    main()
