"""Suggested matches from the claim page or the board: accept (merge), reject, or undo, one click or key each."""

from typing import Literal

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from app.api.deps import SessionDep
from app.claims.models import ClaimMatchSuggestion
from app.errors import DomainError
from app.review import match_suggestions
from app.web.actions import Text, back_to_claim, refused
from app.web.board import BOARD_UNDO_KEY
from app.web.deps import PageEditor, WebRoute, safe_next
from app.web.security import CsrfDep
from app.web.templating import flash

router = APIRouter(route_class=WebRoute)
DONE = {
    "accept": "Merged: the two claims are one now (undo below).",
    "reject": "Kept apart: this pair will not be suggested again (undo below).",
    "undo": "Decision undone: the suggestion is open again.",
}


def _decide(
    session: SessionDep, actor: PageEditor, suggestion_id: int, decision: Literal["accept", "reject", "undo"]
) -> ClaimMatchSuggestion:
    if decision == "undo":
        return match_suggestions.undo_decision(session, actor, suggestion_id)
    return match_suggestions.decide_suggestion(session, actor, suggestion_id, decision)


@router.post("/claims/{claim_id}/matches/{suggestion_id}/{decision}")
def decide_match(
    request: Request,
    claim_id: int,
    suggestion_id: int,
    decision: Literal["accept", "reject", "undo"],
    session: SessionDep,
    actor: PageEditor,
    _csrf: CsrfDep,
) -> Response:
    try:
        row = _decide(session, actor, suggestion_id, decision)
    except DomainError as error:
        return refused(request, session, error, f"/claims/{claim_id}#matches", failed="Not done")
    # after an accept the claim asked about may be the merged-away one: show the claim that holds the work
    return back_to_claim(
        request, row.claim_id if decision == "accept" else claim_id, DONE[decision], "success", "#matches"
    )


@router.post("/board/matches/{suggestion_id}/{decision}")
def decide_match_on_board(
    request: Request,
    suggestion_id: int,
    decision: Literal["accept", "reject", "undo"],
    session: SessionDep,
    actor: PageEditor,
    _csrf: CsrfDep,
    next: Text = "/",
) -> Response:
    """The same decisions from a board row; back to the same board page, with an undo for this decision."""
    target = safe_next(next)
    try:
        row = _decide(session, actor, suggestion_id, decision)
    except DomainError as error:
        return refused(request, session, error, target, failed="Not done")
    pair = f"#{row.claim_id} and #{row.other_claim_id}"
    messages = {
        "accept": f"Merged {pair}: claim #{row.other_claim_id} is now part of #{row.claim_id}.",
        "reject": f"Kept {pair} apart: this pair will not be suggested again.",
        "undo": f"Decision on {pair} undone: the suggestion is open again.",
    }
    flash(request, messages[decision], "success")
    if decision == "undo":
        request.session.pop(BOARD_UNDO_KEY, None)
    else:
        request.session[BOARD_UNDO_KEY] = {"id": row.id, "status": row.status, "pair": pair}
    return RedirectResponse(target, status_code=303)
