"""Shared test fixtures: one real, migrated database per test session, the real app, the fixture articles and a
hand-made "$500 billion" claim."""

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.auth.actor import SYSTEM
from app.auth.models import User
from app.auth.service import create_token, create_user
from app.config import get_settings
from app.db import get_engine, is_sqlite, reset_engine
from app.migrate import upgrade
from app.models import metadata
from app.sources.files import load_fixtures
from app.sources.models import Source
from tests.databases import configured_postgres_url, reset_postgres_schema, scratch_postgres_database

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
os.environ.setdefault("CROSSCHECK_EMBEDDINGS", "off")
# Tests that want extraction after ingestion turn it on themselves; elsewhere it would race the test.
os.environ.setdefault("CROSSCHECK_EXTRACT_ON_INGEST", "false")
# Tests run jobs explicitly (JobWorker.run_once); a background worker would race them for the queue.
os.environ.setdefault("CROSSCHECK_RUN_WORKER", "false")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`sqlite`-marked tests check SQLite-only behaviour; they need the session database to be SQLite."""
    if not os.environ.get("CROSSCHECK_TEST_DATABASE_URL", "sqlite").startswith("sqlite"):
        skip = pytest.mark.skip(reason="SQLite-only behaviour; this run's database is PostgreSQL")
        for item in items:
            if "sqlite" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """CROSSCHECK_TEST_DATABASE_URL selects PostgreSQL; the default is a fresh SQLite file.

    A PostgreSQL run starts from an empty schema, so a previous run's rows never leak in.
    """
    url = os.environ.get("CROSSCHECK_TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    if not is_sqlite(url):
        reset_postgres_schema(url)
        # Beside a SQLite file is where the app keeps its generated key; PostgreSQL's would land in the checkout.
        os.environ.setdefault("CROSSCHECK_SECRET_KEY_FILE", str(tmp_path_factory.mktemp("key") / "secret-key"))
    os.environ["CROSSCHECK_DATABASE_URL"] = url
    get_settings.cache_clear()
    reset_engine()
    upgrade(url)
    return url


@pytest.fixture
def scratch_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database on the session's backend, for tests that migrate or serve their own."""
    if is_sqlite(database_url):
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    with scratch_postgres_database(database_url) as url:
        yield url


@pytest.fixture
def postgres_url(database_url: str) -> Iterator[str]:
    """An empty PostgreSQL database for `postgres`-marked tests, whatever this run's main backend is."""
    base = configured_postgres_url()
    if base is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not configured: run scripts/test-services.sh")
        pytest.skip("no PostgreSQL configured (scripts/test-services.sh writes .services/postgres-url)")
    with scratch_postgres_database(base) as url:
        yield url


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    with Session(get_engine()) as session:
        yield session


@pytest.fixture(scope="session")
def client(database_url: str) -> Iterator[TestClient]:
    from app.main import create_app

    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture(scope="module", autouse=True)
def empty_database(database_url: str) -> None:
    """Each test module starts from an empty database (the schema is migrated once per run), so a test reads only
    what its own module wrote and can assert exact results: no claims, users or jobs left by another module."""
    empty_tables(get_engine())


def empty_tables(engine: Engine) -> None:
    tables = [table.name for table in reversed(metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            # Row by row through the triggers that keep the full-text tables in step; children first.
            for table in tables:
                connection.exec_driver_sql(f'DELETE FROM "{table}"')
            if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").first():
                connection.exec_driver_sql("DELETE FROM sqlite_sequence")
        else:
            # Every table but Alembic's, those the migrations keep beside the models too (the search index):
            # TRUNCATE fires no row triggers, so nothing else would empty them.
            tables = list(
                connection.exec_driver_sql(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                    "AND tablename <> 'alembic_version'"
                ).scalars()
            )
            connection.exec_driver_sql("SET LOCAL lock_timeout = '20s'")
            connection.exec_driver_sql(
                f"TRUNCATE {', '.join(f'{chr(34)}{t}{chr(34)}' for t in tables)} RESTART IDENTITY CASCADE"
            )


@pytest.fixture(scope="module")
def fixture_sources(database_url: str, empty_database: None) -> dict[str, Source]:
    """The five shipped articles, loaded once a module; keyed by file name."""
    with Session(get_engine()) as session:
        load_fixtures(session, FIXTURES_DIR, SYSTEM)
        sources = session.exec(select(Source)).all()
        return {s.filename: s for s in sources if s.filename}


@pytest.fixture
def make_user(database_url: str) -> Callable[..., tuple[User, dict[str, str]]]:
    """Create a user with a role and return it with Bearer headers for its token."""

    def _make(role: str = "reviewer", name: str | None = None, password: str | None = "a test passphrase 4 web"):
        with Session(get_engine()) as session:
            user = create_user(session, name or f"{role}-{secrets.token_hex(4)}", role, password, SYSTEM)
            _token, secret = create_token(session, user, SYSTEM)
            session.refresh(user)
            session.expunge(user)
            return user, {"Authorization": f"Bearer {secret}"}

    return _make


@pytest.fixture
def editor_headers(make_user: Callable[..., tuple[User, dict[str, str]]]) -> dict[str, str]:
    return make_user("editor")[1]


@pytest.fixture
def reviewer_headers(make_user: Callable[..., tuple[User, dict[str, str]]]) -> dict[str, str]:
    return make_user("reviewer")[1]


# The passage of fixture 001 that `new_claim` makes its claim from by default.
CLAIM_QUOTE = "agreed to transfer rare earth minerals worth $500 billion"


@pytest.fixture
def source_ids(fixture_sources: dict[str, Source]) -> dict[str, int]:
    """Fixture source ids keyed by their three-digit prefix ("001")."""
    return {name[:3]: source.id for name, source in fixture_sources.items() if source.id is not None}


@pytest.fixture
def new_claim(
    client: TestClient, editor_headers: dict[str, str], source_ids: dict[str, int]
) -> Callable[..., dict[str, Any]]:
    """Create a claim from a passage of fixture 001 over HTTP and return its detail."""

    def _make(quote: str = CLAIM_QUOTE, source: str = "001", **extra: Any) -> dict[str, Any]:
        response = client.post(
            "/api/v1/claims", headers=editor_headers, json={"source_id": source_ids[source], "quote": quote, **extra}
        )
        assert response.status_code == 201, response.text
        return response.json()

    return _make
