"""Extraction quality on the five fixtures, measured with the shared scorer.

Two gold sets: the shared development set (issue 3's targets) and our own validation set
(`extra_claims.json`, labelled independently of the extractor), which shows how far tuning transfers.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.extraction import embeddings
from app.extraction.run import extract_claims
from benchmarks.score_dev import SHARED_EVAL, export, load_fixtures

GOLD = SHARED_EVAL / "dev_claims.json"
VALIDATION = Path(__file__).with_name("extra_claims.json")
pytestmark = pytest.mark.skipif(not GOLD.exists(), reason="shared/eval (and its scorer) is not beside the repository")


def _score(tmp_path: Path, use_embeddings: bool, gold: Path = GOLD) -> dict[str, float]:
    documents, sources = load_fixtures()
    claims = extract_claims(documents, use_embeddings=use_embeddings)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export(claims, sources)))
    command = [sys.executable, str(SHARED_EVAL / "score.py"), str(gold), str(path)]
    summary = subprocess.run(command, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    numbers = re.search(
        r"mention recall ([\d.]+).*F1 ([\d.]+).*stance accuracy ([\d.]+).*contradictions (\d+)/(\d+)", summary
    )
    assert numbers, summary
    recall, f1, stance, found, wanted = numbers.groups()
    return {"recall": float(recall), "f1": float(f1), "stance": float(stance),
            "contradictions": int(found), "wanted": int(wanted)}  # fmt: skip


# Regression floors: the figures measured when this was last changed, rounded down (docs/extraction.md
# keeps the targets beside them: recall >= 0.95, pair F1 >= 0.85, stance >= 0.90).
FLOORS_WITH_MODEL = {"recall": 0.95, "f1": 0.85, "stance": 0.95}  # measured 1.00, 0.86, 0.96
FLOORS_WITHOUT_MODEL = {"recall": 0.95, "f1": 0.75, "stance": 0.90}  # measured 1.00, 0.79, 0.92
# The validation set is harder (more paraphrase, sentences holding two claims): measured 0.91 / 0.53 / 0.91
# with the model and 0.91 / 0.58 / 0.85 without.
VALIDATION_FLOORS_WITH_MODEL = {"recall": 0.90, "f1": 0.50, "stance": 0.90}
VALIDATION_FLOORS_WITHOUT_MODEL = {"recall": 0.90, "f1": 0.55, "stance": 0.85}


@pytest.mark.slow
@pytest.mark.skipif(not embeddings.available(), reason="the embedding model is not installed")
def test_dev_set_figures_with_embeddings(tmp_path: Path) -> None:
    figures = _score(tmp_path, use_embeddings=True)
    for name, floor in FLOORS_WITH_MODEL.items():
        assert figures[name] >= floor, (name, figures)
    assert figures["contradictions"] == figures["wanted"] >= 1


def test_dev_set_without_the_model(tmp_path: Path) -> None:
    figures = _score(tmp_path, use_embeddings=False)
    for name, floor in FLOORS_WITHOUT_MODEL.items():
        assert figures[name] >= floor, (name, figures)
    assert figures["contradictions"] == figures["wanted"] >= 1


@pytest.mark.slow
@pytest.mark.skipif(not embeddings.available(), reason="the embedding model is not installed")
def test_validation_set_figures_with_embeddings(tmp_path: Path) -> None:
    figures = _score(tmp_path, use_embeddings=True, gold=VALIDATION)
    for name, floor in VALIDATION_FLOORS_WITH_MODEL.items():
        assert figures[name] >= floor, (name, figures)


def test_validation_set_without_the_model(tmp_path: Path) -> None:
    figures = _score(tmp_path, use_embeddings=False, gold=VALIDATION)
    for name, floor in VALIDATION_FLOORS_WITHOUT_MODEL.items():
        assert figures[name] >= floor, (name, figures)
