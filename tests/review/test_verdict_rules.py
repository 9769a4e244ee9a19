"""The verdict and status rules of review/verdicts.py, table by table, without HTTP or a database."""

import pytest

from app.review.models import Adjudication, Assessment
from app.review.verdicts import SourceDecision, status_for, verdict_for


def _decision(
    source_id: int, stances: tuple[str, ...] = (), adjudicated: str | None = None, mentions: int = 1
) -> SourceDecision:
    return SourceDecision(
        source_id=source_id,
        mentions=mentions,
        assessments=[Assessment(claim_id=1, source_id=source_id, user_id=n, stance=s) for n, s in enumerate(stances)],
        adjudication=Adjudication(claim_id=1, source_id=source_id, user_id=99, stance=adjudicated)
        if adjudicated
        else None,
    )


@pytest.mark.parametrize(
    ("corroborating", "contradicting", "supporting_sources", "verdict"),
    [
        (0, 0, 2, "unverified"),
        (1, 0, 2, "corroborated"),
        (3, 0, 3, "corroborated"),
        (1, 0, 1, "single_source"),  # only the claim's own article supports it
        (0, 1, 1, "contradicted"),
        (0, 2, 2, "contradicted"),
        (1, 1, 2, "disputed"),
        (4, 1, 1, "disputed"),
    ],
)
def test_verdict_from_the_counts_of_decided_sources(
    corroborating: int, contradicting: int, supporting_sources: int, verdict: str
) -> None:
    assert verdict_for(corroborating, contradicting, supporting_sources) == verdict


@pytest.mark.parametrize(
    ("stances", "adjudicated", "decision", "conflict"),
    [
        ((), None, None, False),  # nobody has looked
        (("corroborates",), None, "corroborates", False),  # one reviewer decides
        (("contradicts", "contradicts"), None, "contradicts", False),  # reviewers who agree decide
        (("corroborates", "contradicts"), None, None, True),  # disagreement: no decision, a conflict
        (("corroborates", "unclear"), None, None, True),  # unclear disagrees too
        (("corroborates", "contradicts"), "contradicts", "contradicts", False),  # the editor settles it
        ((), "not_addressed", "not_addressed", False),  # an adjudication alone decides
    ],
)
def test_a_source_decision(
    stances: tuple[str, ...], adjudicated: str | None, decision: str | None, conflict: bool
) -> None:
    source = _decision(1, stances, adjudicated)
    assert (source.decision, source.conflict) == (decision, conflict)


@pytest.mark.parametrize(
    ("sources", "status"),
    [
        ([], "open"),
        ([_decision(1)], "open"),  # mentioned, nobody reviewed
        ([_decision(1, ("corroborates",))], "settled"),
        ([_decision(1, ("corroborates",)), _decision(2)], "in_review"),  # a mentioning source still undecided
        ([_decision(1, ("corroborates",)), _decision(2, mentions=0)], "settled"),  # unmentioned sources may wait
        ([_decision(1, ("corroborates", "contradicts"))], "in_review"),  # a conflict keeps it in review
        ([_decision(1, ("corroborates",)), _decision(2, ("unclear", "contradicts"), mentions=0)], "in_review"),
        ([_decision(1, ("corroborates", "contradicts"), "corroborates")], "settled"),  # adjudicated conflict
    ],
)
def test_review_status(sources: list[SourceDecision], status: str) -> None:
    assert status_for({source.source_id: source for source in sources}) == status
