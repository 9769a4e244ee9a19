"""Do the extractor's confidences mean what they say? A reliability table against an exhaustive gold set.

usage: python benchmarks/stance_reliability.py [--sources DIR --gold FILE] [--no-embeddings]

Extracts the articles (the five fixtures and the dev gold by default) and, for each band of confidence
(>= 0.9, 0.7-0.9, 0.5-0.7, < 0.5), prints the share of stance suggestions (corroborates / contradicts)
that agree with the gold. A suggestion is judged on the cells the strict scorer judges: the row that holds
most of a gold claim's mentions, one cell per source; suggestions on rows that are no gold claim's row (not a
check-worthy claim, or a duplicate row) are counted apart. It also prints how often a suggested match
(two rows extraction was unsure were one claim) pairs two rows of one gold claim.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.extraction.core import extract_claims  # noqa: E402
from app.extraction.types import ClaimDraft  # noqa: E402
from benchmarks.score_dev import FIXTURES, SHARED_EVAL, load_fixtures  # noqa: E402

BANDS = ((0.9, 1.01, "≥ 0.9"), (0.7, 0.9, "0.7–0.9"), (0.5, 0.7, "0.5–0.7"), (0.0, 0.5, "< 0.5"))


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_full", SHARED_EVAL / "score_full.py")
    assert spec and spec.loader, "shared/eval/score_full.py is not beside the repository"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_of_rows(
    claims: list[ClaimDraft], gold: dict, stems: dict[int, str]
) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Per row (index into `claims`): the gold claims it is the scorer's row for, and all it has a mention of."""
    scorer = _scorer()
    votes: dict[str, Counter[int]] = defaultdict(Counter)
    touched: dict[int, set[str]] = defaultdict(set)
    for claim in gold["claims"]:
        for gold_mention in claim["mentions"]:
            for row, draft in enumerate(claims):
                if any(
                    stems.get(m.source_id) == gold_mention["source"]
                    and len(scorer.words(m.quote)) <= scorer.MAX_MENTION_WORDS
                    and scorer.coverage(gold_mention["quote"], m.quote) >= scorer.MIN_COVERAGE
                    for m in draft.mentions
                ):
                    votes[claim["id"]][row] += 1
                    touched[row].add(claim["id"])
    chosen: dict[int, set[str]] = defaultdict(set)
    for claim_id, counter in votes.items():
        chosen[counter.most_common(1)[0][0]].add(claim_id)
    return chosen, touched


def reliability(claims: list[ClaimDraft], gold: dict, stems: dict[int, str]) -> dict[str, object]:
    chosen, touched = gold_of_rows(claims, gold, stems)
    wanted = {(c["id"], s["source"]): s["stance"] for c in gold["claims"] for s in c["stances"]}
    bands: dict[str, dict[str, list[int]]] = {label: defaultdict(lambda: [0, 0]) for *_, label in BANDS}
    off_rows = Counter[str]()
    for row, draft in enumerate(claims):
        for stance in draft.stances:
            judged = stems.get(stance.source_id) in gold["sources"]
            if stance.stance not in ("corroborates", "contradicts") or not judged:
                continue
            label = next(label for low, high, label in BANDS if low <= stance.confidence < high)
            if row not in chosen:
                off_rows[label] += 1
                continue
            right = any(wanted.get((g, stems[stance.source_id]), "not_addressed") == stance.stance for g in chosen[row])
            cell = bands[label][stance.stance]
            cell[0] += right
            cell[1] += 1
    by_key = {draft.key: row for row, draft in enumerate(claims)}
    matches = [
        (row, by_key[m.other_key], m.score)
        for row, draft in enumerate(claims)
        for m in draft.suggested_matches
        if m.other_key in by_key
    ]
    right_matches = sum(1 for a, b, _ in matches if touched[a] & touched[b])
    return {"bands": bands, "off_rows": off_rows, "matches": (right_matches, len(matches))}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--gold", default=str(SHARED_EVAL / "fixtures_full.json"))
    parser.add_argument("--sources", default=str(FIXTURES), help="folder of .txt articles")
    args = parser.parse_args()
    documents, sources = load_fixtures(Path(args.sources))
    stems = {int(str(s["id"])): Path(str(s["filename"])).stem for s in sources}
    claims = extract_claims(documents, use_embeddings=not args.no_embeddings)
    result = reliability(claims, json.loads(Path(args.gold).read_text()), stems)
    print("| confidence | corroborates | contradicts | all | on rows that are no gold claim's row |")
    print("| --- | --- | --- | --- | --- |")
    bands = result["bands"]
    assert isinstance(bands, dict)
    off_rows = result["off_rows"]
    assert isinstance(off_rows, Counter)
    for *_, label in BANDS:
        cells = bands[label]
        parts = []
        for name in ("corroborates", "contradicts"):
            right, total = cells.get(name, [0, 0])
            parts.append(f"{right} / {total} = {right / total:.2f}" if total else "–")
        right = sum(c[0] for c in cells.values())
        total = sum(c[1] for c in cells.values())
        share = f"**{right / total:.2f}**" if total else "–"
        print(f"| {label} | {parts[0]} | {parts[1]} | {share} | {off_rows.get(label, 0)} |")
    right_matches, matches = result["matches"]  # type: ignore[misc]
    print(f"suggested matches between two new rows: {right_matches} of {matches} pair rows of one gold claim")
    return 0


if __name__ == "__main__":
    sys.exit(main())
