"""Crash safety: kill -9 a bulk ingest midway; the database stays whole and a re-run completes it exactly once."""

import hashlib
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.migrate import upgrade
from tests.live_server import REPO, app_environment

FILES = 500
WORDS = [
    "minister",
    "budget",
    "bridge",
    "council",
    "report",
    "figure",
    "percent",
    "million",
    "election",
    "court",
    "ruling",
    "deal",
    "export",
    "tariff",
    "spokesman",
    "audit",
    "survey",
    "region",
    "border",
    "agency",
]


def _write_articles(folder: Path) -> set[str]:
    """500 distinct articles, about 3 kB each; returns the sha256 of each file's text."""
    folder.mkdir()
    rng = random.Random(6)
    digests = set()
    for number in range(FILES):
        sentences = [" ".join(rng.choices(WORDS, k=12)).capitalize() + "." for _ in range(30)]
        text = f"Article {number}\n\n" + "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, 30, 5)) + "\n"
        (folder / f"article-{number:03}.txt").write_text(text, encoding="utf-8")
        digests.add(hashlib.sha256(text.encode("utf-8")).hexdigest())
    return digests


def _ingest(url: str, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "ingest", str(folder)],
        cwd=REPO,
        env=app_environment(url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _count_sources(path: Path) -> int:
    # A reader of its own, as any other process would be; WAL lets it read while the ingest writes.
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as connection:
        return int(connection.execute("SELECT count(*) FROM source").fetchone()[0])


def _check_whole(path: Path) -> int:
    """Integrity, foreign keys, no partial source, no orphan row; returns the number of sources."""
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        sources = connection.execute("SELECT id, raw_text, text, sha256 FROM source").fetchall()
        for source_id, raw_text, text, sha256 in sources:
            assert text and text.strip(), f"source {source_id} has no text"
            assert sha256 == hashlib.sha256(raw_text.encode("utf-8")).hexdigest(), f"source {source_id} is partial"
        ingested = dict(
            connection.execute(
                "SELECT source_id, count(*) FROM audit_event WHERE action = 'source.ingested' GROUP BY source_id"
            )
        )
        assert ingested == {source_id: 1 for source_id, *_ in sources}  # one event per source, none without one
        for table, column, parent in (
            ("mention", "claim_id", "claim"),
            ("mention", "source_id", "source"),
            ("assessment", "claim_id", "claim"),
            ("assessment", "source_id", "source"),
            ("evidence", "claim_id", "claim"),
            ("evidence", "source_id", "source"),
        ):
            orphans = connection.execute(
                f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL AND {column} NOT IN (SELECT id FROM {parent})"
            ).fetchone()[0]
            assert orphans == 0, f"{orphans} {table} rows point at a missing {parent}"
        return len(sources)


@pytest.mark.slow
@pytest.mark.sqlite
def test_kill_9_during_bulk_ingest_leaves_no_damage_and_rerun_completes(tmp_path: Path) -> None:
    database = tmp_path / "crash.db"
    url = f"sqlite:///{database}"
    upgrade(url)
    digests = _write_articles(tmp_path / "articles")

    process = _ingest(url, tmp_path / "articles")
    deadline = time.monotonic() + 60
    stored = 0
    while stored < 50:  # kill once a tenth of the files are in: surely mid-ingest
        assert process.poll() is None, f"the ingest ended before the kill, after {stored} sources"
        assert time.monotonic() < deadline, "the ingest made no progress"
        time.sleep(0.005)
        stored = _count_sources(database)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL

    survived = _check_whole(database)
    assert 0 < survived < FILES, f"the kill landed after {survived} of {FILES} sources, not midway"

    rerun = _ingest(url, tmp_path / "articles")
    output, _ = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, output.decode(errors="replace")
    assert f"created {FILES - survived}, already present {survived}, rejected 0" in output.decode()
    assert _check_whole(database) == FILES
    with sqlite3.connect(database) as connection:
        assert {row[0] for row in connection.execute("SELECT sha256 FROM source")} == digests
