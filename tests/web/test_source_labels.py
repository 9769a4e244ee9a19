"""How pages name a source, and the board naming untitled sources by their opening words without reading
each one's text (one statement per untitled column, before)."""

import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.sources.models import source_label
from tests.claims.test_statement_counts import driver_statements


def test_a_title_wins_then_the_opening_words_then_the_file_name() -> None:
    assert source_label("Council votes", "Ignored words", "a.txt", 3) == "Council votes"
    assert source_label(None, "one two three", "a.txt", 3) == "one two three"
    assert source_label("", " one  two\nthree four five six seven eight nine", None, 3) == (
        "one two three four five six seven eight…"
    )
    assert source_label(None, "one two three", None, 3, more=True) == "one two three…"
    assert source_label(None, "  \n ", "a.txt", 3) == "a.txt"
    assert source_label(None, "", None, 3) == "Source 3"


def _untitled(client: TestClient, headers: dict[str, str], words: int) -> int:
    stamp = time.time_ns()
    text = " ".join([f"word{stamp}", *(f"w{index}" for index in range(1, words))]) + "."
    response = client.post("/api/v1/sources", json={"text": text}, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["source"]["id"])


def _board_statements(client: TestClient, headers: dict[str, str], statements: list[str]) -> int:
    client.get("/?limit=5", headers=headers)
    statements.clear()
    response = client.get("/?limit=5", headers=headers)
    assert response.status_code == 200
    return len([s for s in statements if not s.lstrip().upper().startswith("PRAGMA")])


@pytest.fixture
def counted() -> Iterator[list[str]]:
    with driver_statements() as statements:
        yield statements


def test_the_board_names_untitled_sources_by_their_opening_words_in_a_fixed_number_of_statements(
    client: TestClient, editor_headers: dict[str, str], counted: list[str]
) -> None:
    long_id = _untitled(client, editor_headers, 200)
    before = _board_statements(client, editor_headers, counted)
    short_id = _untitled(client, editor_headers, 3)
    _untitled(client, editor_headers, 120)
    assert _board_statements(client, editor_headers, counted) == before

    page = client.get("/?limit=5", headers=editor_headers).text
    assert re.fullmatch(r"word\d+ w1 w2 w3 w4 w5 w6 w7…", _column_heading(page, long_id))
    assert re.fullmatch(r"word\d+ w1 w2\.", _column_heading(page, short_id))


def _column_heading(page: str, source_id: int) -> str:
    column = rf'data-source="{source_id}"><a [^>]*>S{source_id}</a><span class="src-title" title="([^"]*)"'
    found = re.search(column, page)
    assert found is not None, f"no column for source {source_id}"
    return found.group(1)
