"""The hand-written validation gold sets under validation_full/ are well formed for score_full.py.

Each set is a folder of invented articles (file stems are the source ids) and a gold.json listing every
check-worthy claim with its exact passages and each source's stance (see validation_full/README.md).
"""

import importlib.util
import json
import re
from pathlib import Path

import pytest

SETS_DIR = Path(__file__).parent / "validation_full"
SHARED_SCORER = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "score_full.py"
SET_DIRS = sorted(p.parent for p in SETS_DIR.glob("*/gold.json"))
STANCES = {"corroborates", "contradicts"}
KINDS = {"figure", "date", "event", "statement", "position"}


def _collapsed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _load(set_dir: Path) -> tuple[dict, dict[str, str]]:
    gold = json.loads((set_dir / "gold.json").read_text(encoding="utf-8"))
    articles = {p.stem: _collapsed(p.read_text(encoding="utf-8")) for p in set_dir.glob("*.txt")}
    return gold, articles


def test_each_set_has_four_or_five_articles():
    assert len(SET_DIRS) >= 1
    for set_dir in SET_DIRS:
        assert 4 <= len(list(set_dir.glob("*.txt"))) <= 5, set_dir.name


@pytest.mark.parametrize("set_dir", SET_DIRS, ids=lambda p: p.name)
def test_gold_covers_exactly_the_articles_of_its_folder(set_dir: Path):
    gold, articles = _load(set_dir)
    assert gold["exhaustive"] is True
    assert sorted(gold["sources"]) == sorted(articles)


@pytest.mark.parametrize("set_dir", SET_DIRS, ids=lambda p: p.name)
def test_every_quote_occurs_verbatim_in_its_article(set_dir: Path):
    gold, articles = _load(set_dir)
    missing = [
        (claim["id"], mention["source"], mention["quote"])
        for claim in gold["claims"]
        for mention in claim["mentions"]
        if _collapsed(mention["quote"]) not in articles.get(mention["source"], "")
    ]
    assert missing == []


@pytest.mark.parametrize("set_dir", SET_DIRS, ids=lambda p: p.name)
def test_claim_ids_are_unique_and_claims_complete(set_dir: Path):
    gold, _ = _load(set_dir)
    ids = [claim["id"] for claim in gold["claims"]]
    assert len(ids) == len(set(ids))
    for claim in gold["claims"]:
        assert claim["text"].strip() and claim["kind"] in KINDS and claim["mentions"], claim["id"]


@pytest.mark.parametrize("set_dir", SET_DIRS, ids=lambda p: p.name)
def test_every_mentioned_source_has_one_valid_stance(set_dir: Path):
    gold, _ = _load(set_dir)
    for claim in gold["claims"]:
        stances = {s["source"]: s["stance"] for s in claim["stances"]}
        assert len(stances) == len(claim["stances"]), f"{claim['id']}: two stances for one source"
        assert set(stances.values()) <= STANCES, claim["id"]
        mentioned = {m["source"] for m in claim["mentions"]}
        # A source that takes a stance states or denies the claim somewhere, so it has a passage too.
        assert set(stances) == mentioned, claim["id"]


@pytest.mark.parametrize("set_dir", SET_DIRS, ids=lambda p: p.name)
def test_each_set_plants_contradictions_and_cross_source_claims(set_dir: Path):
    gold, _ = _load(set_dir)
    contradicted = [c for c in gold["claims"] if any(s["stance"] == "contradicts" for s in c["stances"])]
    cross_source = [c for c in gold["claims"] if len({m["source"] for m in c["mentions"]}) > 1]
    assert 2 <= len(contradicted) <= 8
    assert len(cross_source) >= 10


def _export_reproducing(gold: dict) -> dict:
    """What the extractor would export if it found exactly the gold's claims, passages and stances."""
    source_ids = {stem: number for number, stem in enumerate(gold["sources"])}
    return {
        "sources": [{"id": number, "filename": f"{stem}.txt"} for stem, number in source_ids.items()],
        "claims": [
            {
                "id": row,
                "mentions": [{"source_id": source_ids[m["source"]], "quote": m["quote"]} for m in claim["mentions"]],
                "stances": [
                    {"source_id": source_ids[s["source"]], "stance": s["stance"], "origin": "suggested"}
                    for s in claim["stances"]
                ],
            }
            for row, claim in enumerate(gold["claims"])
        ],
    }


@pytest.mark.skipif(not SHARED_SCORER.exists(), reason="shared/eval (and its scorer) is not beside the repository")
@pytest.mark.parametrize("set_dir", SET_DIRS, ids=lambda p: p.name)
def test_reproducing_the_gold_scores_full_marks(set_dir: Path, capsys: pytest.CaptureFixture[str]):
    # Claims that share a sentence have overlapping quotes; they must still be told apart by the scorer,
    # or even a perfect extractor would lose stance points on them.
    spec = importlib.util.spec_from_file_location("score_full", SHARED_SCORER)
    assert spec and spec.loader
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold, _ = _load(set_dir)
    figures = scorer.score(gold, _export_reproducing(gold))
    capsys.readouterr()
    for name in ("row_precision", "mention_recall", "pair_precision", "pair_recall", "stance_macro_f1"):
        assert figures[name] == 1.0, name
