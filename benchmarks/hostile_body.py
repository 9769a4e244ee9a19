"""How long a hostile JSON body takes to refuse, and how /health fares for everyone else meanwhile.

Serves the app on a free 127.0.0.1 port with a scratch SQLite database, measures /health alone, then
again while other threads keep sending a 4.7 MB body of 400,000 unknown keys to the assessment endpoint.
Bounded in time; sends nothing anywhere but loopback.

    .venv/bin/python -m benchmarks.hostile_body [--seconds 10] [--attackers 2]
"""

import argparse
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from app.migrate import upgrade
from tests.live_server import live_server


def _health_latencies(base_url: str, seconds: float) -> list[float]:
    latencies = []
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=base_url, timeout=30) as client:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            client.get("/api/v1/health").raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.02)
    return latencies


def _summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1] if len(ordered) >= 20 else ordered[-1]
    return f"n={len(ordered)} median={statistics.median(ordered):.1f} ms p95={p95:.1f} ms max={ordered[-1]:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--attackers", type=int, default=2)
    options = parser.parse_args()
    body = json.dumps({f"k{i}": 1 for i in range(400_000)} | {"stance": "corroborates"}, separators=(",", ":")).encode()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        with live_server(url, Path(folder) / "server.log") as base_url:
            print(f"/health alone:            {_summary(_health_latencies(base_url, options.seconds / 2))}")
            stop = time.monotonic() + options.seconds
            refusals: list[tuple[int, int, float]] = []

            def attack() -> None:
                with httpx.Client(base_url=base_url, timeout=60) as client:
                    while time.monotonic() < stop:
                        started = time.perf_counter()
                        response = client.put(
                            "/api/v1/claims/1/sources/1/assessment",
                            content=body,
                            headers={"content-type": "application/json"},
                        )
                        refusals.append(
                            (response.status_code, len(response.content), (time.perf_counter() - started) * 1000)
                        )

            attackers = [threading.Thread(target=attack) for _ in range(options.attackers)]
            for thread in attackers:
                thread.start()
            during = _health_latencies(base_url, options.seconds)
            for thread in attackers:
                thread.join()
            print(f"/health under attack:     {_summary(during)}")
            statuses = sorted({status for status, _size, _ms in refusals})
            print(
                f"hostile bodies ({len(body) / 1e6:.1f} MB): {len(refusals)} sent by {options.attackers} threads, "
                f"statuses {statuses}, answer {max(size for _s, size, _ms in refusals)} bytes, "
                f"median {statistics.median(ms for _s, _size, ms in refusals):.0f} ms each"
            )


if __name__ == "__main__":
    main()
