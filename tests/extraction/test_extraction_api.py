"""Extraction over HTTP: a job whose progress can be polled, and extraction after a new ingest."""

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from app.jobs.worker import JobWorker

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"


def _wait_for(client: TestClient, job_id: int, headers: dict, timeout: float = 90.0) -> dict:
    """Run queued jobs in a worker thread (the suite's app has none) and poll like a client would."""
    worker = threading.Thread(target=lambda: [None for _ in iter(JobWorker().run_once, False)])
    worker.start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("succeeded", "failed"):
            worker.join()
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_extract_endpoint_runs_a_job_with_progress(
    client: TestClient, fixture_sources: dict, editor_headers: dict, make_user
) -> None:
    response = client.post("/api/v1/extract", json={}, headers=editor_headers)
    assert response.status_code == 202, response.text
    assert response.headers["location"] == f"/api/v1/jobs/{response.json()['id']}"
    job = _wait_for(client, response.json()["id"], editor_headers)
    assert job["status"] == "succeeded", job
    assert job["total"] > 0 and job["progress"] == job["total"]
    assert job["result"]["sources"] >= 5
    claims = client.get("/api/v1/claims", params={"limit": 5}, headers=editor_headers).json()
    assert claims["items"], "extraction should have produced claims"

    reviewer = make_user("reviewer")[1]
    assert client.post("/api/v1/extract", json={}, headers=reviewer).status_code == 403
    missing = client.post("/api/v1/extract", json={"source_ids": [987654]}, headers=editor_headers)
    assert missing.status_code == 404 and "987654" in missing.json()["detail"]
    assert client.post("/api/v1/extract", json={"sources": [1]}, headers=editor_headers).status_code == 422


def test_a_new_source_is_extracted_in_the_background(
    client: TestClient, fixture_sources: dict, editor_headers: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "extract_on_ingest", True)
    raw = (FIXTURES / "004_e20be87c51c2aa43.txt").read_text(encoding="utf-8")
    paragraph = next(p for p in raw.split("\n\n") if "Hegseth ruled out NATO membership" in p)
    text = "# Defence chief's remarks, a second report\n\n" + paragraph + "\n"
    response = client.post("/api/v1/sources", json={"text": text}, headers=editor_headers)
    assert response.status_code == 201, response.text
    job_id = response.json()["extraction_job_id"]
    assert job_id is not None
    assert _wait_for(client, job_id, editor_headers)["status"] == "succeeded"
    source_id = response.json()["source"]["id"]
    listed = client.get("/api/v1/claims", params={"source_id": source_id}, headers=editor_headers).json()
    assert listed["items"], "the new source's mentions should be attached to claims"
