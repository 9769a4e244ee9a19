"""Webhooks against a real HTTP receiver on 127.0.0.1: signed events, retries with backoff, a delivery log."""

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.config import get_settings
from app.db import get_engine, make_engine
from app.webhooks.delivery import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from app.webhooks.models import Webhook

API = "/api/v1"
SECRET = "test-secret-0123456789"


class Receiver:
    """Records each POST; answers 500 to the first `fail_first` of them, then 204.

    A closed `gate` holds every answer until the test opens it (or 30 s pass), like a slow receiver.
    """

    def __init__(self, fail_first: int = 0, gate: threading.Event | None = None) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.fail_first = fail_first
        self.gate = gate
        self.arrived = threading.Event()  # a POST came in (and may be held at the gate)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.arrived.set()
                if receiver.gate is not None:
                    receiver.gate.wait(30)
                receiver.requests.append((dict(self.headers), body))
                self.send_response(500 if len(receiver.requests) <= receiver.fail_first else 204)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.requests) >= count, f"received {len(self.requests)} of {count}"


@pytest.fixture
def register(
    client: TestClient, make_user: Callable[..., Any], loopback_allowed: None
) -> Iterator[Callable[..., dict[str, Any]]]:
    _admin, admin = make_user("admin", password=None)
    made: list[int] = []

    def _register(url: str, events: list[str]) -> dict[str, Any]:
        response = client.post(f"{API}/webhooks", headers=admin, json={"url": url, "secret": SECRET, "events": events})
        assert response.status_code == 201, response.text
        made.append(response.json()["id"])
        return {**response.json(), "headers": admin}

    yield _register
    for webhook_id in made:  # other tests' changes must not post to this test's receiver
        client.delete(f"{API}/webhooks/{webhook_id}", headers=admin)


def test_events_are_signed_and_logged(
    client: TestClient,
    register: Callable[..., dict[str, Any]],
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
    reviewer_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A loaded test machine may take seconds to reach gate.set(): a slow-receiver timeout would turn the held
    # POST into a failed first attempt, which is not what this test is about.
    monkeypatch.setattr(get_settings(), "webhook_timeout_seconds", 60.0)
    gate = threading.Event()
    receiver = Receiver(gate=gate)
    hook = register(receiver.url, ["assessment.changed", "verdict.changed"])
    assert hook["secret"] == SECRET and "secret" not in client.get(f"{API}/webhooks", headers=hook["headers"]).json()[0]
    claim = new_claim()
    put = client.put(
        f"{API}/claims/{claim['id']}/sources/{source_ids['001']}/assessment",
        headers=reviewer_headers,
        json={"stance": "corroborates"},
    )
    assert put.status_code == 201
    # The receiver has not answered yet (its gate is closed): the request did not wait for delivery.
    assert receiver.requests == []
    gate.set()
    receiver.wait_for(2)
    events = {}
    for headers, body in receiver.requests:
        assert verify(SECRET, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
        assert not verify("another-secret-value", headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
        assert not verify(SECRET, headers[TIMESTAMP_HEADER], body + b" ", headers[SIGNATURE_HEADER])
        document = json.loads(body)
        events[document["type"]] = document
    assert events["assessment.changed"]["data"]["after"]["stance"] == "corroborates"
    assert events["verdict.changed"]["data"]["after"]["verdict"] == "single_source"  # its own article only
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        log = client.get(f"{API}/webhooks/{hook['id']}/deliveries", headers=hook["headers"]).json()
        if len(log) == 2 and all(d["status"] == "delivered" for d in log):
            break
        time.sleep(0.05)
    assert [(d["status"], d["attempts"], d["last_status_code"]) for d in log] == [("delivered", 1, 204)] * 2


def test_a_held_delivery_does_not_stall_writes(
    client: TestClient,
    register: Callable[..., dict[str, Any]],
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
    reviewer_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While a slow receiver holds a POST, reviewers keep writing: the sender holds no lock during it."""
    monkeypatch.setattr(get_settings(), "webhook_timeout_seconds", 60.0)
    gate = threading.Event()
    receiver = Receiver(gate=gate)
    register(receiver.url, ["assessment.changed"])
    claim = new_claim()
    url = f"{API}/claims/{claim['id']}/sources/{{}}/assessment"
    try:
        first = client.put(url.format(source_ids["001"]), headers=reviewer_headers, json={"stance": "corroborates"})
        assert first.status_code == 201
        assert receiver.arrived.wait(15), "the delivery was not sent"
        # The receiver holds that POST until the gate opens; a write now must not wait for it.
        second = client.put(url.format(source_ids["002"]), headers=reviewer_headers, json={"stance": "unclear"})
        assert second.status_code == 201, second.text
        assert receiver.requests == [], "the write waited for the receiver to answer"
    finally:
        gate.set()
    receiver.wait_for(2)


def test_failed_deliveries_are_retried_with_backoff(
    client: TestClient,
    register: Callable[..., dict[str, Any]],
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
    reviewer_headers: dict[str, str],
) -> None:
    settings = get_settings()
    backoff = settings.webhook_backoff_seconds
    settings.webhook_backoff_seconds = 0.2
    try:
        receiver = Receiver(fail_first=2)
        hook = register(receiver.url, ["verdict.changed"])
        claim = new_claim()
        client.put(
            f"{API}/claims/{claim['id']}/sources/{source_ids['002']}/assessment",
            headers=reviewer_headers,
            json={"stance": "contradicts"},
        )
        receiver.wait_for(3)
        bodies = {body for _headers, body in receiver.requests}
        assert len(bodies) == 1  # the same event, re-sent
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            (delivery,) = client.get(f"{API}/webhooks/{hook['id']}/deliveries", headers=hook["headers"]).json()
            if delivery["status"] == "delivered":
                break
            time.sleep(0.05)
        assert (delivery["status"], delivery["attempts"]) == ("delivered", 3)
    finally:
        settings.webhook_backoff_seconds = backoff


def test_bad_registrations_are_refused(
    client: TestClient, make_user: Callable[..., Any], loopback_allowed: None
) -> None:
    _admin, admin = make_user("admin", password=None)
    with Session(get_engine()) as session:
        before = len(session.exec(select(Webhook)).all())
    for body, field in (
        ({"url": "not a url"}, "url"),
        ({"url": "http://127.0.0.1/x", "secret": "short"}, "secret"),
        ({"url": "http://127.0.0.1/x", "events": ["claim.eaten"]}, "events"),
    ):
        response = client.post(f"{API}/webhooks", headers=admin, json=body)
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == field
    assert client.delete(f"{API}/webhooks/{10**9}", headers=admin).status_code == 404
    with Session(get_engine()) as session:
        assert len(session.exec(select(Webhook)).all()) == before


def test_a_delivery_left_sending_by_a_dead_process_is_sent_again(database_url: str, loopback_allowed: None) -> None:
    from datetime import timedelta

    from app.clock import utcnow
    from app.webhooks.delivery import deliver_due
    from app.webhooks.models import WebhookDelivery

    receiver = Receiver()
    with Session(get_engine()) as session:
        webhook = Webhook(url=receiver.url, secret=SECRET, events="*")
        session.add(webhook)
        session.commit()
        stuck = WebhookDelivery(
            webhook_id=webhook.id or 0,
            event_type="assessment.changed",
            payload={"x": 1},
            status="sending",
            next_attempt_at=utcnow() + timedelta(seconds=60),
        )
        session.add(stuck)
        session.commit()
        deliver_due(session)
        assert receiver.requests == [], "a delivery still inside its lease belongs to its sender"
        stuck.next_attempt_at = utcnow() - timedelta(seconds=1)  # the lease ran out: its sender died
        session.add(stuck)
        session.commit()
        deliver_due(session)
        receiver.wait_for(1)
        session.refresh(stuck)
        assert stuck.status == "delivered" and stuck.attempts == 1
        webhook.active = False
        session.add(webhook)
        session.commit()


@pytest.mark.slow
def test_a_restarted_server_sends_deliveries_left_pending_without_a_new_event(
    scratch_database_url: str, tmp_path: Path
) -> None:
    """Deliveries queued by a process that stopped before sending them go out when the next one starts."""
    from app.migrate import upgrade
    from app.webhooks.models import WebhookDelivery
    from tests.live_server import live_server

    upgrade(scratch_database_url)
    receiver = Receiver()
    engine = make_engine(scratch_database_url)
    with Session(engine) as session:
        webhook = Webhook(url=receiver.url, secret=SECRET, events="*")
        session.add(webhook)
        session.commit()
        session.add(WebhookDelivery(webhook_id=webhook.id or 0, event_type="verdict.changed", payload={"x": 1}))
        session.commit()
    with live_server(
        scratch_database_url, tmp_path / "server.log", extra_env={"CROSSCHECK_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}
    ):  # the receiver's loopback
        receiver.wait_for(1)
    with Session(engine) as session:
        delivery = session.exec(select(WebhookDelivery)).one()
        assert (delivery.status, delivery.attempts) == ("delivered", 1)
    engine.dispose()
    assert json.loads(receiver.requests[0][1])["delivery_id"] == delivery.id
