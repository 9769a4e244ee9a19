"""HTTP endpoints for suggested matches: list a claim's open ones; accept, reject or undo with one call."""

from fastapi import APIRouter

from app.api.deps import EditorDep, ReaderDep, SessionDep
from app.api.openapi import problem_responses
from app.claims.models import ClaimMatchSuggestion
from app.claims.schemas import MatchSuggestionPublic
from app.claims.service import get_claim
from app.review import match_suggestions

router = APIRouter(tags=["claims"])
DECIDE_ERRORS = problem_responses(
    401, 403, 404, 409, 422, notes={404: "Unknown suggested match", 409: "Already decided (undo first), or not decided"}
)


def _public(row: ClaimMatchSuggestion, other_text: str | None = None) -> MatchSuggestionPublic:
    return MatchSuggestionPublic.model_validate({**row.model_dump(), "other_text": other_text})


@router.get(
    "/claims/{claim_id}/match-suggestions",
    response_model=list[MatchSuggestionPublic],
    responses=problem_responses(401, 404, 422, notes={404: "Unknown claim"}),
)
def list_match_suggestions(claim_id: int, session: SessionDep, _reader: ReaderDep) -> list[MatchSuggestionPublic]:
    """The claim's open suggested matches, best first, each with the other claim's wording."""
    get_claim(session, claim_id)
    return [_public(row, other.text) for row, other in match_suggestions.open_suggestions(session, claim_id)]


@router.post("/match-suggestions/{suggestion_id}/accept", response_model=MatchSuggestionPublic, responses=DECIDE_ERRORS)
def accept_match(suggestion_id: int, session: SessionDep, actor: EditorDep) -> MatchSuggestionPublic:
    """Accept (editor): the newer claim is merged into the older one; audited, and undone by `undo`."""
    return _public(match_suggestions.decide_suggestion(session, actor, suggestion_id, "accept"))


@router.post("/match-suggestions/{suggestion_id}/reject", response_model=MatchSuggestionPublic, responses=DECIDE_ERRORS)
def reject_match(suggestion_id: int, session: SessionDep, actor: EditorDep) -> MatchSuggestionPublic:
    """Reject (editor): the two claims stay apart and extraction never suggests the pair again."""
    return _public(match_suggestions.decide_suggestion(session, actor, suggestion_id, "reject"))


@router.post("/match-suggestions/{suggestion_id}/undo", response_model=MatchSuggestionPublic, responses=DECIDE_ERRORS)
def undo_match(suggestion_id: int, session: SessionDep, actor: EditorDep) -> MatchSuggestionPublic:
    """Undo an accept (the merge is taken back) or a reject (the suggestion is open again)."""
    return _public(match_suggestions.undo_decision(session, actor, suggestion_id))
