"""In the browser: at 800 px only the grid scrolls sideways (claim column sticky); with many sources the verdict
and status stay in view; on a narrow screen the selected passage stays in view; dragging from a highlighted
mention selects text instead of opening its claim."""

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from app.auth.actor import SYSTEM
from app.auth.service import create_user
from app.claims.service import create_claim
from app.db import make_engine
from app.migrate import upgrade
from app.sources.files import load_fixtures
from app.sources.service import ingest_text
from tests.live_server import live_server
from tests.web.conftest import PASSWORD, ROOT, LiveServer, OpenAs, sign_in
from tests.web.test_web_review import select_text

pytestmark = pytest.mark.browser
NARROW = {"width": 800, "height": 900}
S001 = "001_82625007ee74e6f5.txt"
LATE_PASSAGE = "in exchange for military assistance that Washington has already provided"


def no_sideways_page_scroll(page: Page) -> None:
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url} is {width} px wide in a {viewport} px window"


def test_at_800_px_only_the_grid_scrolls_sideways(as_user: OpenAs, live_server: LiveServer) -> None:
    page = as_user("eddie", "/")
    page.set_viewport_size(NARROW)
    for path in (
        "/",
        f"/claims/{live_server.billion_claim_id}",
        f"/sources/{live_server.source_ids[S001]}",
        "/sources",
    ):
        page.goto(path)
        no_sideways_page_scroll(page)
    page.goto("/")
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("box => box.scrollWidth > box.clientWidth")  # the grid is wider: it scrolls in its box
    first_claim = page.locator("#board tbody td.claim-text").first
    before = first_claim.bounding_box()
    wrap.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    after = first_claim.bounding_box()
    assert before and after and abs(after["x"] - before["x"]) <= 1  # the claim column stays put
    for column in ("td.verdict", "td.status"):
        expect(page.locator(f"#board tbody {column}").first).to_be_in_viewport()
    no_sideways_page_scroll(page)


@pytest.fixture(scope="module")
def many_sources(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A workspace of its own with eight sources (the five fixtures and three short notes) and one claim."""
    folder = tmp_path_factory.mktemp("wide")
    url = f"sqlite:///{folder / 'wide.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        report = load_fixtures(session, ROOT / "fixtures", SYSTEM)
        for number in range(3):
            ingest_text(session, f"Note {number}: the talks were described differently by each side.", SYSTEM)
        create_claim(
            session,
            SYSTEM,
            report.source_ids[1],
            quote="Donald Trump announced significant progress",
            text="Trump announced significant progress in the talks",
        )
        create_user(session, "wide", "viewer", PASSWORD, SYSTEM)
    engine.dispose()
    secret = {"CROSSCHECK_SECRET_KEY": secrets.token_urlsafe(32)}
    with live_server(url, Path(folder) / "server.log", extra_env=secret) as base:
        yield base


@pytest.mark.parametrize("width", [1400, 800])
def test_with_eight_sources_the_verdict_and_status_stay_in_view(
    browser: Browser, many_sources: str, width: int
) -> None:
    context = browser.new_context(base_url=many_sources, viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, "wide")
        expect(page.locator("#board thead th.src")).to_have_count(8)
        assert page.locator(".table-wrap").evaluate("box => box.scrollWidth > box.clientWidth")
        for column in ("th.verdict", "th.status", "td.verdict", "td.status", "td.claim-text"):
            expect(page.locator(f"#board {column}").first).to_be_in_viewport()
        no_sideways_page_scroll(page)
        page.screenshot(path=str(ROOT / "test-artifacts" / f"board-eight-sources-{width}.png"))
    finally:
        context.close()


def test_on_a_narrow_screen_the_selected_passage_stays_in_view(as_user: OpenAs, live_server: LiveServer) -> None:
    page = as_user("rita", f"/sources/{live_server.source_ids[S001]}")
    page.set_viewport_size(NARROW)
    page.get_by_text(LATE_PASSAGE).scroll_into_view_if_needed()
    select_text(page, LATE_PASSAGE)
    panel = page.locator("#selection-panel")
    expect(panel.locator("#selection-quote")).to_have_text(LATE_PASSAGE)
    expect(panel.get_by_role("button", name=re.compile("Attach evidence"))).to_be_in_viewport()
    no_sideways_page_scroll(page)


def test_a_drag_that_starts_on_a_mention_selects_text(as_user: OpenAs, live_server: LiveServer) -> None:
    source_path = f"/sources/{live_server.source_ids[S001]}"
    page = as_user("rita", source_path)
    mark = page.locator("#source-text mark.mention").first
    # The first line of the (possibly wrapped) highlight: press on it, drag along it, release.
    line = mark.evaluate(
        "m => { const r = m.getClientRects()[0]; return {x: r.x, y: r.y + r.height / 2, w: r.width}; }"
    )
    assert line["w"] > 150
    page.mouse.move(line["x"] + 5, line["y"])
    page.mouse.down()
    page.mouse.move(line["x"] + 140, line["y"], steps=8)
    page.mouse.up()
    panel = page.locator("#selection-panel")
    expect(panel).to_be_visible()
    assert len(panel.locator("#selection-quote").inner_text()) > 5
    assert page.url.endswith(source_path)
    # A still click on the mention opens its claim, selection or not.
    page.mouse.click(line["x"] + 5, line["y"])
    page.wait_for_url(re.compile(r"/claims/\d+$"))
