"""Server-side sessions: a saved cookie dies on sign-out, password change, deactivation, role change and timeouts."""

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.auth.models import User, UserSession
from app.clock import utcnow
from app.config import get_settings
from app.db import get_engine
from tests.web.forms import PASSWORD, csrf_of, sign_in

API = "/api/v1"
NEW_PASSWORD = "a much longer passphrase 42"


@pytest.fixture
def browsers(database_url: str) -> Iterator[Callable[[], TestClient]]:
    """Browsers of their own (each its cookie jar), closed at the end."""
    from app.main import create_app

    opened: list[TestClient] = []

    def _open(base_url: str = "http://testserver") -> TestClient:
        browser = TestClient(create_app(), follow_redirects=False, base_url=base_url)
        opened.append(browser)
        return browser

    yield _open
    for browser in opened:
        browser.close()


def replay(cookie: str) -> int:
    """What an attacker holding a copy of the cookie gets from `me`, from a browser of their own."""
    from app.main import create_app

    with TestClient(create_app()) as attacker:
        return attacker.get(f"{API}/me", headers={"cookie": f"crosscheck_session={cookie}"}).status_code


def signed_in_cookie(browser: TestClient, name: str, password: str = PASSWORD) -> tuple[str, str]:
    csrf = sign_in(browser, name, password)
    return browser.cookies["crosscheck_session"], csrf


def test_a_copied_cookie_stops_working_after_sign_out(
    browsers: Callable[[], TestClient],
    make_user: Callable[..., Any],
) -> None:
    user, _headers = make_user("reviewer")
    browser = browsers()
    cookie, csrf = signed_in_cookie(browser, user.name)
    assert replay(cookie) == 200
    assert browser.post("/signout", data={"csrf_token": csrf}).status_code == 303
    assert replay(cookie) == 401
    assert browser.get("/sources").status_code == 303  # back to the sign-in page


def test_changing_the_password_ends_every_session_of_the_user(
    browsers: Callable[[], TestClient],
    make_user: Callable[..., Any],
) -> None:
    user, _headers = make_user("reviewer")
    laptop, phone = browsers(), browsers()
    laptop_cookie, csrf = signed_in_cookie(laptop, user.name)
    phone_cookie, _ = signed_in_cookie(phone, user.name)
    wrong = laptop.post(
        f"{API}/me/password",
        headers={"x-csrf-token": csrf},
        json={"current_password": "not it", "new_password": NEW_PASSWORD},
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "current_password"
    assert replay(laptop_cookie) == 200
    changed = laptop.post(
        f"{API}/me/password",
        headers={"x-csrf-token": csrf},
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert changed.status_code == 204, changed.text
    assert replay(laptop_cookie) == 401 and replay(phone_cookie) == 401
    signed_in_cookie(browsers(), user.name, NEW_PASSWORD)
    with Session(get_engine()) as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "user.password_changed", AuditEvent.entity_id == user.id)
        ).one()
        assert event.before is None and event.after is None  # nothing of either password


@pytest.mark.parametrize("change", [{"role": "viewer"}, {"active": False}])
def test_a_role_change_or_deactivation_ends_the_users_sessions(
    change: dict[str, Any],
    client: TestClient,
    browsers: Callable[[], TestClient],
    make_user: Callable[..., Any],
) -> None:
    _admin, admin = make_user("admin")
    user, user_token = make_user("reviewer")
    cookie, _csrf = signed_in_cookie(browsers(), user.name)
    answer = client.patch(f"{API}/users/{user.id}", headers=admin, json=change)
    assert answer.status_code == 200, answer.text
    assert replay(cookie) == 401
    me = client.get(f"{API}/me", headers=user_token)
    if "active" in change:
        assert me.status_code == 401
    else:  # the token minted as reviewer now acts as a viewer only
        assert me.json()["role"] == "viewer"
        assert client.post(f"{API}/sources", headers=user_token, json={"text": "A demoted write."}).status_code == 403
    with Session(get_engine()) as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "user.updated", AuditEvent.entity_id == user.id)
        ).one()
        assert event.before == {"role": "reviewer", "active": True}


def test_only_an_admin_changes_roles(client: TestClient, make_user: Callable[..., Any]) -> None:
    user, editor = make_user("editor")
    assert client.patch(f"{API}/users/{user.id}", headers=editor, json={"role": "admin"}).status_code == 403


def _age_session(cookie_owner: User, *, created: timedelta, last_seen: timedelta) -> None:
    with Session(get_engine()) as session:
        row = session.exec(
            select(UserSession).where(UserSession.user_id == cookie_owner.id).order_by(col(UserSession.id).desc())
        ).first()
        assert row is not None
        row.created_at, row.last_seen_at = utcnow() - created, utcnow() - last_seen
        session.add(row)
        session.commit()


def test_an_idle_session_ends_after_the_idle_time(
    browsers: Callable[[], TestClient],
    make_user: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user, _headers = make_user("reviewer")
    cookie, _csrf = signed_in_cookie(browsers(), user.name)
    monkeypatch.setattr(get_settings(), "session_idle_minutes", 30)
    _age_session(user, created=timedelta(minutes=40), last_seen=timedelta(minutes=29))
    assert replay(cookie) == 200  # a request moves the idle clock...
    with Session(get_engine()) as session:
        row = session.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
        assert utcnow() - row.last_seen_at < timedelta(minutes=1)
    _age_session(user, created=timedelta(minutes=40), last_seen=timedelta(minutes=31))
    assert replay(cookie) == 401  # ...and without one for longer than the idle time, the session is over


def test_a_busy_session_still_ends_after_its_absolute_lifetime(
    browsers: Callable[[], TestClient],
    make_user: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user, _headers = make_user("reviewer")
    cookie, _csrf = signed_in_cookie(browsers(), user.name)
    monkeypatch.setattr(get_settings(), "session_max_age_hours", 12)
    _age_session(user, created=timedelta(hours=11), last_seen=timedelta(seconds=5))
    assert replay(cookie) == 200
    _age_session(user, created=timedelta(hours=13), last_seen=timedelta(seconds=5))
    assert replay(cookie) == 401


def test_the_session_cookie_is_secure_when_served_over_https(
    browsers: Callable[..., TestClient],
    make_user: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user, _headers = make_user("reviewer")

    def session_cookie_header(browser: TestClient) -> str:
        answer = browser.post("/signin", data={"name": user.name, "password": PASSWORD, "csrf_token": csrf_of(browser)})
        assert answer.status_code == 303
        return next(value for value in answer.headers.get_list("set-cookie") if value.startswith("crosscheck_session="))

    assert "secure" in session_cookie_header(browsers("https://testserver")).lower()
    assert "secure" not in session_cookie_header(browsers("http://testserver")).lower()  # plain local development
    monkeypatch.setattr(get_settings(), "session_cookie_secure", True)  # e.g. behind a proxy that hides the scheme
    first_visit = browsers("http://testserver").get("/signin")
    assert "secure" in first_visit.headers["set-cookie"].lower()


def test_the_cli_resets_a_password_or_switches_an_account_off_and_the_sessions_end(
    browsers: Callable[[], TestClient],
    make_user: Callable[..., Any],
) -> None:
    from typer.testing import CliRunner

    from app.cli import app as cli

    runner = CliRunner()
    user, _headers = make_user("reviewer")
    cookie, _csrf = signed_in_cookie(browsers(), user.name)
    reset = runner.invoke(cli, ["user", "set-password", user.name, "--password", NEW_PASSWORD])
    assert reset.exit_code == 0, reset.output
    assert replay(cookie) == 401
    cookie, _csrf = signed_in_cookie(browsers(), user.name, NEW_PASSWORD)
    switched = runner.invoke(cli, ["user", "update", user.name, "--role", "viewer", "--inactive"])
    assert switched.exit_code == 0 and "viewer, inactive" in switched.output
    assert replay(cookie) == 401
    for command in (
        ["user", "set-password", "nobody-here", "--password", NEW_PASSWORD],
        ["user", "set-password", user.name, "--password", "12345678"],
        ["user", "update", user.name, "--role", "boss"],
    ):
        failed = runner.invoke(cli, command)
        assert failed.exit_code == 1 and len(failed.output.strip().splitlines()) == 1, failed.output
        assert "Traceback" not in failed.output
