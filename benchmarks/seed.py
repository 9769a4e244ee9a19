"""Seeded synthetic workspaces for the benchmarks: N claims with 5 mentions and 2 assessments each.

    .venv/bin/python -m benchmarks.seed sqlite:////tmp/bench.db --claims 1000 --sources 10000

Rows go in with bulk INSERTs (the triggers and indexes of migration 0002 still apply), so a 100k
workspace takes a minute or two rather than an hour of service calls.
"""

import argparse
import hashlib
import random
import time
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.auth.actor import SYSTEM
from app.auth.models import User
from app.auth.service import create_token, create_user
from app.claims.models import Claim, Mention
from app.db import make_engine
from app.migrate import upgrade
from app.review.models import Assessment
from app.sources.models import Source

VERDICTS = ("corroborated", "contradicted", "disputed", "unverified")
STANCES = ("corroborates", "contradicts", "not_addressed", "unclear")
REVIEWERS = 10
BATCH = 5000


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return sorted({"".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(size)})


def _words(rng: random.Random, vocab: list[str], count: int) -> str:
    return " ".join(rng.choice(vocab) for _ in range(count))


def benchmark_user(session: Session, name: str) -> User:
    """The benchmark's user of that name, created the first time: a reused workspace keeps the same people, as a
    newsroom does, rather than gaining a reviewer per run (the board's assignee picker lists them all)."""
    existing = session.exec(select(User).where(User.name == name)).first()
    return existing or create_user(session, name, "reviewer", None, SYSTEM)


def _defaults(model: type, **required: Any) -> dict[str, Any]:
    row = model(**required).model_dump()
    row.pop("id", None)
    return row


def _insert(engine: Engine, model: type, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as connection:
        for start in range(0, len(rows), BATCH):
            connection.execute(insert(model.__table__), rows[start : start + BATCH])  # type: ignore[attr-defined]


def seed(url: str, *, claims: int, sources: int = 10_000, seed_value: int = 1) -> dict[str, Any]:
    """Migrate an empty database at `url` and fill it; returns a reviewer token and a sample of ids."""
    rng = random.Random(seed_value)
    vocab = vocabulary(rng)
    upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        reviewers = [create_user(session, f"bench-reviewer-{i}", "reviewer", None, SYSTEM) for i in range(REVIEWERS)]
        bench_user = create_user(session, "bench-writer", "reviewer", None, SYSTEM)
        _token, secret = create_token(session, bench_user, SYSTEM)
        reviewer_ids = [user.id for user in reviewers]

    source_template = _defaults(Source, raw_text="", sha256="", text="")
    texts = [_words(rng, vocab, 120) for _ in range(sources)]
    _insert(
        engine,
        Source,
        [
            dict(
                source_template,
                raw_text=t,
                text=t,
                title=f"Synthetic article {i}",
                sha256=hashlib.sha256(f"{i}:{t}".encode()).hexdigest(),
            )
            for i, t in enumerate(texts)
        ],
    )
    claim_template = _defaults(Claim, text="")
    _insert(
        engine,
        Claim,
        [
            dict(
                claim_template,
                text=_words(rng, vocab, rng.randint(10, 20)),
                key=f"bench-{i}",
                verdict=rng.choice(VERDICTS),
            )
            for i in range(claims)
        ],
    )
    mention_template = _defaults(Mention, claim_id=0, source_id=0, start=0, end=0, quote="")
    assessment_template = _defaults(Assessment, claim_id=0, source_id=0, user_id=0, stance="")
    mentions, assessments = [], []
    for claim_id in range(1, claims + 1):
        source_ids = rng.sample(range(1, sources + 1), 5)
        for source_id in source_ids:
            text = texts[source_id - 1]
            start = rng.randint(0, max(0, len(text) - 80))
            mentions.append(
                dict(
                    mention_template,
                    claim_id=claim_id,
                    source_id=source_id,
                    start=start,
                    end=start + 60,
                    quote=text[start : start + 60],
                )
            )
        for source_id, user_id in zip(source_ids[:2], rng.sample(reviewer_ids, 2), strict=True):
            assessments.append(
                dict(
                    assessment_template,
                    claim_id=claim_id,
                    source_id=source_id,
                    user_id=user_id,
                    stance=rng.choice(STANCES),
                    note="synthetic",
                )
            )
    _insert(engine, Mention, mentions)
    _insert(engine, Assessment, assessments)
    if engine.dialect.name == "postgresql":
        # VACUUM as autovacuum would soon after a bulk insert: it sets the visibility map, without which
        # PostgreSQL cannot answer a count from an index alone.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    return {
        "token": secret,
        "vocabulary": vocab,
        "claims": claims,
        "sources": sources,
        "seconds": time.perf_counter() - started,
    }


def reuse(url: str, *, claims: int, sources: int = 10_000, seed_value: int = 1) -> dict[str, Any] | None:
    """The same facts as `seed` for a database an earlier `seed(url, claims=…)` filled (migrated to the newest
    revision, with a fresh token), or None when it holds something else."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            seeded = connection.execute(
                text("SELECT count(*) FROM claim WHERE key LIKE :keys"), {"keys": "bench-%"}
            ).scalar()
    except Exception:  # noqa: BLE001 - no such database or table: not reusable
        seeded = None
    finally:
        engine.dispose()
    if seeded != claims:
        return None
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        user = benchmark_user(session, "bench-writer")
        _token, secret = create_token(session, user, SYSTEM)
    engine.dispose()
    return {
        "token": secret,
        "vocabulary": vocabulary(random.Random(seed_value)),
        "claims": claims,
        "sources": sources,
        "seconds": 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    info = seed(args.url, claims=args.claims, sources=args.sources, seed_value=args.seed)
    print(f"seeded {info['claims']} claims over {info['sources']} sources in {info['seconds']:.1f} s")


if __name__ == "__main__":
    main()
