"""The live and settled claim tally (app.claims.tally) always equals a count over the claims: through the API's
changes (create, settle, merge, unmerge), through statements that change many claims at once, and on
PostgreSQL while its rows of differences are folded under concurrent writers."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.claims.tally import FOLD_AFTER, TALLY_TABLE, fold_tally, live_and_settled
from app.db import get_engine, make_engine
from app.migrate import upgrade

API = "/api/v1"


def counted(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        live, settled = connection.execute(
            text(
                "SELECT count(*) FILTER (WHERE merged_into_id IS NULL), "
                "count(*) FILTER (WHERE merged_into_id IS NULL AND status = 'settled') FROM claim"
            )
        ).one()
    return live, settled


def tallied(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        return live_and_settled(session)


def tally_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {TALLY_TABLE}")).scalar_one()


def insert_claims(engine: Engine, statuses: list[str]) -> list[int]:
    """Claims in one multi-row statement (a PostgreSQL statement trigger sees them all at once)."""
    now = datetime.now(UTC)
    values = ", ".join(
        f"('tally claim {i}', 'statement', 'manual', false, :status{i}, 'unverified', 0, 0, 0, false, 1, :now, :now)"
        for i in range(len(statuses))
    )
    with engine.begin() as connection:
        rows = connection.execute(
            text(
                "INSERT INTO claim (text, kind, origin, text_edited, status, verdict, corroborating, contradicting, "
                f"not_addressing, has_conflict, version, created_at, updated_at) VALUES {values} RETURNING id"
            ),
            {"now": now, **{f"status{i}": status for i, status in enumerate(statuses)}},
        ).scalars()
        return sorted(rows)


def run(engine: Engine, statement: str, **params: Any) -> None:
    with engine.begin() as connection:
        connection.execute(text(statement), params)


def test_the_tally_follows_statements_that_change_many_claims(database_url: str) -> None:
    engine = get_engine()
    before = counted(engine)
    assert tallied(engine) == before
    ids = insert_claims(engine, ["open", "settled", "settled", "in_review", "open"])
    assert tallied(engine) == counted(engine) == (before[0] + 5, before[1] + 2)
    steps = [
        ("UPDATE claim SET status = 'settled' WHERE id IN (:a, :b)", {"a": ids[0], "b": ids[1]}),
        ("UPDATE claim SET merged_into_id = :into WHERE id IN (:a, :b)", {"into": ids[3], "a": ids[1], "b": ids[4]}),
        ("UPDATE claim SET merged_into_id = :into WHERE id = :a", {"into": ids[2], "a": ids[1]}),  # a tombstone moved
        ("UPDATE claim SET verdict = 'disputed' WHERE id IN (:a, :b)", {"a": ids[0], "b": ids[3]}),  # no count moves
        ("UPDATE claim SET merged_into_id = NULL WHERE id = :a", {"a": ids[4]}),
        ("UPDATE claim SET status = 'open' WHERE id IN (:a, :b, :c)", {"a": ids[0], "b": ids[2], "c": ids[1]}),
        ("UPDATE claim SET merged_into_id = NULL WHERE id = :a", {"a": ids[1]}),
        ("DELETE FROM claim WHERE id IN (:a, :b)", {"a": ids[0], "b": ids[4]}),
        ("UPDATE claim SET status = 'settled' WHERE merged_into_id IS NULL AND text LIKE 'tally claim %'", {}),
    ]
    for statement, params in steps:
        run(engine, statement, **params)
        assert tallied(engine) == counted(engine), statement
    assert counted(engine) == (before[0] + 3, before[1] + 3)


def test_the_board_header_counts_what_reviewers_do(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
    editor_headers: dict[str, str],
) -> None:
    engine = get_engine()
    first, second = new_claim(), new_claim("a demand that Zelensky rejected", source="002")
    assert tallied(engine) == counted(engine)
    settled = client.put(
        f"{API}/claims/{first['id']}/sources/{source_ids['001']}/adjudication",
        headers=editor_headers,
        json={"stance": "corroborates"},
    )
    assert settled.status_code == 201, settled.text
    live, settled_count = counted(engine)
    assert tallied(engine) == (live, settled_count)
    versions = [
        client.get(f"{API}/claims/{c['id']}", headers=editor_headers).json()["version"] for c in (first, second)
    ]
    merged = client.post(
        f"{API}/claims/{first['id']}/merge",
        headers=editor_headers,
        json={"other_id": second["id"], "version": versions[0], "other_version": versions[1]},
    )
    assert merged.status_code == 200, merged.text
    # The merged claim's source is not yet judged: the first claim is back in review.
    assert tallied(engine) == counted(engine) == (live - 1, settled_count - 1)
    board = client.get("/", headers=editor_headers)
    assert f'data-testid="settled">{settled_count - 1} / {live - 1}<' in board.text
    restored = client.post(
        f"{API}/claims/{first['id']}/unmerge",
        headers=editor_headers,
        json={"other_id": second["id"], "version": merged.json()["version"]},
    )
    assert restored.status_code == 200, restored.text
    assert tallied(engine) == counted(engine) == (live, settled_count)


@pytest.mark.postgres
def test_folding_keeps_the_sums_while_another_transaction_adds_claims(postgres_url: str) -> None:
    """A read that finds many rows of differences folds the committed ones into one; a transaction still open
    while that happens keeps its own row, which counts once it commits."""
    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    for _ in range(FOLD_AFTER + 1):
        insert_claims(engine, ["settled"])
    assert tally_rows(engine) > FOLD_AFTER
    with engine.connect() as writer:
        writer.begin()
        writer.execute(
            text(
                "INSERT INTO claim (text, kind, origin, text_edited, status, verdict, corroborating, contradicting, "
                "not_addressing, has_conflict, version, created_at, updated_at) VALUES ('still open', 'statement', "
                "'manual', false, 'open', 'unverified', 0, 0, 0, false, 1, now(), now())"
            )
        )
        before_commit = counted(engine)
        assert tallied(engine) == before_commit  # this read folded the committed rows
        assert tally_rows(engine) == 1  # the fold; the open transaction's row is not yet seen
        writer.commit()
    assert tally_rows(engine) == 2
    assert tallied(engine) == counted(engine) == (before_commit[0] + 1, before_commit[1])
    fold_tally(engine)
    assert tally_rows(engine) == 1 and tallied(engine) == counted(engine)
    engine.dispose()


def test_the_upgrade_counts_the_claims_already_there(scratch_database_url: str) -> None:
    upgrade(scratch_database_url, "0014")
    engine = make_engine(scratch_database_url)
    ids = insert_claims(engine, ["settled", "open", "settled", "in_review"])
    run(engine, "UPDATE claim SET merged_into_id = :into WHERE id = :a", into=ids[1], a=ids[0])
    upgrade(scratch_database_url)
    assert tallied(engine) == counted(engine) == (3, 1)
    engine.dispose()
