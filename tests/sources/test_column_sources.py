"""Which sources the board shows as columns and the claim page as cards, in a small and in a large workspace."""

import hashlib

from sqlmodel import Session

from app.db import make_engine
from app.migrate import upgrade
from app.sources.models import Source
from app.sources.service import MAX_SOURCE_COLUMNS, column_sources, source_texts


def _workspace(url: str, count: int) -> Session:
    upgrade(url)
    session = Session(make_engine(url))
    for index in range(count):
        text = f"Article number {index} says something."
        session.add(
            Source(raw_text=text, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(), title=f"Article {index}")
        )
    session.commit()
    return session


def test_a_small_workspace_shows_every_source(scratch_database_url: str) -> None:
    with _workspace(scratch_database_url, 5) as session:
        assert [s.id for s in column_sources(session)] == [1, 2, 3, 4, 5]
        assert [s.id for s in column_sources(session, [2], only_also_when_many=True)] == [1, 2, 3, 4, 5]


def test_a_large_workspace_shows_the_newest_and_the_asked_for(scratch_database_url: str) -> None:
    count = MAX_SOURCE_COLUMNS + 20
    with _workspace(scratch_database_url, count) as session:
        newest = list(range(count - MAX_SOURCE_COLUMNS + 1, count + 1))
        assert [s.id for s in column_sources(session)] == newest
        assert [s.id for s in column_sources(session, [3])] == [3, *newest]
        # The claim page: only the sources related to the claim.
        assert [s.id for s in column_sources(session, [3, count], only_also_when_many=True)] == [3, count]
        assert source_texts(session, [3]) == {3: "Article number 2 says something."}
        assert source_texts(session, []) == {}
