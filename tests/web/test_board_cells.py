"""The board's cells come from one cached macro per state: each state shows what the claim page would."""

from app.claims.models import StanceSuggestion
from app.review.models import Adjudication, Assessment
from app.review.verdicts import SourceDecision
from app.web.templating import board_cell


def _assessment(stance: str) -> Assessment:
    return Assessment(claim_id=1, source_id=2, user_id=3, stance=stance)


def test_every_state_of_a_cell() -> None:
    conflict = SourceDecision(
        2, assessments=[_assessment("not_addressed"), _assessment("contradicts"), _assessment("not_addressed")]
    )
    state, markup = board_cell(conflict)
    assert state == "conflict"
    assert "Conflict" in markup and '<span class="muted small">not addressed / contradicts</span>' in markup

    state, markup = board_cell(SourceDecision(2, assessments=[_assessment("corroborates")]))
    assert state == "reviewed"
    assert 'class="chip corroborates"' in markup and ">reviewed</span>" in markup

    adjudicated = SourceDecision(
        2,
        assessments=[_assessment("corroborates"), _assessment("contradicts")],
        adjudication=Adjudication(claim_id=1, source_id=2, user_id=3, stance="contradicts"),
    )
    state, markup = board_cell(adjudicated)
    assert state == "reviewed"
    assert 'class="chip contradicts"' in markup and ">adjudicated</span>" in markup

    suggested = SourceDecision(2, suggestion=StanceSuggestion(claim_id=1, source_id=2, stance="unclear"), mentions=1)
    state, markup = board_cell(suggested)
    assert state == "suggested"
    assert 'class="chip unclear suggested"' in markup and "(suggested)" in markup

    state, markup = board_cell(SourceDecision(2, mentions=2))
    assert state == "mentioned" and "Mentioned" in markup and "not assessed" in markup

    for nothing in (None, SourceDecision(2)):
        state, markup = board_cell(nothing)
        assert state == "none" and 'aria-label="Nothing yet"' in markup
