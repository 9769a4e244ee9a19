"""Claims lists at scale: read requests never queue for SQLite's write lock, totals are capped and say so."""

import sqlite3
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth.models import ApiToken
from app.claims.service import list_claims
from app.clock import utcnow
from app.db import get_engine
from app.review import claims_api

API = "/api/v1"


def _token(headers: dict[str, str]) -> ApiToken:
    from app.auth.service import _token_digest

    with Session(get_engine()) as session:
        token = session.exec(
            select(ApiToken).where(ApiToken.token_hash == _token_digest(headers["Authorization"].split()[1]))
        ).one()
        session.expunge(token)
        return token


@pytest.mark.sqlite
def test_reads_do_not_wait_for_a_writer_on_sqlite(
    client: TestClient, reviewer_headers: dict[str, str], new_claim: Callable[..., dict[str, Any]]
) -> None:
    new_claim()
    assert client.get(f"{API}/claims", headers=reviewer_headers).status_code == 200  # records the token's use
    writer = sqlite3.connect(get_engine().url.database or "", isolation_level=None, timeout=0)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another process's write transaction holds the lock
        started = time.perf_counter()
        response = client.get(f"{API}/claims?limit=5", headers=reviewer_headers)
        waited = time.perf_counter() - started
        detail = client.get(f"{API}/claims/{response.json()['items'][0]['id']}", headers=reviewer_headers)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert response.status_code == 200 and detail.status_code == 200
    assert waited < 2, f"a read waited {waited:.1f} s for the write lock"


def test_token_use_is_recorded_at_most_once_a_minute_by_reads(
    client: TestClient, make_user: Callable[..., Any]
) -> None:
    _user, headers = make_user("viewer")
    assert client.get(f"{API}/claims?limit=1", headers=headers).status_code == 200
    first = _token(headers).last_used_at
    assert first is not None
    assert client.get(f"{API}/claims?limit=1", headers=headers).status_code == 200
    assert _token(headers).last_used_at == first  # within the minute: no write
    with Session(get_engine()) as session:
        token = session.get(ApiToken, _token(headers).id)
        assert token is not None
        token.last_used_at = utcnow() - timedelta(minutes=5)
        session.add(token)
        session.commit()
    assert client.get(f"{API}/claims?limit=1", headers=headers).status_code == 200
    later = _token(headers).last_used_at
    assert later is not None and later > utcnow() - timedelta(minutes=1)


def test_revoked_token_and_inactive_user_are_refused(client: TestClient, make_user: Callable[..., Any]) -> None:
    user, headers = make_user("viewer")
    assert client.get(f"{API}/claims?limit=1", headers=headers).status_code == 200
    with Session(get_engine()) as session:
        token = session.get(ApiToken, _token(headers).id)
        assert token is not None
        token.revoked_at = utcnow()
        session.add(token)
        session.commit()
    assert client.get(f"{API}/claims?limit=1", headers=headers).status_code == 401


def test_list_total_is_capped_and_says_so(
    client: TestClient,
    reviewer_headers: dict[str, str],
    new_claim: Callable[..., dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for _ in range(3):
        new_claim()
    exact = client.get(f"{API}/claims?limit=1", headers=reviewer_headers).json()
    assert exact["total_exact"] is True and exact["total"] >= 3
    monkeypatch.setattr(claims_api, "COUNT_LIMIT", 2)
    capped = client.get(f"{API}/claims?limit=1", headers=reviewer_headers).json()
    assert capped["total"] == 2 and capped["total_exact"] is False
    assert capped["items"] == exact["items"] and capped["next_cursor"] == exact["next_cursor"]
    monkeypatch.setattr(claims_api, "COUNT_LIMIT", exact["total"])
    at_limit = client.get(f"{API}/claims?limit=1", headers=reviewer_headers).json()
    assert at_limit["total"] == exact["total"] and at_limit["total_exact"] is True


@pytest.mark.sqlite
@pytest.mark.parametrize("sort", ["id", "-id", "verdict", "-verdict", "status", "-status", "updated_at", "-updated_at"])
def test_every_sort_walks_an_index_instead_of_sorting_all_claims(session: Session, sort: str) -> None:
    """A page in any order reads its (key, id) index; a temporary sort of every live claim grows with the workspace."""
    from sqlalchemy import event

    statements: list[tuple[str, Any]] = []
    # Only this session's statements: the app's background loops (webhook sender) share the engine.
    connection = session.connection()

    def capture(conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if conn is connection and "ORDER BY" in statement:
            statements.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", capture)
    try:
        list_claims(session, sort=sort, limit=50, count_limit=1000)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert statements
    for statement, parameters in statements:
        plan = " | ".join(
            row[-1] for row in session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        )
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
