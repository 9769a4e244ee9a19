"""Issue 11's "done when", in the browser alone: from the imported fixtures to a published ClaimReview for the
claim about the $500 billion figure, by two reviewers and an editor, each in a browser profile of their own."""

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session, select

from app.auth.actor import SYSTEM
from app.auth.service import create_user
from app.db import make_engine
from app.extraction.store import run_extraction
from app.migrate import upgrade
from app.sources.files import load_fixtures
from app.sources.models import Source
from tests.exchange.claimreview_rules import claimreview_problems
from tests.live_server import live_server as live_server_process
from tests.web.conftest import ARTIFACTS, PASSWORD, ROOT, sign_in

pytestmark = pytest.mark.browser
PUBLIC = "https://desk.example.org"
# The fixtures' headers give no article URLs; metadata editing is a feature of its own, so the desk's data entry
# is stood in for here: each article gets an address of its own (never the outlet's home page).
ARTICLES = {
    "001_82625007ee74e6f5.txt": (
        "https://news.example.net/2025/02/minerals-transfer",
        "Example Wire",
        date(2025, 2, 3),
    ),
    "002_01998bc28edd2229.txt": ("https://daily.example.com/world/deal-signing", "Example Daily", date(2025, 2, 26)),
    "004_e20be87c51c2aa43.txt": (
        "https://wsws.org/en/articles/2025/02/14/zele-f14.html",
        "wsws.org",
        date(2025, 2, 14),
    ),
}
REJECTED = "a demand that Zelensky rejected"
AGREED = "agreed to transfer rare earth minerals worth $500 billion"
ESSENTIALLY = "they've essentially agreed to do that"


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh workspace: the fixtures imported and extracted, two reviewers and an editor; its server's URL."""
    folder = tmp_path_factory.mktemp("newsroom")
    database_url = f"sqlite:///{folder / 'desk.db'}"
    upgrade(database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        load_fixtures(session, ROOT / "fixtures", SYSTEM)
        run_extraction(session, use_embeddings=False)
        for name, role in (("rita", "reviewer"), ("rob", "reviewer"), ("eddie", "editor")):
            create_user(session, name, role, PASSWORD, SYSTEM)
        for source in session.exec(select(Source)).all():
            if source.filename in ARTICLES:
                source.url, source.outlet, source.published_at = ARTICLES[source.filename]
                session.add(source)
        session.commit()
    engine.dispose()
    environment = {
        "CROSSCHECK_SECRET_KEY": "newsroom-browser-test-secret-key-0123456789",
        "CROSSCHECK_PUBLIC_URL": PUBLIC,
        "CROSSCHECK_ORGANISATION_NAME": "Example Fact Desk",
        "CROSSCHECK_ORGANISATION_URL": "https://desk.example.org/about",
    }
    with live_server_process(database_url, folder / "server.log", extra_env=environment) as url:
        yield url


@pytest.fixture
def people(browser: Browser, desk: str) -> Iterator[dict[str, Page]]:
    contexts: list[BrowserContext] = []
    pages = {}
    for name in ("eddie", "rita", "rob"):
        context = browser.new_context(base_url=desk, viewport={"width": 1440, "height": 1000}, accept_downloads=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        pages[name] = context.new_page()
        sign_in(pages[name], name)
    yield pages
    ARTIFACTS.mkdir(exist_ok=True)
    for name, page in pages.items():
        page.screenshot(path=str(ARTIFACTS / f"newsroom-done-when-{name}.png"))
    for context in contexts:
        context.close()


def card(page: Page, source_id: int):
    return page.locator(f"#source-{source_id}")


def decide(page: Page, source_id: int, stance: str, quote: str | None = None) -> None:
    card(page, source_id).get_by_role("button", name=re.compile(f"^{stance}")).click()
    expect(page.locator(".flash.success")).to_contain_text(f"{stance.lower()} recorded")
    if quote:
        page.locator("#add-evidence summary").click()
        page.locator("#evidence-source").select_option(str(source_id))
        page.locator("#evidence-quote").fill(quote)
        page.get_by_role("button", name="Add evidence", exact=True).click()
        expect(page.locator(".flash.success")).to_be_visible()
        expect(page.locator("#evidence")).to_contain_text(quote)


def test_two_reviewers_and_an_editor_publish_the_500_billion_claimreview(
    people: dict[str, Page],
    desk: str,
    tmp_path: Path,
) -> None:
    eddie, rita, rob = people["eddie"], people["rita"], people["rob"]

    # The editor finds the extracted claim on the board and assigns it to both reviewers from the selection.
    eddie.goto("/?q=500+billion")
    row = eddie.locator("#board tbody tr[data-claim]").filter(has_text="$500 billion").first
    claim_id = int(row.get_attribute("data-claim") or 0)
    row.get_by_label(f"Select claim #{claim_id}").check()
    eddie.locator("#bulk-assignee").select_option(label=["rita (reviewer)", "rob (reviewer)"])
    eddie.get_by_role("button", name="Assign selected").click()
    expect(eddie.locator(".flash.success")).to_contain_text("2 new assignments for 1 claim")

    # Each reviewer sees it in their queue and a notification count in the header.
    for page in (rita, rob):
        page.goto("/queue")
        expect(page.get_by_test_id("unread-count")).to_contain_text("1")
        expect(page.locator(f"#queue tr[data-claim='{claim_id}']")).to_contain_text("assigned")
    ARTIFACTS.mkdir(exist_ok=True)
    rita.screenshot(path=str(ARTIFACTS / "newsroom-queue.png"))
    rita.locator(f"#queue tr[data-claim='{claim_id}'] a").click()
    expect(rita.locator(".history")).to_contain_text("assigned the claim to rita")
    sources = [
        int(s)
        for s in rita.locator("article.source-card").evaluate_all(
            "cards => cards.filter(c => c.querySelector('blockquote.passage mark')).map(c => c.dataset.source)"
        )
    ]
    one, two, four = sorted(sources)[:3]

    # The reviewers decide per source with evidence, and disagree about the second article.
    decide(rita, one, "Corroborates", AGREED)
    decide(rita, two, "Contradicts", REJECTED)
    decide(rita, four, "Corroborates", ESSENTIALLY)
    rob.goto(f"/claims/{claim_id}")
    decide(rob, one, "Corroborates")
    decide(rob, two, "Corroborates")
    decide(rob, four, "Corroborates")
    expect(rob.get_by_test_id(f"decision-{two}")).to_contain_text("Conflict")
    expect(rob.locator(".claim-meta [data-verdict]")).to_have_text(re.compile("Disputed"))  # the dispute stays

    # They discuss it in the thread; one @mention reaches the editor.
    rob.locator("#note-body").fill(
        "I read the second article as reporting **the demand**, not a refusal of "
        f"the deal. @eddie can you settle S{two}?"
    )
    rob.get_by_role("button", name="Post note").click()
    expect(rob.locator("#thread .note")).to_contain_text("can you settle")
    rita.goto(f"/claims/{claim_id}")
    rita.locator("#note-body").fill(
        "It says the $500 billion demand was *rejected*: that contradicts the claim. <script>alert('x')</script>"
    )
    rita.get_by_role("button", name="Post note").click()
    expect(rita.locator("#thread .note").nth(1).locator("em")).to_have_text("rejected")
    expect(rita.locator("#thread")).to_contain_text("<script>alert('x')</script>")  # shown as text, not run

    eddie.goto("/")
    expect(eddie.get_by_test_id("unread-count")).to_contain_text("1")
    eddie.locator("#notifications-link").click()
    expect(eddie.locator("#notifications li.unread")).to_contain_text("rob mentioned you on claim")
    eddie.locator("#notifications li.unread a").click()
    expect(eddie.locator("#thread .note")).to_have_count(2)
    expect(eddie.locator("#thread strong").filter(has_text="the demand")).to_be_visible()
    eddie.locator("#thread").scroll_into_view_if_needed()
    eddie.locator("#thread").screenshot(path=str(ARTIFACTS / "newsroom-thread.png"))

    # The editor adjudicates the disagreement, rates with a rationale, and publishes.
    adjudicate = card(eddie, two)
    adjudicate.get_by_label("Final decision").select_option("contradicts")
    adjudicate.get_by_label("Reason").fill("The article reports the demand as rejected.")
    adjudicate.get_by_role("button", name="Adjudicate").click()
    expect(eddie.get_by_test_id(f"decision-{two}")).to_contain_text("adjudicated")
    expect(eddie.locator(".claim-meta [data-verdict]")).to_have_text(re.compile("Disputed"))
    eddie.locator("#rating-value").select_option("mostly-false")
    eddie.locator("#rating-rationale").fill(
        "Only the US side says Ukraine agreed; the second report says the **$500 billion** demand was rejected, "
        "and the final text named no figure."
    )
    eddie.get_by_role("button", name="Save rating").click()
    expect(eddie.get_by_test_id("rating-state")).to_contain_text("Draft")
    eddie.get_by_role("button", name="Publish…").click()
    dialog = eddie.locator("#publish-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("mostly-false")
    dialog.screenshot(path=str(ARTIFACTS / "newsroom-publish-dialog.png"))
    eddie.screenshot(path=str(ARTIFACTS / "newsroom-publish-page.png"))
    dialog.get_by_role("button", name="Publish now").click()
    expect(eddie.locator(".flash.success")).to_contain_text("Published")
    expect(eddie.get_by_test_id("rating-state")).to_contain_text("Published")
    history = eddie.locator(".history")
    for line in (
        "assigned the claim to rob",
        "mentioned eddie",
        f"adjudicated S{two}: contradicts",
        "rated the claim “mostly-false”",
        "published the rating “mostly-false”",
    ):
        expect(history).to_contain_text(line)

    # The ClaimReview JSON-LD downloaded from the claim page validates.
    with eddie.expect_download() as download:
        eddie.locator("#export-claimreview").click()
    path = tmp_path / "claimreview.jsonld"
    download.value.save_as(path)
    text = path.read_text()
    assert not {"<", ">", "&"} & set(text)
    review = json.loads(text)
    assert claimreview_problems(review, public_url=PUBLIC) == []
    assert review["url"] == f"{PUBLIC}/claims/{claim_id}"
    assert "$500 billion" in review["claimReviewed"]
    assert review["reviewRating"]["alternateName"] == "mostly-false" and review["reviewRating"]["ratingValue"] == 2
    assert review["reviewBody"].startswith("Only the US side says Ukraine agreed")
    assert review["author"] == {
        "@type": "Organization",
        "name": "Example Fact Desk",
        "url": "https://desk.example.org/about",
    }
    assert sorted(
        (a["url"], a["publisher"]["name"], a["datePublished"]) for a in review["itemReviewed"]["appearance"]
    ) == sorted((url, outlet, day.isoformat()) for url, outlet, day in ARTICLES.values())

    # The board's export of the same filter carries it too; the reviewers' queues no longer hold the claim.
    eddie.goto("/?q=500+billion")
    with eddie.expect_download() as board_download:
        eddie.locator("#board-exports").get_by_role("link", name="ClaimReview JSON-LD").click()
    listed = json.loads(Path(board_download.value.path()).read_text())
    assert [r["url"] for r in listed] == [review["url"]]
    rita.goto("/queue")
    expect(rita.locator(f"#queue tr[data-claim='{claim_id}']")).to_have_count(0)
