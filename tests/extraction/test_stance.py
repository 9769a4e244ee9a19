"""Stance as a frame comparison, on invented sentences: what contradicts, what does not, and the reason given."""

from app.extraction.analysis import add_entities, analyse_document, resolve_entities
from app.extraction.core import _mention, extract_claims, join_contradicting_passages
from app.extraction.stance import compare, is_denial, judge, polarity
from app.extraction.types import ClaimDraft, Document, SentenceInfo, StanceDraft, Stances


def _infos(*texts: str) -> list[SentenceInfo]:
    infos = [analyse_document(Document(number, text))[0] for number, text in enumerate(texts)]
    add_entities(infos)
    resolve_entities(infos)
    return infos


def test_an_agreement_denied_is_a_rejection_not_an_agreement():
    assert polarity("Veltro had not agreed to sell the terminal.") == -1
    assert polarity("The board never approved the loan.") == -1
    assert polarity("Veltro agreed to sell the terminal.") == 1
    assert polarity("The board has yet to approve the loan.") == -1
    assert is_denial("Veltro had not agreed to sell the terminal for $40 million.")
    assert not is_denial("Veltro agreed to sell the terminal for $40 million.")


def test_a_denied_agreement_contradicts_the_agreement_with_a_denial_reason():
    claim, denial = _infos(
        "Veltro agreed to sell its northern terminal to Norbridge for $40 million, the mayor said.",
        "Veltro had not agreed to sell its northern terminal to Norbridge for $40 million, its chairman said.",
    )
    verdict = compare(denial, claim)
    assert verdict is not None and verdict.stance == "contradicts"
    assert verdict.reason.startswith("denial: 'had not agreed'")


def test_a_grouped_denial_contradicts_even_when_it_names_the_actor_differently():
    # the city and its council are two names for one actor: grouping settled that they are the same claim
    claim, denial = _infos(
        "Norbridge agreed to hand over its harbour rights to Veltro.",
        "The town council had not agreed to give up harbour rights, officials said.",
    )
    assert compare(denial, claim) is None  # found by search alone, no shared name: not enough
    verdict = judge(denial, claim, 0.6)
    assert verdict.stance == "contradicts" and verdict.reason.startswith("denial:")


def test_a_negation_word_alone_is_not_a_contradiction():
    claim, other = _infos(
        "Mayor Alma Ruiz met Governor Tom Becker in Carlow to discuss the flood defences.",
        "Mayor Alma Ruiz did not comment on the flood defences in Carlow.",
    )
    assert compare(other, claim) is None


def test_the_same_denial_in_two_sources_corroborates():
    first, second = _infos(
        "Veltro had not agreed to sell its northern terminal to Norbridge, the mayor said.",
        "Veltro has not agreed to sell its northern terminal to Norbridge, according to the council.",
    )
    assert judge(second, first, 0.6).stance == "corroborates"


def test_another_figure_for_the_same_thing_contradicts_with_both_figures_in_the_reason():
    claim, other = _infos(
        "The Norbridge council approved a budget of $3.2 million for the Elm Street bridge.",
        "The Norbridge council approved a $4.5 million budget for the Elm Street bridge.",
    )
    verdict = compare(other, claim)
    assert verdict is not None and verdict.reason == "figure differs: $3.2 million vs $4.5 million"


def test_the_denial_becomes_a_contradicting_mention_not_a_corroboration():
    documents = [
        Document(0, "Veltro agreed to sell its northern terminal to Norbridge for $40 million, the mayor said."),
        Document(1, "Veltro agreed to sell the northern terminal to Norbridge for $40 million, the harbour said."),
        Document(2, "But Veltro had not agreed to sell its northern terminal to Norbridge for $40 million, it said."),
    ]
    claims = extract_claims(documents, use_embeddings=False)
    (claim,) = [c for c in claims if any(m.source_id == 2 for m in c.mentions)]
    assert {m.source_id for m in claim.mentions} == {0, 1, 2}
    assert "had not agreed" not in claim.text  # a denial is not the claim's canonical wording
    stances = {s.source_id: s for s in claim.stances}
    assert stances[0].stance == stances[1].stance == "corroborates"
    assert stances[2].stance == "contradicts" and stances[2].reason and stances[2].reason.startswith("denial:")


def test_a_vague_or_bounded_figure_agrees_with_a_value_inside_its_range():
    claim, vague, bounded, other = _infos(
        "The strike at Ostmark left 42 ships waiting off the coast, the Ostmark port office said.",
        "The strike at Ostmark left dozens of ships waiting off the coast, the Ostmark union said.",
        "The strike at Ostmark left more than 40 ships waiting off the coast, the Ostmark mayor said.",
        "The strike at Ostmark left 37 ships waiting off the coast, the Ostmark port office said.",
    )
    assert compare(vague, claim) is None
    assert compare(bounded, claim) is None
    verdict = compare(other, claim)
    assert verdict is not None and verdict.reason == "figure differs: 42 ships vs 37 ships"


def test_another_figure_for_the_same_thing_in_other_names_contradicts_when_closely_worded():
    # no name in common (two estimators), but the same stoppage, cost, unit and period: the same figure disputed
    claim, other = _infos(
        "The exporters estimated that the stoppage cost companies 12 million euros a day in storage fees.",
        "The port office estimated that the stoppage cost companies about 8 million euros a day in storage fees.",
    )
    verdict = compare(other, claim)
    assert verdict is not None and verdict.reason.startswith("figure differs")
    near = _infos(
        "The exporters estimated that the stoppage cost companies 12 million euros a day in storage fees.",
        "The port office estimated that the stoppage cost companies about 11 million euros a day in storage fees.",
    )
    assert compare(near[1], near[0]) is None  # "about 11" allows 12


def test_a_passage_found_to_contradict_a_claim_becomes_its_mention_and_its_own_row_goes():
    claim_info, other_info = _infos(
        "The exporters estimated that the stoppage cost companies 12 million euros a day in storage fees.",
        "The port office estimated that the stoppage cost companies about 8 million euros a day in storage fees.",
    )
    verdict = compare(other_info, claim_info)
    assert verdict is not None
    other_sentence = other_info.sentence
    contradiction = StanceDraft(
        1,
        "contradicts",
        verdict.confidence,
        other_sentence.start,
        other_sentence.end,
        other_sentence.text,
        verdict.reason,
    )
    claim = ClaimDraft(
        "a",
        claim_info.sentence.text,
        "figure",
        [_mention(claim_info)],
        Stances([0, 1], {0: StanceDraft(0, "corroborates", 0.95, 0, 10, "x"), 1: contradiction}),
    )
    alone = ClaimDraft(
        "b",
        other_sentence.text,
        "figure",
        [_mention(other_info)],
        Stances([0, 1], {1: StanceDraft(1, "corroborates", 0.95, 0, 10, "x")}),
    )
    absorbed = join_contradicting_passages([claim, alone], [claim_info, other_info])
    assert absorbed == {id(alone): claim}
    assert [(m.source_id, m.quote) for m in claim.mentions] == [(0, claim_info.sentence.text), (1, other_sentence.text)]
    assert claim.stances[1].stance == "contradicts"
