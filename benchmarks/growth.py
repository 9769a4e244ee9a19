"""Growth: p50/p99 of the everyday requests at 1k and 100k claims, and the list queries' plans.

    .venv/bin/python -m benchmarks.growth --backend sqlite --sizes 1000 100000
    .venv/bin/python -m benchmarks.growth --backend postgresql --sizes 1000 100000

Each size gets a fresh seeded workspace (benchmarks/seed.py: 5 mentions and 2 assessments per claim,
10k sources). Requests go through the real app in-process (TestClient), so routing, validation,
serialisation and SQL are all measured. Target: p99 at the largest size <= 2x p99 at the smallest.
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


def _database(backend: str, size: int) -> str:
    if backend == "sqlite":
        path = Path(f"/tmp/crosscheck-bench-{size}.db")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    base = os.environ.get("CROSSCHECK_BENCH_POSTGRES_URL") or POSTGRES_URL_FILE.read_text().strip()
    name = f"crosscheck_bench_{size}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
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


def run_size(backend: str, size: int, requests: int, show_plans: bool) -> dict[str, tuple[float, float]]:
    from benchmarks.seed import seed

    url = _database(backend, size)
    info = seed(url, claims=size)
    print(f"\n== {backend}, {size} claims (seeded in {info['seconds']:.0f} s)")
    os.environ["CROSSCHECK_DATABASE_URL"] = url
    os.environ["CROSSCHECK_RUN_WORKER"] = "false"
    os.environ["CROSSCHECK_LOG_LEVEL"] = "WARNING"
    from fastapi.testclient import TestClient

    from app.config import get_settings
    from app.db import get_engine, reset_engine
    from app.main import create_app

    get_settings.cache_clear()
    reset_engine()
    rng = random.Random(7)
    headers = {"Authorization": f"Bearer {info['token']}"}
    vocab = info["vocabulary"]
    pairs = iter(rng.sample(range(1, size + 1), min(size, requests)))
    operations: dict[str, Callable[[], str]] = {
        "list page": lambda: "/api/v1/claims?limit=50",
        "list by source": lambda: f"/api/v1/claims?limit=50&source_id={rng.randint(1, info['sources'])}",
        "list by verdict": lambda: f"/api/v1/claims?limit=50&verdict={rng.choice(['contradicted', 'disputed'])}",
        "text search": lambda: f"/api/v1/claims?limit=50&q={rng.choice(vocab)}",
        "claim detail": lambda: f"/api/v1/claims/{rng.randint(1, size)}",
    }
    results: dict[str, tuple[float, float]] = {}
    with TestClient(create_app()) as client:
        for name, make_path in operations.items():
            samples = []
            for index in range(requests + 10):
                path = make_path()
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, (path, response.status_code, response.text[:300])
                if index >= 10:  # warm-up
                    samples.append(elapsed * 1000)
            results[name] = _percentiles(samples)
        samples = []
        for _ in range(min(size, requests)):
            claim_id = next(pairs)
            detail = client.get(f"/api/v1/claims/{claim_id}", headers=headers).json()
            source_id = detail["mentions"][0]["source_id"]
            started = time.perf_counter()
            response = client.put(f"/api/v1/claims/{claim_id}/sources/{source_id}/assessment",
                                  json={"stance": "corroborates", "note": "bench"}, headers=headers)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code in (200, 201), response.text[:300]
        results["assessment write"] = _percentiles(samples)
        for name, (p50, p99) in results.items():
            print(f"  {name:<18} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")
        if show_plans:
            engine = get_engine()
            for name in ("list page", "list by source", "list by verdict", "text search"):
                path = operations[name]()
                print(f"\n  plan: {name} ({path})")
                for statement, parameters in _capture_sql(engine, lambda p=path: client.get(p, headers=headers)):
                    if "FROM claim" in statement or "from claim" in statement:
                        print("   " + " ".join(statement.split())[:160] + " …")
                        print(_explain(engine, statement, parameters))
    reset_engine()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}")
    runs = {size: run_size(args.backend, size, args.requests, size == max(args.sizes)) for size in args.sizes}
    small, large = min(args.sizes), max(args.sizes)
    print(f"\n{args.backend}: p99 at {large} / p99 at {small} (target <= 2.0)")
    for name in runs[small]:
        ratio = runs[large][name][1] / runs[small][name][1]
        print(f"  {name:<18} {ratio:5.2f}  {'ok' if ratio <= 2.0 else 'MISSED'}")


if __name__ == "__main__":
    main()
