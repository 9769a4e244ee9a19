"""In the browser: a conflict adjudicated, an assessment withdrawn, and an evidence edit from a stale tab refused
(merging is in test_web_merge.py)."""

import re
import secrets

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from app.auth.actor import SYSTEM, Actor
from app.auth.models import User
from app.claims.models import Claim
from app.claims.service import create_claim
from app.review.evidence import add_evidence
from app.review.models import Evidence
from tests.web.conftest import LiveServer, OpenAs

pytestmark = pytest.mark.browser
S001, S003 = "001_82625007ee74e6f5.txt", "003_3fc9ac0f12467eed.txt"
PROGRESS = "Donald Trump announced significant progress in peace negotiations"
TROOPS = "the US might withdraw a considerable number of troops from Europe"


def new_claim(live_server: LiveServer, source: str, quote: str, words: str) -> tuple[int, str]:
    """A fresh claim from a passage, worded with a marker word no other claim has (to find it by search)."""
    marker = f"mk{secrets.token_hex(4)}"
    with live_server.session() as session:
        claim = create_claim(session, SYSTEM, live_server.source_ids[source], quote=quote, text=f"{words} {marker}")
        assert claim.id is not None
        return claim.id, marker


def card(page: Page, source_id: int):
    return page.locator(f"#source-{source_id}")


def test_editor_adjudicates_a_conflict_between_two_reviewers(as_user: OpenAs, live_server: LiveServer) -> None:
    claim_id, marker = new_claim(live_server, S001, PROGRESS, "Trump announced progress in peace talks")
    source_id = live_server.source_ids[S001]
    for name, stance in (("rita", "Corroborates"), ("rob", "Contradicts")):
        page = as_user(name, f"/claims/{claim_id}")
        card(page, source_id).get_by_role("button", name=re.compile(f"^{stance}")).click()
        expect(page.locator(".flash.success")).to_contain_text(f"{stance.lower()} recorded")

    board = as_user("rob", f"/?q={marker}")
    cell = board.locator(f"#board tr[data-claim='{claim_id}'] td.cell[data-source='{source_id}']")
    expect(cell).to_have_attribute("data-state", "conflict")
    expect(cell).to_contain_text("Conflict")
    expect(board.locator(f"#board tr[data-claim='{claim_id}'] td.status")).to_have_text("In review")
    board.goto(f"/?q={marker}&conflict=yes")
    expect(board.locator(f"#board tr[data-claim='{claim_id}']")).to_be_visible()

    editor = as_user("eddie", f"/claims/{claim_id}")
    expect(card(editor, source_id)).to_have_class(re.compile("conflicted"))
    editor.get_by_label("Final decision").select_option("corroborates")
    editor.get_by_label("Reason").fill("The article reports the announcement itself.")
    editor.get_by_role("button", name="Adjudicate").click()
    expect(editor.locator(".flash.success")).to_contain_text("adjudicated: corroborates")
    expect(editor.get_by_test_id(f"decision-{source_id}")).to_contain_text("Corroborates")
    expect(editor.get_by_test_id(f"decision-{source_id}")).to_contain_text("adjudicated")
    # Its own article is the only support: single-source, shown as such rather than corroborated.
    expect(editor.locator(".claim-meta [data-verdict]")).to_have_text(re.compile("Single source"))
    expect(editor.locator(".history")).to_contain_text(f"adjudicated S{source_id}: corroborates")

    board.goto(f"/?q={marker}")
    expect(cell).to_have_attribute("data-state", "reviewed")
    expect(cell).to_contain_text("adjudicated")
    expect(board.locator(f"#board tr[data-claim='{claim_id}'] td.verdict")).to_have_text(re.compile("Single source"))
    board.goto(f"/?q={marker}&conflict=yes")
    expect(board.locator("#board tbody")).to_contain_text("No claims match")
    with live_server.session() as session:
        claim = session.get_one(Claim, claim_id)
        assert (claim.verdict, claim.has_conflict, claim.corroborating) == ("single_source", False, 1)


def test_reviewer_withdraws_an_assessment(as_user: OpenAs, live_server: LiveServer) -> None:
    claim_id, _marker = new_claim(live_server, S003, TROOPS, "Troops could leave Europe")
    source_id = live_server.source_ids[S003]
    page = as_user("rita", f"/claims/{claim_id}")
    card(page, source_id).get_by_role("button", name=re.compile("^Contradicts")).click()
    expect(page.locator(".claim-meta [data-verdict]")).to_have_text(re.compile("Contradicted"))
    page.get_by_role("button", name=f"Withdraw my assessment of S{source_id}").click()
    expect(page.locator(".flash.success")).to_contain_text("your assessment was withdrawn")
    expect(page.locator(".claim-meta [data-verdict]")).to_have_text(re.compile("Unverified"))
    expect(page.get_by_test_id(f"decision-{source_id}")).not_to_contain_text("Contradicts")
    expect(page.get_by_role("button", name=f"Withdraw my assessment of S{source_id}")).to_have_count(0)
    expect(page.locator(".history")).to_contain_text(f"withdrew the assessment of S{source_id}")


def test_stale_evidence_edit_in_a_second_tab_shows_a_conflict(as_user: OpenAs, live_server: LiveServer) -> None:
    claim_id, _marker = new_claim(live_server, S003, TROOPS, "The US could cut its troops in Europe")
    with live_server.session() as session:
        rob = session.exec(select(User).where(User.name == "rob")).one()
        item = add_evidence(
            session,
            Actor(rob.name, rob.role, rob.id),
            claim_id,
            source_id=live_server.source_ids[S003],
            quote=TROOPS,
            note="Hegseth said so.",
        )
        evidence_id = item.id
    first = as_user("rob", f"/claims/{claim_id}")
    second = first.context.new_page()
    second.goto(f"/claims/{claim_id}")
    for tab, note in ((first, "Said at a closed meeting."), (second, "Typed in the second tab.")):
        tab.locator(f"#evidence-{evidence_id} summary").click()
        tab.locator(f"#evidence-{evidence_id}-note").fill(note)
        tab.locator(f"#evidence-{evidence_id}").get_by_role("button", name="Save evidence").click()

    expect(first.locator(".flash.success")).to_contain_text("Evidence item saved")
    expect(second.locator("#conflict-message")).to_contain_text("this evidence item was changed")
    item_in_second = second.locator(f"#evidence-{evidence_id}")
    expect(item_in_second.locator(".evidence-note")).to_have_text("Said at a closed meeting.")
    expect(second.locator(f"#evidence-{evidence_id}-note")).to_have_value("Typed in the second tab.")
    with live_server.session() as session:
        stored = session.get_one(Evidence, evidence_id)
        assert (stored.note, stored.version) == ("Said at a closed meeting.", 2)
