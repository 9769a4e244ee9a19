"""API overhead: wrk against GET /api/v1/claims?limit=50 vs a bare endpoint of the same app serving the same bytes.

    .venv/bin/python -m benchmarks.api_overhead --claims 1000 --seconds 10

Both endpoints live in one uvicorn process (same server settings); wrk (Debian package) loads each in turn
from a second process. Target: throughput ratio (API / bare) >= 0.4, and no errors.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

PORT = 8765
DB = Path("/tmp/crosscheck-overhead.db")


def serve() -> None:
    """The server process: the real app plus /bench/bare returning the claims page's bytes from memory."""
    from fastapi import Response
    from fastapi.testclient import TestClient

    from app.main import create_app

    app = create_app()
    token = os.environ["BENCH_TOKEN"]
    with TestClient(app) as client:
        payload = client.get("/api/v1/claims?limit=50", headers={"Authorization": f"Bearer {token}"}).content

    @app.get("/bench/bare")
    def bare() -> Response:
        return Response(payload, media_type="application/json")

    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", access_log=False)


def wrk(path: str, token: str, seconds: int) -> tuple[float, str]:
    out = subprocess.run(["wrk", "-t1", "-c8", f"-d{seconds}s", "-H", f"Authorization: Bearer {token}",
                          f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", out)
    return rate, "; ".join(errors) or "no errors"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    from benchmarks.seed import seed

    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{DB}"
    info = seed(url, claims=args.claims, sources=1000)
    env = dict(os.environ, CROSSCHECK_DATABASE_URL=url, CROSSCHECK_RUN_WORKER="false",
               CROSSCHECK_LOG_LEVEL="WARNING", BENCH_TOKEN=info["token"])
    server = subprocess.Popen([sys.executable, "-m", "benchmarks.api_overhead", "--serve"], env=env)
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{PORT}/api/v1/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        api_rate, api_errors = wrk("/api/v1/claims?limit=50", info["token"], args.seconds)
        bare_rate, bare_errors = wrk("/bench/bare", info["token"], args.seconds)
    finally:
        server.terminate()
        server.wait(10)
    print(f"cores: {os.cpu_count()}; {args.claims} claims; wrk -t1 -c8 -d{args.seconds}s")
    print(f"  GET /api/v1/claims?limit=50  {api_rate:8.1f} req/s  ({api_errors})")
    print(f"  GET /bench/bare (same bytes) {bare_rate:8.1f} req/s  ({bare_errors})")
    ratio = api_rate / bare_rate
    print(f"  ratio {ratio:.2f} (target >= 0.4): {'ok' if ratio >= 0.4 else 'MISSED'}")


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve()
    else:
        main()
