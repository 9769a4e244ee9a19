"""Extraction quality measured with the shared scorer, on three gold sets.

- the shared development set of the five fixtures (issue 3's targets);
- our validation set of other claims in the same fixtures (`extra_claims.json`, labelled without
  looking at the extractor's output);
- a held-out set: five invented articles about an invented event and their gold claims
  (`heldout/`), written apart from the extractor: how it does on articles nobody tuned it on.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.extraction import embeddings
from app.extraction.run import extract_claims
from benchmarks.score_dev import FIXTURES, SHARED_EVAL, export, load_fixtures

HERE = Path(__file__).parent
DEV = (FIXTURES, SHARED_EVAL / "dev_claims.json")
VALIDATION = (FIXTURES, HERE / "extra_claims.json")
HELD_OUT = (HERE / "heldout", HERE / "heldout" / "gold.json")
pytestmark = pytest.mark.skipif(
    not (SHARED_EVAL / "score.py").exists(), reason="shared/eval (and its scorer) is not beside the repository"
)

# Regression floors a little under the figures measured when this was last changed; docs/extraction.md
# keeps the targets beside them (recall >= 0.95, pair F1 >= 0.85, stance >= 0.90 on the dev set).
#          gold set,   model, recall, pair F1, stance, contradictions found
FLOORS = [
    ("dev", DEV, True, 0.95, 0.85, 0.95, 1),  # measured 1.00, 0.86, 0.96, 1/1
    ("dev", DEV, False, 0.95, 0.50, 0.80, 1),  # measured 1.00, 0.52, 0.83, 1/1
    ("validation", VALIDATION, True, 0.95, 0.45, 0.90, 0),  # measured 0.97, 0.49, 0.91, 0/1
    ("validation", VALIDATION, False, 0.90, 0.35, 0.80, 0),  # measured 0.91, 0.40, 0.85, 0/1
    ("held-out", HELD_OUT, True, 0.90, 0.90, 0.90, 4),  # measured 0.94, 0.94, 0.92, 4/5
    ("held-out", HELD_OUT, False, 0.85, 0.85, 0.85, 3),  # measured 0.86, 0.88, 0.86, 3/5
]


def _score(tmp_path: Path, folder: Path, gold: Path, use_embeddings: bool) -> dict[str, float]:
    documents, sources = load_fixtures(folder)
    claims = extract_claims(documents, use_embeddings=use_embeddings)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export(claims, sources)))
    command = [sys.executable, str(SHARED_EVAL / "score.py"), str(gold), str(path)]
    summary = subprocess.run(command, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    numbers = re.search(
        r"mention recall ([\d.]+).*F1 ([\d.]+).*stance accuracy ([\d.]+).*contradictions (\d+)/(\d+)", summary
    )
    assert numbers, summary
    recall, f1, stance, found, _wanted = numbers.groups()
    return {"recall": float(recall), "f1": float(f1), "stance": float(stance), "contradictions": int(found)}


def _case(name: str, use_model: bool) -> str:
    return f"{name}-{'model' if use_model else 'words'}"


@pytest.mark.parametrize(
    ("sets", "use_model", "recall", "f1", "stance", "contradictions"),
    [
        pytest.param(
            sets,
            use_model,
            *floors,
            id=_case(name, use_model),
            marks=[pytest.mark.slow, pytest.mark.skipif(not embeddings.available(), reason="no embedding model")]
            if use_model
            else [],
        )
        for name, sets, use_model, *floors in FLOORS
    ],
)
def test_quality_stays_above_its_floor(
    tmp_path: Path,
    sets: tuple[Path, Path],
    use_model: bool,
    recall: float,
    f1: float,
    stance: float,
    contradictions: int,
) -> None:
    figures = _score(tmp_path, *sets, use_embeddings=use_model)
    floors = {"recall": recall, "f1": f1, "stance": stance, "contradictions": contradictions}
    for name, floor in floors.items():
        assert figures[name] >= floor, (name, figures)
