"""Over HTTP: the board pages forwards and back with page numbers and ranges, in every sort it offers."""

import html
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.claims.models import Claim
from app.sources.models import Source
from app.vocabulary import SORT_LABELS
from tests.web.forms import S001, S002, new_claim


def _rows(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-claim="(\d+)"', page)]


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a class="btn small" href="([^"]+)" rel="{rel}">', page)
    return html.unescape(found.group(1)) if found else None


def _position(page: str) -> str:
    found = re.search(r'<span class="muted" id="page-position">([^<]+)</span>', page)
    assert found, "the pager shows where the page is"
    return found.group(1)


@pytest.mark.parametrize("sort", list(SORT_LABELS))
def test_board_pages_forwards_and_back(
    sort: str, signed_in: Callable[[str], tuple[TestClient, str, object]], fixture_sources: dict[str, Source]
) -> None:
    for source, quote in (
        (S001, "agreed to transfer rare earth minerals worth $500 billion"),
        (S002, "a demand that Zelensky rejected"),
        (S002, "this figure is no longer on the table"),
    ):
        new_claim(fixture_sources[source], quote)
    client, _token, _user = signed_in("viewer")
    first = client.get("/", params={"sort": sort, "limit": 2})
    assert first.status_code == 200
    total = int(re.search(r"of (\d+)", _position(first.text)).group(1))  # type: ignore[union-attr]
    assert _position(first.text) == f"Page 1 · claims 1–2 of {total}"
    assert _link(first.text, "prev") is None

    pages, page = [_rows(first.text)], first.text
    while (following := _link(page, "next")) is not None:
        page = client.get(following).text
        number = len(pages) + 1
        shown = _rows(page)
        if shown:
            start = (number - 1) * 2 + 1
            assert _position(page) == f"Page {number} · claims {start}–{start + len(shown) - 1} of {total}"
        pages.append(shown)
    walked = [i for rows in pages for i in rows]
    assert len(walked) == total == len(set(walked))

    while (previous := _link(page, "prev")) is not None:
        page = client.get(previous).text
        pages.pop()
        assert _rows(page) == pages[-1]
        assert _position(page).startswith(f"Page {len(pages)} ·")
    assert len(pages) == 1 and _link(page, "prev") is None


def test_board_sorts_by_verdict_and_refuses_a_cursor_of_another_sort(signed_in: Callable, billion_claim: Claim) -> None:
    client, _token, _user = signed_in("viewer")
    page = client.get("/", params={"sort": "-verdict", "limit": 100}).text
    verdicts = re.findall(r'<td class="verdict"><span class="chip \w+" data-verdict="(\w+)"', page)
    assert verdicts and verdicts == sorted(verdicts, reverse=True)
    following = _link(client.get("/", params={"sort": "verdict", "limit": 1}).text, "next")
    assert following is not None
    mixed = client.get(following.replace("sort=verdict", "sort=status"))
    assert mixed.status_code == 422 and "another sort order" in mixed.text
