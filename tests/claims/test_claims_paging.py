"""Claims lists page forwards and backwards in every sort order, and each order is walked by an index."""

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import inspect
from sqlmodel import Session, col, select

from app.auth.actor import Actor
from app.auth.models import User
from app.claims.models import Claim
from app.claims.service import SORTS, list_claims
from app.db import get_engine
from app.errors import InvalidInput
from app.review.service import set_assessment


def _expected(session: Session, sort: str) -> list[int]:
    field, descending = sort.lstrip("-"), sort.startswith("-")
    live = session.exec(select(Claim).where(col(Claim.merged_into_id).is_(None))).all()
    return [c.id for c in sorted(live, key=lambda c: (getattr(c, field), c.id), reverse=descending) if c.id is not None]


@pytest.fixture
def conflicted_claim(
    new_claim: Callable[..., dict[str, Any]], make_user: Callable[..., tuple[User, Any]], source_ids: dict[str, int]
) -> int:
    """A claim two reviewers disagree on: its status (in review) and verdict differ from the untouched ones'."""
    claim_id = new_claim()["id"]
    reviewers = [make_user("reviewer")[0] for _ in range(2)]
    for user, stance in zip(reviewers, ("corroborates", "contradicts"), strict=True):
        # A session each: after its commit a session holds SQLite's write lock again until closed.
        with Session(get_engine()) as session:
            set_assessment(session, Actor(user.name, user.role, user.id), claim_id, source_ids["002"], stance)
    return int(claim_id)


@pytest.mark.parametrize("sort", list(SORTS))
def test_every_sort_pages_forwards_then_back_to_the_start(
    sort: str, conflicted_claim: int, new_claim: Callable[..., dict[str, Any]]
) -> None:
    new_claim(quote="this figure is no longer on the table", source="002")
    with Session(get_engine()) as session:
        expected = _expected(session, sort)
        limit = max(2, len(expected) // 4)
        pages: list[list[int]] = []
        claims, total, position = list_claims(session, sort=sort, limit=limit)
        pages.append([c.id for c in claims])
        while position is not None:
            claims, total, position = list_claims(session, sort=sort, limit=limit, after=position)
            pages.append([c.id for c in claims])
        assert total == len(expected)
        assert [i for page in pages for i in page] == expected
        uncounted, nothing_counted, _ = list_claims(session, sort=sort, limit=limit, count_limit=0)
        assert [c.id for c in uncounted] == pages[0] and nothing_counted == 0

        # Back from the last page: each `before` page is the page that was seen there, in the same order.
        last = [c for c in session.exec(select(Claim).where(col(Claim.id).in_(pages[-1] or pages[-2]))).all()]
        first_of_last = min(last, key=lambda c: (pages[-1] or pages[-2]).index(c.id))
        back: dict[str, Any] | None = {"sort": sort, "id": first_of_last.id, "value": _value(first_of_last, sort)}
        for page in reversed([page for page in pages if page][:-1]):
            assert back is not None, "an earlier page was left out"
            claims, _total, back = list_claims(session, sort=sort, limit=limit, before=back)
            assert [c.id for c in claims] == page
        assert back is None or list_claims(session, sort=sort, limit=limit, before=back)[0] == []


def _value(claim: Claim, sort: str) -> Any:
    value = getattr(claim, sort.lstrip("-"))
    return value.isoformat() if hasattr(value, "isoformat") else value


def test_a_cursor_of_another_order_or_type_is_refused(conflicted_claim: int) -> None:
    with Session(get_engine()) as session:
        for cursor in (
            {"sort": "id", "id": 1, "value": 1},
            {"sort": "verdict", "id": 1, "value": 3},
            {"sort": "-updated_at", "id": 1, "value": "yesterday"},
        ):
            with pytest.raises(InvalidInput):
                list_claims(session, sort="verdict" if cursor["sort"] == "id" else cursor["sort"], after=cursor)
            with pytest.raises(InvalidInput):
                list_claims(session, sort="verdict" if cursor["sort"] == "id" else cursor["sort"], before=cursor)


@pytest.mark.parametrize("sort", list(SORTS))
def test_every_sort_has_an_index_on_its_key_then_id(sort: str) -> None:
    field = sort.lstrip("-")
    indexes = inspect(get_engine()).get_indexes("claim")
    walkable = [index["name"] for index in indexes if index["column_names"][:2] == [field, "id"]]
    assert field == "id" or walkable, f"sorting by {field} would sort every claim: add an index on ({field}, id)"


@pytest.mark.parametrize("sort", ["id", "-id"])
def test_words_alone_page_from_the_search_index_as_through_the_claims(
    sort: str, new_claim: Callable[..., dict[str, Any]]
) -> None:
    """A search with no other filter, by id and with a count limit, is counted and paged by the search index; the
    pages, forwards and back, and the count are those the claim table gives (no count limit: that path)."""
    for quote in (
        "agreed to transfer rare earth minerals",
        "transfer rare earth minerals worth",
        "rare earth minerals worth",
    ):
        new_claim(quote=quote)
    with Session(get_engine()) as session:
        everything, exact, _ = list_claims(session, q="minerals", sort=sort, limit=100)
        assert exact >= 3
        pages: list[list[int]] = []
        position: dict[str, Any] | None = None
        while True:
            claims, total, position = list_claims(
                session, q="minerals", sort=sort, limit=2, after=position, count_limit=1_000
            )
            assert total == exact
            pages.append([c.id for c in claims])
            if position is None:
                break
        assert [i for page in pages for i in page] == [c.id for c in everything]
        capped = list_claims(session, q="minerals", sort=sort, limit=2, count_limit=2)[1]
        assert capped == 2
        uncounted, nothing_counted, _ = list_claims(session, q="minerals", sort=sort, limit=2, count_limit=0)
        assert [c.id for c in uncounted] == pages[0] and nothing_counted == 0
        shown = [page for page in pages if page]  # the last page may be empty: the one before it was full
        before = {"sort": sort, "id": shown[-1][0], "value": shown[-1][0]}
        back, _, _ = list_claims(session, q="minerals", sort=sort, limit=2, before=before, count_limit=1_000)
        assert [c.id for c in back] == shown[-2]
        with pytest.raises(InvalidInput):
            list_claims(
                session, q="minerals", sort=sort, after={"sort": "status", "id": 1, "value": "open"}, count_limit=9
            )
