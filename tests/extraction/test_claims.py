"""The whole pipeline on hand-written articles: kinds, grouping, contradictions, offsets, determinism."""

import pytest

from app.extraction import embeddings
from app.extraction.core import extract_claims
from app.extraction.types import ClaimDraft, Document, ExistingClaim, StanceDraft, Stances
from tests.extraction.articles import ARTICLES, COUNCIL_REPORT, RADIO_NOTE, RIVAL_PAPER


def _claims() -> list[ClaimDraft]:
    return extract_claims(ARTICLES, use_embeddings=False)


def _claim_with(claims: list[ClaimDraft], words: str) -> ClaimDraft:
    matches = [c for c in claims if any(words in m.quote for m in c.mentions)]
    assert matches, f"no claim mentions {words!r}"
    return matches[0]


def _stance(claim: ClaimDraft, source_id: int) -> str:
    return next(s.stance for s in claim.stances if s.source_id == source_id)


def test_offsets_are_exact_for_mentions_and_evidence():
    texts = {d.source_id: d.text for d in ARTICLES}
    for claim in _claims():
        assert len(claim.stances) == len(ARTICLES)
        for mention in claim.mentions:
            assert texts[mention.source_id][mention.start : mention.end] == mention.quote
            assert 0.0 <= mention.score <= 1.0
        for stance in claim.stances:
            if stance.stance == "not_addressed":
                assert stance.quote is None
            else:
                assert stance.start is not None and stance.end is not None
                assert texts[stance.source_id][stance.start : stance.end] == stance.quote


def test_opinion_and_headings_are_not_claims():
    quotes = [m.quote for c in _claims() for m in c.mentions]
    assert not any("pleasant town" in q for q in quotes)
    assert not any(q in ("Norbridge council backs bridge plan", "What happens next?", "Anna Feld") for q in quotes)


def test_each_kind_of_claim():
    claims = _claims()
    assert _claim_with(claims, "$3.2 million").kind == "figure"
    assert _claim_with(claims, "We will not raise local taxes").kind == "quote"
    assert _claim_with(claims, "met Governor Tom Becker").kind == "event"
    assert _claim_with(claims, "Veltro agreed").kind in {"statement", "event"}


def test_mentions_are_grouped_across_sources():
    claims = _claims()
    budget = _claim_with(claims, "$3.2 million")
    assert {m.source_id for m in budget.mentions} == {0, 1}
    meeting = _claim_with(claims, "met Governor Tom Becker")
    assert {m.source_id for m in meeting.mentions} == {0, 1}  # "Ruis" is the same mayor
    assert not any("barley" in m.quote for m in budget.mentions)


@pytest.mark.slow
@pytest.mark.skipif(not embeddings.available(), reason="the embedding model is not installed")
def test_mentions_are_grouped_the_same_way_with_the_model():
    # with the model the pipeline keeps more borderline sentences as mentions (the radio's tax remark)
    claims = extract_claims(ARTICLES, use_embeddings=True)
    assert {m.source_id for m in _claim_with(claims, "$3.2 million").mentions} == {0, 1}
    assert {m.source_id for m in _claim_with(claims, "met Governor Tom Becker").mentions} == {0, 1}
    taxes = _claim_with(claims, "We will not raise local taxes")
    assert {m.source_id for m in taxes.mentions} == {0, 2} and taxes.kind == "quote"


def _one_side_contradicts(claim: ClaimDraft) -> bool:
    """Two sources disagree: whichever states the claim corroborates it, the other contradicts it."""
    stances = {_stance(claim, COUNCIL_REPORT.source_id), _stance(claim, RIVAL_PAPER.source_id)}
    return stances == {"corroborates", "contradicts"}


def test_different_number_contradicts():
    assert _one_side_contradicts(_claim_with(_claims(), "$3.2 million"))


def test_different_date_contradicts():
    assert _one_side_contradicts(_claim_with(_claims(), "met Governor Tom Becker"))


def test_rejection_contradicts_agreement():
    claim = _claim_with(_claims(), "Veltro agreed")
    assert _one_side_contradicts(claim)
    assert any(m.source_id == RIVAL_PAPER.source_id for m in claim.mentions)


def test_denial_contradicts():
    claim = _claim_with(_claims(), "Police arrested")
    assert _stance(claim, RADIO_NOTE.source_id) == "contradicts"


def test_same_negated_statement_corroborates():
    claim = _claim_with(_claims(), "We will not raise local taxes")
    assert _stance(claim, RADIO_NOTE.source_id) == "corroborates"


def test_unrelated_source_is_not_addressed():
    claim = _claim_with(_claims(), "Veltro agreed")
    stance = next(s for s in claim.stances if s.source_id == RADIO_NOTE.source_id)
    assert stance.stance == "not_addressed" and stance.quote is None


def test_same_input_gives_same_output():
    first, second = _claims(), _claims()
    assert [(c.key, c.text, c.kind) for c in first] == [(c.key, c.text, c.kind) for c in second]
    assert [[(m.source_id, m.start) for m in c.mentions] for c in first] == [
        [(m.source_id, m.start) for m in c.mentions] for c in second
    ]
    assert [[(s.source_id, s.stance, s.confidence) for s in c.stances] for c in first] == [
        [(s.source_id, s.stance, s.confidence) for s in c.stances] for c in second
    ]
    assert len({c.key for c in first}) == len(first)


def test_new_article_joins_existing_claims():
    earlier = extract_claims([COUNCIL_REPORT, RIVAL_PAPER], use_embeddings=False)
    stored = [ExistingClaim(claim_id=100 + n, text=c.text, mentions=c.mentions) for n, c in enumerate(earlier)]
    later = extract_claims([RADIO_NOTE], stored, use_embeddings=False)
    arrest = _claim_with(later, "denied")
    expected = next(s.claim_id for s in stored if any("Police arrested" in m.quote for m in s.mentions))
    assert arrest.existing_claim_id == expected
    assert all(m.source_id == RADIO_NOTE.source_id for m in arrest.mentions)


def test_progress_is_reported():
    calls: list[tuple[int, int]] = []
    extract_claims(ARTICLES, use_embeddings=False, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1][0] == calls[-1][1]
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_sources_sharing_nothing_with_a_claim_are_not_addressed_without_being_stored():
    # Many unrelated articles must not make every claim hold a scored stance for each of them.
    unrelated = [
        Document(100 + n, f"Gardeners in the valley planted {n + 3} rows of tulips on the northern terraces.")
        for n in range(30)
    ]
    claims = extract_claims([*ARTICLES, *unrelated], use_embeddings=False)
    claim = _claim_with(claims, "council")
    assert len(claim.stances) == len(ARTICLES) + len(unrelated)
    assert [s.source_id for s in claim.stances] == [d.source_id for d in [*ARTICLES, *unrelated]]
    assert all(_stance(claim, d.source_id) == "not_addressed" for d in unrelated)
    assert isinstance(claim.stances, Stances)
    addressed = {s.source_id for s in claim.stances.addressed()}
    assert addressed and addressed <= {d.source_id for d in ARTICLES}
    assert claim.stances[-1] == StanceDraft(129, "not_addressed", 1.0, None, None, None)


def test_stances_compare_equal_to_the_plain_list():
    found = StanceDraft(2, "corroborates", 0.9, 0, 4, "text")
    stances = Stances([1, 2, 3], {2: found})
    assert stances == [
        StanceDraft(1, "not_addressed", 1.0, None, None, None),
        found,
        StanceDraft(3, "not_addressed", 1.0, None, None, None),
    ]
    assert stances[1:] == [found, StanceDraft(3, "not_addressed", 1.0, None, None, None)]


def test_a_source_that_mentions_a_claim_gets_a_stance_with_evidence():
    claims = extract_claims(ARTICLES, use_embeddings=False)
    for claim in claims:
        by_source = {stance.source_id: stance for stance in claim.stances}
        for mention in claim.mentions:
            stance = by_source[mention.source_id]
            assert stance.stance in {"corroborates", "contradicts"} and stance.quote, (claim.text, stance)
