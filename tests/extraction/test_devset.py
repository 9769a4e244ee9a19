"""Extraction quality measured with the strict scorer (score_full.py) on four exhaustive gold sets.

- dev: the five fixtures and their exhaustive gold (`shared/eval/fixtures_full.json`), on which the
  thresholds were calibrated;
- validation: invented articles about two other events (`validation_full/port_strike/` and
  `validation_full/syrup_recall/`), labelled by annotators who never saw the extractor: how it does on
  articles nobody tuned it on; and `validation_full/mine_rescue/`, written after this round's tuning was
  over and only measured, never tuned on.

The floors sit a little under the figures measured when this was last changed; docs/extraction.md keeps
the issue's targets beside them.
"""

import json
import sys
from pathlib import Path

import pytest

from app.extraction import embeddings
from app.extraction.core import extract_claims
from benchmarks.score_dev import FIXTURES, SHARED_EVAL, export, load_fixtures

HERE = Path(__file__).parent
DEV = (FIXTURES, SHARED_EVAL / "fixtures_full.json")
PORT = (HERE / "validation_full" / "port_strike", HERE / "validation_full" / "port_strike" / "gold.json")
SYRUP = (HERE / "validation_full" / "syrup_recall", HERE / "validation_full" / "syrup_recall" / "gold.json")
MINE = (HERE / "validation_full" / "mine_rescue", HERE / "validation_full" / "mine_rescue" / "gold.json")
pytestmark = pytest.mark.skipif(
    not (SHARED_EVAL / "score_full.py").exists(), reason="shared/eval (and its scorer) is not beside the repository"
)

# fmt: off
#                       gold set, model, row precision, rows per claim (at most), mention recall, pair F1,
#                       stance macro-F1, contradiction recall, contradiction precision
FLOORS = [
    ("dev", DEV, True, 0.92, 1.38, 0.91, 0.24, 0.76, 0.6, 0.45),  # measured 0.94 1.34 0.93 0.27 0.79 2/3 0.50
    ("dev", DEV, False, 0.94, 1.40, 0.85, 0.20, 0.78, 0.6, 0.45),  # measured 0.96 1.37 0.87 0.23 0.81 2/3 0.50
    ("port", PORT, True, 0.94, 1.54, 0.86, 0.37, 0.72, 0.45, 0.6),  # measured 0.97 1.50 0.89 0.41 0.75 2/4 0.67
    ("port", PORT, False, 0.97, 1.57, 0.79, 0.32, 0.71, 0.45, 0.6),  # measured 1.00 1.53 0.82 0.36 0.74 2/4 0.67
    ("syrup", SYRUP, True, 0.94, 1.47, 0.74, 0.49, 0.59, 0.14, 0.5),  # measured 0.97 1.43 0.77 0.53 0.62 1/7 1.00
    ("syrup", SYRUP, False, 0.93, 1.43, 0.64, 0.51, 0.61, 0.14, 0.5),  # measured 0.96 1.39 0.67 0.55 0.64 1/7 1.00
    # mine_rescue was written after the extraction of this round was tuned, and only measured: a check, not a target
    ("mine", MINE, True, 0.95, 1.76, 0.76, 0.30, 0.56, 0.2, 0.2),  # measured 0.98 1.71 0.79 0.34 0.60 2/8 0.29
    ("mine", MINE, False, 0.95, 1.84, 0.72, 0.27, 0.55, 0.2, 0.2),  # measured 0.98 1.79 0.75 0.31 0.59 2/8 0.33
]
# fmt: on


def _score(folder: Path, gold: Path, use_embeddings: bool) -> dict[str, float]:
    sys.path.insert(0, str(SHARED_EVAL))
    try:
        import score_full  # the shared scorer, kept outside the repository with its gold sets
    finally:
        sys.path.remove(str(SHARED_EVAL))
    documents, sources = load_fixtures(folder)
    claims = extract_claims(documents, use_embeddings=use_embeddings)
    return score_full.score(json.loads(gold.read_text()), export(claims, sources))


@pytest.mark.parametrize(
    ("sets", "use_model", "floors"),
    [
        pytest.param(
            sets,
            use_model,
            floors,
            id=f"{name}-{'model' if use_model else 'words'}",
            marks=[pytest.mark.slow, pytest.mark.skipif(not embeddings.available(), reason="no embedding model")]
            if use_model
            else [],
        )
        for name, sets, use_model, *floors in FLOORS
    ],
)
def test_quality_stays_above_its_floor(sets: tuple[Path, Path], use_model: bool, floors: list[float]) -> None:
    figures = _score(*sets, use_embeddings=use_model)
    precision, rows_per_claim, recall, pair_f1, stance, contra_recall, contra_precision = floors
    assert figures["row_precision"] >= precision, figures
    assert figures["rows_per_claim"] <= rows_per_claim, figures
    assert figures["mention_recall"] >= recall, figures
    assert figures["pair_f1"] >= pair_f1, figures
    assert figures["stance_macro_f1"] >= stance, figures
    assert figures["contra_recall"] >= contra_recall, figures
    assert figures["contra_precision"] >= contra_precision, figures
