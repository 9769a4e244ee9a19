"""In the browser: evidence shows on its source's card; "Read the source" pre-selects the claim; the claim picker
finds any claim by words or number; a quote that occurs several times is placed by picking the occurrence."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from app.review.models import Evidence
from app.sources.models import Source
from tests.web.conftest import LiveServer, OpenAs
from tests.web.test_web_review import select_text
from tests.web.test_web_workflows import S003, TROOPS, card, new_claim

pytestmark = pytest.mark.browser
S002 = "002_01998bc28edd2229.txt"
S002_PASSAGE = "scheduled to meet with US President Donald Trump"


def test_read_the_source_preselects_the_claim_and_the_evidence_shows_on_the_card(
    as_user: OpenAs, live_server: LiveServer
) -> None:
    claim_id, _marker = new_claim(live_server, S003, TROOPS, "Troops may leave Europe soon")
    s002 = live_server.source_ids[S002]
    page = as_user("rita", f"/claims/{claim_id}")
    card(page, s002).get_by_role("link", name="Read the source").click()
    expect(page).to_have_url(re.compile(rf"/sources/{s002}\?claim={claim_id}$"))
    select_text(page, S002_PASSAGE)
    expect(page.locator("#selection-panel")).to_be_visible()
    expect(page.locator("#evidence-claim")).to_have_value(str(claim_id))
    page.get_by_label("Note").fill("Sets the date of the meeting.")
    page.get_by_role("button", name=re.compile("Attach evidence")).click()
    expect(page.locator(".flash.success")).to_contain_text("Evidence added")
    on_card = page.get_by_test_id(f"card-evidence-{s002}")
    expect(on_card).to_contain_text(S002_PASSAGE)
    expect(on_card).to_contain_text("rita")
    # It sits beside the card's stance, at the top of the card.
    decision_box = card(page, s002).locator("header").bounding_box()
    evidence_box = on_card.bounding_box()
    assert decision_box and evidence_box and evidence_box["y"] - (decision_box["y"] + decision_box["height"]) < 40


def test_the_claim_picker_finds_any_claim_by_words_or_number(as_user: OpenAs, live_server: LiveServer) -> None:
    claim_id, marker = new_claim(live_server, S003, TROOPS, "US troops might be withdrawn")
    s002 = live_server.source_ids[S002]
    page = as_user("rob", f"/sources/{s002}")
    select_text(page, S002_PASSAGE)
    picker = page.get_by_label("Or find any claim")
    picker.fill(marker)
    page.locator("#evidence-claim-results").get_by_role("button", name=re.compile(f"^#{claim_id} ")).click()
    expect(page.locator("#evidence-claim")).to_have_value(str(claim_id))
    expect(picker).to_have_value("")
    picker.fill(f"#{live_server.billion_claim_id}")
    first = page.locator("#evidence-claim-results button").first
    expect(first).to_have_text(re.compile(rf"^#{live_server.billion_claim_id} .*500 billion"))
    first.click()
    expect(page.locator("#evidence-claim")).to_have_value(str(live_server.billion_claim_id))


def test_a_quote_found_several_times_is_placed_by_picking_its_occurrence(
    as_user: OpenAs, live_server: LiveServer
) -> None:
    claim_id, _marker = new_claim(live_server, S003, TROOPS, "Troops might be pulled back")
    s003 = live_server.source_ids[S003]
    with live_server.session() as session:
        text = session.get_one(Source, s003).text
    quote = "Zelensky"
    places = [m.start() for m in re.finditer(quote, text)]
    assert len(places) > 2
    page = as_user("rita", f"/claims/{claim_id}#add-evidence")
    page.locator("#evidence-source").select_option(str(s003))
    page.locator("#evidence-quote").fill(quote)
    page.get_by_role("button", name="Add evidence").click()
    choices = page.locator("#evidence-occurrences")
    expect(choices).to_contain_text(f"This quote occurs {len(places)} times in S{s003}")
    expect(page.locator("#evidence-quote")).to_have_value(quote)
    choices.get_by_role("radio", name=re.compile(r"^Occurrence 2 ")).check()
    page.get_by_role("button", name="Add evidence").click()
    expect(page.locator(".flash.success")).to_contain_text("Evidence added")
    with live_server.session() as session:
        item = session.exec(select(Evidence).where(Evidence.claim_id == claim_id)).one()
    assert (item.start, item.end, item.quote) == (places[1], places[1] + len(quote), quote)

    # Or the words around it narrow it down to one.
    suffix = text[places[2] + len(quote) : places[2] + len(quote) + 20]
    page.goto(f"/claims/{claim_id}")
    page.locator("#add-evidence > summary").click()
    page.locator("#evidence-source").select_option(str(s003))
    page.locator("#evidence-quote").fill(quote)
    page.get_by_role("button", name="Add evidence").click()
    expect(choices).to_be_visible()
    page.get_by_label("Text just after the quote").fill(suffix)
    page.get_by_role("button", name="Add evidence").click()
    expect(page.locator(".flash.success")).to_contain_text("Evidence added")
    with live_server.session() as session:
        starts = sorted(e.start or 0 for e in session.exec(select(Evidence).where(Evidence.claim_id == claim_id)))
    assert starts == [places[1], places[2]]
