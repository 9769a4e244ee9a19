"""Cookie-authenticated API writes need the page's CSRF token; a page on another origin cannot supply it."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.db import get_engine
from app.sources.models import Source
from tests.web.forms import sign_in

API = "/api/v1"
EVIL_ORIGIN = "http://127.0.0.1:9999"


@pytest.fixture
def editor_browser(database_url: str, make_user: Callable[..., Any]) -> Iterator[tuple[TestClient, str]]:
    """An editor signed in through the sign-in form: (browser, the CSRF token its pages carry)."""
    from app.main import create_app

    user, _headers = make_user("editor")
    with TestClient(create_app(), follow_redirects=False) as browser:
        yield browser, sign_in(browser, user.name)


def source_count() -> int:
    with Session(get_engine()) as session:
        return session.exec(select(func.count()).select_from(Source)).one()


def upload(browser: TestClient, text: str, headers: dict[str, str]) -> Any:
    return browser.post(
        f"{API}/sources/upload", headers=headers, files={"file": ("planted.txt", text.encode(), "text/plain")}
    )


def test_a_cross_origin_multipart_upload_riding_the_cookie_is_refused(editor_browser: tuple[TestClient, str]) -> None:
    browser, _csrf = editor_browser
    before = source_count()
    forged = upload(
        browser,
        "A planted article about a council vote that never happened.",
        {"origin": EVIL_ORIGIN, "referer": f"{EVIL_ORIGIN}/attack.html"},
    )
    assert forged.status_code == 403, forged.text
    assert forged.headers["content-type"].startswith("application/problem+json")
    assert "X-CSRF-Token" in forged.json()["detail"]
    assert source_count() == before
    wrong = browser.post(f"{API}/claims", headers={"x-csrf-token": "guessed"}, json={"text": "x"})
    assert wrong.status_code == 403


def test_the_same_upload_from_our_own_page_carries_the_token_and_is_accepted(
    editor_browser: tuple[TestClient, str],
) -> None:
    browser, csrf = editor_browser
    answer = upload(browser, "An article uploaded from the sources page of this workspace.", {"x-csrf-token": csrf})
    assert answer.status_code == 201, answer.text


def test_token_callers_and_cookie_reads_need_no_csrf_token(
    editor_browser: tuple[TestClient, str],
    client: TestClient,
    editor_headers: dict[str, str],
) -> None:
    browser, _csrf = editor_browser
    assert browser.get(f"{API}/me").status_code == 200
    assert upload(client, "An article sent by a script holding an API token.", editor_headers).status_code == 201
