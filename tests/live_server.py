"""A real uvicorn server in a subprocess on a free loopback port, for tests that need real HTTP and processes."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def app_environment(database_url: str) -> dict[str, str]:
    """The environment of an app process on `database_url`: no background worker, no extraction, no embeddings."""
    return {
        **os.environ,
        "CROSSCHECK_DATABASE_URL": database_url,
        "CROSSCHECK_RUN_WORKER": "false",
        "CROSSCHECK_EXTRACT_ON_INGEST": "false",
        "CROSSCHECK_EMBEDDINGS": "off",
        "CROSSCHECK_LOG_LEVEL": "WARNING",
    }


@contextmanager
def live_server(
    database_url: str, log_path: Path, timeout: float = 30.0, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """Serve the app on 127.0.0.1 and yield its base URL; stdout and stderr go to `log_path`."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=REPO,
            env=app_environment(database_url) | (extra_env or {}),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"the server exited with {process.returncode}:\n{log_path.read_text()}")
                try:
                    if httpx.get(f"{base_url}/api/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not answer within {timeout} s:\n{log_path.read_text()}")
                time.sleep(0.1)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
