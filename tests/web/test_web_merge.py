"""In the browser: a merge is confirmed with both claims in view and can be undone; the history of both claims,
of a split claim and of status and verdict changes reads as what happened."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import LiveServer, OpenAs
from tests.web.test_web_workflows import PROGRESS, S001, S003, TROOPS, card, new_claim

pytestmark = pytest.mark.browser


def history(page: Page):
    return page.locator(".history")


def test_merge_is_confirmed_and_undone_with_both_histories_telling_it(as_user: OpenAs, live_server: LiveServer) -> None:
    target_id, _marker = new_claim(live_server, S001, PROGRESS, "Peace negotiations made progress")
    other_id, other_marker = new_claim(live_server, S003, TROOPS, "America may pull troops out of Europe")
    s003 = live_server.source_ids[S003]
    rita = as_user("rita", f"/claims/{other_id}")
    card(rita, s003).get_by_role("button", name=re.compile("^Corroborates")).click()
    expect(rita.locator(".flash.success")).to_contain_text("corroborates recorded")
    rita.locator("#add-evidence > summary").click()
    rita.locator("#evidence-source").select_option(str(s003))
    rita.locator("#evidence-quote").fill(TROOPS)
    rita.get_by_role("button", name="Add evidence").click()
    expect(rita.locator(".evidence-list")).to_contain_text(TROOPS)

    page = as_user("eddie", f"/claims/{target_id}")
    page.locator("#merge summary").click()
    page.get_by_label("Find the duplicate claim").fill(other_marker)
    page.locator("#merge-results").get_by_role("button", name=re.compile(f"^#{other_id} ")).click()
    expect(page.locator("#merge-choice")).to_contain_text(f"Chosen: #{other_id}")
    page.get_by_role("button", name=f"Merge #{other_id} into #{target_id}…").click()
    # Nothing is merged yet: the confirmation shows both claims side by side.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Merge claim #{other_id} into claim #{target_id}?")
    expect(page.get_by_test_id("merge-other")).to_contain_text("America may pull troops out of Europe")
    expect(page.get_by_test_id("merge-other")).to_contain_text("1 assessment · 1 evidence item")
    expect(page.get_by_test_id("merge-target")).to_contain_text("Peace negotiations made progress")
    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(re.compile(rf"/claims/{target_id}#merge$"))
    page.goto(f"/claims/{target_id}/merge?other_id={other_id}")
    page.get_by_role("button", name=f"Merge #{other_id} into #{target_id}").click()
    expect(page.locator(".flash.success")).to_contain_text(f"Claim #{other_id} merged into this claim")
    expect(card(page, s003).locator("blockquote.passage mark")).to_have_text(TROOPS)
    expect(history(page)).to_contain_text(f"merged #{other_id} into this claim")
    page.goto(f"/claims/{other_id}")
    expect(page).to_have_url(re.compile(rf"/claims/{target_id}$"))

    page.get_by_role("button", name=f"Undo the merge of #{other_id}").click()
    expect(page).to_have_url(re.compile(rf"/claims/{other_id}$"))
    expect(page.locator(".flash.success")).to_contain_text(f"Merge undone: claim #{other_id} is back")
    expect(card(page, s003).locator("blockquote.passage mark")).to_have_text(TROOPS)
    expect(card(page, s003).locator(".assessments")).to_contain_text("rita")
    expect(page.locator(".evidence-list")).to_contain_text(TROOPS)
    expect(history(page)).to_contain_text(f"merged into #{target_id}")
    expect(history(page)).to_contain_text(f"merge into #{target_id} undone")
    expect(history(page)).to_contain_text("status open → settled")
    page.goto(f"/claims/{target_id}")
    expect(card(page, s003).locator("blockquote.passage")).to_have_count(0)
    expect(history(page)).to_contain_text(f"undid the merge of #{other_id}")
    expect(page.locator("#merged-here")).to_have_count(0)


def test_a_split_claim_names_the_claim_it_came_from(as_user: OpenAs, live_server: LiveServer) -> None:
    claim_id, _marker = new_claim(live_server, S001, PROGRESS, "Progress in the peace talks")
    other_id, _other = new_claim(live_server, S003, TROOPS, "Troops may be withdrawn")
    editor = as_user("eddie", f"/claims/{claim_id}/merge?other_id={other_id}")
    editor.get_by_role("button", name=f"Merge #{other_id} into #{claim_id}").click()
    passage = card(editor, live_server.source_ids[S003])
    passage.get_by_text("Split this mention off into a new claim").click()
    passage.get_by_role("button", name="Split off").click()
    expect(editor.locator(".flash.success")).to_contain_text(f"Split off from claim #{claim_id}")
    expect(history(editor)).to_contain_text(f"split off from claim #{claim_id}")
    new_id = int(editor.locator("#claim").get_attribute("data-claim") or 0)
    editor.goto(f"/claims/{claim_id}")
    expect(history(editor)).to_contain_text(f"split a mention off into claim #{new_id}")


def test_verdict_and_status_changes_are_in_the_history(as_user: OpenAs, live_server: LiveServer) -> None:
    claim_id, _marker = new_claim(live_server, S003, TROOPS, "Troops could be pulled out")
    page = as_user("rob", f"/claims/{claim_id}")
    card(page, live_server.source_ids[S003]).get_by_role("button", name=re.compile("^Contradicts")).click()
    expect(page.locator(".flash.success")).to_contain_text("contradicts recorded")
    expect(history(page)).to_contain_text("verdict unverified → contradicted")
    expect(history(page)).to_contain_text("status open → settled")
    entries = history(page).locator("li")
    expect(entries.first).to_contain_text("rob")
