"""Extract the five fixtures, write an export in the shape `crosscheck export` writes, and score it.

usage: python benchmarks/score_dev.py [--no-embeddings] [--gold FILE] [--sources DIR] [--out export.json] [-v]

By default the strict scorer (score_full.py) against the exhaustive dev gold of the five fixtures;
--sources tests/extraction/validation_full/port_strike --gold tests/extraction/validation_full/port_strike/gold.json
scores invented articles about another event that no setting was chosen on. A gold set that is not
exhaustive (dev_claims.json, the older held-out set) is scored with the old, lenient score.py.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.extraction.core import extract_claims  # noqa: E402
from app.extraction.types import ClaimDraft, Document  # noqa: E402
from app.sources.metadata import parse_metadata  # noqa: E402
from app.sources.normalise import normalise_text  # noqa: E402

FIXTURES = ROOT / "fixtures" / "sources"


def _shared_eval() -> Path:
    """The shared gold sets and scorers: beside the checkout, or beside the folder of worktrees."""
    for folder in ROOT.parents:
        if (folder / "shared" / "eval").is_dir():
            return folder / "shared" / "eval"
    return ROOT.parent / "shared" / "eval"


SHARED_EVAL = _shared_eval()


def load_fixtures(folder: Path = FIXTURES) -> tuple[list[Document], list[dict[str, object]]]:
    """The articles of `folder` as documents (source id = position, dated as ingestion dates them)."""
    documents, sources = [], []
    for index, path in enumerate(sorted(folder.glob("*.txt"))):
        text = normalise_text(path.read_text(encoding="utf-8"))
        documents.append(Document(source_id=index, text=text, published_at=parse_metadata(text).published_at))
        sources.append({"id": index, "filename": path.name})
    return documents, sources


def export(claims: list[ClaimDraft], sources: list[dict[str, object]]) -> dict[str, object]:
    """The JSON shape that score.py reads."""
    return {
        "sources": sources,
        "claims": [
            {
                "id": number,
                "key": claim.key,
                "text": claim.text,
                "kind": claim.kind,
                "mentions": [
                    {"source_id": m.source_id, "start": m.start, "end": m.end, "quote": m.quote} for m in claim.mentions
                ],
                "stances": [
                    {
                        "source_id": s.source_id,
                        "stance": s.stance,
                        "origin": "suggested",
                        "confidence": s.confidence,
                        "quote": s.quote,
                        "reason": s.reason,
                    }
                    for s in claim.stances
                ],
            }
            for number, claim in enumerate(claims, start=1)
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--out", default="/tmp/crosscheck-dev-export.json")
    parser.add_argument("--gold", default=str(SHARED_EVAL / "fixtures_full.json"))
    parser.add_argument("--sources", default=str(FIXTURES), help="folder of .txt articles")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    documents, sources = load_fixtures(Path(args.sources))
    began = time.perf_counter()
    claims = extract_claims(documents, use_embeddings=not args.no_embeddings)
    print(f"extracted in {time.perf_counter() - began:.2f} s")
    Path(args.out).write_text(json.dumps(export(claims, sources), indent=1, ensure_ascii=False))
    exhaustive = json.loads(Path(args.gold).read_text()).get("exhaustive", False)
    scorer = SHARED_EVAL / ("score_full.py" if exhaustive else "score.py")
    command = [sys.executable, str(scorer), args.gold, args.out]
    if args.verbose:
        command.append("-v")
    return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main())
