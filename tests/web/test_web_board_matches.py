"""In the browser: a suggested match decided on the board with one key (r rejects, a accepts) or one click on
Undo, without leaving the board."""

import secrets

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from app.auth.actor import SYSTEM
from app.claims.models import Claim, ClaimMatchSuggestion
from app.claims.service import create_claim
from app.review.match_suggestions import MatchCandidate, store_match_suggestions
from tests.web.conftest import LiveServer, OpenAs
from tests.web.test_web_workflows import PROGRESS, S001, S003, TROOPS

pytestmark = pytest.mark.browser


def test_keys_on_the_board_reject_undo_and_accept_a_suggested_match(as_user: OpenAs, live_server: LiveServer) -> None:
    marker = f"mk{secrets.token_hex(4)}"
    with live_server.session() as session:
        first = create_claim(
            session, SYSTEM, live_server.source_ids[S001], quote=PROGRESS, text=f"Peace talks made progress {marker}"
        )
        second = create_claim(
            session, SYSTEM, live_server.source_ids[S003], quote=TROOPS, text=f"Troops may leave Europe {marker}"
        )
        assert first.id is not None and second.id is not None
        first_id, second_id = first.id, second.id
        store_match_suggestions(session, [MatchCandidate(first_id, second_id, 0.41, "similar passages (0.41)")])
        session.commit()
        match_id = session.exec(select(ClaimMatchSuggestion).where(ClaimMatchSuggestion.claim_id == first_id)).one().id

    board = as_user("eddie", f"/?q={marker}")
    row = board.locator(f"#board tr[data-claim='{first_id}']")
    expect(row.locator(".board-match")).to_contain_text(f"#{second_id}")
    board.keyboard.press("j")  # focus the first row: the older claim, which holds the suggestion
    board.keyboard.press("r")
    expect(board.locator(".flash.success")).to_contain_text("will not be suggested again")
    expect(board.locator(".board-match")).to_have_count(0)
    with live_server.session() as session:
        assert session.get(ClaimMatchSuggestion, match_id).status == "rejected"

    board.get_by_role("button", name="Undo").click()
    expect(board.locator(".flash.success")).to_contain_text("undone")
    expect(row.locator(".board-match")).to_have_count(1)

    board.keyboard.press("j")
    board.keyboard.press("a")
    expect(board.locator(".flash.success")).to_contain_text(f"claim #{second_id} is now part of #{first_id}")
    expect(board.locator(f"#board tr[data-claim='{second_id}']")).to_have_count(0)
    with live_server.session() as session:
        assert session.get(Claim, second_id).merged_into_id == first_id
        assert session.get(ClaimMatchSuggestion, match_id).status == "accepted"
