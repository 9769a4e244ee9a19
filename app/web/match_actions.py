"""Suggested matches from the claim page: accept (merge), reject, or undo, one click or key each."""

from typing import Literal

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.api.deps import SessionDep
from app.errors import DomainError
from app.review import match_suggestions
from app.web.claim_actions import back_to_claim, explain
from app.web.deps import PageEditor, WebRoute
from app.web.security import CsrfDep

router = APIRouter(route_class=WebRoute)
DONE = {"accept": "Merged: the two claims are one now (undo below).", "reject": "Kept apart: this pair will not be "
        "suggested again (undo below).", "undo": "Decision undone: the suggestion is open again."}


@router.post("/claims/{claim_id}/matches/{suggestion_id}/{decision}")
def decide_match(request: Request, claim_id: int, suggestion_id: int, decision: Literal["accept", "reject", "undo"],
                 session: SessionDep, actor: PageEditor, _csrf: CsrfDep) -> Response:
    try:
        if decision == "undo":
            row = match_suggestions.undo_decision(session, actor, suggestion_id)
        else:
            row = match_suggestions.decide_suggestion(session, actor, suggestion_id, decision)
    except DomainError as error:
        session.rollback()
        return back_to_claim(request, claim_id, f"Not done: {explain(error)}", "error", "#matches")
    # after an accept the claim asked about may be the merged-away one: show the claim that holds the work
    return back_to_claim(request, row.claim_id if decision == "accept" else claim_id, DONE[decision], "success",
                         "#matches")
