"""Plain-HTTP helpers for page tests: a signed-in client per role, its CSRF token, short DB sessions, claims."""

import re
import secrets
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.actor import SYSTEM
from app.auth.models import User
from app.claims.models import Claim
from app.claims.service import create_claim
from app.db import get_engine
from app.sources.models import Source

PASSWORD = "a test passphrase 4 web"
S001, S002 = "001_82625007ee74e6f5.txt", "002_01998bc28edd2229.txt"
BILLION = "agreed to transfer rare earth minerals worth $500 billion"


@pytest.fixture
def browser_client(database_url: str) -> Iterator[TestClient]:
    """A client with its own cookie jar, so a signed-in session never leaks into API tests."""
    from app.main import create_app

    with TestClient(create_app(), follow_redirects=False) as client:
        yield client


def csrf_of(client: TestClient, path: str = "/signin") -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', client.get(path).text)
    assert match, "every page carries the CSRF token"
    return match.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    response = client.post("/signin", data={"name": name, "password": password, "csrf_token": csrf_of(client)})
    assert response.status_code == 303, response.text
    return csrf_of(client, "/sources")


@pytest.fixture
def signed_in(
    database_url: str, make_user: Callable[..., tuple[User, dict[str, str]]]
) -> Iterator[Callable[[str], tuple[TestClient, str, User]]]:
    """Sign in a new user of a role, each in a browser of their own: (client, CSRF token, user)."""
    from app.main import create_app

    clients: list[TestClient] = []

    def _sign_in(role: str) -> tuple[TestClient, str, User]:
        user, _headers = make_user(role)
        client = TestClient(create_app(), follow_redirects=False)
        clients.append(client)
        return client, sign_in(client, user.name), user

    yield _sign_in
    for client in clients:
        client.close()


def db() -> Session:
    """A short-lived session: SQLite transactions here take the write lock, so none stays open across requests."""
    return Session(get_engine())


def new_claim(source: Source, quote: str, **fields: str) -> Claim:
    with db() as session:
        claim = create_claim(session, SYSTEM, source.id or 0, quote=quote, **fields)
        session.expunge(claim)
        return claim


@pytest.fixture
def billion_claim(fixture_sources: dict[str, Source]) -> Claim:
    # A marker of its own, since other tests in the session make claims about the same figure.
    marker = secrets.token_hex(4)
    return new_claim(
        fixture_sources[S001],
        BILLION,
        kind="figure",
        text=f"Ukraine agreed to transfer $500 billion of rare earth minerals (case {marker}).",
    )
