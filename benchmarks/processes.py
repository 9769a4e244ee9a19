"""More than one process on PostgreSQL: read throughput of `crosscheck serve --workers 1` vs `--workers 2`, and an
extraction of 200 articles by one `crosscheck worker` vs two.

    .venv/bin/python -m benchmarks.processes [--claims 1000] [--articles 200] [--seconds 10] [--rounds 2]

Reads: a seeded workspace (benchmarks/seed.py) in database cc_perf_processes; wrk (`-t2 -c16`, a Lua script)
cycles over claim details, list pages with a new cursor each (cache misses) and source reader pages, against
one and then two server processes, alternating. Target: two processes >= 1.6x one.

Extraction: a fresh database per run; 200 synthetic articles (fixture paragraphs reshuffled, 3-5 each, every
sentence opened with its article's words) ingested, and one `extract` job queued per article (as API and UI
ingestion queue them); then N `crosscheck worker` processes start and the clock runs until the queue is empty.
Target: two workers <= 0.6x the time of one, and every job succeeded (tests/jobs/test_worker_processes.py shows
that none runs twice).
"""

import argparse
import base64
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from benchmarks.seed import seed

ROOT = Path(__file__).resolve().parent.parent
PORT = 8767
POSTGRES_URL_FILE = ROOT / ".services" / "postgres-url"


def _database(name: str) -> str:
    base = os.environ.get("CROSSCHECK_BENCH_POSTGRES_URL") or POSTGRES_URL_FILE.read_text().strip()
    url = re.sub(r"/[^/]*$", f"/{name}", base)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


def _environment(url: str, **extra: str) -> dict[str, str]:
    return dict(
        os.environ,
        CROSSCHECK_DATABASE_URL=url,
        CROSSCHECK_LOG_LEVEL="WARNING",
        CROSSCHECK_EMBEDDINGS="off",
        CROSSCHECK_SECRET_KEY=os.environ.get("CROSSCHECK_SECRET_KEY", "benchmark-" + "x" * 40),
        **extra,
    )


def _crosscheck(*arguments: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", *arguments],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _cursor(position: int) -> str:
    raw = json.dumps({"sort": "id", "value": position, "id": position}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_script(claims: int, sources: int) -> str:
    rng = random.Random(5)
    paths = []
    for _ in range(3000):
        kind = rng.random()
        if kind < 0.4:
            paths.append(f"/api/v1/claims/{rng.randint(1, claims)}")
        elif kind < 0.8:
            paths.append(f"/api/v1/claims?limit=50&cursor={_cursor(rng.randint(1, claims - 50))}")
        else:
            paths.append(f"/sources/{rng.randint(1, sources)}")
    listed = ",".join(f'"{path}"' for path in paths)
    script = (
        f"local paths = {{{listed}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
        "  return wrk.format(nil, paths[(i % #paths) + 1])\nend\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    return handle.name


def _wait_for_server() -> None:
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{PORT}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def reads(claims: int, seconds: int, rounds: int) -> float:
    url = _database("cc_perf_processes")
    info = seed(url, claims=claims, sources=1000)
    script = _read_script(claims, 1000)
    rates: dict[int, list[float]] = {1: [], 2: []}
    for round_index in range(rounds):
        for workers in (1, 2):
            server = _crosscheck(
                "serve",
                "--port",
                str(PORT),
                "--workers",
                str(workers),
                env=_environment(url, CROSSCHECK_RUN_WORKER="false"),
            )
            try:
                _wait_for_server()
                time.sleep(1)  # every process up
                out = subprocess.run(
                    [
                        "wrk",
                        "-t2",
                        "-c16",
                        f"-d{seconds}s",
                        "-s",
                        script,
                        "-H",
                        f"Authorization: Bearer {info['token']}",
                        f"http://127.0.0.1:{PORT}/",
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            finally:
                _stop(server)
            rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
            errors = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", out)
            rates[workers].append(rate)
            print(
                f"  round {round_index + 1}: {workers} process(es) {rate:8.1f} req/s  "
                f"({'; '.join(errors) or 'no errors'}); load average {_load()}",
                flush=True,
            )
    Path(script).unlink()
    ratio = sum(rates[2]) / sum(rates[1])
    print(f"  reads: 2 processes / 1 = {ratio:.2f} (target >= 1.6): {'ok' if ratio >= 1.6 else 'MISSED'}")
    return ratio


def _articles(count: int) -> list[str]:
    from benchmarks.extract import fixtures

    paragraphs = [p for d in fixtures() for p in d.text.split("\n") if len(p.split()) > 5]
    rng = random.Random(11)
    articles = []
    for index in range(count):
        chosen = rng.sample(paragraphs, rng.randint(3, 5))
        body = "\n\n".join(f"In dispatch {index}, {p[0].lower()}{p[1:]}" for p in chosen)
        articles.append(f"# Dispatch {index}\n\n{body}\n")
    return articles


def _queue_extraction(url: str) -> None:
    """One `extract` job per source, as ingesting through the API or the UI queues them."""
    from sqlmodel import Session, col, select

    from app.auth.actor import SYSTEM
    from app.db import make_engine
    from app.extraction import store  # noqa: F401  (registers the `extract` job)
    from app.jobs.service import enqueue
    from app.sources.models import Source

    engine = make_engine(url)
    with Session(engine) as session:
        for source_id in session.exec(select(Source.id).order_by(col(Source.id))).all():
            enqueue(session, "extract", SYSTEM, {"source_ids": [source_id]})
    engine.dispose()


def extraction(articles: int, workers: int) -> tuple[float, dict[str, int]]:
    url = _database("cc_perf_processes")
    env = _environment(url, CROSSCHECK_RUN_WORKER="false", CROSSCHECK_EXTRACT_ON_INGEST="true")
    subprocess.run(
        [sys.executable, "-m", "app.cli", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    with tempfile.TemporaryDirectory() as folder:
        for index, article in enumerate(_articles(articles)):
            Path(folder, f"dispatch-{index:03}.md").write_text(article, encoding="utf-8")
        subprocess.run(
            [sys.executable, "-m", "app.cli", "ingest", folder], cwd=ROOT, env=env, check=True, capture_output=True
        )
    _queue_extraction(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        queued = connection.execute(text("SELECT count(*) FROM job WHERE kind = 'extract'")).scalar_one()
    started = time.perf_counter()
    processes = [_crosscheck("worker", env=env) for _ in range(workers)]
    try:
        while True:
            with engine.connect() as connection:
                waiting = connection.execute(
                    text("SELECT count(*) FROM job WHERE status IN ('queued', 'running')")
                ).scalar_one()
            if waiting == 0:
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    finally:
        for process in processes:
            _stop(process)
    with engine.connect() as connection:
        statuses = {
            status: count
            for status, count in connection.execute(text("SELECT status, count(*) FROM job GROUP BY status")).all()
        }
    engine.dispose()
    print(
        f"  extraction: {queued} jobs, {workers} worker process(es): {elapsed:6.1f} s, jobs {statuses}; "
        f"load average {_load()}",
        flush=True,
    )
    return elapsed, statuses


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", choices=("reads", "extraction"))
    args = parser.parse_args()
    print(f"cores {os.cpu_count()}; load average {_load()}", flush=True)
    if args.only != "extraction":
        reads(args.claims, args.seconds, args.rounds)
    if args.only != "reads":
        one, _ = extraction(args.articles, 1)
        two, statuses = extraction(args.articles, 2)
        ratio = two / one
        print(
            f"  extraction: 2 workers / 1 = {ratio:.2f} (target <= 0.6): {'ok' if ratio <= 0.6 else 'MISSED'}; "
            f"failed jobs with 2 workers: {statuses.get('failed', 0)}"
        )


if __name__ == "__main__":
    main()
