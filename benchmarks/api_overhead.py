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


def _cpu_seconds(pid: int) -> float:
    """User + system CPU the server process has used (Linux /proc), to compare cost per request."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(path: str, token: str, seconds: int, pid: int) -> tuple[float, str, float]:
    """Requests per second, errors, and server CPU milliseconds per request."""
    cpu_before = _cpu_seconds(pid)
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            "-c8",
            f"-d{seconds}s",
            "-H",
            f"Authorization: Bearer {token}",
            f"http://127.0.0.1:{PORT}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = _cpu_seconds(pid) - cpu_before
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    count = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", out)
    return rate, "; ".join(errors) or "no errors", cpu * 1000 / max(count, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    from benchmarks.seed import seed

    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{DB}"
    info = seed(url, claims=args.claims, sources=1000)
    env = dict(
        os.environ,
        CROSSCHECK_DATABASE_URL=url,
        CROSSCHECK_RUN_WORKER="false",
        CROSSCHECK_LOG_LEVEL="WARNING",
        BENCH_TOKEN=info["token"],
    )
    server = subprocess.Popen([sys.executable, "-m", "benchmarks.api_overhead", "--serve"], env=env)
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{PORT}/api/v1/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
        print(f"cores: {os.cpu_count()}; {args.claims} claims; wrk -t1 -c8 -d{args.seconds}s; load average {load}")
        # Alternating rounds, so load that drifts during the run falls on both endpoints alike.
        rates: dict[str, list[float]] = {"api": [], "bare": []}
        for round_index in range(args.rounds):
            for name, path in (("api", "/api/v1/claims?limit=50"), ("bare", "/bench/bare")):
                rate, errors, cpu_ms = wrk(path, info["token"], args.seconds, server.pid)
                rates[name].append(rate)
                print(
                    f"  round {round_index + 1} {name:<4} {path:<24} {rate:8.1f} req/s  "
                    f"server CPU {cpu_ms:5.2f} ms/request  ({errors})"
                )
    finally:
        server.terminate()
        server.wait(10)
    ratio = sum(rates["api"]) / sum(rates["bare"])
    print(f"  ratio {ratio:.2f} over {args.rounds} rounds (target >= 0.4): {'ok' if ratio >= 0.4 else 'MISSED'}")


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve()
    else:
        main()
