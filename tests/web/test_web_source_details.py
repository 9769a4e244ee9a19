"""In the browser: an editor corrects a source's details; every source has a readable name; unknown pages and
server failures answer with an HTML page (the API keeps problem+json)."""

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from app.audit.models import AuditEvent
from tests.web.conftest import LiveServer, OpenAs

pytestmark = pytest.mark.browser
S003 = "003_3fc9ac0f12467eed.txt"


def test_editor_corrects_a_sources_details_and_the_change_is_audited(as_user: OpenAs, live_server: LiveServer) -> None:
    source_id = live_server.source_ids[S003]
    page = as_user("eddie", f"/sources/{source_id}")
    page.locator("#edit-details summary").click()
    page.locator("#meta-outlet").fill("The Example Times")
    page.locator("#meta-published").fill("2025-02-19")
    page.locator("#meta-url").fill("example.org/tensions")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator("#edit-details [role=alert]")).to_contain_text("URL: must be a web address")
    expect(page.locator("#meta-outlet")).to_have_value("The Example Times")  # typed values survive a refusal
    page.locator("#meta-url").fill("https://example.org/tensions")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator(".flash.success")).to_contain_text("Source details saved")
    details = page.locator(".meta-list")
    expect(details).to_contain_text("The Example Times")
    expect(details).to_contain_text("2025-02-19")
    expect(details.get_by_role("link", name="https://example.org/tensions")).to_be_visible()
    with live_server.session() as session:
        event = session.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "source.edited", AuditEvent.source_id == source_id)
            .order_by(col(AuditEvent.id).desc())
        ).first()
        assert event is not None and event.actor == "eddie"
        assert event.before == {"outlet": None, "published_at": None, "url": None}
        assert event.after == {
            "outlet": "The Example Times",
            "published_at": "2025-02-19",
            "url": "https://example.org/tensions",
        }

    viewer = as_user("vera", f"/sources/{source_id}")
    expect(viewer.locator(".meta-list")).to_contain_text("The Example Times")
    expect(viewer.locator("#edit-details")).to_have_count(0)


def test_a_save_based_on_details_changed_meanwhile_is_refused_and_keeps_what_was_typed(
    as_user: OpenAs, live_server: LiveServer
) -> None:
    source_id = live_server.source_ids["004_e20be87c51c2aa43.txt"]
    first, second = (as_user("eddie", f"/sources/{source_id}") for _ in range(2))  # two tabs, opened together
    for page in (first, second):
        page.locator("#edit-details summary").click()
    first.locator("#meta-outlet").fill("First Outlet")
    first.get_by_role("button", name="Save details").click()
    expect(first.locator(".flash.success")).to_contain_text("Source details saved")

    second.locator("#meta-outlet").fill("Second Outlet")
    second.locator("#meta-author").fill("B. Writer")
    second.get_by_role("button", name="Save details").click()
    expect(second.locator("#edit-details [role=alert]")).to_contain_text("saved by someone else")
    expect(second.locator(".meta-list")).to_contain_text("First Outlet")  # the saved details, untouched
    expect(second.locator("#meta-outlet")).to_have_value("Second Outlet")  # what was typed survives
    expect(second.locator("#meta-author")).to_have_value("B. Writer")
    with live_server.session() as session:
        saves = session.exec(
            select(AuditEvent).where(AuditEvent.action == "source.edited", AuditEvent.source_id == source_id)
        ).all()
        assert [event.after for event in saves] == [{"outlet": "First Outlet"}]

    second.get_by_role("button", name="Save details").click()  # knowingly, over the newer details
    expect(second.locator(".flash.success")).to_contain_text("Source details saved")
    expect(second.locator(".meta-list")).to_contain_text("Second Outlet")


def test_every_board_column_is_named_by_a_title_not_a_file_name(as_user: OpenAs) -> None:
    board = as_user("rita", "/")
    titles = board.locator("#board thead th.src .src-title")
    expect(titles.first).to_be_visible()
    assert titles.count() >= 5
    for text in titles.all_inner_texts():
        assert text.strip() and not text.strip().endswith(".txt"), text
    expect(titles.nth(1)).to_have_text("Trump opts for a diplomatic approach to halt the Russian invasion")


def test_an_unknown_page_is_an_html_page_and_the_api_keeps_problem_json(page: Page) -> None:
    response = page.goto("/no/such/page")
    assert response is not None and response.status == 404
    assert response.headers["content-type"].startswith("text/html")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Not found")
    expect(page.get_by_role("link", name="Back to the claims board")).to_be_visible()
    api = page.request.get("/api/v1/no-such-endpoint")
    assert api.status == 404 and api.headers["content-type"].startswith("application/problem+json")
    assert api.json()["status"] == 404


def test_a_server_failure_is_an_html_page_under_slash_and_problem_json_under_the_api(database_url: str) -> None:
    """A handler that fails unexpectedly (as a bug would): the page says so in HTML, with no traceback."""
    from app.main import create_app

    app = create_app()

    def broken() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/broken-page", broken)
    app.add_api_route("/api/v1/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        html = client.get("/broken-page")
        assert html.status_code == 500 and html.headers["content-type"].startswith("text/html")
        assert "Something went wrong" in html.text and "secret internals" not in html.text
        api = client.get("/api/v1/broken")
        assert api.status_code == 500 and api.headers["content-type"] == "application/problem+json"
        assert api.json()["title"] == "Something went wrong" and "secret internals" not in api.text
