"""SQL statements per request for the claims list, the claim detail, the board and the claim page: a fixed
number, whatever the size of the page or of the claim (no query per row, "N+1"). Counted at the driver, so the
list's statements on the raw connection count too."""

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.auth.models import ApiToken
from app.clock import utcnow
from app.db import get_engine, reset_engine
from app.review.match_suggestions import MatchCandidate, store_match_suggestions

# Upper bounds (SQLite counts BEGIN and ROLLBACK too; PostgreSQL's pre-pings are left out, see POOL_PING).
# The list: SQLite reads the token on the version probe's connection (BEGIN, token, ROLLBACK), then the count and
# the page in one snapshot (BEGIN, count, page, ROLLBACK); PostgreSQL reads the token, the count and the page in one
# statement.
LIST_MOST = {"sqlite": 7, "postgresql": 1}
DETAIL_MOST = 30
# The board in a fresh workspace: the token, the count and the page, the columns' sources, one for the cells'
# decisions, the progress (the live and settled tally, then per source), assignable reviewers, suggested
# matches and the header's unread count, in the request's one read transaction: 12 on SQLite (with BEGIN and
# ROLLBACK), 10 on PostgreSQL. What earlier tests leave in the shared database adds a few (two
# more seen in whole-suite order), none per row: the bound leaves room for them.
BOARD_MOST = 20
# The claim page: the detail (the claim and each of its tables once, names, titles), previous and next, merged
# claims, history, the cards' sources and passages, the newsroom panel (rating, notes, assignees, reviewers,
# proposals), suggested matches open and decided, and the unread count: 25 on PostgreSQL in a large workspace.
CLAIM_PAGE_MOST = 30
BACKGROUND_THREADS = ("webhook-dispatcher", "job-worker")
# The pool's pre-ping on PostgreSQL. Not counted: it is sent when a request gets a pooled connection and not when
# it gets a new one, and which it gets depends on what the background loops hold at that moment, not on the page.
POOL_PING = ";"


@contextmanager
def driver_statements() -> Iterator[list[str]]:
    """Every statement sent through any new driver connection while inside, but for the background loops'
    (the webhook sender polls on its own schedule)."""
    statements: list[str] = []

    def record(statement: str) -> None:
        if not threading.current_thread().name.startswith(BACKGROUND_THREADS):
            statements.append(statement)

    def count(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.set_trace_callback(record)
            return
        base = dbapi_connection.cursor_factory

        class CountingCursor(base):  # type: ignore[misc, valid-type]
            def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
                if str(query).strip() != POOL_PING:
                    record(str(query))
                return super().execute(query, *args, **kwargs)

        dbapi_connection.cursor_factory = CountingCursor

    event.listen(Engine, "connect", count)
    reset_engine()  # new connections, so each gets the counter
    try:
        yield statements
    finally:
        event.remove(Engine, "connect", count)
        reset_engine()


def _count(client: TestClient, statements: list[str], path: str, headers: dict[str, str], warm_path: str = "") -> int:
    """Statements of one request, after a first one (`warm_path`, else the same) opened whatever it needed:
    a new pooled connection's PRAGMAs and the once-a-minute token bookkeeping are not the page's cost."""
    client.get(warm_path or path, headers=headers)
    statements.clear()
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    counted = [s for s in statements if not s.lstrip().upper().startswith("PRAGMA")]
    seen[path] = counted
    return len(counted)


seen: dict[str, list[str]] = {}


@pytest.fixture
def claims_with_reviews(
    new_claim: Callable[..., dict[str, Any]],
    client: TestClient,
    make_user: Callable[..., Any],
    source_ids: dict[str, int],
) -> tuple[int, int]:
    """A claim with one assessment and one piece of evidence, and one with assessments by three reviewers on
    every fixture source, evidence from each and three suggested matches."""
    bare = new_claim()["id"]
    busy = new_claim()["id"]
    for claim_id, reviewers, sources in ((bare, 1, [source_ids["001"]]), (busy, 3, list(source_ids.values()))):
        _review(client, make_user, claim_id, reviewers, sources, source_ids["001"])
    others = [new_claim()["id"] for _ in range(30)]
    # the newest two (the small board's page) with a suggested match between them: its row shows it too
    newest, previous = new_claim()["id"], new_claim()["id"]
    with Session(get_engine()) as session:
        store_match_suggestions(
            session,
            [
                MatchCandidate(newest, previous, 0.41, "similar passages (0.41)"),
                # the busy claim's page lists its suggested matches, each with the other claim
                *(MatchCandidate(busy, other, 0.35, "similar passages (0.35)") for other in others[:3]),
            ],
        )
        session.commit()
    return bare, busy


def _review(
    client: TestClient,
    make_user: Callable[..., Any],
    claim_id: int,
    reviewers: int,
    sources: list[int],
    evidence_source: int,
) -> None:
    for _ in range(reviewers):
        _user, headers = make_user("reviewer")
        for source_id in sources:
            response = client.put(
                f"/api/v1/claims/{claim_id}/sources/{source_id}/assessment",
                headers=headers,
                json={"stance": "corroborates", "note": "seen"},
            )
            assert response.status_code in (200, 201), response.text
        response = client.post(
            f"/api/v1/claims/{claim_id}/evidence",
            headers=headers,
            json={"source_id": evidence_source, "start": 0, "end": 20},
        )
        assert response.status_code == 201, response.text


def test_the_list_detail_board_and_claim_page_cost_a_fixed_number_of_statements(
    client: TestClient, reviewer_headers: dict[str, str], claims_with_reviews: tuple[int, int]
) -> None:
    bare, busy = claims_with_reviews
    with Session(get_engine()) as session:  # the once-a-minute token bookkeeping is not due during the test
        session.execute(update(ApiToken).values(last_used_at=utcnow() + timedelta(days=1)))
        session.commit()
    with driver_statements() as statements:
        client.get("/api/v1/health")
        # A list read differs from its warm-up, so it is not served from the page cache.
        small_list = _count(
            client, statements, "/api/v1/claims?limit=2&sort=-id", reviewer_headers, "/api/v1/claims?limit=3&sort=-id"
        )
        large_list = _count(
            client, statements, "/api/v1/claims?limit=30&sort=-id", reviewer_headers, "/api/v1/claims?limit=31&sort=-id"
        )
        bare_detail = _count(client, statements, f"/api/v1/claims/{bare}", reviewer_headers)
        busy_detail = _count(client, statements, f"/api/v1/claims/{busy}", reviewer_headers)
        small_board = _count(client, statements, "/?limit=2&sort=-id", reviewer_headers)
        large_board = _count(client, statements, "/?limit=30&sort=-id", reviewer_headers)
        bare_page = _count(client, statements, f"/claims/{bare}", reviewer_headers)
        busy_page = _count(client, statements, f"/claims/{busy}", reviewer_headers)
    assert small_list == large_list <= LIST_MOST[get_engine().dialect.name], seen["/api/v1/claims?limit=2&sort=-id"]
    assert bare_detail == busy_detail <= DETAIL_MOST, (seen[f"/api/v1/claims/{bare}"], seen[f"/api/v1/claims/{busy}"])
    assert small_board == large_board <= BOARD_MOST, "\n".join(seen["/?limit=2&sort=-id"])
    assert bare_page == busy_page <= CLAIM_PAGE_MOST, (seen[f"/claims/{bare}"], seen[f"/claims/{busy}"])
