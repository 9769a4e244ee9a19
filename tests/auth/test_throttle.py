"""Sign-in back-off per account and per address: 429 with Retry-After, the right password refused while locked."""

import itertools
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.auth.models import LoginThrottle
from app.clock import utcnow
from app.db import get_engine
from tests.web.forms import PASSWORD, csrf_of

_addresses = itertools.count(10)


@pytest.fixture
def browser_at(database_url: str) -> Iterator[Callable[[], TestClient]]:
    """A browser at an address of its own, so no other test's failures count against it."""
    from app.main import create_app

    opened: list[TestClient] = []

    def _open() -> TestClient:
        browser = TestClient(create_app(), follow_redirects=False, client=(f"198.51.100.{next(_addresses)}", 40000))
        opened.append(browser)
        return browser

    yield _open
    for browser in opened:
        browser.close()


def attempt(browser: TestClient, name: str, password: str) -> Any:
    return browser.post("/signin", data={"name": name, "password": password, "csrf_token": csrf_of(browser)})


def lockouts(name: str) -> list[AuditEvent]:
    with Session(get_engine()) as session:
        return list(
            session.exec(
                select(AuditEvent).where(AuditEvent.action == "sign_in.locked_out").order_by(col(AuditEvent.id))
            ).all()
        )


def test_after_repeated_wrong_passwords_even_the_right_one_waits(
    browser_at: Callable[[], TestClient],
    make_user: Callable[..., Any],
) -> None:
    user, _headers = make_user("reviewer")
    browser = browser_at()
    answers = [attempt(browser, user.name, f"guess number {n}").status_code for n in range(8)]
    assert answers[:5] == [400] * 5 and set(answers[5:]) == {429}
    right = attempt(browser, user.name, PASSWORD)
    assert right.status_code == 429
    assert 0 < int(right.headers["retry-after"]) <= 15 * 60
    assert "Too many failed sign-ins" in right.text
    assert browser.get("/api/v1/me").status_code == 401  # no session was started
    # From another address too: the account itself is locked, not just the guesser's address.
    assert attempt(browser_at(), user.name, PASSWORD).status_code == 429
    events = [e for e in lockouts(user.name) if e.after and e.after["name"] == user.name]
    assert events and events[0].entity_type == "user" and events[0].entity_id == user.id
    assert events[0].after is not None and events[0].after["scope"] == "account"
    assert all("guess" not in str(e.after) for e in events)  # tried passwords are never recorded


def test_once_the_lock_has_passed_the_right_password_signs_in_and_the_count_restarts(
    browser_at: Callable[[], TestClient],
    make_user: Callable[..., Any],
) -> None:
    user, _headers = make_user("reviewer")
    browser = browser_at()
    for n in range(5):
        attempt(browser, user.name, f"guess {n}")
    assert attempt(browser, user.name, PASSWORD).status_code == 429
    with Session(get_engine()) as session:
        row = session.get(LoginThrottle, f"account:{user.name.casefold()}")
        assert row is not None and row.locked_until is not None
        row.locked_until = utcnow() - timedelta(seconds=1)
        session.add(row)
        session.commit()
    assert attempt(browser, user.name, PASSWORD).status_code == 303
    with Session(get_engine()) as session:
        assert session.get(LoginThrottle, f"account:{user.name.casefold()}") is None


def test_one_address_guessing_at_many_accounts_is_locked_out(
    browser_at: Callable[[], TestClient],
    make_user: Callable[..., Any],
) -> None:
    user, _headers = make_user("reviewer")
    guesser = browser_at()
    answers = [attempt(guesser, f"someone-{n}", "password123").status_code for n in range(21)]
    assert answers[:20] == [400] * 20 and answers[20] == 429
    refused = attempt(guesser, user.name, PASSWORD)  # even a real account's right password, from there
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert attempt(browser_at(), user.name, PASSWORD).status_code == 303  # others are not locked out
    address_events = [e for e in lockouts("") if e.after and e.after["scope"] == "address"]
    assert address_events and address_events[-1].after is not None
    assert address_events[-1].after["address"].startswith("198.51.100.")


def test_an_attackers_huge_name_is_cut_and_stale_counts_are_forgotten(
    browser_at: Callable[[], TestClient],
) -> None:
    with Session(get_engine()) as session:
        session.add(LoginThrottle(key="account:long-gone", failures=3, last_failure_at=utcnow() - timedelta(hours=1)))
        session.commit()
    answer = attempt(browser_at(), "n" * 20_000, "password123")
    assert answer.status_code == 400
    with Session(get_engine()) as session:
        assert session.get(LoginThrottle, "account:long-gone") is None
        keys = session.exec(select(LoginThrottle.key).where(col(LoginThrottle.key).startswith("account:nnn"))).all()
        assert keys and all(len(key) <= 200 for key in keys)
