"""The grouping's similarity rules, on hand-made sentences and vectors (no model needed)."""

import numpy as np
import pytest

from app.extraction.analysis import analyse_document
from app.extraction.grouping import (
    SEMANTIC_MATCH,
    SPECIFIC_PENALTY,
    WEIGHT_EMBEDDING,
    Item,
    Similarity,
    bigram_keys,
    make_item,
)
from app.extraction.types import Document

# Filler mentions make every word below common (used by more than SPECIFIC_DF mentions), never side by side.
_WORDS = ["council", "guarantees", "bridge", "rejected", "loan", "discussed", "approved", "plan"]
FILLER = [" and ".join(_WORDS[i:] + _WORDS[:i]).capitalize() + "." for i in range(0, 8, 2)] * 2


def _item(index: int, text: str, source_id: int, vector: np.ndarray | None = None) -> Item:
    (info,) = analyse_document(Document(source_id, text))
    return make_item(index, info, vector)


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_bigrams_keep_the_words_that_change_an_assertion():
    keys = bigram_keys("The council rejected a loan without guarantees.")
    assert "loan~without" in keys and "without~guarante" in keys
    assert not any("the" in key.split("~") for key in keys)


def test_a_rare_phrase_of_common_words_marks_the_same_claim():
    same = (
        "The council rejected the bridge loan without guarantees.",
        "Without guarantees the council rejected a loan.",
    )
    topic = ("The council rejected the bridge loan plan.", "The council approved guarantees for the bridge.")

    def score(pair: tuple[str, str]) -> tuple[float, Similarity, Item, Item]:
        items = [_item(i, text, 9) for i, text in enumerate(FILLER)]
        a, b = _item(len(items), pair[0], 1), _item(len(items) + 1, pair[1], 2)
        similarity = Similarity([*items, a, b])
        return similarity.score(a, b), similarity, a, b

    value, similarity, a, b = score(same)
    assert a.bigrams & b.bigrams and not similarity._specific(a.tokens & b.tokens, a.entities & b.entities)
    assert similarity._specific(a.tokens & b.tokens, a.entities & b.entities, a.bigrams & b.bigrams)
    topic_value, *_ = score(topic)
    assert value > topic_value


def test_a_close_paraphrase_by_embedding_is_not_penalised_as_a_topic_match():
    text_a, text_b = "The council approved the loan.", "The loan was approved by the council."
    items = [_item(i, text, 9) for i, text in enumerate(FILLER)]
    close = (_unit(1.0, 0.2, 0.0), _unit(1.0, 0.0, 0.2))  # cosine about 0.96
    far = (_unit(1.0, 0.0, 0.0), _unit(0.5, 1.0, 0.0))  # cosine about 0.45
    assert float(np.dot(*close)) >= SEMANTIC_MATCH > float(np.dot(*far))
    scores = []
    for vectors in (close, far):
        a, b = _item(100, text_a, 1, vectors[0]), _item(101, text_b, 2, vectors[1])
        similarity = Similarity([*items, a, b])
        scores.append(similarity.score(a, b) - WEIGHT_EMBEDDING * float(np.dot(*vectors)))  # the rest of the score
    assert scores[0] - scores[1] == pytest.approx(SPECIFIC_PENALTY)
