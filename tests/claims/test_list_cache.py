"""The claims list served from the page cache: never staler than the database, never past a revoked credential."""

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.api.page_cache import PageCache
from app.auth.models import ApiToken, User
from app.claims.models import Claim
from app.clock import utcnow
from app.db import VersionProbe, get_engine
from tests.web.forms import sign_in

API = "/api/v1"
LIST = f"{API}/claims?limit=500"


def _set(model: type[Any], row_id: int | None, **values: Any) -> None:
    """Change a row through a session of its own: another connection than the app's."""
    with Session(get_engine()) as session:
        row = session.get(model, row_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
        session.commit()


def _token_id(user: User) -> int | None:
    with Session(get_engine()) as session:
        return session.exec(select(ApiToken).where(ApiToken.user_id == user.id)).one().id


def test_a_repeated_read_answers_the_same_bytes(
    client: TestClient, reviewer_headers: dict[str, str], new_claim: Callable[..., dict[str, Any]]
) -> None:
    new_claim()
    first = client.get(LIST, headers=reviewer_headers)
    second = client.get(LIST, headers=reviewer_headers)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first.headers["content-type"] == second.headers["content-type"]


def test_revoked_token_is_refused_right_after_a_cached_read(client: TestClient, make_user: Callable[..., Any]) -> None:
    user, headers = make_user("viewer")
    for _ in range(2):  # the second read is served from the cache
        assert client.get(LIST, headers=headers).status_code == 200
    _set(ApiToken, _token_id(user), revoked_at=utcnow())
    assert client.get(LIST, headers=headers).status_code == 401


def test_deactivated_user_is_refused_right_after_a_cached_read(
    client: TestClient, make_user: Callable[..., Any]
) -> None:
    user, headers = make_user("viewer")
    for _ in range(2):
        assert client.get(LIST, headers=headers).status_code == 200
    _set(User, user.id, active=False)
    assert client.get(LIST, headers=headers).status_code == 401


def test_deactivated_signed_in_user_is_refused_right_after_a_cached_read(
    database_url: str, make_user: Callable[..., Any]
) -> None:
    from app.main import create_app

    user, _headers = make_user("viewer")
    with TestClient(create_app(), follow_redirects=False) as browser:
        sign_in(browser, user.name)
        for _ in range(2):
            assert browser.get(LIST).status_code == 200
        _set(User, user.id, active=False)
        assert browser.get(LIST).status_code == 401


def test_a_write_through_the_api_shows_in_the_next_read(
    client: TestClient, reviewer_headers: dict[str, str], new_claim: Callable[..., dict[str, Any]]
) -> None:
    client.get(LIST, headers=reviewer_headers)
    client.get(LIST, headers=reviewer_headers)
    created = new_claim()
    ids = [item["id"] for item in client.get(LIST, headers=reviewer_headers).json()["items"]]
    assert ids[-1] == created["id"]


def test_a_write_by_another_connection_shows_in_the_next_read(
    client: TestClient, reviewer_headers: dict[str, str], new_claim: Callable[..., dict[str, Any]]
) -> None:
    claim_id = new_claim()["id"]
    url = f"{API}/claims?limit=500&sort=-id"
    for _ in range(2):
        client.get(url, headers=reviewer_headers)
    _set(Claim, claim_id, text="Reworded by another connection")
    items = {item["id"]: item for item in client.get(url, headers=reviewer_headers).json()["items"]}
    assert items[claim_id]["text"] == "Reworded by another connection"


@pytest.mark.sqlite
def test_a_write_by_another_process_shows_in_the_next_read(
    client: TestClient, reviewer_headers: dict[str, str], new_claim: Callable[..., dict[str, Any]]
) -> None:
    claim_id = new_claim()["id"]
    url = f"{API}/claims?limit=500&sort=-id"
    for _ in range(2):
        client.get(url, headers=reviewer_headers)
    script = (
        "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); "
        "db.execute('UPDATE claim SET text = ? WHERE id = ?', (sys.argv[2], int(sys.argv[3]))); "
        "db.commit()"
    )
    database = get_engine().url.database or ""
    subprocess.run([sys.executable, "-c", script, database, "Reworded by another process", str(claim_id)], check=True)
    items = {item["id"]: item for item in client.get(url, headers=reviewer_headers).json()["items"]}
    assert items[claim_id]["text"] == "Reworded by another process"


@pytest.mark.sqlite
def test_the_probe_sees_every_commit_of_another_connection(database_url: str) -> None:
    probe = VersionProbe(database_url)
    try:
        with probe.snapshot() as (_connection, before):
            pass
        with probe.snapshot() as (_connection, unchanged):
            pass
        with probe.snapshot() as (connection, during):
            with Session(get_engine()) as session:  # a commit while the probe's snapshot is open ...
                session.add(User(name=f"probe-{utcnow().timestamp()}", role="viewer"))
                session.commit()
            assert connection.exec_driver_sql("PRAGMA data_version").scalar_one() == during[1]  # ... is not in it
        with probe.snapshot() as (_connection, after):
            pass
    finally:
        probe.close()
    assert unchanged == before and during == before and after != before


def test_page_cache_serves_only_the_version_it_was_filled_at() -> None:
    cache = PageCache(max_bytes=10)
    cache.put((1, 1), "a", b"12345")
    assert cache.get((1, 1), "a") == b"12345" and cache.get((1, 2), "a") is None
    cache.put((1, 2), "b", b"123")
    assert cache.get((1, 1), "a") is None and cache.get((1, 2), "a") is None  # a new version drops the old
    cache.put((1, 2), "c", b"12345678")  # over the bound: the oldest goes
    assert cache.get((1, 2), "b") is None and cache.get((1, 2), "c") == b"12345678"
    cache.put(None, "d", b"1")  # no version (PostgreSQL): nothing is kept
    assert cache.get(None, "d") is None
