"""How well can any threshold, or any weighting, of the features we have tell one claim from two?

usage: python benchmarks/pair_ceiling.py

Issue 14 asks for cross-source pair F1 >= 0.75 on the dev gold. The grouping decides pairs of mentions;
this measures the ceiling of that decision with the features available offline, before any clustering:
every cross-source pair of candidate mentions (mentions scoring over the check-worthiness threshold) of
the five fixtures and of the three validation sets, labelled by the gold (same gold claim or not), with

- the pair score the grouping uses, the MiniLM cosine, the IDF word overlap;
- the same two on the *proposition core*: the clause under a speech or belief verb, parsed with spaCy's
  dependency parser, without its leading time and place phrases ("In an interview on Tuesday, X said
  that Y will sign" -> "Y will sign");
- mutual best match per source, the score above each mention's background (mean of its 5 best), same
  or different speaker, same main predicate, lengths.

It prints, per set, the best F1 any threshold on each feature reaches, then a logistic regression over
all of them trained on the dev pairs (scored on the validation sets) and trained on the validation pairs
(scored on dev). The F1 is of pairs, before clustering: what the grouping could reach at best with
that decision. The figures go in docs/extraction.md.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.extraction import core, embeddings  # noqa: E402
from app.extraction.entities import SPACY_MODEL  # noqa: E402
from app.extraction.grouping import Item, Similarity, content_tokens  # noqa: E402
from benchmarks.score_dev import FIXTURES, SHARED_EVAL, load_fixtures  # noqa: E402

VALIDATION = ROOT / "tests" / "extraction" / "validation_full"
SETS = {"dev": (FIXTURES, SHARED_EVAL / "fixtures_full.json")} | {
    name: (VALIDATION / name, VALIDATION / name / "gold.json")
    for name in ("port_strike", "syrup_recall", "mine_rescue")
}
SPEECH_OR_BELIEF = frozenset(
    str.split(
        "say state believe tell announce note add claim insist report think suggest indicate confirm warn declare "
        "stress mention reiterate argue explain emphasize emphasise write assert acknowledge admit reply respond "
        "conclude recall repeat hint predict promise vow pledge complain concede observe comment hope expect "
        "fear know ask urge"
    )
)
FEATURES = str.split(
    "score cosine words core_cosine core_words mutual_best above_background_a above_background_b "
    "same_speaker other_speaker same_predicate length_a length_b"
)


@dataclass
class PairSet:
    features: np.ndarray  # one row per cross-source pair, columns as FEATURES
    same_claim: np.ndarray


def _words(text: str) -> list[str]:
    text = text.replace("’", "'").replace("“", '"').replace("”", '"').lower()
    return re.findall(r"[a-z0-9$%]+", text)


def _coverage(gold_quote: str, quote: str) -> float:
    """The strict scorer's rule: a mention is a gold mention when it holds 70 % of its words."""
    wanted, have = Counter(_words(gold_quote)), Counter(_words(quote))
    total = sum(wanted.values())
    return sum(min(n, have[w]) for w, n in wanted.items()) / total if total else 0.0


def _gold_claims(info_text: str, source: str, gold: dict) -> set[str]:
    if len(_words(info_text)) > 80:
        return set()
    return {
        claim["id"]
        for claim in gold["claims"]
        for mention in claim["mentions"]
        if mention["source"] == source and _coverage(mention["quote"], info_text) >= 0.7
    }


def _candidate_items(folder: Path) -> tuple[list[Item], Similarity, dict[int, str]]:
    """The items and similarity the grouping sees, captured from a real extraction run."""
    captured: dict[str, object] = {}
    group_items = core.group_items

    def capture(items, similarity, *, use_vectors):  # type: ignore[no-untyped-def]
        captured["items"], captured["similarity"] = items, similarity
        return group_items(items, similarity, use_vectors=use_vectors)

    documents, sources = load_fixtures(folder)
    core.group_items = capture
    try:
        core.extract_claims(documents, use_embeddings=True)
    finally:
        core.group_items = group_items
    stems = {int(s["id"]): Path(str(s["filename"])).stem for s in sources}  # type: ignore[call-overload]
    return captured["items"], captured["similarity"], stems  # type: ignore[return-value]


def _proposition_core(nlp, text: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The clause a speech or belief verb reports, without its leading time and place phrases; its verb."""
    doc = nlp(text)
    node = next((t for t in doc if t.dep_ == "ROOT"), doc[0])
    for _ in range(3):
        complement = [c for c in node.children if c.dep_ in ("ccomp", "xcomp")]
        if node.lemma_.lower() not in SPEECH_OR_BELIEF or not complement:
            break
        node = complement[0]
    framing = {
        t.i
        for child in node.children
        if child.dep_ in ("prep", "advcl", "npadvmod", "advmod") and child.i < node.i
        for t in child.subtree
    }
    kept = [t.text for t in node.subtree if t.i not in framing and not t.is_punct]
    return (" ".join(kept) if len(kept) >= 3 else text), node.lemma_.lower()


def pair_set(name: str, nlp) -> PairSet:  # type: ignore[no-untyped-def]
    folder, gold_path = SETS[name]
    gold = json.loads(gold_path.read_text())
    items, similarity, stems = _candidate_items(folder)
    labels = [_gold_claims(i.info.sentence.text, stems[i.info.source_id], gold) for i in items]
    cores = [_proposition_core(nlp, i.info.sentence.text) for i in items]
    core_vectors = embeddings.embed([text for text, _ in cores])
    assert core_vectors is not None, "the embedding model is needed for this measurement"
    core_words = [frozenset(content_tokens(text)) for text, _ in cores]
    n = len(items)
    source = np.array([i.info.source_id for i in items])
    score = np.full((n, n), -9.0)
    for a in range(n):
        for b in range(a + 1, n):
            if source[a] != source[b]:
                score[a, b] = score[b, a] = similarity.score(items[a], items[b])
    rank = np.zeros((n, n), int)
    for a in range(n):
        for other in set(source):
            members = np.where(source == other)[0]
            for position, b in enumerate(sorted(members, key=lambda j: -score[a, j])):
                rank[a, b] = position
    background = [np.sort(score[a][score[a] > -9])[-5:].mean() if (score[a] > -9).any() else 0.0 for a in range(n)]
    rows, same = [], []
    for a in range(n):
        for b in range(a + 1, n):
            if source[a] == source[b]:
                continue
            left, right = items[a], items[b]
            speakers = (left.info.speaker, right.info.speaker)
            rows.append(
                [
                    score[a, b],
                    float(np.dot(left.vector, right.vector)),
                    similarity._overlap(left.tokens | left.entities, right.tokens | right.entities),
                    float(np.dot(core_vectors[a], core_vectors[b])),
                    similarity._overlap(core_words[a] | left.entities, core_words[b] | right.entities),
                    float(rank[a, b] == 0 and rank[b, a] == 0),
                    score[a, b] - background[a],
                    score[a, b] - background[b],
                    float(bool(speakers[0]) and speakers[0] == speakers[1]),
                    float(all(speakers) and speakers[0] != speakers[1]),
                    float(cores[a][1] == cores[b][1]),
                    float(len(left.tokens)),
                    float(len(right.tokens)),
                ]
            )
            same.append(bool(labels[a] & labels[b]))
    return PairSet(np.array(rows), np.array(same, float))


def best_f1(values: np.ndarray, same: np.ndarray) -> float:
    """The best F1 any threshold on `values` reaches."""
    order = np.argsort(-values)
    hits = np.cumsum(same[order])
    precision = hits / np.arange(1, len(same) + 1)
    recall = hits / max(1.0, same.sum())
    return float(np.max(2 * precision * recall / np.maximum(precision + recall, 1e-12)))


def logistic(features: np.ndarray, same: np.ndarray, steps: int = 3000, rate: float = 0.5):  # type: ignore[no-untyped-def]
    """A class-balanced, L2-regularised logistic regression by gradient descent; returns its scorer."""
    mean, spread = features.mean(0), features.std(0) + 1e-9
    z = (features - mean) / spread
    weights, bias = np.zeros(z.shape[1]), 0.0
    balance = np.where(same == 1, np.sqrt((len(same) - same.sum()) / max(1.0, same.sum())), 1.0)
    for _ in range(steps):
        error = (1 / (1 + np.exp(-(z @ weights + bias))) - same) * balance
        weights -= rate * (z.T @ error / len(same) + 1e-2 * weights)
        bias -= rate * error.mean()
    return lambda x: ((x - mean) / spread) @ weights + bias


def main() -> int:
    import spacy

    nlp = spacy.load(SPACY_MODEL, disable=["ner"])
    sets = {name: pair_set(name, nlp) for name in SETS}
    names = list(sets)
    print("cross-source pairs of candidate mentions (same claim / all):")
    for name in names:
        print(f"  {name:13} {int(sets[name].same_claim.sum()):4} / {len(sets[name].same_claim)}")
    print("\nbest pair F1 of any threshold, per feature:   " + "  ".join(f"{n[:11]:>11}" for n in names))
    for column, feature in enumerate(FEATURES):
        figures = (best_f1(sets[n].features[:, column], sets[n].same_claim) for n in names)
        print(f"  {feature:42}" + "  ".join(f"{f:11.2f}" for f in figures))
    on_dev = logistic(sets["dev"].features, sets["dev"].same_claim)
    print("\nlogistic regression over all features")
    print(
        "  trained on dev, best F1:                  "
        + "  ".join(f"{best_f1(on_dev(sets[n].features), sets[n].same_claim):11.2f}" for n in names)
    )
    validation = [n for n in names if n != "dev"]
    on_validation = logistic(
        np.vstack([sets[n].features for n in validation]), np.concatenate([sets[n].same_claim for n in validation])
    )
    dev = best_f1(on_validation(sets["dev"].features), sets["dev"].same_claim)
    print(f"  trained on the validation sets, on dev:   {dev:11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
