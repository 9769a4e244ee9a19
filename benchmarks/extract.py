"""Time the extraction pipeline on the fixtures and on a synthetic corpus of reshuffled fixture paragraphs.

usage: python benchmarks/extract.py [--articles 300] [--no-embeddings] [--skip-fixtures]
Prints sentences per second, seconds per article, model load time and peak memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.extraction import embeddings  # noqa: E402
from app.extraction.core import extract_claims  # noqa: E402
from app.extraction.entities import load_spacy  # noqa: E402
from app.extraction.segment import segment_sentences  # noqa: E402
from app.extraction.types import Document  # noqa: E402
from app.sources.normalise import normalise_text  # noqa: E402

FIXTURES = ROOT / "fixtures" / "sources"


def fixtures() -> list[Document]:
    return [
        Document(index, normalise_text(path.read_text(encoding="utf-8")))
        for index, path in enumerate(sorted(FIXTURES.glob("*.txt")))
    ]


def synthetic(count: int, seed: int = 7, perturb: bool = False) -> list[Document]:
    """Articles of 8-20 paragraphs drawn (seeded) from all fixture paragraphs, in a new order.

    With `perturb`, each paragraph opens with words naming its article, so that no two articles share
    an identical sentence and grouping cannot take the shortcut for exact duplicates.
    """
    paragraphs = [p for d in fixtures() for p in d.text.split("\n") if len(p.split()) > 5]
    rng = random.Random(seed)
    documents = []
    for index in range(count):
        chosen = rng.sample(paragraphs, rng.randint(8, 20))
        if perturb:
            chosen = [f"In dispatch {index}, {p[0].lower()}{p[1:]}" for p in chosen]
        documents.append(Document(index, "\n\n".join(chosen)))
    return documents


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(label: str, documents: list[Document], use_embeddings: bool) -> tuple[float, float]:
    """Run one call and print its figures; returns (wall, cpu) seconds per article."""
    sentences = sum(len(segment_sentences(d.text)) for d in documents)
    began, cpu_began = time.perf_counter(), time.process_time()
    claims = extract_claims(documents, use_embeddings=use_embeddings)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    # CPU time is printed too: on a shared machine the wall clock also counts other people's work
    print(
        f"{label:26} {len(documents):5} articles {sentences:7} sentences {len(claims):6} claims "
        f"{seconds:8.2f} s wall {cpu:8.2f} s cpu  {sentences / seconds:6.1f} sentences/s "
        f"({sentences / cpu:6.1f} per cpu-s)  {seconds / len(documents):.3f} s/article  peak {peak_mb():.0f} MB"
    )
    return seconds / len(documents), cpu / len(documents)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--articles", type=int, nargs="*", default=[300], help="sizes of synthetic corpora, e.g. --articles 100 2000"
    )
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--skip-fixtures", action="store_true")
    parser.add_argument("--perturb", action="store_true", help="no identical sentences across articles")
    args = parser.parse_args()
    use = not args.no_embeddings
    began = time.perf_counter()
    if not args.skip_fixtures:
        measure("fixtures (cold, w/ load)", fixtures(), use)
        print(
            f"  of which model load: spaCy + embeddings {embeddings.load_seconds or 0.0:.2f} s (embeddings); "
            f"total first call {time.perf_counter() - began:.2f} s"
        )
    load = time.perf_counter()
    load_spacy()
    if use:
        embeddings.available()
    print(
        f"model load (cached after first use): {time.perf_counter() - load:.3f} s; "
        f"embedding model load {embeddings.load_seconds or 0.0:.2f} s"
    )
    if not args.skip_fixtures:
        measure("fixtures (warm)", fixtures(), use)
    per_article = {
        count: measure(f"synthetic x{count}", synthetic(count, perturb=args.perturb), use) for count in args.articles
    }
    if len(per_article) > 1:
        small, large = min(per_article), max(per_article)
        print(
            f"per-article cost x{large} / x{small}: {per_article[large][0] / per_article[small][0]:.2f} wall, "
            f"{per_article[large][1] / per_article[small][1]:.2f} cpu (target <= 1.5)"
        )
    print(f"peak memory {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
