"""Shared test fixtures: one real, migrated database per test session and the real app."""

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth.actor import SYSTEM
from app.auth.models import User
from app.auth.service import create_token, create_user
from app.config import get_settings
from app.db import get_engine, reset_engine
from app.migrate import upgrade
from app.sources.files import load_fixtures
from app.sources.models import Source

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
os.environ.setdefault("CROSSCHECK_EMBEDDINGS", "off")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """CROSSCHECK_TEST_DATABASE_URL selects PostgreSQL; the default is a fresh SQLite file."""
    url = os.environ.get("CROSSCHECK_TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    os.environ["CROSSCHECK_DATABASE_URL"] = url
    get_settings.cache_clear()
    reset_engine()
    upgrade(url)
    return url


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    with Session(get_engine()) as session:
        yield session


@pytest.fixture(scope="session")
def client(database_url: str) -> Iterator[TestClient]:
    from app.main import create_app

    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def fixture_sources(database_url: str) -> dict[str, Source]:
    """The five shipped articles, loaded once; keyed by file name."""
    with Session(get_engine()) as session:
        load_fixtures(session, FIXTURES_DIR, SYSTEM)
        sources = session.exec(select(Source)).all()
        return {s.filename: s for s in sources if s.filename}


@pytest.fixture
def make_user(database_url: str) -> Callable[..., tuple[User, dict[str, str]]]:
    """Create a user with a role and return it with Bearer headers for its token."""

    def _make(role: str = "reviewer", name: str | None = None, password: str | None = "pw-" + "x" * 8):
        with Session(get_engine()) as session:
            user = create_user(session, name or f"{role}-{secrets.token_hex(4)}", role, password, SYSTEM)
            _token, secret = create_token(session, user, SYSTEM)
            return user, {"Authorization": f"Bearer {secret}"}

    return _make


@pytest.fixture
def editor_headers(make_user: Callable[..., tuple[User, dict[str, str]]]) -> dict[str, str]:
    return make_user("editor")[1]


@pytest.fixture
def reviewer_headers(make_user: Callable[..., tuple[User, dict[str, str]]]) -> dict[str, str]:
    return make_user("reviewer")[1]
