"""In the browser: j/k follow the board's filter and sort and cross page ends; so do the claim page's
previous/next (and its j/k)."""

import re

import pytest
from playwright.sync_api import Page, expect

from app.claims.service import list_claims
from tests.web.conftest import LiveServer, OpenAs

pytestmark = pytest.mark.browser
VIEW = "/?kind=statement&sort=-id&limit=25"


def current_claim(page: Page) -> int:
    row = page.locator("#board tbody tr.current")
    expect(row).to_have_count(1)
    return int(row.get_attribute("data-claim") or 0)


def statements_newest_first(live_server: LiveServer) -> list[int]:
    with live_server.session() as session:
        claims, _total, _next = list_claims(session, kind="statement", sort="-id", limit=500)
    return [c.id for c in claims if c.id is not None]


def test_j_and_k_follow_the_boards_order_across_page_ends(as_user: OpenAs, live_server: LiveServer) -> None:
    order = statements_newest_first(live_server)
    assert len(order) > 26
    page = as_user("rob", VIEW)
    for _ in range(25):
        page.keyboard.press("j")
    assert current_claim(page) == order[24]
    page.keyboard.press("j")  # past the last row: the next page, at its first row
    expect(page.locator("#page-position")).to_have_text(re.compile(r"^Page 2 · claims 26–"))
    assert current_claim(page) == order[25]
    expect(page.locator("#board tbody tr.current td.cell").first).to_be_focused()
    page.keyboard.press("j")
    assert current_claim(page) == order[26]
    page.keyboard.press("k")
    page.keyboard.press("k")  # before the first row: the previous page, at its last row
    expect(page.locator("#page-position")).to_have_text(re.compile(r"^Page 1 · claims 1–25"))
    assert current_claim(page) == order[24]


def test_the_claim_pages_previous_and_next_follow_the_board(as_user: OpenAs, live_server: LiveServer) -> None:
    order = statements_newest_first(live_server)
    page = as_user("rob", VIEW)
    for _ in range(25):
        page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/claims/{order[24]}$"))
    expect(page.get_by_test_id("nav-order")).to_have_text("in the board's order: newest first, filtered")
    expect(page.get_by_role("link", name=re.compile("Next"))).to_have_attribute("href", f"/claims/{order[25]}")
    expect(page.get_by_role("link", name=re.compile("Previous"))).to_have_attribute("href", f"/claims/{order[23]}")
    page.keyboard.press("j")  # the 26th claim is on the board's second page: the claim page goes there all the same
    expect(page).to_have_url(re.compile(rf"/claims/{order[25]}$"))
    page.keyboard.press("j")
    expect(page).to_have_url(re.compile(rf"/claims/{order[26]}$"))
    page.keyboard.press("k")
    expect(page).to_have_url(re.compile(rf"/claims/{order[25]}$"))
    # A different board view changes the walk: oldest first, no filter.
    page.goto("/")
    page.goto(f"/claims/{order[25]}")
    expect(page.get_by_test_id("nav-order")).to_have_text("in the board's order: oldest first")
    with live_server.session() as session:
        following, _total, _next = list_claims(
            session, limit=1, after={"sort": "id", "id": order[25], "value": order[25]}
        )
    expect(page.get_by_role("link", name=re.compile("Next"))).to_have_attribute("href", f"/claims/{following[0].id}")
