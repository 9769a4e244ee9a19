"""Webhooks may not be aimed at the server's own loopback, its private network or a metadata endpoint.

Every address these tests could connect to is on loopback: a resolver answer that must be refused at send
time is a loopback address, so even a broken check would send nothing past this machine.
"""

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth.actor import SYSTEM
from app.db import get_engine
from app.webhooks.delivery import UNREACHABLE, deliver_due
from app.webhooks.models import Webhook, WebhookDelivery
from app.webhooks.service import create_webhook
from tests.webhooks.test_webhooks import SECRET, Receiver

API = "/api/v1"
HOSTILE_URLS = [
    "http://127.0.0.1:8000/api/v1/health",
    "http://2130706433/",  # 127.0.0.1 as one decimal number
    "http://0x7f.1/",  # and as hexadecimal shorthand
    "http://user:pw@10.0.0.1/",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://[::1]:22/",
    "http://[::ffff:127.0.0.1]/",  # IPv4 loopback written as IPv6
    "http://[fd00::1]/",
    "http://localhost:6379/",
    "http://0.0.0.0/",
    "http://169.254.169.254/latest/meta-data/",
    "http://224.0.0.1/",
]


@pytest.fixture
def admin(make_user: Callable[..., Any]) -> dict[str, str]:
    return dict(make_user("admin", password=None)[1])


def _webhook_count() -> int:
    with Session(get_engine()) as session:
        return len(session.exec(select(Webhook)).all())


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_registration_refuses_non_public_targets(
    client: TestClient, admin: dict[str, str], url: str, no_networks_allowed: None
) -> None:
    before = _webhook_count()
    response = client.post(f"{API}/webhooks", headers=admin, json={"url": url, "secret": SECRET})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "url"
    assert _webhook_count() == before


@pytest.mark.parametrize("url", ["http://0.0.0.0/", "http://169.254.169.254/", "http://10.0.0.1/"])
def test_allowing_loopback_allows_nothing_else(
    client: TestClient, admin: dict[str, str], url: str, loopback_allowed: None
) -> None:
    response = client.post(f"{API}/webhooks", headers=admin, json={"url": url, "secret": SECRET})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "url"


class ScriptedResolver:
    """Answers for one made-up host name, in order; every other name goes to the real resolver."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, host: str, answers: list[str]) -> None:
        self.host, self.answers, self.calls = host, list(answers), 0
        real = socket.getaddrinfo

        def fake(name: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            if name != host:
                return real(name, port, *args, **kwargs)
            self.calls += 1
            if not self.answers:
                raise socket.gaierror(socket.EAI_NONAME, "no more scripted answers")
            address = self.answers.pop(0)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

        monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.fixture
def fresh_queue(database_url: str) -> Iterator[Session]:
    """A session whose deliver_due only finds this test's deliveries."""
    with Session(get_engine()) as session:
        for delivery in session.exec(select(WebhookDelivery).where(WebhookDelivery.status == "pending")).all():
            delivery.status = "cancelled"
            session.add(delivery)
        session.commit()
        yield session


def _queue(session: Session, url: str) -> tuple[Webhook, WebhookDelivery]:
    webhook = Webhook(url=url, secret=SECRET, events="*", active=True)
    session.add(webhook)
    session.commit()
    delivery = WebhookDelivery(webhook_id=webhook.id or 0, event_type="verdict.changed", payload={"x": 1})
    session.add(delivery)
    session.commit()
    return webhook, delivery


def _finish(session: Session, webhook: Webhook, delivery: WebhookDelivery) -> WebhookDelivery:
    deliver_due(session)
    session.refresh(delivery)
    webhook.active = False
    session.add(webhook)
    session.commit()
    return delivery


def test_a_name_that_rebinds_to_loopback_after_registration_is_refused_at_send_time(
    fresh_queue: Session, monkeypatch: pytest.MonkeyPatch, no_networks_allowed: None
) -> None:
    receiver = Receiver()
    # Registration sees a public address; by send time the name points at the server's own loopback.
    resolver = ScriptedResolver(monkeypatch, "hooks.rebinding.invalid", ["93.184.215.14", "127.0.0.1"])
    webhook, _secret = create_webhook(
        fresh_queue, SYSTEM, f"http://hooks.rebinding.invalid:{receiver.server.server_port}/hook", SECRET
    )
    assert resolver.calls == 1
    delivery = _queue(fresh_queue, webhook.url)[1]
    delivery = _finish(fresh_queue, webhook, delivery)
    assert resolver.calls == 2
    assert receiver.requests == []
    assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (1, None, UNREACHABLE)


def test_a_stored_loopback_target_is_refused_at_send_time(fresh_queue: Session, no_networks_allowed: None) -> None:
    receiver = Receiver()
    webhook, delivery = _queue(fresh_queue, receiver.url)  # stored before the check existed, or while allowed
    delivery = _finish(fresh_queue, webhook, delivery)
    assert receiver.requests == []
    assert delivery.last_error == UNREACHABLE


def test_the_checked_address_is_the_one_connected_to(
    fresh_queue: Session, monkeypatch: pytest.MonkeyPatch, loopback_allowed: None
) -> None:
    receiver = Receiver()
    # One answer only: if the HTTP client resolved the name again it would fail instead of reaching the receiver.
    resolver = ScriptedResolver(monkeypatch, "receiver.pinned.invalid", ["127.0.0.1"])
    webhook, delivery = _queue(fresh_queue, f"http://receiver.pinned.invalid:{receiver.server.server_port}/hook")
    delivery = _finish(fresh_queue, webhook, delivery)
    receiver.wait_for(1)
    assert resolver.calls == 1
    assert (delivery.status, delivery.last_status_code) == ("delivered", 204)
    headers, _body = receiver.requests[0]
    assert headers["Host"] == f"receiver.pinned.invalid:{receiver.server.server_port}"


def test_the_log_says_the_same_whatever_stopped_the_delivery(
    fresh_queue: Session, monkeypatch: pytest.MonkeyPatch, loopback_allowed: None
) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: the connection is refused
    refused_port = _finish(fresh_queue, *_queue(fresh_queue, f"http://127.0.0.1:{port}/"))
    refused_target = _finish(fresh_queue, *_queue(fresh_queue, "http://0.0.0.0:6379/"))
    ScriptedResolver(monkeypatch, "unknown.host.invalid", [])
    unknown_host = _finish(fresh_queue, *_queue(fresh_queue, "http://unknown.host.invalid/"))
    assert {refused_port.last_error, refused_target.last_error, unknown_host.last_error} == {UNREACHABLE}
