"""Browser-test fixtures: a real server on a free loopback port, its own database, Debian's Chromium."""

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlmodel import Session

from app.auth.actor import SYSTEM
from app.auth.service import create_user
from app.claims.service import create_claim
from app.db import make_engine
from app.extraction.store import run_extraction
from app.migrate import upgrade
from app.sources.files import load_fixtures
from tests.live_server import live_server as live_server_process
from tests.web.forms import billion_claim, browser_client, signed_in  # noqa: F401  (fixtures for page tests)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PASSWORD = "correct horse battery"
# The passage of fixture 001 that the "$500 billion" claim is made from.
BILLION_PASSAGE = "agreed to transfer rare earth minerals worth $500 billion"
BILLION_TEXT = "Ukraine agreed to transfer rare earth minerals worth $500 billion to the United States."


@dataclass(frozen=True)
class LiveServer:
    url: str
    database_url: str
    billion_claim_id: int
    source_ids: dict[str, int]

    def session(self) -> Session:
        return Session(make_engine(self.database_url))


def _prepare_database(url: str) -> tuple[int, dict[str, int]]:
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        report = load_fixtures(session, ROOT / "fixtures", SYSTEM)
        names = [Path(p).name for p in report.created]
        source_ids = dict(zip(names, report.source_ids, strict=True))
        run_extraction(session, use_embeddings=False)
        for name, role in (("rita", "reviewer"), ("rob", "reviewer"), ("eddie", "editor"), ("vera", "viewer")):
            create_user(session, name, role, PASSWORD, SYSTEM)
        claim = create_claim(
            session,
            SYSTEM,
            source_ids["001_82625007ee74e6f5.txt"],
            quote=BILLION_PASSAGE,
            text=BILLION_TEXT,
            kind="figure",
        )
        assert claim.id is not None
        billion = claim.id
    engine.dispose()
    return billion, source_ids


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make services` (scripts/test-services.sh) to install it")
    folder = tmp_path_factory.mktemp("web")
    database_url = f"sqlite:///{folder / 'web.db'}"
    billion, source_ids = _prepare_database(database_url)
    with live_server_process(database_url, folder / "server.log") as url:
        yield LiveServer(url, database_url, billion, source_ids)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    """A fresh browser profile per test; every page it opened is screenshotted at the end."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1440, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    ARTIFACTS.mkdir(exist_ok=True)
    for index, page in enumerate(context.pages):
        suffix = f"-{index}" if index else ""
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}{suffix}.png"), full_page=False)
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


OpenAs = Callable[..., Page]


@pytest.fixture(scope="session")
def signed_in_states() -> dict[str, Any]:
    """Each user's cookies after one real sign-in, so later tests start signed in without the form."""
    return {}


@pytest.fixture
def as_user(
    browser: Browser, live_server: LiveServer, signed_in_states: dict[str, Any], request: pytest.FixtureRequest
) -> Iterator[Callable[[str, str], Page]]:
    """Open a page at `path` as `name`, in a browser profile of that user's own (cookies are per profile)."""
    contexts: list[BrowserContext] = []

    def _open(name: str, path: str = "/") -> Page:
        if name not in signed_in_states:
            first = browser.new_context(base_url=live_server.url)
            sign_in(first.new_page(), name, next_path="/sources")
            signed_in_states[name] = first.storage_state()
            first.close()
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1440, "height": 900}, storage_state=signed_in_states[name]
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(path)
        return page

    yield _open
    ARTIFACTS.mkdir(exist_ok=True)
    for number, context in enumerate(contexts):
        for index, page in enumerate(context.pages):
            suffix = "".join(f"-{n}" for n in (number, index) if n)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}{suffix}.png"), full_page=False)
        context.close()


def sign_in(page: Page, name: str, password: str = PASSWORD, next_path: str = "/") -> None:
    page.goto(f"/signin?next={next_path}")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin" not in url)
    page.wait_for_load_state()
