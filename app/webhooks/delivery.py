"""Sending webhook deliveries: HMAC-SHA256 signed POSTs from a background thread, retried with backoff."""

import hashlib
import hmac
import json
import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlmodel import Session, col, select, update

from app.clock import utcnow
from app.config import get_settings
from app.db import get_engine, read_engine
from app.errors import InvalidInput
from app.webhooks.models import Webhook, WebhookDelivery
from app.webhooks.targets import TargetRefused, pin_target

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Crosscheck-Signature"
TIMESTAMP_HEADER = "X-Crosscheck-Timestamp"
POLL_SECONDS = 1.0
UNREACHABLE = "the receiver could not be reached"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=` + hex HMAC of "TIMESTAMP." + body; the timestamp is signed so a replay can be refused."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(
    secret: str, timestamp: str, body: bytes, signature: str, *, tolerance_seconds: int = 300, now: float | None = None
) -> bool:
    """What a receiver does: recompute the signature and refuse old timestamps."""
    if not timestamp.isdigit() or abs((now or time.time()) - int(timestamp)) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def _body(delivery: WebhookDelivery) -> bytes:
    document: dict[str, Any] = {"delivery_id": delivery.id, **delivery.payload}
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()


def _lease() -> timedelta:
    return timedelta(seconds=get_settings().webhook_timeout_seconds + 30)


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int | None, str | None]:
    """POST to the address the URL's host resolves to now, if that address is allowed; (status, error).

    The connection goes to the checked address (the host name is kept for the Host header and TLS), without
    proxies from the environment and without following redirects, so nothing else decides where it lands.
    The logged error is the same whatever went wrong on the way: a precise one would let whoever reads the
    log probe which hosts and ports exist behind the server.
    """
    try:
        target = pin_target(url)
        with httpx.Client(trust_env=False, follow_redirects=False, timeout=timeout) as client:
            response = client.post(
                target.request_url(),
                content=body,
                headers={**headers, "Host": target.url.netloc.decode("ascii")},
                extensions={"sni_hostname": target.url.host},
            )
    except (TargetRefused, InvalidInput, httpx.HTTPError) as exc:
        log.info("webhook delivery to %s not made: %s: %s", url, type(exc).__name__, exc)
        return None, UNREACHABLE
    if not 200 <= response.status_code < 300:
        return response.status_code, f"receiver answered {response.status_code}"
    return response.status_code, None


def attempt_delivery(session: Session, delivery: WebhookDelivery, webhook: Webhook) -> bool:
    """POST one delivery once and record the outcome; on failure schedule the next try or give up."""
    settings = get_settings()
    body = _body(delivery)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "crosscheck-webhooks/1",
        "X-Crosscheck-Event": delivery.event_type,
        "X-Crosscheck-Delivery": str(delivery.id),
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(webhook.secret, timestamp, body),
    }
    url = webhook.url
    # No transaction stays open across the POST: on SQLite an open one holds the write lock, and a slow
    # receiver would stall every writer of the process for as long as it takes to answer.
    session.commit()
    status_code, error = _post(url, body, headers, settings.webhook_timeout_seconds)
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error
    if error is None:
        delivery.status = "delivered"
        delivery.delivered_at = utcnow()
    elif delivery.attempts >= settings.webhook_max_attempts:
        delivery.status = "failed"
    else:
        delivery.status = "pending"
        backoff = settings.webhook_backoff_seconds * 2 ** (delivery.attempts - 1)
        delivery.next_attempt_at = utcnow() + timedelta(seconds=backoff)
    session.add(delivery)
    session.commit()
    return error is None


def _due(now: datetime) -> Any:
    return (col(WebhookDelivery.status).in_(("pending", "sending")), col(WebhookDelivery.next_attempt_at) <= now)


def any_due() -> bool:
    """Whether a delivery is waiting to be sent, read without taking SQLite's write lock."""
    with Session(read_engine()) as session:
        return session.exec(select(WebhookDelivery.id).where(*_due(utcnow())).limit(1)).first() is not None


def deliver_due(session: Session) -> int:
    """Send every pending delivery whose time has come; returns how many were attempted."""
    now = utcnow()
    due_ids = session.exec(select(WebhookDelivery.id).where(*_due(now)).order_by(col(WebhookDelivery.id))).all()
    session.commit()
    attempted = 0
    for delivery_id in due_ids:
        # Claim the row first, so two senders (threads or processes) never POST the same delivery.
        # The claim is a lease: a delivery left "sending" by a process that died is sent again
        # once the lease runs out, instead of staying stuck.
        claimed = session.exec(
            update(WebhookDelivery)
            .where(  # type: ignore[call-overload]
                col(WebhookDelivery.id) == delivery_id,
                col(WebhookDelivery.status).in_(("pending", "sending")),
                col(WebhookDelivery.next_attempt_at) <= now,
            )
            .values(status="sending", next_attempt_at=utcnow() + _lease())
        )
        session.commit()
        if claimed.rowcount != 1:
            continue
        delivery = session.get(WebhookDelivery, delivery_id, populate_existing=True)
        assert delivery is not None
        webhook = session.get(Webhook, delivery.webhook_id)
        if webhook is None or not webhook.active:
            delivery.status, delivery.last_error = "cancelled", "webhook inactive"
            session.add(delivery)
            session.commit()
            continue
        attempt_delivery(session, delivery, webhook)
        attempted += 1
    return attempted


class Dispatcher:
    """A daemon thread that sends due deliveries: once at start, on wake-up after a commit, and every poll.

    The application lifespan starts and stops it (app.lifespan), so deliveries left pending by a stopped
    process go out when the next one starts, without waiting for a new event.
    """

    def __init__(self, poll_seconds: float = POLL_SECONDS) -> None:
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._wake.set()  # the first pass runs at once: deliveries pending from before a restart
        self._thread = threading.Thread(target=self._run, name="webhook-dispatcher", daemon=True)
        self._thread.start()
        _running.add(self)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the pass in hand (a delivery's POST is bounded by the webhook timeout) and wait for it."""
        _running.discard(self)
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(timeout=self.poll_seconds)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                # Looking is a read (on SQLite it never queues for the write lock); only a due delivery
                # opens a writing session, so an idle sender costs the other writers nothing.
                if any_due():
                    with Session(get_engine()) as session:
                        deliver_due(session)
            except Exception:  # the sender must outlive any one bad delivery or database hiccup
                log.exception("webhook delivery pass failed")


# Dispatchers of the applications serving in this process (usually one); a commit that queued deliveries wakes them.
_running: set[Dispatcher] = set()


def wake_dispatcher() -> None:
    """Ask the running senders to look for due deliveries now; without one, the next start-up sends them."""
    for dispatcher in list(_running):
        dispatcher.wake()
