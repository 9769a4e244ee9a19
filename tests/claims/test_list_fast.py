"""The list's fast path (app.claims.listing) answers the bytes the public schema would, for every filter and sort."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.api.pagination import decode_cursor, encode_cursor
from app.claims import service
from app.claims.models import Claim
from app.claims.schemas import ClaimPage
from app.db import get_engine, is_sqlite, read_engine
from app.review.board import claims_related_to_source
from app.review.verdicts import recompute_claim

API = "/api/v1/claims"


def _expected(params: dict[str, Any], count_limit: int = 1_000) -> bytes:
    """The page as the general service (ORM rows) and the pydantic schema build it."""
    filters = {key: params[key] for key in ("verdict", "status", "kind", "conflict", "q") if key in params}
    if "source_id" in params:
        filters["among"] = claims_related_to_source(params["source_id"])
    with Session(read_engine()) as session:
        claims, total, position = service.list_claims(
            session,
            **filters,
            sort=params.get("sort", "id"),
            limit=params.get("limit", 50),
            after=decode_cursor(params.get("cursor")),
            count_limit=count_limit + 1,
        )
    return (
        ClaimPage(
            items=[service.to_public(claim) for claim in claims],
            total=min(total, count_limit),
            total_exact=total <= count_limit,
            next_cursor=encode_cursor(position) if position else None,
        )
        .model_dump_json()
        .encode()
    )


@pytest.fixture
def varied_claims(new_claim: Callable[..., dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    made = [new_claim() for _ in range(3)]
    with Session(get_engine()) as session:
        for index, made_claim in enumerate(made):
            claim = session.get(Claim, made_claim["id"])
            assert claim is not None
            claim.verdict = ("corroborated", "disputed", "corroborated")[index]
            claim.has_conflict = index == 1
            claim.text = f'Ünïcode wording {index} with a "quote" and 100% café'
            session.add(claim)
        session.commit()
    yield made
    # Verdicts set by hand disagree with the claims' decisions; put back what they derive to, so a later
    # export -> import (which recomputes verdicts) still round-trips the shared database byte for byte.
    with Session(get_engine()) as session:
        for made_claim in made:
            claim = session.get_one(Claim, made_claim["id"])
            claim.verdict, claim.has_conflict = "unverified", False
            session.add(claim)
            recompute_claim(session, made_claim["id"])
        session.commit()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"limit": 2},
        {"sort": "-id", "limit": 2},
        {"sort": "updated_at", "limit": 2},
        {"sort": "-updated_at", "limit": 1},
        {"verdict": "corroborated"},
        {"conflict": True},
        {"conflict": False},
        {"kind": "statement", "status": "open"},
        {"q": "café wording"},
        {"q": "nothing-like-this-anywhere"},
        {"q": "café wording", "limit": 1},
        {"q": "wording", "sort": "-id", "limit": 2},
        {"q": "café", "verdict": "disputed"},
        {"q": "wording", "sort": "-updated_at", "limit": 2},
    ],
)
def test_every_page_has_the_schema_bytes(
    client: TestClient, reviewer_headers: dict[str, str], varied_claims: list[dict[str, Any]], params: dict[str, Any]
) -> None:
    seen = 0
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(API, params=query, headers=reviewer_headers)
        assert response.status_code == 200, response.text
        assert response.content == _expected(query)
        body = response.json()
        seen += len(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == min(body["total"], 1_000)


def test_a_source_filter_and_the_count_cap_match_the_schema(
    client: TestClient, reviewer_headers: dict[str, str], varied_claims: list[dict[str, Any]]
) -> None:
    source_id = varied_claims[0]["mentions"][0]["source_id"]
    params = {"source_id": source_id, "sort": "-id"}
    response = client.get(API, params=params, headers=reviewer_headers)
    assert response.content == _expected(params)
    assert any(item["id"] == varied_claims[0]["id"] for item in response.json()["items"])


def test_a_cursor_of_another_sort_is_refused(
    client: TestClient, reviewer_headers: dict[str, str], varied_claims: list[dict[str, Any]]
) -> None:
    first = client.get(API, params={"limit": 1, "sort": "updated_at"}, headers=reviewer_headers).json()
    response = client.get(
        API, params={"limit": 1, "sort": "id", "cursor": first["next_cursor"]}, headers=reviewer_headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


def test_a_search_of_punctuation_only_finds_nothing(
    client: TestClient, reviewer_headers: dict[str, str], varied_claims: list[dict[str, Any]]
) -> None:
    response = client.get(API, params={"q": "?!"}, headers=reviewer_headers)
    assert response.status_code == 200 and response.json() == {
        "items": [],
        "total": 0,
        "total_exact": True,
        "next_cursor": None,
    }


def test_an_id_beyond_the_integer_column_is_a_client_error_not_a_server_error(
    client: TestClient, reviewer_headers: dict[str, str]
) -> None:
    for params in ({"source_id": 2**40}, {"cursor": encode_cursor({"sort": "id", "value": None, "id": 2**40})}):
        response = client.get(API, params=params, headers=reviewer_headers)
        if is_sqlite(str(get_engine().url)):  # SQLite's integers hold it, and no claim has it
            assert response.status_code == 200 and response.json()["items"] == [], params
        else:  # PostgreSQL's integer column cannot: the same 404 as any other route gives an oversized id
            assert response.status_code == 404, (params, response.text)


def test_an_unknown_token_is_refused_before_an_oversized_id_is_looked_at(client: TestClient) -> None:
    """PostgreSQL reads the token in the page's statement; a value that statement cannot bind is still a 401 for
    a caller the workspace does not know, never a hint about the data."""
    headers = {"Authorization": "Bearer cc_not-a-token-of-this-workspace"}
    for params in ({}, {"source_id": 2**40}, {"cursor": encode_cursor({"sort": "id", "value": None, "id": 2**40})}):
        response = client.get(API, params=params, headers=headers)
        assert response.status_code == 401, (params, response.text)


def test_times_on_a_whole_second_match_the_schema(
    client: TestClient, reviewer_headers: dict[str, str], varied_claims: list[dict[str, Any]]
) -> None:
    """The database writes the row's JSON: a time with no microseconds is written without them, as pydantic does."""
    with Session(get_engine()) as session:
        claim = session.get_one(Claim, varied_claims[0]["id"])
        claim.created_at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        session.add(claim)
        session.commit()
    params = {"sort": "-id", "limit": 3}
    response = client.get(API, params=params, headers=reviewer_headers)
    assert response.content == _expected(params)
    assert b'"created_at":"2026-01-02T03:04:05Z"' in response.content


def test_a_kept_connection_the_server_dropped_is_read_again_on_a_fresh_one(
    client: TestClient, reviewer_headers: dict[str, str], varied_claims: list[dict[str, Any]]
) -> None:
    """PostgreSQL's list keeps its connections between reads without the pool's pre-ping: when the server has
    dropped them (a restart, an idle timeout), the read still answers."""
    if is_sqlite(str(get_engine().url)):
        pytest.skip("PostgreSQL's list path; SQLite reads through the version probe")
    for _ in range(3):  # several connections end up kept
        assert client.get(API, params={"limit": 2}, headers=reviewer_headers).status_code == 200
    with get_engine().connect() as connection:
        connection.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle'"
        )
        connection.commit()
    params = {"sort": "-id", "limit": 2}
    response = client.get(API, params=params, headers=reviewer_headers)
    assert response.status_code == 200, response.text
    assert response.content == _expected(params)
