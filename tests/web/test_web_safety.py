"""In the browser: keyboard use, hostile source text shown as text, and stale edits refused."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from app.claims.models import Claim
from app.sources.models import Source
from tests.web.conftest import LiveServer, OpenAs

pytestmark = pytest.mark.browser
HOSTILE = (
    "Breaking <script>window.__owned = 1</script> news.\n\n"
    '<b>Bold</b> claim: the deal is worth <img src=x onerror="window.__owned = 2"> $1 trillion & more.'
)


def test_keyboard_shortcuts(as_user: OpenAs, live_server: LiveServer) -> None:
    page = as_user("rob")
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#shortcuts")).to_be_hidden()

    page.keyboard.press("/")
    expect(page.locator("#board-search")).to_be_focused()
    page.keyboard.type("500 billion")
    page.keyboard.press("Enter")
    expect(page.locator("#board-count")).to_contain_text("2 claims match")
    page.locator("body").click(position={"x": 5, "y": 300})

    page.keyboard.press("j")
    first_row = page.locator("#board tbody tr[data-claim]").first
    expect(first_row).to_have_class(re.compile("current"))
    page.keyboard.press("j")
    rows = page.locator("#board tbody tr[data-claim]")
    expect(rows.nth(1)).to_have_class(re.compile("current"))
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile("current"))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    focused = page.locator("#board td.cell:focus")
    source_id = focused.get_attribute("data-source")
    claim_id = rows.nth(0).get_attribute("data-claim")
    assert source_id and claim_id
    page.keyboard.press("3")  # not addressed, saved in place without leaving the board
    cell = page.locator(f"#board tr[data-claim='{claim_id}'] td.cell[data-source='{source_id}']")
    expect(cell).to_have_attribute("data-state", "reviewed")
    expect(cell).to_contain_text("Not addressed")
    expect(cell).to_be_focused()
    expect(page.locator(".flash.success")).to_contain_text("not addressed recorded")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/claims/{claim_id}$"))
    card = page.locator(f"#source-{source_id}")
    card.focus()
    page.keyboard.press("4")
    expect(page.locator(f"[data-testid='decision-{source_id}']")).to_contain_text("Unclear")
    page.keyboard.press("e")
    expect(page.locator("#evidence-quote")).to_be_focused()
    page.keyboard.press("Escape")
    next_link = page.locator("a[rel=next]")
    if next_link.count():
        target = next_link.get_attribute("href")
        page.keyboard.press("j")
        expect(page).to_have_url(re.compile(f"{target}$"))


def test_source_with_script_and_html_is_shown_as_text(as_user: OpenAs, live_server: LiveServer) -> None:
    page = as_user("eddie", "/sources")
    page.get_by_label("…or paste the article's text").fill(HOSTILE)
    page.get_by_label("Title").fill("<i>Hostile</i> title")
    page.get_by_role("button", name="Store source").click()
    expect(page.locator(".flash.success")).to_contain_text("Stored source")
    expect(page.locator("h1")).to_have_text("<i>Hostile</i> title")
    article = page.locator("#source-text")
    expect(article).to_contain_text("<script>window.__owned = 1</script>")
    expect(article).to_contain_text('<img src=x onerror="window.__owned = 2">')
    assert article.locator("script, img, b").count() == 0
    assert page.evaluate("window.__owned") is None
    with live_server.session() as session:
        stored = session.exec(select(Source).where(Source.title == "<i>Hostile</i> title")).one()
    # What the page shows is exactly the stored text, so offsets taken from it are right.
    assert article.text_content() == stored.text
    response = page.request.get(f"/sources/{stored.id}")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy

    page.goto("/sources")
    page.get_by_label("…or paste the article's text").fill("   ")
    page.get_by_label("Published").fill("yesterday")
    page.get_by_role("button", name="Store source").click()
    expect(page.locator("#ingest-errors")).to_contain_text("not a date like 2025-02-28")


def test_stale_edit_in_a_second_tab_shows_a_conflict(as_user: OpenAs, live_server: LiveServer) -> None:
    with live_server.session() as session:
        claim = session.exec(select(Claim).where(Claim.origin == "extracted").order_by(Claim.id)).first()
        assert claim is not None
        claim_id = claim.id
    first = as_user("eddie", f"/claims/{claim_id}")
    second = first.context.new_page()
    second.goto(f"/claims/{claim_id}")
    for tab in (first, second):
        tab.locator("#edit summary").click()

    first.get_by_label("Wording", exact=True).fill("Wording saved in the first tab.")
    first.get_by_role("button", name="Save wording").click()
    expect(first.locator("#claim-text")).to_have_text("Wording saved in the first tab.")

    second.get_by_label("Wording", exact=True).fill("Wording typed in the second tab.")
    second.get_by_role("button", name="Save wording").click()
    expect(second.locator("#conflict-message")).to_contain_text("someone changed this claim")
    expect(second.locator("#claim-text")).to_have_text("Wording saved in the first tab.")
    expect(second.get_by_label("Wording", exact=True)).to_have_value("Wording typed in the second tab.")
    with live_server.session() as session:
        assert session.get_one(Claim, claim_id).text == "Wording saved in the first tab."
