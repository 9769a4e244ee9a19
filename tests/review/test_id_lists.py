"""`among_ids`: the same rows as `IN`, for any length of list, and on PostgreSQL one placeholder whatever the
length, so a statement's text (and psycopg's converted query) is the same for every page."""

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from app.id_lists import among_ids
from app.sources.models import Source


def _ids_among(session: Session, wanted: list[int]) -> list[int]:
    statement = select(Source.id).where(among_ids(Source.id, "wanted")).order_by(Source.id)  # type: ignore[arg-type]
    return list(session.execute(statement, {"wanted": wanted}).scalars())


@pytest.mark.usefixtures("source_ids")
def test_it_finds_exactly_the_listed_rows_for_lists_of_any_length(session: Session) -> None:
    every = list(session.execute(select(Source.id).order_by(Source.id)).scalars())  # type: ignore[arg-type]
    assert len(every) >= 3
    assert _ids_among(session, []) == []
    assert _ids_among(session, [every[1]]) == [every[1]]
    assert _ids_among(session, [every[2], every[0], 10**9]) == [every[0], every[2]]
    assert _ids_among(session, every * 40) == every  # hundreds of ids, repeats among them


def test_postgresql_gets_one_array_placeholder_and_sqlite_an_expanding_list() -> None:
    statement = select(Source.id).where(among_ids(Source.id, "wanted"))  # type: ignore[arg-type]
    on_postgresql = str(statement.compile(dialect=postgresql.psycopg.dialect()))
    assert "= ANY (%(wanted)s::INTEGER[])" in on_postgresql
    on_sqlite = str(statement.compile(dialect=sqlite.dialect()))
    assert "IN (__[POSTCOMPILE_wanted])" in on_sqlite and "= 1" not in on_sqlite


def test_statements_with_it_are_cached_by_column_and_name() -> None:
    by_id = select(Source.id).where(among_ids(Source.id, "wanted"))  # type: ignore[arg-type]
    same = select(Source.id).where(among_ids(Source.id, "wanted"))  # type: ignore[arg-type]
    other_name = select(Source.id).where(among_ids(Source.id, "others"))  # type: ignore[arg-type]
    assert by_id._generate_cache_key() == same._generate_cache_key()
    assert by_id._generate_cache_key() != other_name._generate_cache_key()
