"""In the browser: the board, the claim page's decisions, evidence by selection and the passage link."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from app.auth.actor import Actor
from app.auth.models import User
from app.review.evidence import add_evidence
from app.review.models import Evidence
from app.sources.models import Source
from tests.web.conftest import LiveServer, OpenAs

pytestmark = pytest.mark.browser
S001, S002 = "001_82625007ee74e6f5.txt", "002_01998bc28edd2229.txt"


def board_row(page: Page, claim_id: int):
    return page.locator(f"#board tr[data-claim='{claim_id}']")


def test_board_shows_the_five_sources_and_the_claims(as_user: OpenAs, live_server: LiveServer) -> None:
    page = as_user("vera")
    headers = page.locator("#board thead th.src")
    expect(headers).to_have_count(5)
    for source_id in live_server.source_ids.values():
        expect(page.locator(f"#board thead th.src[data-source='{source_id}']")).to_be_visible()
    assert page.locator("#board tbody tr[data-claim]").count() == 50  # a full first page
    total = int(page.locator("#board-count").inner_text().split()[0])
    assert total > 50
    expect(page.get_by_role("link", name="Next page ›")).to_be_visible()
    expect(page.locator("#page-position")).to_have_text(f"Page 1 · claims 1–50 of {total}")
    first_page = page.locator("#board tbody tr[data-claim]").first.get_attribute("data-claim")
    page.get_by_role("link", name="Next page ›").click()
    expect(page.locator("#page-position")).to_have_text(re.compile(rf"^Page 2 · claims 51–\d+ of {total}$"))
    page.get_by_role("link", name="‹ Previous page").click()
    expect(page.locator("#page-position")).to_have_text(f"Page 1 · claims 1–50 of {total}")
    expect(page.locator("#board tbody tr[data-claim]").first).to_have_attribute("data-claim", first_page or "")
    # Extraction's suggestions are shown, and shown as suggestions.
    expect(page.locator("#board td.cell[data-state='suggested']").first).to_contain_text("suggested")

    page.locator("#board-search").fill("500 billion")
    page.get_by_role("button", name="Apply").click()
    expect(board_row(page, live_server.billion_claim_id)).to_be_visible()
    for text in page.locator("#board td.claim-text a").all_inner_texts():
        assert "500 billion" in text


def test_marking_corroborates_and_contradicts_makes_the_claim_disputed(
    as_user: OpenAs, live_server: LiveServer
) -> None:
    claim_id = live_server.billion_claim_id
    first, second = live_server.source_ids[S001], live_server.source_ids[S002]
    page = as_user("rita", f"/claims/{claim_id}")
    expect(page.locator("#claim-text")).to_have_text(re.compile("500 billion"))
    card = page.locator(f"#source-{first}")
    expect(card.locator("blockquote.passage mark")).to_have_text(
        "agreed to transfer rare earth minerals worth $500 billion"
    )
    card.get_by_label(f"Note for S{first}").fill("Reports Trump's statement of the deal.")
    card.get_by_role("button", name=re.compile("Corroborates")).click()
    expect(page.locator(".flash.success")).to_contain_text("corroborates recorded")
    # Only the article it was taken from supports it so far: single-source, not corroborated.
    expect(page.locator(".claim-meta [data-verdict]")).to_have_text(re.compile("Single source"))

    other = page.locator(f"#source-{second}")
    other.get_by_role("button", name=re.compile("Contradicts")).click()
    expect(page.locator(".claim-meta [data-verdict]")).to_have_text(re.compile("Disputed"))
    expect(page.locator(f"#source-{second} [data-testid='decision-{second}']")).to_contain_text("Contradicts")
    expect(page.locator(".history")).to_contain_text("verdict single_source → disputed")

    page.goto("/?q=500+billion")
    row = board_row(page, claim_id)
    expect(row.locator(f"td.cell[data-source='{first}']")).to_have_attribute("data-state", "reviewed")
    expect(row.locator(f"td.cell[data-source='{first}']")).to_contain_text("Corroborates")
    expect(row.locator(f"td.cell[data-source='{second}']")).to_contain_text("Contradicts")
    expect(row.locator("td.verdict")).to_have_text(re.compile("Disputed"))


def select_text(page: Page, quote: str) -> None:
    """Select `quote` in the source reader as a mouse would, then let the page read the selection."""
    page.evaluate(
        """(quote) => {
        const article = document.getElementById('source-text');
        const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const at = node.data.indexOf(quote);
            if (at >= 0) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + quote.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                article.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                return;
            }
        }
        throw new Error('quote not found in one text node: ' + quote);
    }""",
        quote,
    )


def test_selecting_a_passage_attaches_it_as_evidence_with_exact_offsets(
    as_user: OpenAs, live_server: LiveServer
) -> None:
    source_id, claim_id = live_server.source_ids[S002], live_server.billion_claim_id
    quote = "a demand that Zelensky rejected"
    page = as_user("rob", f"/sources/{source_id}")
    select_text(page, quote)
    panel = page.locator("#selection-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("#selection-quote")).to_have_text(quote)
    page.get_by_label("Or find any claim").fill(str(claim_id))
    page.get_by_label("Note").fill("Zelensky rejected the demand.")
    page.get_by_role("button", name=re.compile("Attach evidence")).click()
    expect(page.locator(".flash.success")).to_contain_text("Evidence added")
    assert page.url.endswith(f"/claims/{claim_id}#evidence")

    with live_server.session() as session:
        evidence = session.exec(select(Evidence).where(Evidence.claim_id == claim_id, Evidence.quote == quote)).one()
        text = session.get_one(Source, source_id).text
    assert (evidence.source_id, evidence.start, evidence.end) == (
        source_id,
        text.index(quote),
        text.index(quote) + len(quote),
    )
    assert text[evidence.start : evidence.end] == quote
    assert evidence.note == "Zelensky rejected the demand."


def test_evidence_link_scrolls_to_and_highlights_the_passage(as_user: OpenAs, live_server: LiveServer) -> None:
    source_id, claim_id = live_server.source_ids[S001], live_server.billion_claim_id
    quote = "agreed to transfer rare earth minerals worth $500 billion"
    with live_server.session() as session:
        user = session.exec(select(User).where(User.name == "rita")).one()
        add_evidence(session, Actor(user.name, user.role, user.id), claim_id, source_id=source_id, quote=quote)
    page = as_user("rita", f"/claims/{claim_id}")
    link = page.locator(f".evidence-list a.evidence-link[href^='/sources/{source_id}#char=']").first
    link.click()
    assert re.search(rf"/sources/{source_id}#char=\d+,\d+$", page.url)
    target = page.locator("#source-text .target")
    expect(target.first).to_be_focused()
    assert "".join(target.all_text_contents()) == quote
    expect(target.first).to_be_in_viewport()
    # The passage sits far down the article: the page had to scroll to show it.
    assert page.evaluate("window.scrollY") > 200
